// The timing tower, checked row by row on a whole real race (2023 Bahrain) against the raw lap crossings: at every
// lap, each car's gap is to the leader at the latest line both crossed, its interval to the car directly ahead, lapped cars count
// the leader's crossings they missed, and DRS range means within 1.0 s of the car ahead with DRS enabled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimingSnapshot } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { sharedDb } from '../../../tests/helpers/db.js';
import { loadRace, type Race } from './race.js';
import { snapshotAt } from './snapshot.js';

let db: Db;
let race: Race;
beforeAll(() => {
  db = sharedDb();
  race = loadRace(db, 2023, 1);
});
afterAll(() => db?.close());

const r3 = (x: number) => Math.round(x * 1000) / 1000;
/** When `driver` crossed the line at the end of lap `n`, from the raw laps. */
const crossed = (driver: string, n: number) => race.tl.laps.get(driver)!.find((l) => l.lap === n)!.time;

/** Snapshots at each leader crossing and halfway through every lap (cars spread over two laps). Each test takes
 *  its own: snapshots taken in a hook are invisible to mutation testing's per-test coverage. */
function snapshots(): TimingSnapshot[] {
  const out: TimingSnapshot[] = [];
  const lt = race.tl.leaderTimes;
  for (let n = 0; n < lt.length; n++) {
    out.push(snapshotAt(race.tl, lt[n]!));
    if (n + 1 < lt.length) out.push(snapshotAt(race.tl, (lt[n]! + lt[n + 1]!) / 2));
  }
  return out;
}

