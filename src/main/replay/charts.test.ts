// The charts' data on the real races: only what is completed at the asked time, race times and stints as the lap
// data has them, stops as Ergast has them; and the series (shared/charts.ts) the charts draw from it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lapTimeSeries, pairGap, raceTrace, referencePace, stintRows } from '../../shared/charts.js';
import type { RaceCharts } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { sharedDb } from '../../../tests/helpers/db.js';
import { raceChartsAt } from './charts.js';
import { loadRace, type Race } from './race.js';

let db: Db;
let bahrain: Race;
let melbourne: Race;
beforeAll(() => {
  db = sharedDb();
  bahrain = loadRace(db, 2023, 1);
  melbourne = loadRace(db, 2023, 3);
});
afterAll(() => db?.close());

const atLap = (race: Race, n: number): RaceCharts => raceChartsAt(race.tl, race.tl.leaderTimes[n - 1]!);
/** The laps table's laps of a car (without the phantom lap of a car stopped on track, as the replay reads them). */
const dbLaps = (season: number, round: number, ref: string) =>
  db
    .prepare(
      "SELECT lap_number AS lap, time_s AS t, stint, compound, fresh_tyre AS fresh FROM laps WHERE season = ? AND round = ? AND session = 'race' AND driver_ref = ? AND time_s IS NOT NULL AND NOT (lap_time_s IS NULL AND position IS NULL AND COALESCE(track_status, '0') = '0') ORDER BY lap_number",
    )
    .all(season, round, ref) as { lap: number; t: number; stint: number; compound: string; fresh: number }[];

describe('the charts show only what is completed at the asked time', () => {
  it('Bahrain 2023 at the leader’s lap 20: no car past lap 20, each car’s laps exactly those it finished by then', () => {
    const c = atLap(bahrain, 20);
    expect(c.leaderLaps).toBe(20);
    expect(c.drivers).toHaveLength(20);
    for (const d of c.drivers) {
      const truth = dbLaps(2023, 1, d.driver).filter((l) => l.t <= c.asOf);
      expect(
        d.laps.map((l) => l.lap),
        d.code,
      ).toEqual(truth.map((l) => l.lap));
      expect(Math.max(0, ...d.laps.map((l) => l.lap))).toBeLessThanOrEqual(20);
    }
    expect(Math.max(...c.stints.map((s) => s.toLap))).toBeLessThanOrEqual(20);
    expect(c.stops.every((s) => s.lap <= 20)).toBe(true);
    expect(Math.max(...c.bands.map((b) => b.toLap))).toBe(20);
  });

  it('half a lap later the leader’s lap 21 is in, cars still on lap 21 are not', () => {
    const tl = bahrain.tl;
    const mid = (tl.leaderTimes[19]! + tl.leaderTimes[20]!) / 2;
    const c = raceChartsAt(tl, mid);
    const laps = new Map(c.drivers.map((d) => [d.driver, d.laps.length]));
    for (const d of c.drivers) expect(laps.get(d.driver)).toBe(tl.lapsCompleted(d.driver, mid));
    expect(c.drivers.some((d) => d.laps.at(-1)?.lap === 20)).toBe(true);
  });

  it('race times are the lap data’s line times from the start', () => {
    const c = atLap(bahrain, 57);
    const ver = c.drivers.find((d) => d.driver === 'max_verstappen')!;
    const truth = dbLaps(2023, 1, 'max_verstappen');
    expect(ver.laps).toHaveLength(57);
    for (const l of ver.laps) expect(l.raceTime).toBeCloseTo(truth[l.lap - 1]!.t - bahrain.tl.raceStart, 6);
    // the winner's race time: 1:33:56.736 (Ergast), the start a few seconds before the first lap's start signal
    expect(ver.laps[56]!.raceTime).toBeGreaterThan(5636);
    expect(ver.laps[56]!.raceTime).toBeLessThan(5645);
  });
});

describe('stints and stops at the flag', () => {
  it('Bahrain 2023: a stint per stint of the lap data, its compound and new/used set as the feed says', () => {
    const c = raceChartsAt(bahrain.tl, bahrain.tl.raceEnd); // the last car home
    for (const d of c.drivers) {
      const truth = dbLaps(2023, 1, d.driver);
      const starts = truth.filter((l, i) => i === 0 || l.stint !== truth[i - 1]!.stint);
      const mine = c.stints.filter((s) => s.driver === d.driver);
      expect(
        mine.map((s) => [s.fromLap, s.compound, s.fresh]),
        d.code,
      ).toEqual(starts.map((l) => [l.lap, l.compound, l.fresh === 1]));
      expect(mine.at(-1)!.toLap).toBe(truth.at(-1)!.lap);
    }
    expect(c.stints.length).toBeGreaterThan(50);
    expect(stintRows(c).reduce((n, r) => n + r.stints.length, 0)).toBe(c.stints.length);
  });

  it('Bahrain 2023: each car’s stops are Ergast’s pit stops, on their in-laps', () => {
    const c = raceChartsAt(bahrain.tl, bahrain.tl.raceEnd);
    const ergast = db
      .prepare(
        'SELECT d.driver_ref AS driver, p.lap FROM pit_stops p JOIN drivers d ON d.driver_id = p.driver_id JOIN races r ON r.race_id = p.race_id WHERE r.year = 2023 AND r.round = 1 ORDER BY 1, 2',
      )
      .all() as { driver: string; lap: number }[];
    const mine = [...c.stops]
      .sort((a, b) => a.driver.localeCompare(b.driver) || a.lap - b.lap)
      .map((s) => ({ driver: s.driver, lap: s.lap }));
    expect(mine).toEqual(ergast);
    for (const s of c.stops) {
      const laps = c.drivers.find((d) => d.driver === s.driver)!.laps;
      expect(laps.find((l) => l.lap === s.lap)?.pit).toBe('in');
    }
  });
});

