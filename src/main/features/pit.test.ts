// Point-in-time correctness on the real data: store values vs brute force from the raw tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbCopy } from '../../../tests/helpers/db.js';
import type { Db } from '../data/db.js';
import { FeatureStore } from './store.js';
import { driverForm } from './views/driver_form.js';
import { raceContext } from './views/race_context.js';
import { raceEntry } from './views/race_entry.js';
import { teamForm } from './views/team_form.js';

let db: Db;
let store: FeatureStore;
beforeAll(() => {
  db = dbCopy().db;
  store = new FeatureStore(db, { views: [driverForm, teamForm, raceEntry, raceContext] });
});
afterAll(() => db.close());

interface Pick {
  race_id: number;
  driver_id: number;
  driver: string;
  race: string;
  start: string;
  circuit_id: number;
  year: number;
  constructor_id: number;
}

/** Seeded random (driver, race) entries since 1980 (no shared drives). */
function picks(n: number, seed: number): Pick[] {
  const all = db
    .prepare(
      `SELECT x.race_id, x.driver_id, d.driver_ref AS driver, r.year || '-' || r.round AS race, r.start_utc AS start,
         r.circuit_id, r.year, x.constructor_id
       FROM results x JOIN races r USING (race_id) JOIN drivers d USING (driver_id) WHERE r.year >= 1980 ORDER BY x.result_id`,
    )
    .all() as Pick[];
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: n }, () => all[Math.floor(rand() * all.length)]!);
}

/** The driver's results of races that started before `before` (or at/before with `incl`), oldest first. */
function pastResults(p: Pick, incl: boolean) {
  return db
    .prepare(
      `SELECT x.position_order, x.position, q.position AS quali, r.circuit_id
       FROM results x JOIN races r USING (race_id) LEFT JOIN qualifying q ON q.race_id = x.race_id AND q.driver_id = x.driver_id
       WHERE x.driver_id = ? AND r.start_utc ${incl ? '<=' : '<'} ? ORDER BY r.start_utc, x.result_id`,
    )
    .all(p.driver_id, p.start) as {
    position_order: number;
    position: number | null;
    quali: number | null;
    circuit_id: number;
  }[];
}

const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

function bruteDriverForm(p: Pick, incl: boolean) {
  const past = pastResults(p, incl);
  const last5 = past.slice(-5);
  const last10 = past.slice(-10);
  const prevRace = db
    .prepare(
      `SELECT race_id FROM races WHERE year = ? AND start_utc ${incl ? '<=' : '<'} ? ORDER BY start_utc DESC LIMIT 1`,
    )
    .pluck()
    .get(p.year, p.start) as number | undefined;
  const pts = prevRace
    ? ((db
        .prepare('SELECT points FROM driver_standings WHERE race_id = ? AND driver_id = ?')
        .pluck()
        .get(prevRace, p.driver_id) as number | undefined) ?? 0)
    : 0;
  return {
    avg_finish_last_5: avg(last5.map((r) => r.position_order)),
    avg_quali_last_5: avg(
      past
        .filter((r) => r.quali !== null)
        .slice(-5)
        .map((r) => r.quali!),
    ),
    dnf_rate_last_10: last10.length ? last10.filter((r) => r.position === null).length / last10.length : null,
    wins_at_circuit: past.filter((r) => r.circuit_id === p.circuit_id && r.position === 1).length,
    championship_points_before: pts,
  };
}

const FORM = [
  'avg_finish_last_5',
  'avg_quali_last_5',
  'dnf_rate_last_10',
  'wins_at_circuit',
  'championship_points_before',
] as const;
const DAY = 86_400_000;

function expectClose(got: unknown, want: number | null, what: string) {
  if (want === null) expect(got, what).toBeNull();
  else {
    expect(typeof got, what).toBe('number');
    expect(got as number, what).toBeCloseTo(want, 9);
  }
}

