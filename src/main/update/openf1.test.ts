// `update --source openf1` against a fake OpenF1 on 127.0.0.1 whose records are built from bundled 2024 races: the
// round trip gives back the bundled laps (compound, tyre life, stint, pit in/out, positions) and classification; a
// race Jolpica has not published is created; a dying server leaves whole races; malformed JSON names URL and race.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbCopy, sharedDb } from '../../../tests/helpers/db.js';
import { PROJECT_ROOT } from '../../../tests/helpers/data.js';
import { mergeOpenF1, openF1Race, startFakeOpenF1, type FakeOpenF1 } from '../../../tests/helpers/fake-openf1.js';
import { openDb, type Db } from '../data/db.js';
import { HttpClient } from './http.js';
import { endpointUrl, fetchEndpoint, type ORaceControl } from './openf1.js';
import { trackStatusChanges } from './openf1-laps.js';
import { updateFromOpenF1, type OpenF1Options } from './openf1-update.js';

const truth = sharedDb();
const QUICK = { backoffMs: 1, retries: 1, limits: [] };
const ROUNDS = [16, 17, 18];
const KEY = (round: number) => 9000 + round;
const data = mergeOpenF1(...ROUNDS.map((r) => openF1Race(truth, 2024, r, KEY(r))));

/** A copy without 2024 rounds `gone` (as if Jolpica had not published them), and without the laps of `noLaps`. */
function copyWithout(gone: number[], noLaps: number[] = []): Db {
  const { db } = dbCopy();
  for (const round of gone) {
    const race = `(SELECT race_id FROM races WHERE year = 2024 AND round = ${round})`;
    for (const t of ['results', 'sprint_results', 'qualifying', 'pit_stops', 'driver_standings', 'constructor_standings', 'constructor_results'])
      db.prepare(`DELETE FROM ${t} WHERE race_id = ${race}`).run();
    db.prepare(`DELETE FROM races WHERE year = 2024 AND round = ?`).run(round);
  }
  for (const round of [...gone, ...noLaps]) db.prepare(`DELETE FROM laps WHERE season = 2024 AND round = ?`).run(round);
  return db;
}

const LAPS = `SELECT driver, driver_ref, lap_number, ROUND(time_s, 3) AS t, ROUND(lap_time_s, 3) AS lap_time, stint, compound, tyre_life,
                     pit_in_s IS NOT NULL AS pit_in, pit_out_s IS NOT NULL AS pit_out, position
              FROM laps WHERE season = 2024 AND round = ? AND session = 'race' ORDER BY driver, lap_number`;
const RESULTS = `SELECT d.driver_ref, x.number, x.grid, x.position, x.position_order, x.points, x.laps, x.milliseconds, c.constructor_ref
                 FROM results x JOIN races r USING (race_id) JOIN drivers d USING (driver_id) JOIN constructors c USING (constructor_id)
                 WHERE r.year = 2024 AND r.round = ? ORDER BY x.position_order`;
const rows = (db: Db, q: string, round: number) => db.prepare(q).all(round);
/** The bundled laps OpenF1 can give back: a car's last lap without a lap time has no end (no next lap starts). */
const lapsBack = (round: number) =>
  (rows(truth, LAPS, round) as { driver: string; lap_number: number; lap_time: number | null }[]).filter(
    (l, i, all) => l.lap_time !== null || all[i + 1]?.driver === l.driver,
  );
const opts = (url: string, extra: Partial<OpenF1Options> = {}): OpenF1Options => ({
  seasons: [2024], baseUrl: url, cacheDir: mkdtempSync(join(tmpdir(), 'pitwall-openf1-')), http: QUICK, now: Date.parse('2026-12-01'), ...extra,
});

