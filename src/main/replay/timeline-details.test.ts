// The timeline's details against the raw laps and the official tables (2023 Bahrain and Australia: a clean race and
// one with three red flags): each stop seen in the timing with its pit-lane crossings, lane time and tyres; where a
// retired car is put on the clock; the lap clock's start, typical lap and order at the line; the worst track state of
// each lap as bands, banner and state at any time. Timelines are built inside each test (mutation testing's per-test
// coverage does not see a hook).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../data/db.js';
import { sharedDb } from '../../../tests/helpers/db.js';
import { median } from '../util/stats.js';
import { isClear } from '../race/track-status.js';
import { loadRace } from './race.js';
import type { Timeline } from './timeline.js';

let db: Db;
beforeAll(() => {
  db = sharedDb();
});
afterAll(() => db?.close());

const timelines = (): [number, Timeline][] => [1, 3].map((round) => [round, loadRace(db, 2023, round).tl]);
const officialStops = (round: number) =>
  db
    .prepare(
      `SELECT d.driver_ref AS driver, p.lap, p.duration FROM pit_stops p JOIN drivers d USING (driver_id) JOIN races r USING (race_id)
       WHERE r.year = 2023 AND r.round = ?`,
    )
    .all(round) as { driver: string; lap: number; duration: number | null }[];

