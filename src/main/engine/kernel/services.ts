// Engine-wide services behind typed keys: one cache that creates lazily, releases what holds resources, and
// invalidates (a promotion drops the loaded model; the next use loads the new one).
import type { Engine } from './session.js';

export interface ServiceKey<T> {
  readonly name: string;
  create(engine: Engine): T;
  /** Runs when the service is invalidated or the engine closes (worker threads, timers). */
  release?(value: T): void | Promise<void>;
}

/** Declares a service once, beside the capability that owns it. */
export function serviceKey<T>(
  name: string,
  create: (engine: Engine) => T,
  release?: (value: T) => void | Promise<void>,
): ServiceKey<T> {
  return { name, create, release };
}

export class ServiceCache {
  private readonly values = new Map<ServiceKey<unknown>, unknown>();

  constructor(private readonly engine: Engine) {}

  /** The service behind `key`, made on first use (by `create` when given: e.g. a test's worker entry). */
  get<T>(key: ServiceKey<T>, create: (engine: Engine) => T = key.create): T {
    if (this.values.has(key)) return this.values.get(key) as T;
    const v = create(this.engine);
    this.values.set(key, v);
    // a service whose creation failed (a rejected promise) is forgotten so the next use retries
    if (v instanceof Promise) v.catch(() => this.values.get(key) === v && this.values.delete(key));
    return v;
  }

  has(key: ServiceKey<unknown>): boolean {
    return this.values.has(key);
  }

  /** Forgets a service (releasing it); the next `get` creates it anew. */
  async invalidate(key: ServiceKey<unknown>): Promise<void> {
    if (!this.values.has(key)) return;
    const v = this.values.get(key);
    this.values.delete(key);
    await key.release?.(v);
  }

  /** Releases every service and forgets them all; a later use recreates them. */
  async releaseAll(): Promise<void> {
    const entries = [...this.values];
    this.values.clear();
    const results = await Promise.allSettled(entries.map(async ([k, v]) => k.release?.(v)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw new Error(`releasing engine services failed: ${String(failed.reason)}`);
  }
}