describe('timing tower on every lap of 2023 Bahrain', () => {
  it('covers the race: 57 laps, 20 cars, some lapped', () => {
    const all = snapshots();
    expect(all.length).toBe(2 * 57 - 1);
    expect(all.at(-1)!.lap).toBe(57);
    for (const s of all) expect(s.rows).toHaveLength(20);
    expect(all.some((s) => s.rows.some((r) => r.lapsDown > 0))).toBe(true);
  });

  /** The time `driver` is behind the leader at snapshot time t: at the most recent line both have crossed — its last
   *  crossing against the leader's on that lap, or, once the leader has crossed the next line and the car not yet,
   *  at least the time since the leader crossed it (a car in a pit cycle is not shown ahead of where it is). */
  const behind = (s: TimingSnapshot, driver: string, lap: number, leader: string): number => {
    const next = race.tl.laps.get(leader)!.find((l) => l.lap === lap + 1)?.time;
    const atLine = crossed(driver, lap) - crossed(leader, lap);
    return next !== undefined && next <= s.sessionTime ? Math.max(atLine, s.sessionTime - next) : Math.max(0, atLine);
  };

  it('the leader has no gap or interval; every other car its time behind the leader at the latest common line', () => {
    const all = snapshots();
    let checked = 0;
    let pitCycle = 0;
    for (const s of all) {
      const [leader, ...rest] = s.rows;
      expect(leader!.gapToLeader).toBeNull();
      expect(leader!.interval).toBeNull();
      for (const r of rest) {
        if (r.lap === 0) continue;
        if (r.retired) {
          expect(r.gapToLeader, `retired ${r.code}`).toBeNull();
          continue;
        }
        const g = behind(s, r.driver, r.lap, leader!.driver);
        // (the snapshot's sessionTime is rounded to the ms, so the since-the-line term may differ in the last digit)
        expect(Math.abs(r.gapToLeader! - g), `${r.code} lap ${r.lap}: ${r.gapToLeader} vs ${g}`).toBeLessThanOrEqual(0.0015);
        if (r3(g) !== r3(crossed(r.driver, r.lap) - crossed(leader!.driver, r.lap))) pitCycle++;
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1900); // retired cars have no gap
    expect(pitCycle).toBeGreaterThan(20); // the rule matters: stale line gaps are corrected on many rows
  });

  it('interval = the gap to the car directly ahead, never negative, for every car on every lap', () => {
    const all = snapshots();
    let checked = 0;
    for (const s of all) {
      for (let i = 1; i < s.rows.length; i++) {
        const r = s.rows[i]!;
        if (r.lap === 0 || r.retired) continue;
        const ahead = s.rows[i - 1]!;
        const aheadGap = i === 1 ? 0 : ahead.gapToLeader!;
        expect(r.interval, `${r.code} behind ${ahead.code}, lap ${r.lap}`).toBe(r3(r.gapToLeader! - aheadGap));
        expect(r.interval!, `${r.code} lap ${r.lap}`).toBeGreaterThanOrEqual(0);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1900); // retired cars have no gap
    // the interval of P3 is not its gap to the leader
    const mid = all[60]!;
    expect(mid.rows[2]!.interval).toBe(r3(mid.rows[2]!.gapToLeader! - mid.rows[1]!.gapToLeader!));
    expect(mid.rows[2]!.interval).not.toBe(mid.rows[2]!.gapToLeader);
  });

  it('lapsDown counts the leader crossings made before a car completed its lap', () => {
    const all = snapshots();
    const leaderLaps = (s: TimingSnapshot) => race.tl.laps.get(s.rows[0]!.driver)!;
    for (const s of all) {
      for (const r of s.rows.slice(1)) {
        if (r.lap === 0) continue;
        const t = crossed(r.driver, r.lap);
        expect(r.lapsDown, `${r.code} lap ${r.lap}`).toBe(Math.max(0, leaderLaps(s).filter((l) => l.time <= t).length - r.lap));
      }
    }
    // the classification: a car "+N Laps" at the flag (Ergast) is N laps down on the tower, every other finisher 0
    const final = snapshotAt(race.tl, race.tl.raceEnd);
    const status = db
      .prepare(
        `SELECT d.code, s.status FROM results r JOIN drivers d USING (driver_id) JOIN status s USING (status_id) JOIN races ra USING (race_id)
         WHERE ra.year = 2023 AND ra.round = 1`,
      )
      .all() as { code: string; status: string }[];
    const down = (st: string) => Number(/^\+(\d+) Laps?$/.exec(st)?.[1] ?? 0);
    expect(status.filter((x) => down(x.status) > 0).length).toBeGreaterThan(1);
    for (const { code, status: st } of status) {
      const row = final.rows.find((r) => r.code === code)!;
      if (!row.retired) expect(row.lapsDown, `${code} ${st}`).toBe(down(st));
    }
  });

  it('DRS range: within 1.0 s of the car ahead on the same lap, with DRS enabled, never for the leader', () => {
    const all = snapshots();
    let inRange = 0;
    let justOut = 0;
    for (const s of all) {
      const drs = race.tl.drsEnabled(s.lap + 1);
      expect(s.rows[0]!.drsRange).toBe(false);
      for (const r of s.rows.slice(1)) {
        const expected = drs && !r.retired && r.lapsDown === 0 && r.interval !== null && r.interval < 1.0;
        expect(r.drsRange, `${r.code} lap ${r.lap} interval ${r.interval}`).toBe(expected);
        if (expected) inRange++;
        if (drs && !r.retired && r.lapsDown === 0 && r.interval !== null && r.interval >= 1.0 && r.interval < 3.0) justOut++;
      }
    }
    expect(inRange).toBeGreaterThan(50);
    expect(justOut).toBeGreaterThan(50); // 1.0–3.0 s behind: not in range
    // laps 1–2 and neutralised laps: nobody
    for (const s of all.filter((x) => !race.tl.drsEnabled(x.lap + 1))) expect(s.rows.some((r) => r.drsRange)).toBe(false);
    expect(all.filter((x) => !race.tl.drsEnabled(x.lap + 1)).length).toBeGreaterThan(0);
  });

  it('orders running cars by laps then crossing time, retired cars last, not-yet-started by grid', () => {
    const all = snapshots();
    for (const s of all) {
      const running = s.rows.filter((r) => !r.retired);
      expect(s.rows.slice(0, running.length).every((r) => !r.retired)).toBe(true);
      for (let i = 1; i < running.length; i++) {
        const a = running[i - 1]!;
        const b = running[i]!;
        expect(a.lap).toBeGreaterThanOrEqual(b.lap);
        if (a.lap === b.lap && b.lap > 0) expect(crossed(a.driver, a.lap)).toBeLessThan(crossed(b.driver, b.lap));
      }
      s.rows.forEach((r, i) => expect(r.position).toBe(i + 1));
    }
    const start = snapshotAt(race.tl, race.tl.raceStart);
    expect(start.lap).toBe(0);
    const grid = db
      .prepare(
        `SELECT d.code FROM results r JOIN drivers d USING (driver_id) JOIN races ra USING (race_id)
         WHERE ra.year = 2023 AND ra.round = 1 AND r.grid > 0 ORDER BY r.grid`,
      )
      .all() as { code: string }[];
    expect(start.rows.slice(0, grid.length).map((r) => r.code)).toEqual(grid.map((g) => g.code));
  });

  it('lap times and tyres: last and best lap (lap 1 aside), personal and overall best, sectors, the tyre on the car, stops and pit lane', () => {
    const all = snapshots();
    const seen = { pb: 0, purple: 0, inPit: 0, sectors: 0, compounds: new Set<string>() };
    for (const s of all) {
      const t = s.sessionTime;
      const done = (d: string) => race.tl.laps.get(d)!.filter((l) => l.time <= t);
      const timed = (ls: ReturnType<typeof done>) => ls.filter((l) => l.lap > 1 && l.lapTime !== null).map((l) => l.lapTime!);
      const overall = Math.min(...s.rows.flatMap((r) => timed(done(r.driver))));
      for (const r of s.rows) {
        const laps = race.tl.laps.get(r.driver)!;
        const completed = done(r.driver);
        const n = completed.length;
        expect(r.lap, `${r.code} at ${t}`).toBe(n);
        const last = completed.at(-1);
        expect(r.lastLap).toBe(last?.lapTime ?? null);
        const best = timed(completed).length ? Math.min(...timed(completed)) : null;
        expect(r.bestLap, `${r.code} best at ${t}`).toBe(best);
        expect(r.lastLapIsPersonalBest).toBe(n > 1 && r.lastLap !== null && r.lastLap === best);
        expect(r.lastLapIsOverallBest).toBe(n > 1 && r.lastLap !== null && r.lastLap === overall);
        expect(r.sectors).toEqual(last?.sectors ?? null);
        // the tyre of the lap in progress once the car has left the pit lane, else that of its last lap
        const now = laps[n];
        const on = now && (now.pitOut === null || now.pitOut <= t) ? now : (last ?? now);
        expect(r.compound, `${r.code} tyre at ${t}`).toBe(on?.compound ?? 'UNKNOWN');
        expect(r.tyreAge).toBe(on?.tyreLife ?? null);
        const stops = race.tl.stops.filter((x) => x.driver === r.driver && x.inTime <= t);
        expect(r.pitStops).toBe(stops.length);
        expect(r.inPit).toBe(stops.some((x) => x.outTime !== null && t < x.outTime));
        seen.pb += Number(r.lastLapIsPersonalBest);
        seen.purple += Number(r.lastLapIsOverallBest);
        seen.inPit += Number(r.inPit);
        seen.sectors += Number(r.sectors !== null);
        seen.compounds.add(r.compound);
      }
      expect(s.rows.filter((r) => r.lastLapIsOverallBest).length).toBeLessThanOrEqual(1);
    }
    expect(seen.pb).toBeGreaterThan(100);
    expect(seen.purple).toBeGreaterThan(5);
    expect(seen.inPit).toBeGreaterThan(3);
    expect(seen.sectors).toBe(0); // 2023 laps carry no sector times (they come with the raw 2024 files)
    expect([...seen.compounds].sort()).toEqual(['HARD', 'MEDIUM', 'SOFT']);
  });
});

describe('timing tower edges on 2024 Canada (wet start, two pit-lane starters, five cars out, sector times)', () => {
  let canada: Race;
  beforeAll(() => {
    canada = loadRace(db, 2024, 9);
  });

  it('before the first line: by grid, the pit-lane starters last; playing and speed as given (paused, 1× by default)', () => {
    const start = snapshotAt(canada.tl, canada.tl.raceStart);
    expect([start.playing, start.speed]).toEqual([false, 1]);
    const moving = snapshotAt(canada.tl, canada.tl.raceStart, true, 4);
    expect([moving.playing, moving.speed]).toEqual([true, 4]);
    const grid = db
      .prepare(
        `SELECT d.code, r.grid FROM results r JOIN drivers d USING (driver_id) JOIN races ra USING (race_id)
         WHERE ra.year = 2024 AND ra.round = 9 ORDER BY r.grid = 0, r.grid`,
      )
      .all() as { code: string; grid: number }[];
    const pitLane = grid.filter((g) => g.grid === 0).map((g) => g.code);
    expect(pitLane).toHaveLength(2);
    expect(start.rows.map((r) => r.code).slice(0, 18)).toEqual(grid.slice(0, 18).map((g) => g.code));
    expect(start.rows.slice(18).map((r) => r.code).sort()).toEqual([...pitLane].sort());
  });

  it('a car is out from the moment it retires, not a millisecond before; out of the race it has no gap, interval or DRS', () => {
    expect(canada.tl.retirements.size).toBeGreaterThanOrEqual(4);
    for (const [driver, ret] of canada.tl.retirements) {
      const row = (t: number) => snapshotAt(canada.tl, t).rows.find((r) => r.driver === driver)!;
      expect(row(ret.time - 0.001).retired, `${driver} just before`).toBe(false);
      const out = row(ret.time);
      expect(out.retired, `${driver} at ${ret.time}`).toBe(true);
      expect([out.gapToLeader, out.interval, out.drsRange]).toEqual([null, null, false]);
    }
    const end = snapshotAt(canada.tl, canada.tl.raceEnd);
    const out = end.rows.filter((r) => r.retired);
    expect(end.rows.slice(-out.length)).toEqual(out); // retired cars last
  });

  it('sectors of the last lap, the tyre on the car (intermediates and wets too) and the overall best with untimed laps about', () => {
    const lt = canada.tl.leaderTimes;
    let sectors = 0;
    let untimed = 0;
    const compounds = new Set<string>();
    for (let n = 0; n < lt.length; n += 3) {
      const t = lt[n]! + 1;
      const s = snapshotAt(canada.tl, t);
      const done = (d: string) => canada.tl.laps.get(d)!.filter((l) => l.time <= t);
      const timed = (d: string) => done(d).filter((l) => l.lap > 1 && l.lapTime !== null).map((l) => l.lapTime!);
      const overall = Math.min(...s.rows.flatMap((r) => timed(r.driver)));
      for (const r of s.rows) {
        const completed = done(r.driver);
        const last = completed.at(-1);
        expect(r.sectors).toEqual(last?.sectors ?? null);
        expect(r.lastLapIsOverallBest, `${r.code} at ${t}`).toBe(completed.length > 1 && r.lastLap !== null && r.lastLap === overall);
        const now = canada.tl.laps.get(r.driver)![completed.length];
        const on = now && (now.pitOut === null || now.pitOut <= t) ? now : (last ?? now);
        expect(r.compound).toBe(on?.compound ?? 'UNKNOWN');
        expect(r.tyreAge).toBe(on?.tyreLife ?? null);
        sectors += Number(r.sectors !== null);
        untimed += completed.filter((l) => l.lapTime === null).length;
        compounds.add(r.compound);
      }
    }
    expect(sectors).toBeGreaterThan(100);
    expect(untimed).toBeGreaterThan(0);
    expect([...compounds].sort()).toEqual(['HARD', 'INTERMEDIATE', 'MEDIUM', 'WET']); // as in the lap file
  });
});