describe('OpenF1 endpoints', () => {
  let fake: FakeOpenF1;
  beforeAll(async () => {
    fake = await startFakeOpenF1({ data });
  });
  afterAll(() => fake.close());

  it('filters go in the query string: a repeated key is OR, operators compare, session_key=latest', async () => {
    expect(endpointUrl('https://api.openf1.org/v1/', 'laps', { session_key: 9839, driver_number: [1, 44], 'date>=': '2024-09-22T12:00:00' })).toBe(
      'https://api.openf1.org/v1/laps?session_key=9839&driver_number=1&driver_number=44&date>=2024-09-22T12%3A00%3A00',
    );
    const api = { http: new HttpClient({ source: 'openf1', cacheDir: mkdtempSync(join(tmpdir(), 'pitwall-openf1-')), ...QUICK }), baseUrl: fake.url };
    const latest = await fetchEndpoint(api, 'sessions', { session_key: 'latest' });
    expect(latest.map((s) => s.session_key)).toEqual([KEY(18)]);
    const two = await fetchEndpoint(api, 'laps', { session_key: KEY(18), driver_number: [1, 44], lap_number: 10 });
    expect(two.map((l) => l.driver_number).sort((a, b) => a - b)).toEqual([1, 44]);
    const late = await fetchEndpoint(api, 'position', { session_key: KEY(18), driver_number: 1, 'date>=': two.find((l) => l.driver_number === 1)!.date_start! });
    const all = await fetchEndpoint(api, 'position', { session_key: KEY(18), driver_number: 1 });
    expect(late.length).toBeGreaterThan(0);
    expect(late.length).toBeLessThan(all.length);
    expect(await fetchEndpoint(api, 'pit', { session_key: 1 })).toEqual([]); // 404 "No results found." is an empty list
  });

  it('round trip: a race Jolpica has not published is created, its laps and classification equal the bundled ones', async () => {
    const db = copyWithout([18]);
    const maxRace = db.prepare('SELECT MAX(race_id) FROM races').pluck().get() as number;
    const r = await updateFromOpenF1(db, opts(fake.url, { sessionKey: KEY(18) }));
    expect(r).toMatchObject({ source: 'openf1', seasons: [2024], races: 1 });
    const race = db.prepare(`SELECT race_id, round, name, date FROM races WHERE year = 2024 AND round = 18`).get();
    expect(race).toEqual({ race_id: maxRace + 1, round: 18, name: 'Singapore Grand Prix', date: '2024-09-22' });
    const got = rows(db, LAPS, 18);
    const want = rows(truth, LAPS, 18);
    expect(got.length).toBeGreaterThan(1000);
    expect(got).toEqual(want);
    expect(want).toEqual(lapsBack(18));
    expect(rows(db, RESULTS, 18)).toEqual(rows(truth, RESULTS, 18));
    // Track status comes from race control: the leader's safety-car laps are marked.
    const sc = (d: Db) => d.prepare(`SELECT lap_number FROM laps WHERE season = 2024 AND round = 18 AND position = 1 AND track_status LIKE '%4%'`).pluck().all();
    expect(sc(db)).toEqual(sc(truth));
  });

  it('a race the database has keeps its Jolpica results; only the laps are written; a re-run fetches the session list only', async () => {
    const db = copyWithout([], [17]);
    const o = opts(fake.url, { sessionKey: KEY(17) });
    const before = rows(db, RESULTS, 17);
    const r = await updateFromOpenF1(db, o);
    expect(r).toMatchObject({ races: 1, results: 0, pit_stops: 0 });
    expect(rows(db, RESULTS, 17)).toEqual(before);
    expect(rows(db, LAPS, 17)).toEqual(lapsBack(17));
    expect(rows(truth, LAPS, 17).length - lapsBack(17).length).toBe(18); // Baku ended under the VSC: last laps untimed
    const n = fake.log.length;
    const again = await updateFromOpenF1(db, o);
    expect([again.laps, fake.log.length - n]).toEqual([0, 1]);
  });
});

describe('track status from race control', () => {
  it('SC, VSC and VSC ending, red, sector yellows and their clears, in order; driver flags and DRS ignored', () => {
    const at = (s: number) => new Date(Date.UTC(2024, 8, 22, 12, 0, s)).toISOString();
    const m = (s: number, x: Partial<ORaceControl>): ORaceControl => ({ session_key: 1, date: at(s), category: 'Other', message: '', ...x });
    const rc = [
      m(1, { category: 'Flag', flag: 'YELLOW', scope: 'Sector', sector: 4, message: 'YELLOW IN TRACK SECTOR 4' }),
      m(2, { category: 'Flag', flag: 'DOUBLE YELLOW', scope: 'Sector', sector: 5, message: 'DOUBLE YELLOW IN TRACK SECTOR 5' }),
      m(3, { category: 'Flag', flag: 'CLEAR', scope: 'Sector', sector: 4, message: 'CLEAR IN TRACK SECTOR 4' }),
      m(4, { category: 'Flag', flag: 'CLEAR', scope: 'Sector', sector: 5, message: 'CLEAR IN TRACK SECTOR 5' }),
      m(5, { category: 'Flag', flag: 'BLUE', scope: 'Driver', driver_number: 2, message: 'WAVED BLUE FLAG FOR CAR 2' }),
      m(6, { category: 'Drs', message: 'DRS DISABLED' }),
      m(7, { category: 'SafetyCar', message: 'SAFETY CAR DEPLOYED' }),
      m(8, { category: 'SafetyCar', message: 'SAFETY CAR IN THIS LAP' }),
      m(9, { category: 'Flag', flag: 'GREEN', scope: 'Track', message: 'TRACK CLEAR' }),
      m(10, { category: 'SafetyCar', message: 'VIRTUAL SAFETY CAR DEPLOYED' }),
      m(11, { category: 'SafetyCar', message: 'VIRTUAL SAFETY CAR ENDING' }),
      m(12, { category: 'Flag', flag: 'GREEN', scope: 'Track', message: 'TRACK CLEAR' }),
      m(13, { category: 'Flag', flag: 'RED', scope: 'Track', message: 'RED FLAG' }),
    ];
    expect(trackStatusChanges(rc.reverse()).map((c) => c.code)).toEqual(['2', '1', '4', '1', '6', '7', '1', '5']);
  });
});

