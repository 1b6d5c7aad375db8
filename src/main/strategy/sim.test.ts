import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDb } from '../../../tests/helpers/db.js';
import { buildRaceModel, driverIndex, type RaceModel } from './race-model.js';
import { DETERMINISTIC, RaceSim, STOCHASTIC } from './sim.js';
import { tyreDelta } from './tyre-model.js';
import { bestFixed, dpOptimum, planTime, startState, type Stop } from './plan.js';
import { Rng } from '../util/rng.js';

let m: RaceModel;
let ver: number;
beforeAll(async () => {
  m = await buildRaceModel(sharedDb(), 2023, 1);
  ver = driverIndex(m, 'max_verstappen');
}, 60_000);

describe('race model calibrated on 2023 Bahrain', () => {
  it('has the field, laps and plausible circuit parameters', () => {
    expect(m.circuit).toBe('bahrain');
    expect(m.nLaps).toBe(57);
    expect(m.nCars).toBe(20);
    expect(m.track.tumTrack).toBe('Sakhir 2019');
    expect(m.track.pitLoss).toBeGreaterThan(18);
    expect(m.track.pitLoss).toBeLessThan(30);
    expect(m.track.pitLossSc).toBeLessThan(m.track.pitLoss);
    expect(m.events.scPerRace).toBeGreaterThan(0);
    // the actual strategy of the winner: SOFT, stops on laps 14 and 36 (SOFT then HARD)
    expect(m.startCompound[ver]).toBe(0);
    expect(Array.from(m.stopLap.subarray(ver * 6, ver * 6 + m.stopCount[ver]!))).toEqual([14, 36]);
    expect(m.pace[ver]).toBeLessThan(m.pace[driverIndex(m, 'alonso')]!);
  });

  it('orders the compounds: soft is quickest fresh, hard degrades least', () => {
    expect(tyreDelta(m.tyre, 0, 1)).toBeLessThan(tyreDelta(m.tyre, 2, 1));
    expect(tyreDelta(m.tyre, 0, 25) - tyreDelta(m.tyre, 0, 1)).toBeGreaterThan(tyreDelta(m.tyre, 2, 25) - tyreDelta(m.tyre, 2, 1));
  });
});

describe('simulator', () => {
  it('is deterministic under a seed and varies across seeds', () => {
    const a = new RaceSim(m), b = new RaceSim(m);
    a.reset(42, STOCHASTIC);
    a.run();
    b.reset(42, STOCHASTIC);
    b.run();
    expect(Array.from(b.cum)).toEqual(Array.from(a.cum));
    expect(Array.from(b.status)).toEqual(Array.from(a.status));
    b.reset(43, STOCHASTIC);
    b.run();
    expect(Array.from(b.cum)).not.toEqual(Array.from(a.cum));
  });

  it('reproduces the real front two and the winner’s race time within 0.5 % with the actual strategies and events', () => {
    const s = new RaceSim(m);
    s.reset(0, { noise: false, events: 'actual', retirements: true });
    s.run();
    expect([s.order[0], s.order[1]].sort()).toEqual([ver, driverIndex(m, 'perez')].sort());
    expect(Math.abs(s.cum[ver]! - m.actualTime[ver]!) / m.actualTime[ver]!).toBeLessThan(0.005);
  });

  it('charges the pit loss: one extra stop costs about the circuit pit loss', () => {
    const s = new RaceSim(m);
    const run = (stops: Stop[]): number => {
      s.fixedCar = ver;
      s.setPlan(ver, stops);
      s.reset(0, DETERMINISTIC);
      s.run();
      return s.cum[ver]!;
    };
    const one = run([{ lap: 30, compound: 2 }]);
    const two = run([{ lap: 30, compound: 2 }, { lap: 56, compound: 2 }]);
    // a stop on lap 56 costs the pit loss minus one lap on fresh tyres
    expect(two - one).toBeGreaterThan(m.track.pitLoss - 6);
    expect(two - one).toBeLessThan(m.track.pitLoss + 1);
  });

  it('penalises a race on one dry compound', () => {
    const s = new RaceSim(m);
    s.fixedCar = ver;
    s.setPlan(ver, [{ lap: 20, compound: 0 }]);
    s.reset(0, DETERMINISTIC);
    s.run();
    expect(s.ruleMet(ver)).toBe(false);
    expect(s.finalTime(ver)).toBeGreaterThan(s.cum[ver]! + 1000);
  });

  it('samples safety cars at about the circuit rate', () => {
    const s = new RaceSim(m);
    let withSc = 0;
    for (let k = 0; k < 400; k++) {
      s.reset(k, STOCHASTIC);
      if (Array.from(s.status).includes(1)) withSc++;
    }
    const p = 1 - Math.exp(-m.events.scPerRace);
    expect(withSc / 400).toBeGreaterThan(p - 0.1);
    expect(withSc / 400).toBeLessThan(p + 0.1);
  });
});

describe('baselines', () => {
  it('DP ≤ best fixed ≤ any fixed plan, and the single-car model matches the simulator for the leader', () => {
    const s0 = startState(m, ver);
    const dp = dpOptimum(m, ver, s0);
    const bf = bestFixed(m, ver);
    expect(bf.evaluated).toBeGreaterThan(10_000);
    expect(dp.time).toBeLessThanOrEqual(bf.time + 1e-6);
    expect(planTime(m, ver, s0, dp.stops)).toBeCloseTo(dp.time, 6);
    expect(planTime(m, ver, s0, bf.stops)).toBeCloseTo(bf.time, 6);
    const rng = new Rng(7);
    for (let k = 0; k < 300; k++) {
      const a = 1 + Math.floor(rng.next() * 54);
      const b = a + 1 + Math.floor(rng.next() * (56 - a));
      const plan = rng.next() < 0.5 ? [{ lap: a, compound: Math.floor(rng.next() * 3) }] : [
        { lap: a, compound: Math.floor(rng.next() * 3) },
        { lap: Math.min(b, 56), compound: Math.floor(rng.next() * 3) },
      ];
      expect(planTime(m, ver, s0, plan)).toBeGreaterThanOrEqual(bf.time - 1e-6);
    }
  });
});
