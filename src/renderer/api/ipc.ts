// Electron transport: the preload's `window.pitwall` bridge (named methods over IPC, pushed events).
import type { ApiMethod } from '../../shared/api.js';
import { fromIpcError } from '../../shared/rpc.js';
import type { PitwallBridge, Transport } from './transport.js';

export function ipcTransport(bridge: PitwallBridge): Transport {
  return {
    call(method: ApiMethod, args: unknown) {
      const fn = bridge[method] as (a?: unknown) => Promise<unknown>;
      return fn(args).catch((e: unknown) => {
        throw fromIpcError(e); // the engine's typed error, as the WebSocket transport gives it
      });
    },
    on: (name, handler) => bridge.on(name, handler),
    // IPC has no connection to lose: the window's engine session lives as long as the window.
    onConnection(handler) {
      handler('open');
      return () => {};
    },
  };
}
