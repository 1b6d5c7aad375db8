// The tower's lap, tyre and pit columns on every lap of 2023 Bahrain (at each leader crossing, halfway through each
// lap and inside every pit stop), recomputed from the raw laps and stops of the timeline: stops made, in the pit
// lane, last / best lap, personal-best and fastest-lap flags, the tyre on the car now and its age, retirement.
import { afterAll, describe, expect, it } from 'vitest';
import type { TimingRow } from '../../shared/domain.js';
import { sharedDb } from '../../../tests/helpers/db.js';
import { loadRace } from './race.js';
import { snapshotAt } from './snapshot.js';

describe('tower columns of 2023 Bahrain, every lap', () => {
  const db = sharedDb();
  afterAll(() => db.close());
  const { tl } = loadRace(db, 2023, 1);
  const times: number[] = [];
  const lt = tl.leaderTimes;
  for (let n = 0; n < lt.length; n++) {
    times.push(lt[n]!);
    if (n + 1 < lt.length) times.push((lt[n]! + lt[n + 1]!) / 2);
  }
  for (const s of tl.stops)
    if (s.outTime !== null) times.push((s.inTime + s.outTime) / 2, s.inTime, s.outTime);
  const fastest = (done: Map<string, number>) => {
    let best = Infinity;
    for (const [d, n] of done)
      for (const l of (tl.laps.get(d) ?? []).slice(0, n))
        if (l.lap > 1 && l.lapTime !== null) best = Math.min(best, l.lapTime);
    return best;
  };

  it('shows stops, pit lane, lap times, purple and green laps and tyres exactly as the raw data has them', () => {
    let inPitSeen = 0;
    let purpleSeen = 0;
    let greenSeen = 0;
    let newTyreSeen = 0;
    for (const t of times) {
      const rows = snapshotAt(tl, t).rows;
      const done = new Map(rows.map((r) => [r.driver, r.lap]));
      const overall = fastest(done);
      for (const r of rows) {
        const at = `${r.code} at ${t.toFixed(1)} s`;
        const laps = tl.laps.get(r.driver) ?? [];
        expect(r.lap, at).toBe(laps.filter((l) => l.time <= t).length);
        const mine = tl.stops.filter((s) => s.driver === r.driver && s.inTime <= t);
        expect(r.pitStops, `${at} stops`).toBe(mine.length);
        const inLane = mine.some((s) => s.outTime !== null && t < s.outTime);
        expect(r.inPit, `${at} in pit`).toBe(inLane);
        const ret = tl.retirements.get(r.driver);
        expect(r.retired, `${at} retired`).toBe(ret !== undefined && t >= ret.time);
        const last = laps[r.lap - 1];
        expect(r.lastLap, `${at} last lap`).toBe(last?.lapTime ?? null);
        const timed = laps
          .slice(0, r.lap)
          .filter((l) => l.lap > 1 && l.lapTime !== null)
          .map((l) => l.lapTime!);
        const best = timed.length ? Math.min(...timed) : null;
        expect(r.bestLap, `${at} best lap`).toBe(best);
        const pb = r.lap > 1 && last?.lapTime != null && last.lapTime === best;
        expect(r.lastLapIsPersonalBest, `${at} personal best`).toBe(pb);
        expect(r.lastLapIsOverallBest, `${at} fastest lap`).toBe(
          r.lap > 1 && last?.lapTime != null && last.lapTime === overall,
        );
        // the tyre on the car: the lap in progress once out of the pit lane, else the last completed lap's
        const cur = laps[r.lap];
        const onCar = cur && (cur.pitOut === null || cur.pitOut <= t) ? cur : (last ?? cur);
        expect(r.compound, `${at} compound`).toBe(onCar?.compound ?? 'UNKNOWN');
        expect(r.tyreAge, `${at} tyre age`).toBe(onCar?.tyreLife ?? null);
        inPitSeen += Number(r.inPit);
        purpleSeen += Number(r.lastLapIsOverallBest);
        greenSeen += Number(r.lastLapIsPersonalBest && !r.lastLapIsOverallBest);
        newTyreSeen += Number(
          cur !== undefined && onCar === cur && last !== undefined && cur.stint !== last.stint,
        );
      }
    }
    // the checks above saw every kind of case
    expect(inPitSeen).toBeGreaterThan(20);
    expect(purpleSeen).toBeGreaterThan(20);
    expect(greenSeen).toBeGreaterThan(100);
    expect(newTyreSeen).toBeGreaterThan(10);
  });

  it('ends with the race’s fastest lap purple on its owner only when it was their last lap, and the stop counts', () => {
    const rows = snapshotAt(tl, tl.raceEnd + 60).rows;
    const by = (code: string) => rows.find((r) => r.code === code) as TimingRow;
    const fastestLap = db
      .prepare(
        `SELECT driver, MIN(lap_time_s) AS t FROM laps WHERE season = 2023 AND round = 1 AND session = 'race' AND lap_number > 1`,
      )
      .get() as { driver: string; t: number };
    expect(Math.min(...rows.map((r) => r.bestLap ?? Infinity))).toBeCloseTo(fastestLap.t, 3);
    expect(by(fastestLap.driver).bestLap).toBeCloseTo(fastestLap.t, 3);
    const stops = db
      .prepare(
        `SELECT driver, MAX(stint) - 1 AS n FROM laps WHERE season = 2023 AND round = 1 AND session = 'race' GROUP BY driver`,
      )
      .all() as { driver: string; n: number }[];
    for (const s of stops) if (!by(s.driver).retired) expect(by(s.driver).pitStops, s.driver).toBe(s.n);
    expect(by('VER').pitStops).toBe(2);
  });
});