describe('the series the charts draw', () => {
  it('race trace: the reference car ends on 0, and two cars’ traces differ by their gap at the line', () => {
    const c = atLap(bahrain, 30);
    const leader = raceTrace(c, { kind: 'leader' });
    expect(leader.rows[30]!.max_verstappen).toBeCloseTo(0, 3);
    expect(leader.pace).toBeCloseTo(
      c.drivers.find((d) => d.driver === 'max_verstappen')!.laps[29]!.raceTime / 30,
      6,
    );
    const ham = raceTrace(c, { kind: 'driver', driver: 'hamilton' });
    const hamLast = c.drivers.find((d) => d.driver === 'hamilton')!.laps.at(-1)!.lap;
    expect(ham.rows[hamLast]!.hamilton).toBeCloseTo(0, 3);
    expect(ham.pace).toBe(referencePace(c, { kind: 'driver', driver: 'hamilton' }));
    const gap = pairGap(c, 'max_verstappen', 'perez');
    const g10 = gap.find((g) => g.lap === 10)!.gap;
    expect(g10).toBeGreaterThan(0); // Verstappen led Pérez on lap 10
    expect(leader.rows[10]!.max_verstappen! - leader.rows[10]!.perez!).toBeCloseTo(g10, 2);
    expect(pairGap(c, 'perez', 'max_verstappen').find((g) => g.lap === 10)!.gap).toBeCloseTo(-g10, 6);
    // nothing beyond the laps done: no row past the leader's 30th lap
    expect(leader.rows.length).toBe(31);
  });

  it('Melbourne 2023’s red-flag waits are no step in the race trace nor in the gap chart', () => {
    const c = atLap(melbourne, 58);
    const t = raceTrace(c, { kind: 'leader' });
    const ver = c.drivers.find((d) => d.driver === 'max_verstappen')!;
    const red = ver.laps.filter((l) => l.trackState === 'red').map((l) => l.lap);
    expect(red.length).toBeGreaterThan(1);
    // the stoppages took minutes; the leader's trace still moves by seconds from lap to lap
    const steps = ver.laps
      .slice(1)
      .map((l) =>
        Math.abs((t.rows[l.lap]!.max_verstappen ?? NaN) - (t.rows[l.lap - 1]!.max_verstappen ?? NaN)),
      )
      .filter(Number.isFinite);
    expect(steps.length).toBeGreaterThan(45);
    expect(Math.max(...steps)).toBeLessThan(60);
    // nor any car's, whichever side of a stoppage it crossed the line (lapped cars included)
    for (const d of c.drivers)
      for (const l of d.laps) {
        const v = t.rows[l.lap]![d.driver];
        if (v !== undefined) expect(Math.abs(v), `${d.code} lap ${l.lap}`).toBeLessThan(400);
      }
    expect(t.rows[58]!.max_verstappen).toBeCloseTo(0, 3);
    const gap = pairGap(c, 'max_verstappen', 'hamilton');
    expect(gap.length).toBeGreaterThan(50);
    expect(Math.max(...gap.map((g) => Math.abs(g.gap)))).toBeLessThan(60); // Verstappen and Hamilton raced within seconds
  });

  it('lap times: Melbourne 2023’s red-flag, SC and pit laps are shown but kept out of the axis', () => {
    const c = atLap(melbourne, 58);
    const ver = c.drivers.find((d) => d.driver === 'max_verstappen')!;
    const s = lapTimeSeries(ver);
    expect(s.points.length).toBe(ver.laps.filter((l) => l.lapTime !== null).length);
    const neutral = s.points.filter((p) => p.slow === 'sc' || p.slow === 'red' || p.slow === 'vsc');
    expect(neutral.length).toBeGreaterThan(5);
    expect(s.domain![1]).toBeLessThan(Math.max(...neutral.map((p) => p.lapTime)));
    const green = s.points.filter((p) => p.slow === null).map((p) => p.lapTime);
    expect(s.domain![0]).toBeLessThan(Math.min(...green));
    for (const p of s.points) expect(p.y).toBeLessThanOrEqual(s.domain![1]);
    expect(s.stintStarts).toEqual(
      c.stints.filter((x) => x.driver === 'max_verstappen' && x.stint > 1).map((x) => x.fromLap),
    );
  });
});
