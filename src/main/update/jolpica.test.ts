// `update` from a fake Jolpica built from the bundled CSVs: the 2024 round trip equals the CSV import row by row;
// a server dying mid-update leaves whole races only and a re-run completes; bad JSON writes nothing of its race.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbCopy, sharedDb } from '../../../tests/helpers/db.js';
import { ERGAST_DIR } from '../../../tests/helpers/data.js';
import { startFakeJolpica, type FakeLap } from '../../../tests/helpers/fake-jolpica.js';
import type { Db } from '../data/db.js';
import { updateFromJolpica, type UpdateOptions } from './update.js';
import { afterUpdate } from './after.js';
import { logPredictions } from '../monitoring/log.js';

const truth = sharedDb();
const QUICK = { backoffMs: 1, retries: 3, limits: [] };

/** A copy of the database without 2024 (and without bearman, who first raced in 2024: he must get a new id). */
function without2024(): Db {
  const { db } = dbCopy();
  const races = '(SELECT race_id FROM races WHERE year = 2024)';
  for (const t of ['results', 'sprint_results', 'qualifying', 'pit_stops', 'driver_standings', 'constructor_standings', 'constructor_results'])
    db.prepare(`DELETE FROM ${t} WHERE race_id IN ${races}`).run();
  db.prepare(`DELETE FROM laps WHERE season = 2024 AND session = 'race'`).run();
  db.prepare('DELETE FROM races WHERE year = 2024').run();
  db.prepare('DELETE FROM seasons WHERE year = 2024').run();
  db.prepare(`DELETE FROM drivers WHERE driver_ref = 'bearman'`).run();
  return db;
}

const fmt = (s: number) => `${Math.floor(s / 60)}:${(s % 60).toFixed(3).padStart(6, '0')}`;
const fakeLaps = (): FakeLap[] =>
  (truth
    .prepare(`SELECT season, round, lap_number AS lap, driver_ref AS driverRef, position, lap_time_s AS t FROM laps
              WHERE season = 2024 AND session = 'race' AND position IS NOT NULL AND lap_time_s IS NOT NULL AND driver_ref IS NOT NULL`)
    .all() as (Omit<FakeLap, 'time'> & { t: number })[]).map(({ t, ...l }) => ({ ...l, time: fmt(t) }));

const Q = {
  results: `SELECT r.round, d.driver_ref, c.constructor_ref, x.number, x.grid, x.position, x.position_text, x.position_order, x.points,
              x.laps, x.time, x.milliseconds, x.fastest_lap, x.rank, x.fastest_lap_time, x.fastest_lap_speed, s.status
            FROM results x JOIN races r USING (race_id) JOIN drivers d USING (driver_id) LEFT JOIN constructors c USING (constructor_id)
            LEFT JOIN status s USING (status_id) WHERE r.year = 2024 ORDER BY r.round, x.position_order`,
  sprint: `SELECT r.round, d.driver_ref, c.constructor_ref, x.number, x.grid, x.position, x.position_text, x.position_order, x.points,
             x.laps, x.time, x.milliseconds, x.fastest_lap, x.fastest_lap_time, s.status
           FROM sprint_results x JOIN races r USING (race_id) JOIN drivers d USING (driver_id) LEFT JOIN constructors c USING (constructor_id)
           LEFT JOIN status s USING (status_id) WHERE r.year = 2024 ORDER BY r.round, x.position_order`,
  qualifying: `SELECT r.round, d.driver_ref, c.constructor_ref, q.number, q.position, q.q1, q.q2, q.q3, q.best_ms
               FROM qualifying q JOIN races r USING (race_id) JOIN drivers d USING (driver_id) LEFT JOIN constructors c USING (constructor_id)
               WHERE r.year = 2024 ORDER BY r.round, q.position`,
  pit_stops: `SELECT r.round, d.driver_ref, p.stop, p.lap, p.time, p.duration, p.milliseconds FROM pit_stops p JOIN races r USING (race_id)
              JOIN drivers d USING (driver_id) WHERE r.year = 2024 ORDER BY r.round, d.driver_ref, p.stop`,
  driver_standings: `SELECT r.round, d.driver_ref, s.points, s.position, s.position_text, s.wins FROM driver_standings s JOIN races r USING (race_id)
                     JOIN drivers d USING (driver_id) WHERE r.year = 2024 ORDER BY r.round, s.position`,
  constructor_standings: `SELECT r.round, c.constructor_ref, s.points, s.position, s.position_text, s.wins FROM constructor_standings s
                          JOIN races r USING (race_id) JOIN constructors c USING (constructor_id) WHERE r.year = 2024 ORDER BY r.round, s.position`,
  races: `SELECT r.round, r.name, c.circuit_ref, r.date, r.time, r.fp1_date, r.fp1_time, r.quali_date, r.sprint_date, r.sprint_time, r.start_utc
          FROM races r JOIN circuits c USING (circuit_id) WHERE r.year = 2024 ORDER BY r.round`,
};
const rows = (db: Db, q: string) => db.prepare(q).all();
const perRace = (db: Db) =>
  new Map((db.prepare('SELECT r.round, COUNT(x.result_id) AS n FROM races r LEFT JOIN results x USING (race_id) WHERE r.year = 2024 GROUP BY r.round').all() as { round: number; n: number }[]).map((r) => [r.round, r.n]));