describe('point-in-time correctness (real data)', () => {
  it('driver_form at a race start equals brute force over strictly earlier races; a day later it includes the race', () => {
    const ps = picks(100, 11);
    const refs = FORM.map((f) => `driver_form:${f}`);
    const at = (dt: number) =>
      store.getHistoricalFeatures(
        ps.map((p) => ({ driver: p.driver, event_timestamp: Date.parse(p.start) + dt })),
        refs,
      ).values;
    const before = at(0);
    const after = at(DAY);
    ps.forEach((p, i) => {
      const b = bruteDriverForm(p, false);
      const a = bruteDriverForm(p, true);
      FORM.forEach((f, j) => {
        expectClose(before[i]![j], b[f], `${p.driver} ${p.race} before: ${f}`);
        // championship points a day later are those after this race; the others include it too
        expectClose(after[i]![j], a[f], `${p.driver} ${p.race} after: ${f}`);
      });
    });
    // The race's own result changes something for at least most picks (the test can fail).
    const changed = ps.filter((_, i) => before[i]![0] !== after[i]![0]).length;
    expect(changed).toBeGreaterThan(ps.length / 2);
  });

  it('race_entry and team_form match the raw grid, qualifying and constructor standings before the race', () => {
    const ps = picks(80, 5).filter((p) => p.year >= 2000);
    const r = store.getHistoricalFeatures(
      ps.map((p) => ({ race: p.race, driver: p.driver, event_timestamp: p.start })),
      [
        'race_entry:grid_position',
        'race_entry:quali_position',
        'race_entry:quali_gap_pct',
        'team_form:constructor_position',
        'team_form:constructor_points_before',
      ],
    );
    ps.forEach((p, i) => {
      const [grid, qpos, gap, cpos, cpts] = r.values[i]!;
      const x = db
        .prepare('SELECT grid FROM results WHERE race_id = ? AND driver_id = ?')
        .get(p.race_id, p.driver_id) as { grid: number };
      // a pit-lane start (Ergast grid 0) counts as the last slot: the number of drivers entered
      const entered = db.prepare('SELECT COUNT(DISTINCT driver_id) FROM results WHERE race_id = ?').pluck().get(p.race_id) as number;
      expect(grid, `${p.race} ${p.driver} grid`).toBe(x.grid > 0 ? x.grid : entered);
      const q = db
        .prepare('SELECT position, best_ms FROM qualifying WHERE race_id = ? AND driver_id = ?')
        .get(p.race_id, p.driver_id) as { position: number; best_ms: number | null } | undefined;
      expect(qpos).toBe(q?.position ?? null);
      const pole = db
        .prepare('SELECT MIN(best_ms) FROM qualifying WHERE race_id = ? AND best_ms > 0')
        .pluck()
        .get(p.race_id) as number | null;
      expectClose(gap, q?.best_ms && pole ? (q.best_ms / pole - 1) * 100 : null, `${p.race} ${p.driver} gap`);
      const prev = db
        .prepare('SELECT race_id FROM races WHERE year = ? AND start_utc < ? ORDER BY start_utc DESC LIMIT 1')
        .pluck()
        .get(p.year, p.start) as number | undefined;
      const st = prev
        ? (db
            .prepare(
              'SELECT points, position FROM constructor_standings WHERE race_id = ? AND constructor_id = ?',
            )
            .get(prev, p.constructor_id) as { points: number; position: number } | undefined)
        : undefined;
      expect(cpos).toBe(st?.position ?? null);
      expectClose(cpts, st?.points ?? 0, `${p.race} ${p.driver} constructor points`);
    });
  });

  it('online values are the latest point-in-time values', () => {
    const drivers = [...new Set(picks(40, 9).map((p) => p.driver))].map((driver) => ({ driver }));
    const refs = [
      'driver_form:avg_finish_last_5',
      'driver_form:rating',
      'team_form:constructor',
      'team_form:constructor_position',
    ];
    const online = store.getOnlineFeatures(refs, drivers).values;
    const hist = store.getHistoricalFeatures(
      drivers.map((d) => ({ ...d, event_timestamp: '2100-01-01T00:00:00Z' })),
      refs,
    ).values;
    expect(online).toEqual(hist);
    expect(online.filter((r) => typeof r[2] === 'string').length).toBe(drivers.length);
  });

  it('a value planted with a late created_at does not leak into earlier queries', () => {
    const p = picks(1, 3)[0]!;
    const end = store.getHistoricalFeatures(
      [{ driver: p.driver, event_timestamp: Date.parse(p.start) + DAY }],
      ['driver_form:avg_finish_last_5'],
    );
    const original = end.values[0]![0];
    // Find the row the query used and plant a correction two days later.
    const row = db
      .prepare(
        `SELECT event_timestamp FROM "${end.refs[0]!.table}" WHERE entity_key = ? AND event_timestamp <= ? ORDER BY event_timestamp DESC LIMIT 1`,
      )
      .get(p.driver, Date.parse(p.start) + DAY) as { event_timestamp: number };
    // known a day after the race (after the query above), an hour after that
    const at = Math.max(row.event_timestamp, Date.parse(p.start) + DAY) + 3_600_000;
    store.push(
      'driver_form',
      [{ driver: p.driver, event_timestamp: row.event_timestamp, avg_finish_last_5: 99 }],
      at,
    );
    const q = (t: number) =>
      store.getHistoricalFeatures(
        [{ driver: p.driver, event_timestamp: t }],
        ['driver_form:avg_finish_last_5'],
      ).values[0]![0];
    expect(q(Date.parse(p.start) + DAY)).toBe(original);
    expect(q(at - 1)).toBe(original);
    const nextStart = db
      .prepare('SELECT MIN(start_utc) FROM races WHERE start_utc > ?')
      .pluck()
      .get(p.start) as string | null;
    expect(nextStart === null || Date.parse(nextStart) > at).toBe(true); // no newer value by then
    expect(q(at)).toBe(99);
  });

  it('a corrected raw result is recorded as a correction: old queries keep the old value', () => {
    // Take the last race's winner and demote them to 20th in the raw data.
    const last = db
      .prepare(
        `SELECT x.result_id, d.driver_ref AS driver, r.start_utc AS start FROM results x JOIN races r USING (race_id)
         JOIN drivers d USING (driver_id) WHERE x.position = 1 ORDER BY r.start_utc DESC LIMIT 1`,
      )
      .get() as { result_id: number; driver: string; start: string };
    const t = Date.parse(last.start) + DAY;
    const ref = ['driver_form:avg_finish_last_5'];
    const before = store.getHistoricalFeatures([{ driver: last.driver, event_timestamp: t }], ref)
      .values[0]![0] as number;
    db.prepare('UPDATE results SET position_order = 20 WHERE result_id = ?').run(last.result_id);
    const now = t + 30 * DAY;
    const rep = new FeatureStore(db, { views: [driverForm] }).materialize({ full: true, now });
    expect(rep.views.find((v) => v.view === 'driver_form')!.corrections).toBeGreaterThan(0);
    expect(
      store.getHistoricalFeatures([{ driver: last.driver, event_timestamp: t }], ref).values[0]![0],
    ).toBe(before);
    expect(
      store.getHistoricalFeatures([{ driver: last.driver, event_timestamp: now }], ref).values[0]![0],
    ).toBeCloseTo(before + 19 / 5, 9);
    expect(store.getOnlineFeatures(ref, [{ driver: last.driver }]).values[0]![0]).toBeCloseTo(
      before + 19 / 5,
      9,
    );
  });
});
