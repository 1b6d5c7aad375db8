// The main process's handle on the engine process: numbered calls with promised results, events per window.
import type { ApiMethod, EventName } from '../../shared/api.js';
import { Correlator, fromWire, RpcError } from '../../shared/rpc.js';
import type { FromEngine, ShareInfo, ToEngine } from './protocol.js';

export interface EngineClient {
  call(window: number, method: ApiMethod, args: unknown): Promise<unknown>;
  closeWindow(window: number): void;
  /** Starts (or keeps) the paired LAN server in the engine process; resolves with fresh pairing links. */
  share(): Promise<ShareInfo>;
  /** Ends every pairing of the LAN share (its screens disconnect). */
  revokeShares(): void;
  /** Feed every message from the engine process here. */
  receive(msg: FromEngine): void;
  /** The engine process died: fail everything in flight. */
  fail(reason: string): void;
}

export function createEngineClient(
  send: (msg: ToEngine) => void,
  onEvent: (window: number, name: EventName, payload: unknown) => void,
): EngineClient {
  const calls = new Correlator();
  const shares: { resolve(v: ShareInfo): void; reject(e: Error): void }[] = [];
  return {
    share() {
      return new Promise<ShareInfo>((resolve, reject) => {
        shares.push({ resolve, reject });
        send({ kind: 'share' });
      });
    },
    revokeShares() {
      send({ kind: 'revoke' });
    },
    call(window, method, args) {
      const { id, promise } = calls.next();
      send({ kind: 'call', id, window, method, args });
      return promise;
    },
    closeWindow(window) {
      send({ kind: 'close', window });
    },
    receive(msg) {
      if (msg.kind === 'event') return onEvent(msg.window, msg.name, msg.payload);
      if (msg.kind === 'result') calls.settle(msg);
      if (msg.kind === 'shared') {
        const p = shares.shift();
        if (msg.ok) p?.resolve({ url: msg.url, viewerPairUrl: msg.viewerPairUrl, engineerPairUrl: msg.engineerPairUrl, expiresAt: msg.expiresAt });
        else p?.reject(fromWire(msg.error));
      }
    },
    fail(reason) {
      calls.failAll(new RpcError('cancelled', reason));
      for (const p of shares.splice(0)) p.reject(new RpcError('cancelled', reason));
    },
  };
}
