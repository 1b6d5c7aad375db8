// "If boxed now" on live laps: a race recording synthesised from the bundled 2024 Bahrain laps, derived as the live
// service derives it, gives the rejoin the database race gives (strategyRejoin, others unknown) at the same lap,
// and reads nothing after the moment it is asked at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDb } from '../../../tests/helpers/db.js';
import { raceRecording } from '../../../tests/helpers/live.js';
import type { LiveLap } from '../../shared/live.js';
import type { Db } from '../data/db.js';
import { loadRaceStates } from '../strategy/race-state.js';
import { newRejoinCache, rejoinAt } from '../strategy/rejoin-service.js';
import { deriveLaps } from '../timing/laps.js';
import { recordingStreams } from './import.js';
import { toLiveLap } from './live-timing.js';
import { readRecording } from './recording.js';
import { liveRaceState, liveRejoin, sessionRace } from './rejoin.js';
import { snapshotAt } from './snapshot.js';

let db: Db;
beforeAll(() => {
  db = sharedDb();
});
afterAll(() => db.close());

describe('the live rejoin', () => {
  const rec = readRecording(raceRecording(1));
  const laps: LiveLap[] = deriveLaps(recordingStreams(rec)).map(toLiveLap).sort((a, b) => a.timeS - b.timeS || a.driverNumber - b.driverNumber);
  const towerAt = (s: number) => snapshotAt(rec, { offsetMs: s * 1000 }).tower;
  /** The moment the last car on the road completes lap n. */
  const lastCrossing = (n: number) => Math.max(...laps.filter((l) => l.lap === n).map((l) => l.timeS));

  it('maps the session to the database race: 2024 round 1 at Bahrain', () => {
    const t = towerAt(lastCrossing(10));
    expect(t.session).toMatchObject({ meeting: 'Bahrain Grand Prix', season: 2024 });
    expect(sessionRace(db, t.session)).toEqual({ season: 2024, round: 1, circuit: 'bahrain' });
    expect(sessionRace(db, { ...t.session!, meeting: 'Nowhere Grand Prix', circuit: 'Sakhir' })).toEqual({ season: 2024, round: null, circuit: 'bahrain' });
    expect(sessionRace(db, { ...t.session!, meeting: 'Nowhere Grand Prix', circuit: null })?.circuit).toBeNull();
  });

  it('equals strategyRejoin on the database race for cars still running the in-lap, with the same threats', () => {
    // The live laps equal the database's but for the session clock's origin and some laps' track status: the
    // synthesised recording has one race-wide TrackStatus timeline, FastF1's per-lap status is each car's own lap
    // window, so around a yellow a lap can be clean in one and not in the other. Compared: every lap whose ten laps
    // before agree on status for every car (most of the race).
    const stored = loadRaceStates(db, [2024, 2024], { round: 1 })[0]!;
    const live = liveRaceState(laps, Infinity);
    const agrees = (lap: number) =>
      [...stored.drivers].every(([code, cells]) => cells.slice(Math.max(1, lap - 10), lap).every((c) => !c || c.status === live.drivers.get(code)?.[c.lap]?.status));
    const cache = newRejoinCache();
    const compared: number[] = [];
    for (let lap = 5; lap <= 55; lap += 5) {
      if (!agrees(lap)) continue;
      const atS = lastCrossing(lap - 1);
      const tower = towerAt(atS);
      const running = laps.filter((l) => l.lap === lap && l.timeS > atS);
      expect(running.length).toBeGreaterThan(0);
      for (const l of running.slice(-3)) {
        const got = liveRejoin(db, laps, { s: atS, session: tower.session, totalLaps: tower.totalLaps }, l.driverNumber, cache);
        const want = rejoinAt(db, { season: 2024, round: 1, driver: l.code!, lap, others: 'none', threats: true }, cache);
        expect(got, `${l.code} lap ${lap}`).toEqual(want);
      }
      compared.push(lap);
    }
    expect(compared).toEqual([25, 30, 35, 40, 45, 50, 55]); // laps 5–20 have a yellow within ten laps
  });

  it('reads nothing after the moment: later laps, and a stop the car ahead makes next lap, change nothing', () => {
    const lap = 16;
    const atS = laps.find((l) => l.code === 'VER' && l.lap === lap - 1)!.timeS + 1; // VER has just started lap 16
    const tower = towerAt(atS);
    const at = { s: atS, session: tower.session, totalLaps: tower.totalLaps };
    const ver = laps.find((l) => l.code === 'VER')!.driverNumber;
    const now = liveRejoin(db, laps.filter((l) => l.timeS <= atS), at, ver)!;
    expect(now.lap).toBe(lap);
    const future = laps.map((l) => (l.timeS > atS ? { ...l, pitIn: true, lapTime: (l.lapTime ?? 90) + 30, timeS: l.timeS + 30 } : l));
    expect(liveRejoin(db, future, at, ver)).toEqual(now);
    // a moment later (VER completed lap 16) the question is the next lap's
    const after = laps.find((l) => l.code === 'VER' && l.lap === lap)!.timeS;
    const t2 = towerAt(after);
    expect(liveRejoin(db, laps, { s: after, session: t2.session, totalLaps: t2.totalLaps }, ver)!.lap).toBe(lap + 1);
  });

  it('a car running the lap behind its last crossing still counts: the field is projected, not shortened', () => {
    const ver = laps.find((l) => l.code === 'VER')!;
    const atS = laps.find((l) => l.code === 'VER' && l.lap === 20)!.timeS + 0.001; // VER just crossed: most cars have not
    const tower = towerAt(atS);
    const r = liveRejoin(db, laps, { s: atS, session: tower.session, totalLaps: tower.totalLaps }, ver.driverNumber)!;
    expect(r.lap).toBe(21);
    const cars = new Set(laps.filter((l) => l.lap === 19).map((l) => l.code));
    const maxPos = Math.max(...Object.keys(r.probabilities).map(Number));
    expect(maxPos).toBeGreaterThan(1);
    expect(maxPos).toBeLessThanOrEqual(cars.size);
    // without the projection the cars behind would be missing: the car behind is known
    expect(r.carBehind).not.toBeNull();
    // and the answer is the one the whole field's crossings give, within the projection's error
    const full = rejoinAt(db, { season: 2024, round: 1, driver: 'VER', lap: 21, others: 'none' });
    expect(r.position).toBe(full.position);
    expect(r.carBehind).toBe(full.carBehind);
    expect(Math.abs(r.gapBehind! - full.gapBehind!)).toBeLessThan(1.5);
  });
});
