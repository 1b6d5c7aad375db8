// The main process's handle on the engine process: numbered calls with promised results, events per window.
import type { ApiMethod, EventName } from '../../shared/api.js';
import { Correlator, RpcError } from '../../shared/rpc.js';
import type { FromEngine, ToEngine } from './protocol.js';

export interface EngineClient {
  call(window: number, method: ApiMethod, args: unknown): Promise<unknown>;
  closeWindow(window: number): void;
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
  return {
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
    },
    fail(reason) {
      calls.failAll(new RpcError('cancelled', reason));
    },
  };
}
