// The kernel: an engine over one database, its typed services, and the sessions (one per client: a window over
// IPC or a browser tab over WebSocket) with their own state. Capabilities stand on this; the host composes them.
import type { ApiArgs, ApiMethod, ApiResult, EventName, PitwallEvents } from '../../../shared/api.js';
import type Database from 'better-sqlite3';
import { ServiceCache, type ServiceKey } from './services.js';

type Db = Database.Database;

export class Engine {
  readonly services: ServiceCache = new ServiceCache(this);
  readonly sessions = new Set<Session>();

  constructor(
    readonly db: Db,
    readonly dbFile: string,
  ) {}

  /** The engine-wide service behind `key`, created on first use. */
  use<T>(key: ServiceKey<T>): T {
    return this.services.get(key);
  }

  /** Pushes to every connected session (e.g. monitoring alerts). */
  broadcast<E extends EventName>(name: E, payload: PitwallEvents[E]): void {
    for (const s of this.sessions) s.emit(name, payload);
  }
}

/** Per-session state of a capability, declared once with its disposer. */
export interface SessionKey<T> {
  readonly name: string;
  create(): T;
  dispose?(value: T): void;
}
export const sessionKey = <T>(name: string, create: () => T, dispose?: (value: T) => void): SessionKey<T> => ({
  name,
  create,
  dispose,
});

export class Session {
  private readonly state = new Map<SessionKey<unknown>, unknown>();

  constructor(
    readonly engine: Engine,
    private readonly send: <E extends EventName>(name: E, payload: PitwallEvents[E]) => void,
  ) {
    engine.sessions.add(this);
  }

  emit<E extends EventName>(name: E, payload: PitwallEvents[E]): void {
    this.send(name, payload);
  }

  /** Gets or creates this session's state for `key`; its disposer runs when the client goes away. */
  use<T>(key: SessionKey<T>): T {
    if (this.state.has(key)) return this.state.get(key) as T;
    const v = key.create();
    this.state.set(key, v);
    return v;
  }

  dispose(): void {
    const entries = [...this.state];
    this.state.clear();
    for (const [k, v] of entries) k.dispose?.(v);
    this.engine.sessions.delete(this);
  }
}

export type Handler<M extends ApiMethod> = (
  session: Session,
  args: ApiArgs<M>,
) => Awaited<ApiResult<M>> | Promise<Awaited<ApiResult<M>>>;
export type Handlers<K extends ApiMethod> = { [M in K]: Handler<M> };
