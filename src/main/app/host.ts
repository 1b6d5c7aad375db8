// The engine side of the desktop app: one Session per window, calls dispatched to the same handlers as
// `pitwall serve`, each session's pushes addressed to its window. Runs in the utility process (engine-process.ts).
import { dispatch } from '../engine/host/handlers.js';
import { Session, type Engine } from '../engine/kernel/session.js';
import { errResult, okResult, toWire } from '../../shared/rpc.js';
import { startLanShare, type LanShare } from '../server/lan.js';
import { redactor, SECRET_NAMES, SECRETS } from '../data/secrets.js';
import type { FromEngine, ToEngine } from './protocol.js';

export interface EngineHost {
  handle(msg: ToEngine): Promise<void>;
  dispose(): void;
}

/** Secrets this process holds (its environment), removed from everything it posts towards a window. */
const envRedactor = (): ((text: string) => string) | null => {
  const values = SECRET_NAMES.map((n) => process.env[SECRETS[n]] ?? '').filter((v) => v.length >= 8);
  return values.length ? redactor(values) : null; // none held: nothing to scrub, no cost
};

/** A message with every secret value replaced; the same object when it holds none. */
function scrub<T>(msg: T, redact: (t: string) => string): T {
  const text = JSON.stringify(msg);
  const clean = redact(text);
  return clean === text ? msg : (JSON.parse(clean) as T);
}

export function createEngineHost(
  engine: Engine,
  postRaw: (msg: FromEngine) => void,
  redact: ((text: string) => string) | null = envRedactor(),
): EngineHost {
  const post = (m: FromEngine) => postRaw(redact ? scrub(m, redact) : m);
  const sessions = new Map<number, Session>();
  const sessionFor = (window: number): Session => {
    let s = sessions.get(window);
    if (!s) {
      s = new Session(engine, (name, payload) => post({ kind: 'event', window, name, payload }));
      sessions.set(window, s);
    }
    return s;
  };
  let share: Promise<LanShare> | null = null;
  const startShare = async (host: string, port: number): Promise<void> => {
    try {
      share ??= startLanShare(engine, { host, port, ownsEngine: false, redact: redact ?? undefined });
      const s = await share;
      const viewer = s.invite('viewer');
      post({ kind: 'shared', ok: true, url: s.srv.url, viewerPairUrl: viewer.pairUrl, engineerPairUrl: s.invite('engineer').pairUrl, expiresAt: viewer.expiresAt });
    } catch (e) {
      share = null;
      const w = toWire(e);
      // e.g. the port is taken (a `pitwall serve` already running): say so plainly
      post({ kind: 'shared', ok: false, error: w.code === 'internal' && e instanceof Error ? { code: 'failed', message: e.message } : w });
    }
  };
  return {
    async handle(msg) {
      if (msg.kind === 'share') return startShare(msg.host ?? '0.0.0.0', msg.port ?? 8765);
      if (msg.kind === 'revoke') {
        if (share) (await share).pairing.revokeAll();
        return;
      }
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
      void share?.then((s) => s.srv.close()).catch(() => undefined);
      share = null;
    },
  };
}
