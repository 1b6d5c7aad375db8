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

/** Engine-wide lazily created service. */
export function service<T>(engine: Engine, key: string, create: () => T): T {
  let v = engine.services.get(key) as T | undefined;
  if (v === undefined) {
    v = create();
    engine.services.set(key, v);
  }
  return v;
}

export type Handler<M extends ApiMethod> = (
  session: Session,
  args: ApiArgs<M>,
) => Awaited<ApiResult<M>> | Promise<Awaited<ApiResult<M>>>;
export type Handlers<K extends ApiMethod> = { [M in K]: Handler<M> };
