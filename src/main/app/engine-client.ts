// The main process's handle on the engine process: numbered calls with promised results, events per window.
import type { ApiMethod, EventName } from '../../shared/api.js';
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
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  return {
    call(window, method, args) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        send({ kind: 'call', id, window, method, args });
      });
    },
    closeWindow(window) {
      send({ kind: 'close', window });
    },
    receive(msg) {
      if (msg.kind === 'event') return onEvent(msg.window, msg.name, msg.payload);
      if (msg.kind !== 'result') return;
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new Error(msg.error));
    },
    fail(reason) {
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(new Error(reason));
      }
    },
  };
}
