// The race timeline on a few real races (2023 rounds 1–6: a clean race, red flags, safety cars): pit stops on the
// official in-lap, retirements as classified, the leader's lap clock, laps completed at any time, race-control
// periods against the tables, and DRS rules. Small enough for mutation testing; the season-wide checks: replay.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../data/db.js';
import { sharedDb } from '../../../tests/helpers/db.js';
import { loadRace, type Race } from './race.js';
import { countLE } from './timeline.js';

let db: Db;
beforeAll(() => {
  db = sharedDb();
});
afterAll(() => db?.close());

/** The six races, built afresh inside each test (a timeline built in a hook would be invisible to mutation testing's
 *  per-test coverage). */
function loadRaces(): Map<number, { raceId: number; race: Race }> {
  const races = new Map<number, { raceId: number; race: Race }>();
  for (let round = 1; round <= 6; round++) {
    const raceId = db.prepare('SELECT race_id FROM races WHERE year = 2023 AND round = ?').pluck().get(round) as number;
    races.set(round, { raceId, race: loadRace(db, 2023, round) });
  }
  return races;
}

describe('timeline of 2023 rounds 1–6', () => {
  it('pit stops: exactly the official stops, on the official in-lap, numbered per driver in time order', () => {
    const races = loadRaces();
    for (const [round, { raceId, race }] of races) {
      const official = (
        db
          .prepare('SELECT d.driver_ref AS d, p.lap, p.stop FROM pit_stops p JOIN drivers d USING (driver_id) WHERE p.race_id = ? ORDER BY 1, 2')
          .all(raceId) as { d: string; lap: number; stop: number }[]
      ).map((p) => `${p.d}@${p.lap}#${p.stop}`);
      const stops = race.tl.stops.map((s) => `${s.driver}@${s.lap}#${s.stop}`).sort();
      expect(stops, `round ${round}`).toEqual([...official].sort());
      for (let i = 1; i < race.tl.stops.length; i++) expect(race.tl.stops[i]!.inTime).toBeGreaterThanOrEqual(race.tl.stops[i - 1]!.inTime);
    }
  });

  it('retirements: every classified non-finisher with laps, at the lap they completed, and nobody else', () => {
    const races = loadRaces();
    for (const [round, { raceId, race }] of races) {
      const out = db
        .prepare(
          `SELECT d.driver_ref AS d, r.laps, s.status FROM results r JOIN drivers d USING (driver_id) JOIN status s USING (status_id)
           WHERE r.race_id = ? AND s.status NOT LIKE '+%' AND s.status NOT IN ('Finished', 'Lapped', 'Disqualified') AND r.laps > 0`,
        )
        .all(raceId) as { d: string; laps: number; status: string }[];
      expect([...race.tl.retirements.keys()].sort(), `round ${round}`).toEqual(out.map((o) => o.d).sort());
      for (const o of out) {
        const r = race.tl.retirements.get(o.d)!;
        // the last lap the timing shows (the classification may count one fewer: a lap begun, not completed)
        expect(r.lapsCompleted, `${o.d} round ${round}`).toBe(race.tl.laps.get(o.d)!.at(-1)!.lap);
        expect(Math.abs(r.lapsCompleted - o.laps), `${o.d} round ${round}`).toBeLessThanOrEqual(1);
        expect(r.status).toBe(o.status);
        expect(r.crash).toBe(/accident|collision|spun|crash|damage|debris/i.test(o.status));
        expect(r.time).toBeGreaterThan(race.tl.lapOf(o.d, o.laps)!.time);
        expect(r.time).toBeLessThan(race.tl.raceEnd);
      }
    }
  });

  it('the lap clock: lap n ends at the first crossing of lap n; laps completed and the lap in progress at any time', () => {
    const races = loadRaces();
    for (const [round, { race }] of races) {
      const tl = race.tl;
      expect(tl.leaderTimes.length, `round ${round}`).toBe(tl.totalLaps);
      const all = [...tl.laps.values()].flat();
      for (let n = 1; n <= tl.leaderTimes.length; n++) {
        const first = Math.min(...all.filter((l) => l.lap === n).map((l) => l.time));
        expect(tl.leaderTimes[n - 1], `round ${round} lap ${n}`).toBe(first);
        expect(tl.lapStartTime(n)).toBe(n === 1 ? tl.raceStart : tl.leaderTimes[n - 2]);
        expect(tl.raceLapAt(first - 0.001)).toBe(n);
        expect(tl.raceLapAt(first)).toBe(Math.min(n + 1, tl.leaderTimes.length));
        expect(tl.leaderLapsAt(first)).toBe(n);
      }
      expect(tl.raceLapAt(tl.raceStart - 100)).toBe(1);
      expect(tl.raceStart).toBeLessThan(tl.leaderTimes[0]!);
      expect(tl.raceEnd).toBe(Math.max(...all.map((l) => l.time)));
      for (const [driver, laps] of tl.laps) {
        for (const t of [tl.raceStart, laps[3]?.time ?? 0, (tl.raceStart + tl.raceEnd) / 2, tl.raceEnd]) {
          expect(tl.lapsCompleted(driver, t)).toBe(laps.filter((l) => l.time <= t).length);
        }
        for (const l of laps) expect(tl.lapOf(driver, l.lap)).toBe(l);
        expect(laps.map((l) => l.lap)).toEqual([...laps.map((l) => l.lap)].sort((a, b) => a - b));
      }
      expect(tl.lapOf('nobody', 1)).toBeUndefined();
    }
  });

  it('race control: every safety car and red flag of the tables shows on its lap (±1); Bahrain has no SC or red flag', () => {
    const races = loadRaces();
    const bahrain = races.get(1)!.race.tl;
    expect(bahrain.bands().filter((b) => b.state === 'sc' || b.state === 'red')).toEqual([]);
    let checked = 0;
    for (const [round, { raceId, race }] of races) {
      const tl = race.tl;
      const near = (lap: number, state: string) => [lap - 1, lap, lap + 1].some((n) => tl.stateOfLap(n) === state);
      for (const lap of db.prepare('SELECT deployed FROM safety_cars WHERE race_id = ?').pluck().all(raceId) as number[]) {
        expect(near(lap, 'sc'), `SC lap ${lap} round ${round}`).toBe(true);
        checked++;
      }
      for (const lap of db.prepare('SELECT lap FROM red_flags WHERE race_id = ? AND lap IS NOT NULL').pluck().all(raceId) as number[]) {
        expect(near(lap, 'red'), `red flag lap ${lap} round ${round}`).toBe(true);
        checked++;
      }
      // bands: consecutive laps 1..total, each lap's worst state, merged runs
      const bands = tl.bands();
      expect(bands[0]!.fromLap).toBe(1);
      expect(bands.at(-1)!.toLap).toBe(tl.leaderTimes.length);
      for (let i = 0; i < bands.length; i++) {
        const b = bands[i]!;
        if (i > 0) expect(b.fromLap).toBe(bands[i - 1]!.toLap + 1);
        if (i > 0) expect(b.state).not.toBe(bands[i - 1]!.state);
        for (let n = b.fromLap; n <= b.toLap; n++) expect(tl.stateOfLap(n)).toBe(b.state);
      }
      // the state at a time is the worst period covering it
      const rank = (x: string) => ['green', 'yellow', 'vsc', 'sc', 'red'].indexOf(x);
      for (const p of tl.periods) expect(rank(tl.stateAt((p.start + p.end) / 2))).toBeGreaterThanOrEqual(rank(p.state));
      expect(tl.stateAt(tl.raceStart - 1000)).toBe('green');
    }
    expect(checked).toBeGreaterThan(4);
    expect(races.get(3)!.race.tl.bands().filter((b) => b.state === 'red')).toHaveLength(3);
  });

  it('DRS: off on laps 1–2 and from a neutralised lap until two laps after it, else on', () => {
    const races = loadRaces();
    for (const { race } of races.values()) {
      const tl = race.tl;
      const neutral = (n: number) => ['sc', 'vsc', 'red'].includes(tl.stateOfLap(n));
      for (let n = 1; n <= tl.leaderTimes.length; n++) {
        const expected = n >= 3 && !neutral(n) && !neutral(n - 1) && !neutral(n - 2);
        expect(tl.drsEnabled(n), `lap ${n}`).toBe(expected);
      }
    }
    const aus = races.get(3)!.race.tl;
    const red = aus.bands().find((b) => b.state === 'red')!;
    expect([red.toLap + 1, red.toLap + 2].map((n) => aus.stateOfLap(n) === 'green' && aus.drsEnabled(n))).toEqual([false, false]);
  });

  it('countLE counts the elements <= x of an ascending array (duplicates included)', () => {
    const xs = [1, 2, 2, 2, 5, 8, 8, 13];
    for (const x of [-1, 0, 1, 1.5, 2, 3, 5, 7.9, 8, 12, 13, 20]) expect(countLE(xs, x), `x = ${x}`).toBe(xs.filter((v) => v <= x).length);
    expect(countLE([], 3)).toBe(0);
  });
});