describe('update from a fake Jolpica', () => {
  const laps = fakeLaps();
  let fake: Awaited<ReturnType<typeof startFakeJolpica>>;
  let db: Db;
  let opts: UpdateOptions;
  beforeAll(async () => {
    fake = await startFakeJolpica({ ergastDir: ERGAST_DIR, minSeason: 2024, laps, throttleEvery: 40, burst429: 2 });
    db = without2024();
    opts = { seasons: [2024], baseUrl: fake.url, cacheDir: mkdtempSync(join(tmpdir(), 'pitwall-cache-')), http: QUICK };
  });
  afterAll(() => fake.close());

  it('round trip: 2024 into a database without it equals the CSV import, row by row', async () => {
    const maxDriver = db.prepare('SELECT MAX(driver_id) FROM drivers').pluck().get() as number;
    const r = await updateFromJolpica(db, opts);
    expect(r).toMatchObject({ source: 'jolpica', seasons: [2024], races: 24 });
    expect(r.results).toBe((truth.prepare(`SELECT COUNT(*) FROM results JOIN races USING (race_id) WHERE year = 2024`).pluck().get()));
    expect(r.laps).toBe(laps.length);
    expect(fake.log.length).toBeGreaterThan(r.requests - 1);
    for (const [name, q] of Object.entries(Q)) expect(rows(db, q), name).toEqual(rows(truth, q));
    // Lap timings land in the laps table under the driver's code, to the millisecond.
    const lapQ = `SELECT round, driver, driver_ref, lap_number, position, ROUND(lap_time_s, 3) AS t FROM laps WHERE season = 2024 AND session = 'race'
                  AND position IS NOT NULL AND lap_time_s IS NOT NULL ORDER BY round, driver, lap_number`;
    expect(rows(db, lapQ)).toEqual(rows(truth, lapQ));
    // bearman was unknown: a new id, linked everywhere.
    const b = db.prepare(`SELECT driver_id, code, forename FROM drivers WHERE driver_ref = 'bearman'`).get() as { driver_id: number; code: string; forename: string };
    expect(b).toEqual({ driver_id: maxDriver + 1, code: 'BEA', forename: 'Oliver' });
    // 429 bursts were met and waited out.
    expect(fake.log.length).toBeGreaterThan(r.requests * 0.9);
  });

  it('after the update, predictions logged for the new races join to their outcomes', async () => {
    logPredictions(db, {
      model: 'race-winner', version: 1,
      rows: [
        { race: '2024-1', driver: 'max_verstappen', features: {}, output: 0.6 },
        { race: '2024-1', driver: 'leclerc', features: {}, output: 0.2 },
      ],
    });
    const a = await afterUpdate(db);
    expect(a.outcomes?.joined).toBe(2);
    const got = db.prepare(`SELECT driver, actual FROM monitor_predictions WHERE season = 2024 AND round = 1 ORDER BY driver`).all();
    expect(got).toEqual([{ driver: 'leclerc', actual: 0 }, { driver: 'max_verstappen', actual: 1 }]);
  });

  it('a re-run fetches nothing new; --offline --refresh replays the cache and rewrites the same rows', async () => {
    const before = fake.log.length;
    const again = await updateFromJolpica(db, opts);
    expect(again).toMatchObject({ races: 0, results: 0, requests: 1 });
    expect(fake.log.length - before).toBe(1);
    const off = await updateFromJolpica(db, { ...opts, offline: true, refresh: true });
    expect(off).toMatchObject({ races: 24, requests: 0 });
    expect(off.cached).toBeGreaterThan(24 * 5);
    expect(fake.log.length - before).toBe(1);
    for (const [name, q] of Object.entries(Q)) expect(rows(db, q), name).toEqual(rows(truth, q));
  });
});

describe('interrupted and broken updates', () => {
  it('a server that dies mid-update leaves whole races only, and a re-run completes', async () => {
    const db = without2024();
    const cacheDir = mkdtempSync(join(tmpdir(), 'pitwall-cache-'));
    // Pages of 7 rows: every race's results span three pages.
    const first = await startFakeJolpica({ ergastDir: ERGAST_DIR, minSeason: 2024, maxLimit: 7, dieAfter: 120 });
    const opts: UpdateOptions = { seasons: [2024], baseUrl: first.url, cacheDir, http: { ...QUICK, retries: 1 } };
    await expect(updateFromJolpica(db, opts)).rejects.toThrow(/failed after 2 attempts.* while updating 2024 round \d+ .*run the update again to resume/);
    await first.close();
    const want = perRace(truth);
    const got = perRace(db);
    const written = [...got].filter(([, n]) => n > 0);
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(24);
    for (const [round, n] of written) expect(n, `round ${round}`).toBe(want.get(round));
    const second = await startFakeJolpica({ ergastDir: ERGAST_DIR, minSeason: 2024, maxLimit: 7, port: first.port });
    const r = await updateFromJolpica(db, opts);
    await second.close();
    expect(r.races).toBe(24 - written.length);
    expect(perRace(db)).toEqual(want);
    expect(rows(db, Q.results)).toEqual(rows(truth, Q.results));
    expect(rows(db, Q.pit_stops)).toEqual(rows(truth, Q.pit_stops));
  });

  it('malformed JSON names the URL and the race, and nothing of that race is written', async () => {
    const db = without2024();
    const fake = await startFakeJolpica({ ergastDir: ERGAST_DIR, minSeason: 2024, corrupt: /\/2024\/3\/qualifying/ });
    const opts: UpdateOptions = { seasons: [2024], baseUrl: fake.url, cacheDir: mkdtempSync(join(tmpdir(), 'pitwall-cache-')), http: QUICK };
    await expect(updateFromJolpica(db, opts)).rejects.toThrow(
      new RegExp(`jolpica: malformed JSON .*\\(${fake.url}/2024/3/qualifying.json\\?limit=100&offset=0\\) while updating 2024 round 3 \\(Australian Grand Prix\\)`),
    );
    await fake.close();
    const got = perRace(db);
    expect([got.get(1)! > 0, got.get(2)! > 0, got.get(3), got.get(4)]).toEqual([true, true, 0, 0]);
  });
});
