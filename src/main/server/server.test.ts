// `pitwall serve` while a strategy recommendation computes on the engine's worker thread: the server keeps
// answering, closing it (or SIGTERM to the CLI) ends the worker and lets the process exit.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../tests/helpers/data.js';
import { dbCopy } from '../../../tests/helpers/db.js';
import { closeEngine, createEngine } from '../engine/host/engine.js';
import { recommender } from '../strategy/recommend-pool.js';
import { startServer } from './server.js';

// vitest runs the .ts sources, so point the engine's recommender at the compiled worker (tests/global-setup builds it)
const BUILT_ENTRY = pathToFileURL(join(PROJECT_ROOT, 'out', 'main', 'strategy', 'recommend-worker.js'));
const REF = { season: 2023, round: 1, driver: 'max_verstappen' };

function dbFile(): string {
  const { db, file } = dbCopy();
  db.close();
  return file;
}

const post = (url: string, method: string, args: unknown) =>
  fetch(`${url}api/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });

describe('pitwall serve with the strategy worker', () => {
  it('answers /api/health while a recommendation computes; close() terminates the worker', async () => {
    const engine = createEngine({ db: dbFile() });
    const pool = recommender(engine, BUILT_ENTRY);
    const srv = await startServer(engine, { port: 0 });
    try {
      expect(pool.thread).toBeNull(); // lazily started
      const warm = await post(srv.url, 'strategyRecommend', { ...REF, lap: 20, seeds: 20 });
      expect(warm.status).toBe(200);
      const thread = pool.thread!;
      expect(thread.threadId).toBeGreaterThan(0);
      let done = false;
      const rec = post(srv.url, 'strategyRecommend', { ...REF, lap: 25, seeds: 150 }).finally(() => (done = true));
      let health = 0;
      while (!done) {
        const h = await fetch(`${srv.url}api/health`);
        expect(h.status).toBe(200);
        if (!done) health++;
      }
      expect(health).toBeGreaterThanOrEqual(3); // in-thread, the simulation would hold every one of them back
      expect(await (await rec).json()).toMatchObject({ driver: 'max_verstappen', lap: 25, plans: expect.any(Array) });
      // a bad lap is a DataError: the API answers null, as before
      expect(await (await post(srv.url, 'strategyRecommend', { ...REF, lap: 99 })).json()).toBeNull();
      await srv.close();
      expect(thread.threadId).toBe(-1);
    } finally {
      await srv.close().catch(() => undefined);
      await closeEngine(engine);
    }
  });

  it('closing during a computation cancels it and still closes promptly', async () => {
    const engine = createEngine({ db: dbFile() });
    const pool = recommender(engine, BUILT_ENTRY);
    const srv = await startServer(engine, { port: 0 });
    const rec = post(srv.url, 'strategyRecommend', { ...REF, lap: 30, seeds: 5000 }).then(
      (r) => r.status,
      () => 'dropped',
    );
    while (!pool.thread) await new Promise((ok) => setTimeout(ok, 10));
    const thread = pool.thread;
    await new Promise((ok) => setTimeout(ok, 300));
    await srv.close();
    expect(thread.threadId).toBe(-1);
    expect(await rec).toBe('dropped');
    await closeEngine(engine);
  });

  it('the built CLI exits on SIGTERM while a recommendation computes', async () => {
    const child = spawn(process.execPath, ['bin/pitwall.mjs', 'serve', '--port', '0', '--db', dbFile(), '--json'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    const url = await new Promise<string>((ok) =>
      createInterface({ input: child.stdout! }).on('line', (l) => l.startsWith('{') && ok((JSON.parse(l) as { url: string }).url)),
    );
    const busy = post(url, 'strategyRecommend', { ...REF, lap: 30, seeds: 5000 }).catch(() => 'dropped');
    await new Promise((ok) => setTimeout(ok, 1500)); // the worker starts and computes
    expect((await fetch(`${url}api/health`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await busy).toBe('dropped');
  });
});
