// The engine side of the desktop app: one Session per window, calls dispatched to the same handlers as
// `pitwall serve`, each session's pushes addressed to its window. Runs in the utility process (engine-process.ts).
import { dispatch } from '../engine/host/handlers.js';
import { Session, type Engine } from '../engine/kernel/session.js';
import { errResult, okResult } from '../../shared/rpc.js';
import type { FromEngine, ToEngine } from './protocol.js';

export interface EngineHost {
  handle(msg: ToEngine): Promise<void>;
  dispose(): void;
}

export function createEngineHost(engine: Engine, post: (msg: FromEngine) => void): EngineHost {
  const sessions = new Map<number, Session>();
  const sessionFor = (window: number): Session => {
    let s = sessions.get(window);
    if (!s) {
      s = new Session(engine, (name, payload) => post({ kind: 'event', window, name, payload }));
      sessions.set(window, s);
    }
    return s;
  };
  return {
    async handle(msg) {
      if (msg.kind === 'close') {
        sessions.get(msg.window)?.dispose();
        sessions.delete(msg.window);
        return;
      }
      try {
        post(okResult(msg.id, await dispatch(sessionFor(msg.window), msg.method, msg.args)));
      } catch (e) {
        post(errResult(msg.id, e, (err) => console.error(`pitwall engine: internal error in ${msg.method}:`, err)));
      }
    },
    dispose() {
      for (const s of sessions.values()) s.dispose();
      sessions.clear();
    },
  };
}
