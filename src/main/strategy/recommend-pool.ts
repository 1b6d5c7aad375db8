// Live pit recommendations off the engine's event loop: one worker thread per engine, started on first use, reused,
// unref'd while idle (it never keeps the process alive) and terminated when the engine releases its services.
// Calls are queued and run one at a time in call order. Without the compiled worker entry (vitest runs the .ts
// sources) or an on-disk database, or when the worker cannot start, recommendations are computed in-thread.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PitRecommendation } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { fromWire } from '../../shared/rpc.js';
import { DataError } from '../data/errors.js';
import { serviceKey } from '../engine/kernel/services.js';
import type { Engine } from '../engine/kernel/session.js';
import { recommend, type RecommendArgs } from './recommend.js';
import type { WorkerError, WorkerInput, WorkerJob, WorkerReply } from './recommend-worker.js';

/** The compiled worker entry next to this module (present in out/main/strategy, absent beside the .ts sources). */
export const WORKER_ENTRY = new URL('./recommend-worker.js', import.meta.url);

interface Pending {
  id: number;
  args: RecommendArgs;
  resolve(v: PitRecommendation | null): void;
  reject(e: Error): void;
}

/** The worker's typed error, rebuilt by its code: a DataError stays a DataError (file/line/column kept), a bug
 *  stays a bug (its stack reaches the engine log, not the caller), anything else is the RpcError it was. */
function rebuild(e: WorkerError): Error {
  if (e.code === 'data_error') return Object.assign(new DataError(e.message), { file: e.file, line: e.line, column: e.column });
  if (e.code === 'internal') return Object.assign(new Error(e.message), { name: 'InternalError', stack: e.stack });
  return fromWire(e);
}

export class Recommender {
  private worker: Worker | null = null;
  private ready = false;
  private broken = false; // the worker could not start: compute in-thread from now on
  private closed = false;
  private pending: Pending | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  /** `entry` null: always in-thread. */
  constructor(
    private readonly db: Db,
    private readonly dbFile: string,
    private readonly entry: URL | null,
  ) {}

  /** The worker thread while one is running (tests check that closing ends it). */
  get thread(): Worker | null {
    return this.worker;
  }

  /** Queued behind earlier calls; rejects with the worker's error (a DataError stays a DataError). */
  recommend(args: RecommendArgs): Promise<PitRecommendation | null> {
    const run = this.tail.then(() => this.runOne(args));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Rejects the call in progress and calls still queued, and terminates the worker. */
  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    this.settle()?.reject(new Error('strategy recommendation cancelled: the engine is closing'));
    if (w) await w.terminate();
  }

  private runOne(args: RecommendArgs): Promise<PitRecommendation | null> {
    if (this.closed) return Promise.reject(new Error('strategy recommendation cancelled: the engine is closing'));
    if (!this.entry || this.broken) return recommend(this.db, args);
    const w = this.worker ?? this.start(this.entry);
    return new Promise<PitRecommendation | null>((resolve, reject) => {
      this.pending = { id: this.nextId++, args, resolve, reject };
      w.ref(); // busy: a CLI awaiting the answer must not exit under it
      w.postMessage({ id: this.pending.id, args } satisfies WorkerJob);
    });
  }

  /** Takes the call in progress (if any) and lets the worker idle. */
  private settle(): Pending | null {
    const p = this.pending;
    this.pending = null;
    this.worker?.unref();
    return p;
  }

  private start(entry: URL): Worker {
    const w = new Worker(entry, { workerData: { dbFile: this.dbFile } satisfies WorkerInput });
    this.worker = w;
    this.ready = false;
    w.unref();
    w.on('message', (m: WorkerReply) => {
      if (m.kind === 'ready') this.ready = true;
      else if (this.pending?.id === m.id) {
        const p = this.settle()!;
        if (m.kind === 'result') p.resolve(m.value);
        else p.reject(rebuild(m.error));
      }
    });
    const lost = (why: string): void => {
      if (this.worker !== w) return; // already closed or replaced
      this.worker = null;
      const p = this.settle();
      if (!this.ready) {
        // could not start (e.g. the entry does not load here): answer in-thread, now and from now on
        this.broken = true;
        if (p) recommend(this.db, p.args).then(p.resolve, p.reject);
      } else p?.reject(new Error(`strategy worker ${why} before answering`));
    };
    w.on('error', (e) => lost(`failed (${e.message})`));
    w.on('exit', (code) => lost(`exited with code ${code}`));
    return w;
  }
}

const create = (engine: Engine, entry: URL): Recommender => {
  const usable = existsSync(fileURLToPath(entry)) && existsSync(engine.dbFile);
  return new Recommender(engine.db, engine.dbFile, usable ? entry : null);
};
export const RECOMMENDER = serviceKey('strategy:recommender', (engine) => create(engine, WORKER_ENTRY), (r) => r.close());

/** The engine's recommender; `entry` overrides where the worker entry is looked for (tests point it at out/). */
export function recommender(engine: Engine, entry: URL = WORKER_ENTRY): Recommender {
  return engine.services.get(RECOMMENDER, (e) => create(e, entry));
}
