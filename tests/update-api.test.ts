// The app's "Update data" through the host's dispatch (as IPC and `serve` call it): progress pushes to every session,
// one update at a time, cancel between requests (whole races only; a re-run resumes), viewers may not start one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpdateProgressEvent } from '../src/shared/domain.js';
import { closeEngine, createEngine } from '../src/main/engine/host/engine.js';
import { dispatch } from '../src/main/engine/host/handlers.js';
import { Session, type Engine } from '../src/main/engine/kernel/session.js';
import { dbCopy } from './helpers/db.js';
import { ERGAST_DIR } from './helpers/data.js';
import { startFakeJolpica, type FakeJolpica } from './helpers/fake-jolpica.js';
import { syntheticSeasonDir } from './helpers/synthetic-season.js';

describe('updateRun / updateCancel', () => {
  let fake: FakeJolpica;
  let engine: Engine;
  const seen: UpdateProgressEvent[] = [];
  let session: Session;
  beforeAll(async () => {
    fake = await startFakeJolpica({ ergastDir: syntheticSeasonDir(ERGAST_DIR, { from: 2024, to: 2025, rounds: [1, 2, 3, 4, 5, 6] }), minSeason: 2025 });
    process.env.PITWALL_JOLPICA_URL = fake.url;
    const { db, file } = dbCopy();
    db.close();
    engine = createEngine({ db: file });
    session = new Session(engine, (name, payload) => name === 'update:progress' && seen.push(payload as UpdateProgressEvent));
  });
  afterAll(async () => {
    delete process.env.PITWALL_JOLPICA_URL;
    await closeEngine(engine);
    await fake.close();
  });
  const races2025 = () => engine.db.prepare(`SELECT COUNT(DISTINCT x.race_id) FROM results x JOIN races r USING (race_id) WHERE r.year = 2025`).pluck().get() as number;

  it('a viewer may not start an update', async () => {
    await expect(dispatch(session, 'updateRun', { seasons: [2025] }, 'viewer')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('cancel stops it between requests: whole races only; a second run while one runs is refused; a re-run completes', async () => {
    const run = dispatch(session, 'updateRun', { seasons: [2025] });
    const outcome = run.then(() => 'finished', (e: { code?: string }) => e.code);
    await expect(dispatch(session, 'updateRun', { seasons: [2025] })).rejects.toThrow(/already running/);
    while (!seen.some((p) => p.done >= 2)) await new Promise((r) => setTimeout(r, 20));
    expect(await dispatch(session, 'updateCancel', undefined)).toBe(true);
    expect(await outcome).toBe('cancelled');
    expect(seen[seen.length - 1]).toMatchObject({ state: 'cancelled' });
    const written = races2025();
    expect(written).toBeGreaterThanOrEqual(2);
    expect(written).toBeLessThan(6);
    const perRace = engine.db.prepare(`SELECT COUNT(*) FROM results x JOIN races r USING (race_id) WHERE r.year = 2025 GROUP BY r.round HAVING COUNT(*) > 0`).pluck().all() as number[];
    for (const n of perRace) expect(n).toBe(20); // 2024's fields: twenty cars, every race whole
    expect(await dispatch(session, 'updateCancel', undefined)).toBe(false);

    seen.length = 0;
    const r = (await dispatch(session, 'updateRun', { seasons: [2025] })) as { races: number; results: number };
    expect(r.races).toBe(6 - written);
    expect(races2025()).toBe(6);
    const totals = seen.filter((p) => p.state === 'running' && p.total > 0).map((p) => `${p.done}/${p.total}`);
    expect(totals).toEqual(Array.from({ length: 7 - written }, (_, i) => `${i}/${6 - written}`));
    expect(seen[seen.length - 1]).toMatchObject({ state: 'done', done: 6 - written, total: 6 - written });
  });
});
