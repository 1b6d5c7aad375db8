// The chart series on a hand-made race whose numbers are known: two cars, a red-flag wait that one car's lap 3
// holds and the other's does not, a pit stop, an SC lap.
import { describe, expect, it } from 'vitest';
import { lapTimeSeries, pairGap, raceTrace, referencePace, stintRows } from './charts.js';
import type { ChartDriver, ChartLap, RaceCharts, TrackState } from './domain.js';

const lap = (n: number, raceTime: number, lapTime: number, extra: Partial<ChartLap> = {}): ChartLap => ({
  lap: n,
  raceTime,
  lapTime,
  position: null,
  compound: 'MEDIUM',
  tyreAge: n,
  stint: 1,
  pit: null,
  trackState: 'green' as TrackState,
  ...extra,
});
const car = (driver: string, laps: ChartLap[]): ChartDriver => ({
  driver,
  code: driver.toUpperCase(),
  team: driver,
  teamColor: '000000',
  laps,
});

// A leads: 90 s laps, its lap 3 holds a 600 s red-flag wait (690 s). B runs 91 s laps and crossed the line of lap 3
// 1 s before the wait began, then sat out the same wait in its lap 4.
const A = car('a', [
  lap(1, 90, 90),
  lap(2, 180, 90),
  lap(3, 870, 690, { trackState: 'red' }),
  lap(4, 960, 90, { pit: 'out' }),
]);
const B = car('b', [
  lap(1, 91, 91),
  lap(2, 182, 91),
  lap(3, 269, 87, { trackState: 'sc' }),
  lap(4, 962, 693, { trackState: 'red', pit: 'in' }),
]);
const race: RaceCharts = {
  season: 2023,
  round: 1,
  totalLaps: 4,
  asOf: 1000,
  leaderLaps: 4,
  drivers: [A, B],
  stints: [],
  stops: [],
  bands: [],
};

describe('race trace and gap on a race with a red-flag wait', () => {
  it('the reference pace leaves the wait out; the leader ends on 0', () => {
    // A's stoppage laps are 3 and 4: (960 − 690 − 90) / (4 − 2) = 90
    expect(referencePace(race, { kind: 'leader' })).toBeCloseTo(90, 9);
    const t = raceTrace(race, { kind: 'leader' });
    expect(t.rows.map((r) => r.a)).toEqual([0, 0, 0, 0, 0]);
  });

  it('B is behind by its real deficit on every lap, on either side of the wait', () => {
    const t = raceTrace(race, { kind: 'leader' });
    // lap 3: B crossed at 269 before the wait (which began at 180 + 90 = 270): 270 − 269 = +1 ahead of the pace
    expect(t.rows.map((r) => r.b)).toEqual([0, -1, -2, 1, -2]);
    expect(pairGap(race, 'a', 'b').map((g) => g.gap)).toEqual([1, 2, -1, 2]);
  });

  it('the trace against B’s pace: B on 0 at its last lap', () => {
    const t = raceTrace(race, { kind: 'driver', driver: 'b' });
    expect(t.rows[4]!.b).toBeCloseTo(0, 3);
  });
});

describe('lap times and stints', () => {
  it('pit, SC, red and first laps are kept out of the axis; slower laps sit on its top edge', () => {
    const s = lapTimeSeries(B);
    // representative laps: lap 2 only (91 s) → [91 − 0.3, 91 + 0.3], widened to half seconds
    expect(s.domain).toEqual([90.5, 91.5]);
    expect(s.points.map((p) => p.slow)).toEqual(['start', null, 'sc', 'pit']);
    expect(s.points.map((p) => p.offScale)).toEqual([false, false, false, true]);
    expect(s.points[3]!.y).toBe(91.5);
  });

  it('stint rows follow the asked order and keep every stint', () => {
    const withStints: RaceCharts = {
      ...race,
      stints: [
        { driver: 'a', stint: 1, compound: 'MEDIUM', fresh: true, startAge: 1, fromLap: 1, toLap: 3 },
        { driver: 'a', stint: 2, compound: 'HARD', fresh: true, startAge: 1, fromLap: 4, toLap: 4 },
        { driver: 'b', stint: 1, compound: 'MEDIUM', fresh: false, startAge: 3, fromLap: 1, toLap: 4 },
      ],
    };
    const rows = stintRows(withStints, ['b', 'a']);
    expect(rows.map((r) => [r.driver.driver, r.stints.length])).toEqual([
      ['b', 1],
      ['a', 2],
    ]);
  });
});
