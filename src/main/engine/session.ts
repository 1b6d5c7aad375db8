// One client of the engine (a window over IPC, or a browser tab over WebSocket): its own replay, style, pushes.
import type { ApiArgs, ApiMethod, ApiResult, EventName, PitwallEvents } from '../../shared/api.js';
import type { Db } from '../data/db.js';

export interface Engine {
  db: Db;
  dbFile: string;
  /** Per-engine singletons (model caches, monitors), created lazily by capabilities. */
  services: Map<string, unknown>;
  /** Pushes to every connected session (e.g. monitoring alerts). */
  broadcast<E extends EventName>(name: E, payload: PitwallEvents[E]): void;
  sessions: Set<Session>;
}

export class Session {
  /** Per-session state of capabilities (replay controller, commentary pipeline …), keyed by capability. */
  readonly state = new Map<string, unknown>();
  private readonly disposers: (() => void)[] = [];

  constructor(
    readonly engine: Engine,
    private readonly send: <E extends EventName>(name: E, payload: PitwallEvents[E]) => void,
  ) {
    engine.sessions.add(this);
  }

  emit<E extends EventName>(name: E, payload: PitwallEvents[E]): void {
    this.send(name, payload);
  }

  /** Gets or creates per-session state; `dispose` runs when the client goes away. */
  use<T>(key: string, create: () => T, dispose?: (value: T) => void): T {
    let v = this.state.get(key) as T | undefined;
    if (v === undefined) {
      v = create();
      this.state.set(key, v);
      if (dispose) this.disposers.push(() => dispose(v!));
    }
    return v;
  }

  dispose(): void {
    for (const d of this.disposers.splice(0)) d();
    this.state.clear();
    this.engine.sessions.delete(this);
  }
}

// What each engine's services need to let go of (worker threads …), run by releaseServices.
const releasers = new WeakMap<Engine, { key: string; release: () => void | Promise<void> }[]>();

/** Engine-wide lazily created service; `release` runs when the engine closes (see releaseServices). */
export function service<T>(engine: Engine, key: string, create: () => T, release?: (value: T) => void | Promise<void>): T {
  let v = engine.services.get(key) as T | undefined;
  if (v === undefined) {
    const created = (v = create());
    engine.services.set(key, created);
    if (release) {
      const list = releasers.get(engine) ?? releasers.set(engine, []).get(engine)!;
      list.push({ key, release: () => release(created) });
    }
  }
  return v;
}

/** Releases the services that hold resources (terminates worker threads) and forgets them; a later use recreates
 * them. Transports call this when they close, so nothing of the engine keeps the process alive. */
export async function releaseServices(engine: Engine): Promise<void> {
  const list = releasers.get(engine) ?? [];
  releasers.delete(engine);
  for (const { key } of list) engine.services.delete(key);
  const failed = (await Promise.allSettled(list.map(async (r) => r.release()))).filter((r) => r.status === 'rejected');
  if (failed.length) throw new Error(`releasing engine services failed: ${(failed[0] as PromiseRejectedResult).reason}`);
}

export type Handler<M extends ApiMethod> = (
  session: Session,
  args: ApiArgs<M>,
) => Awaited<ApiResult<M>> | Promise<Awaited<ApiResult<M>>>;
export type Handlers<K extends ApiMethod> = { [M in K]: Handler<M> };
