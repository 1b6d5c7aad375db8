import { describe, expect, it } from 'vitest';
import { dbCopy } from '../../../../tests/helpers/db.js';
import type { Db } from '../../data/db.js';
import { FeatureStore } from '../store.js';
import { raceTimeline } from '../races.js';
import { racePace } from './race_pace.js';

/** Brute force from the laps table: each car's deficit (%) in every race strictly before `before`, by SQL + plain JS. */
function bruteDeficits(
  db: Db,
  before: { year: number; round: number },
): { race: string; driver: string; team: string; deficit: number }[] {
  const rows = db
    .prepare(
      `WITH t AS (SELECT season, round, MAX(lap_number) AS n FROM laps WHERE session = 'race' AND season >= @from
           GROUP BY season, round)
       SELECT l.season, l.round, l.driver_ref, l.lap_number, l.lap_time_s,
         MAX(t.n, (SELECT MAX(y.laps) FROM results y WHERE y.race_id = r.race_id)) AS total, k.constructor_ref AS team
       FROM laps l JOIN t ON t.season = l.season AND t.round = l.round
       JOIN races r ON r.year = l.season AND r.round = l.round
       JOIN results x ON x.race_id = r.race_id JOIN drivers d ON d.driver_id = x.driver_id AND d.driver_ref = l.driver_ref
       JOIN constructors k ON k.constructor_id = x.constructor_id
       WHERE l.session = 'race' AND l.track_status = '1' AND l.pit_in_s IS NULL AND l.pit_out_s IS NULL
         AND l.is_accurate = 1 AND l.lap_number > 1 AND l.compound IN ('SOFT', 'MEDIUM', 'HARD') AND l.lap_time_s > 0
         AND (l.season < @year OR (l.season = @year AND l.round < @round)) AND l.season >= @from`,
    )
    .all({ year: before.year, round: before.round, from: before.year - 1 }) as {
    season: number;
    round: number;
    driver_ref: string;
    lap_number: number;
    lap_time_s: number;
    total: number;
    team: string;
  }[];
  const cars = new Map<string, { race: string; driver: string; team: string; fc: number[] }>();
  for (const r of rows) {
    const key = `${r.season}-${r.round}|${r.driver_ref}`;
    let c = cars.get(key);
    if (!c)
      cars.set(key, (c = { race: `${r.season}-${r.round}`, driver: r.driver_ref, team: r.team, fc: [] }));
    c.fc.push(r.lap_time_s - 0.03 * 110 * (1 - (r.lap_number - 1) / r.total));
  }
  const med = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const ok = [...cars.values()].filter((c) => c.fc.length >= 5).map((c) => ({ ...c, m: med(c.fc) }));
  const best = new Map<string, number>();
  for (const c of ok) best.set(c.race, Math.min(best.get(c.race) ?? Infinity, c.m));
  return ok.map((c) => ({
    race: c.race,
    driver: c.driver,
    team: c.team,
    deficit: ((c.m - best.get(c.race)!) / best.get(c.race)!) * 100,
  }));
}

const order = (race: string) =>
  race
    .split('-')
    .map(Number)
    .reduce((y, r) => y * 100 + r);
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('race_pace view', () => {
  it('gives, at a race start, the driver’s and team’s pace deficits of earlier races only (brute force from laps)', () => {
    const { db } = dbCopy();
    const store = new FeatureStore(db, { views: [racePace] });
    store.materialize({ full: true });
    const refs = racePace.fields.map((f) => `race_pace:${f.name}`);
    const tl = raceTimeline(db);
    // Miami 2024 (Norris's first win, from P5) and, after it, Imola
    const miami = tl.find((r) => r.key === '2024-6')!;
    const next = tl.find((r) => r.key === '2024-7')!;
    const hist = store.getHistoricalFeatures(
      [
        { driver: 'norris', event_timestamp: miami.startMs },
        { driver: 'norris', event_timestamp: miami.endMs + 1 },
        { driver: 'norris', event_timestamp: next.startMs },
        { driver: 'hamilton', event_timestamp: tl.find((r) => r.key === '2017-10')!.startMs },
      ],
      refs,
    );
    const v = (row: number, name: string) =>
      hist.values[row]![refs.indexOf(`race_pace:${name}`)] as number | null;
    const past = bruteDeficits(db, { year: 2024, round: 6 }).sort((a, b) => order(a.race) - order(b.race));
    const mine = past.filter((c) => c.driver === 'norris').map((c) => c.deficit);
    const teamByRace = new Map<string, number>();
    for (const c of past.filter((x) => x.team === 'mclaren'))
      teamByRace.set(c.race, Math.min(teamByRace.get(c.race) ?? Infinity, c.deficit));
    const team = [...teamByRace.values()];
    expect(mine.length).toBeGreaterThanOrEqual(5);
    expect(v(0, 'has_pace_data')).toBe(1);
    expect(v(0, 'driver_pace_deficit_last_3')!).toBeCloseTo(avg(mine.slice(-3)), 6);
    expect(v(0, 'driver_pace_deficit_last_5')!).toBeCloseTo(avg(mine.slice(-5)), 6);
    expect(v(0, 'team_pace_deficit_last_5')!).toBeCloseTo(avg(team.slice(-5)), 6);
    // after Miami ends the race is included (and stays so at the next start)
    const withMiami = bruteDeficits(db, { year: 2024, round: 7 })
      .filter((c) => c.driver === 'norris')
      .map((c) => c.deficit);
    expect(withMiami.length).toBe(mine.length + 1);
    expect(v(1, 'driver_pace_deficit_last_3')!).toBeCloseTo(avg(withMiami.slice(-3)), 6);
    expect(v(2, 'driver_pace_deficit_last_3')).toBe(v(1, 'driver_pace_deficit_last_3'));
    expect(v(1, 'driver_pace_deficit_last_3')).not.toBe(v(0, 'driver_pace_deficit_last_3'));
    // no lap data before 2018
    expect(v(3, 'has_pace_data')).toBe(0);
    expect(v(3, 'team_pace_deficit_last_3')).toBeNull();
    db.close();
  });
});
