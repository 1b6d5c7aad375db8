// The recommendation worker thread (the compiled entry in out/, built by tests/global-setup.ts): same answers as
// in-thread, the caller's event loop keeps running meanwhile, errors arrive as errors, closing ends the thread.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../tests/helpers/data.js';
import { dbCopy, sharedDb, sharedDbPath } from '../../../tests/helpers/db.js';
import { DataError } from '../data/errors.js';
import { closeEngine, createEngine } from '../engine/host/engine.js';
import { Engine } from '../engine/kernel/session.js';
import { recommend, type RecommendArgs } from './recommend.js';
import { RECOMMENDER, recommender, Recommender, WORKER_ENTRY } from './recommend-pool.js';

const BUILT_ENTRY = pathToFileURL(join(PROJECT_ROOT, 'out', 'main', 'strategy', 'recommend-worker.js'));
const ARGS: RecommendArgs = { season: 2023, round: 1, driver: 'max_verstappen', lap: 20, seeds: 60 };
const db = sharedDb();
afterAll(() => db.close());

/** Runs `fn` while counting 5 ms interval ticks: how often the event loop got to run meanwhile. */
async function ticksDuring<T>(fn: () => Promise<T>): Promise<{ value: T; ticks: number }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  try {
    return { value: await fn(), ticks };
  } finally {
    clearInterval(timer);
  }
}

describe('strategy recommendation worker', () => {
  it('is not started until used; answers like the in-thread code while the event loop keeps ticking', async () => {
    const r = new Recommender(db, sharedDbPath(), BUILT_ENTRY);
    expect(r.thread).toBeNull();
    await r.recommend(ARGS); // starts the thread and builds the race model there
    const thread = r.thread;
    expect(thread?.threadId).toBeGreaterThan(0);
    await recommend(db, ARGS); // the same warm-up in-thread
    const args = { ...ARGS, lap: 24 };
    const inThread = await ticksDuring(() => recommend(db, args));
    const viaWorker = await ticksDuring(() => r.recommend(args));
    expect(viaWorker.value).toEqual(inThread.value);
    expect(inThread.ticks).toBe(0); // the simulation blocks the loop when run here …
    expect(viaWorker.ticks).toBeGreaterThanOrEqual(3); // … and does not on the worker
    expect(r.thread).toBe(thread); // reused
    await r.close();
    expect(thread!.threadId).toBe(-1);
    await expect(r.recommend(args)).rejects.toThrow(/engine is closing/);
  });

  it('queues concurrent calls in order; errors arrive as errors (a DataError stays one)', async () => {
    const r = new Recommender(db, sharedDbPath(), BUILT_ENTRY);
    const order: number[] = [];
    const calls = [21, 80, 22].map((lap) => r.recommend({ ...ARGS, lap, seeds: 10 }).finally(() => order.push(lap)));
    const [a, bad, b] = await Promise.allSettled(calls);
    expect(order).toEqual([21, 80, 22]);
    expect(a).toMatchObject({ status: 'fulfilled', value: { lap: 21 } });
    expect(b).toMatchObject({ status: 'fulfilled', value: { lap: 22 } });
    const err = (bad as PromiseRejectedResult).reason as DataError;
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toMatch(/lap must be 1–\d+/);
    expect(err.column).toBe('lap');
    // a worker that dies mid-call: that call fails clearly, the next one gets a fresh thread
    const dying = r.recommend({ ...ARGS, seeds: 400 });
    await new Promise((ok) => setTimeout(ok, 50));
    await r.thread!.terminate();
    await expect(dying).rejects.toThrow(/strategy worker exited with code 1 before answering/);
    expect((await r.recommend({ ...ARGS, seeds: 5 }))?.lap).toBe(20);
    await r.close();
  });

  it('is owned by the engine: one per engine, terminated when the engine closes', async () => {
    const { db: copy, file } = dbCopy();
    copy.close();
    const engine = createEngine({ db: file });
    const r = recommender(engine, BUILT_ENTRY);
    expect(recommender(engine)).toBe(r);
    expect((await r.recommend({ ...ARGS, seeds: 5 }))?.driver).toBe('max_verstappen');
    const thread = r.thread!;
    await closeEngine(engine);
    expect(thread.threadId).toBe(-1);
    expect(engine.services.has(RECOMMENDER)).toBe(false);
  });

  it('computes in-thread where no compiled entry sits beside the module (vitest runs the .ts sources)', async () => {
    expect(WORKER_ENTRY.pathname).toMatch(/src\/main\/strategy\/recommend-worker\.js$/);
    const engine = new Engine(db, sharedDbPath());
    const r = recommender(engine);
    expect((await r.recommend({ ...ARGS, seeds: 5 }))?.lap).toBe(20);
    expect(r.thread).toBeNull();
  });
});