describe('an OpenF1 qualifying session', () => {
  it('fills the qualifying table of a race that lacks it, equal to the bundled one', async () => {
    const fake = await startFakeOpenF1({ data });
    const db = copyWithout([]);
    const Q = `SELECT d.driver_ref, q.number, q.position, q.q1, q.q2, q.q3, q.best_ms FROM qualifying q JOIN races r USING (race_id)
               JOIN drivers d USING (driver_id) WHERE r.year = 2024 AND r.round = ? ORDER BY q.position`;
    db.prepare(`DELETE FROM qualifying WHERE race_id = (SELECT race_id FROM races WHERE year = 2024 AND round = 18)`).run();
    const r = await updateFromOpenF1(db, opts(fake.url, { sessionKey: KEY(18) - 1000 }));
    await fake.close();
    expect(r).toMatchObject({ races: 1, qualifying: 20, laps: 0 });
    expect(rows(db, Q, 18)).toEqual(rows(truth, Q, 18));
  });
});

describe('pitwall update --source openf1', () => {
  it('prints the report as JSON (sessions, meetings and 8 endpoints: 10 requests); the laps are in the database', async () => {
    const fake = await startFakeOpenF1({ data });
    const { db, file } = dbCopy();
    db.prepare(`DELETE FROM laps WHERE season = 2024 AND round = 16`).run();
    db.close();
    const args = ['bin/pitwall.mjs', 'update', '--source', 'openf1', '--session-key', String(KEY(16)), '--base-url', fake.url, '--db', file, '--json'];
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: PROJECT_ROOT });
    await fake.close();
    expect(JSON.parse(stdout)).toEqual({ source: 'openf1', seasons: [2024], races: 1, results: 0, qualifying: 0, pit_stops: 0, laps: lapsBack(16).length, requests: 10, cached: 0 });
    const after = openDb(file);
    expect(rows(after, LAPS, 16)).toEqual(lapsBack(16));
    after.close();
  });
});

describe('interrupted and broken OpenF1 updates', () => {
  it('a server that dies mid-season leaves whole races only, and a re-run completes', async () => {
    const db = copyWithout(ROUNDS);
    const first = await startFakeOpenF1({ data, dieAfter: 14 });
    const o = opts(first.url);
    await expect(updateFromOpenF1(db, o)).rejects.toThrow(/openf1: failed after 2 attempts.* while updating 2024 round 17 .*run the update again to resume/);
    await first.close();
    const count = (round: number) => db.prepare(`SELECT (SELECT COUNT(*) FROM laps WHERE season = 2024 AND round = ?) + (SELECT COUNT(*) FROM results x JOIN races r USING (race_id) WHERE r.year = 2024 AND r.round = ?)`).pluck().get(round, round) as number;
    expect(count(16)).toBe(lapsBack(16).length + rows(truth, RESULTS, 16).length);
    expect([count(17), count(18)]).toEqual([0, 0]);
    const second = await startFakeOpenF1({ data, port: first.port });
    const r = await updateFromOpenF1(db, o);
    await second.close();
    expect(r.races).toBe(2);
    for (const round of ROUNDS) {
      expect(rows(db, LAPS, round), `round ${round}`).toEqual(lapsBack(round));
      expect(rows(db, RESULTS, round), `round ${round}`).toEqual(rows(truth, RESULTS, round));
    }
  });

  it('malformed JSON names the URL and the race, and nothing of that race is written', async () => {
    const db = copyWithout([18]);
    const fake = await startFakeOpenF1({ data, corrupt: /stints\?session_key=9018/ });
    await expect(updateFromOpenF1(db, opts(fake.url, { sessionKey: KEY(18) }))).rejects.toThrow(
      new RegExp(`openf1: malformed JSON .*\\(${fake.url}/stints\\?session_key=9018\\) while updating 2024 round 18 \\(Singapore Grand Prix, Race\\)`),
    );
    await fake.close();
    expect(db.prepare('SELECT COUNT(*) FROM races WHERE year = 2024 AND round = 18').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM laps WHERE season = 2024 AND round = 18').pluck().get()).toBe(0);
  });
});
