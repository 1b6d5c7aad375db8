// Picks the transport: the preload's IPC bridge inside Electron, else the WebSocket of `pitwall serve`.
// The only place in the renderer that reads window globals.
import { clientOver, type ApiClient } from './client.js';
import { ipcTransport } from './ipc.js';
import type { PitwallBridge } from './transport.js';
import { wsTransport } from './ws.js';

export type { ApiClient } from './client.js';

export function connect(): ApiClient {
  const bridge = (window as unknown as { pitwall?: PitwallBridge }).pitwall;
  if (bridge) return clientOver(ipcTransport(bridge));
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return clientOver(wsTransport(`${proto}//${window.location.host}/ws`));
}

/** The page's query string (deep link), read once at start-up. */
export function startQuery(): URLSearchParams {
  return new URLSearchParams(window.location.search);
}