describe('pit stops in detail (2023 rounds 1 and 3)', () => {
  it('each from the timing: in at the pit entry, out at the next lap’s exit, lane time from the table else the crossings, tyres before and after', () => {
    let ergastLane = 0;
    let checked = 0;
    for (const [round, tl] of timelines()) {
      const official = officialStops(round);
      for (const s of tl.stops) {
        expect(s.source, `${s.driver} lap ${s.lap} round ${round}`).toBe('laps');
        const l = tl.lapOf(s.driver, s.lap)!;
        const next = tl.lapOf(s.driver, s.lap + 1);
        if (!s.redFlag) {
          expect(s.inTime).toBe(l.pitIn);
          expect(s.outTime).toBe(next?.pitOut ?? null);
        }
        expect([s.compoundFrom, s.compoundTo, s.tyreAgeOld]).toEqual([l.compound, next?.compound ?? l.compound, l.tyreLife]);
        const o = official.filter((x) => x.driver === s.driver && Math.abs(x.lap - s.lap) <= 1).sort((a, b) => Math.abs(a.lap - s.lap) - Math.abs(b.lap - s.lap))[0];
        const table = o?.duration != null && o.duration > 0 && o.duration < 120 ? o.duration : null;
        const lanes = l.pitIn !== null && next?.pitOut != null ? next.pitOut - l.pitIn : null;
        const fromLaps = lanes !== null && lanes > 0 && lanes < 120 ? lanes : null;
        expect(s.pitLaneTime, `${s.driver} lap ${s.lap}`).toBe(table ?? fromLaps);
        expect(s.durationSource).toBe(table !== null ? 'ergast' : fromLaps !== null ? 'laps' : null);
        ergastLane += Number(s.durationSource === 'ergast');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
    expect(ergastLane).toBeGreaterThan(40);
  });
});

describe('official stops the timing does not show', () => {
  it('a stop on the car’s last timed lap comes from the table: its lap, lane time (none over two minutes), the tyres it had (2022 Dutch, 2021 Baku)', () => {
    const cases = [
      { season: 2022, round: 15, driver: 'tsunoda', lap: 43, lane: 52.684 },
      { season: 2021, round: 6, driver: 'russell', lap: 48, lane: null }, // 2,036 s: the red flag, not a lane time
    ];
    for (const c of cases) {
      const tl = loadRace(db, c.season, c.round).tl;
      const laps = tl.laps.get(c.driver)!;
      expect(laps.at(-1)!.lap, `${c.driver}: the stop is on the last timed lap`).toBe(c.lap);
      const s = tl.stops.find((x) => x.driver === c.driver && x.lap === c.lap)!;
      const l = laps.at(-1)!;
      expect(s).toMatchObject({ source: 'ergast', outTime: null, pitLaneTime: c.lane, durationSource: c.lane === null ? null : 'ergast', redFlag: false, code: l.code });
      expect([s.inTime, s.compoundFrom, s.compoundTo, s.tyreAgeOld]).toEqual([l.pitIn ?? l.time, l.compound, 'UNKNOWN', l.tyreLife]);
      // numbered with the car's other stops in time order
      const own = tl.stops.filter((x) => x.driver === c.driver);
      expect(own.map((x) => x.stop)).toEqual(own.map((_, i) => i + 1));
      expect(own.at(-1)).toBe(s);
    }
  });
});

describe('retirements on the clock', () => {
  it('in the pits: 5 s after the pit entry; on track: 0.6 of its own median lap after the line, or 1 s before a neutralisation it caused', () => {
    let onTrack = 0;
    for (const [, tl] of timelines()) {
      for (const [driver, r] of tl.retirements) {
        const laps = tl.laps.get(driver)!;
        const last = laps.at(-1)!;
        expect(r.inPits).toBe(last.pitIn !== null);
        expect(r.code).toBe(last.code);
        const own = median(laps.filter((l) => l.lapTime !== null).map((l) => l.lapTime!)) || 90;
        const caused = tl.periods.find((p) => p.state !== 'yellow' && p.start > last.time && p.start < last.time + 1.2 * own);
        const want = r.inPits ? last.pitIn! + 5 : caused ? Math.max(last.time + 1, caused.start - 1) : last.time + 0.6 * own;
        expect(r.time, `${driver}`).toBeCloseTo(want, 9);
        onTrack += Number(!r.inPits);
      }
    }
    expect(onTrack).toBeGreaterThan(2);
  });
});

describe('the lap clock', () => {
  it('starts at the first lap-1 start; the typical lap is the median green lap; each lap’s order at the line follows the official positions', () => {
    for (const [round, tl] of timelines()) {
      const all = [...tl.laps.values()].flat();
      expect(tl.raceStart).toBe(Math.min(...all.filter((l) => l.lap === 1).map((l) => l.start)));
      expect(tl.typicalLap).toBe(median(all.filter((l) => l.lapTime !== null && isClear(l.trackStatus)).map((l) => l.lapTime!)));
      expect(tl.raceEnd).toBe(Math.max(...all.map((l) => l.time)));
      for (const [n, at] of tl.byLap) {
        const pos = at.map((l) => l.position).filter((p): p is number => p !== null);
        expect(pos, `round ${round} lap ${n}`).toEqual([...pos].sort((a, b) => a - b));
        expect(tl.leaderTimes[n - 1]).toBeGreaterThanOrEqual(at[0]!.time - 1e-9);
      }
      // lapOf finds a lap by number; none past the car's last
      const [driver, laps] = [...tl.laps][0]!;
      expect(tl.lapOf(driver, 5)!.lap).toBe(5);
      expect(tl.lapOf(driver, laps.length + 5)).toBeUndefined();
      expect(tl.lapOf('nobody', 1)).toBeUndefined();
      expect(tl.lapStartTime(1)).toBe(tl.raceStart);
      expect(tl.lapStartTime(3)).toBe(tl.leaderTimes[1]);
      expect(tl.raceLapAt(tl.raceStart)).toBe(1);
      expect(tl.raceLapAt(tl.leaderTimes[0]!)).toBe(2);
      expect(tl.raceLapAt(tl.raceEnd + 999)).toBe(tl.leaderTimes.length);
      expect(tl.totalLaps).toBe(Math.max(tl.meta.totalLaps, tl.leaderTimes.length));
    }
  });
});

describe('track state', () => {
  const SEVERITY = { red: 4, sc: 3, vsc: 2, yellow: 1, green: 0 } as const;
  const worst = (tl: Timeline, from: number, to: number, strict = true) =>
    tl.periods
      .filter((p) => (strict ? p.start < to : p.start <= to) && p.end > from)
      .reduce<keyof typeof SEVERITY>((b, p) => (SEVERITY[p.state] > SEVERITY[b] ? p.state : b), 'green');

  it('each lap’s state is the worst period overlapping it; bands join equal neighbours and cover every lap', () => {
    for (const [round, tl] of timelines()) {
      const bands = tl.bands();
      expect(bands[0]!.fromLap).toBe(1);
      expect(bands.at(-1)!.toLap).toBe(tl.leaderTimes.length);
      for (let i = 0; i < bands.length; i++) {
        const b = bands[i]!;
        if (i) expect(b.fromLap).toBe(bands[i - 1]!.toLap + 1);
        if (i) expect(b.state).not.toBe(bands[i - 1]!.state);
        for (let n = b.fromLap; n <= b.toLap; n++) {
          expect(tl.stateOfLap(n), `round ${round} lap ${n}`).toBe(b.state);
          expect(b.state).toBe(worst(tl, tl.lapStartTime(n), tl.leaderTimes[n - 1]!));
        }
      }
      expect(bands.some((b) => b.state === 'red')).toBe(round === 3); // Australia's three red flags
    }
  });

  it('the banner: at a leader crossing the state of the lap just done, between crossings the worst so far of the lap in progress; stateAt the worst period at that instant', () => {
    const [, tl] = timelines()[1]!;
    let red = 0;
    for (let n = 1; n < tl.leaderTimes.length; n++) {
      const at = tl.leaderTimes[n - 1]!;
      expect(tl.bannerState(at)).toBe(tl.stateOfLap(n));
      const mid = (at + tl.leaderTimes[n]!) / 2;
      expect(tl.bannerState(mid), `lap ${n + 1}`).toBe(worst(tl, at, mid, false));
      const now = tl.periods.filter((p) => p.start <= mid && mid < p.end).reduce<keyof typeof SEVERITY>((b, p) => (SEVERITY[p.state] > SEVERITY[b] ? p.state : b), 'green');
      expect(tl.stateAt(mid)).toBe(now);
      red += Number(tl.stateAt(mid) === 'red');
    }
    expect(red).toBeGreaterThan(0);
    expect(tl.bannerState(tl.raceStart + 1)).toBe(worst(tl, tl.raceStart, tl.raceStart + 1, false));
  });
});
