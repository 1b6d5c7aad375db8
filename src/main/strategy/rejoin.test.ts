// Pit loss and rejoin on the real data: a Bahrain 2023 stop measured by hand, the circuit's table, a known 2023
// rejoin, the evaluation's stop set and JSON shape (the API: tests/strategist.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDb } from '../../../tests/helpers/db.js';
import type { Db } from '../data/db.js';
import { median } from '../util/stats.js';
import { circuitPitLoss, loadPitHistory, PACE_WINDOW, raceStops } from './pit-loss.js';
import { loadRaceStates } from './race-state.js';
import { baselinePosition, evalStops, rejoinEval, score } from './rejoin-eval.js';
import { pitLossAt, rejoinAt } from './rejoin-service.js';

let db: Db;
beforeAll(() => {
  db = sharedDb();
});
afterAll(() => db.close());

describe('pit loss', () => {
  it("Hamilton's lap-12 stop, Bahrain 2023: in-lap + out-lap minus twice the median of his last clean laps", () => {
    const laps = db
      .prepare(
        `SELECT lap_number AS n, lap_time_s AS t, track_status AS ts, pit_in_s AS pin, pit_out_s AS pout, is_accurate AS acc, compound
         FROM laps WHERE season = 2023 AND round = 1 AND session = 'race' AND driver = 'HAM' ORDER BY lap_number`,
      )
      .all() as { n: number; t: number; ts: string; pin: number | null; pout: number | null; acc: number; compound: string }[];
    const inLap = laps.find((l) => l.n === 12)!;
    const outLap = laps.find((l) => l.n === 13)!;
    expect(inLap.pin).not.toBeNull();
    expect(outLap.pout).not.toBeNull();
    // by hand: the last PACE_WINDOW laps before the in-lap that were clean (green, accurate, not in/out, lap > 1)
    const clean = laps.filter((l) => l.n < 12 && l.n > 1 && l.ts === '1' && l.acc === 1 && l.pin === null && l.pout === null).slice(-PACE_WINDOW);
    const ref = median(clean.map((l) => l.t));
    const hand = inLap.t + outLap.t - 2 * ref;
    const race = loadRaceStates(db, [2023, 2023], { round: 1 })[0]!;
    const stop = raceStops(race, 'bahrain').find((s) => s.driver === 'HAM' && s.lap === 12)!;
    expect(stop.condition).toBe('green');
    expect(stop.loss).toBeCloseTo(hand, 6);
    expect(stop.inLap).toBeCloseTo(inLap.t - ref, 6);
    expect(hand).toBeGreaterThan(18);
    expect(hand).toBeLessThan(28);
  });

  it('the Bahrain table: green p10 < p50 < p90 around 22 s on hundreds of stops; fitted before a race uses only earlier races', () => {
    const h = loadPitHistory(db, 'bahrain');
    const all = circuitPitLoss(h, 'bahrain');
    expect(all.basis).toBe('circuit');
    expect(all.green.n).toBeGreaterThan(150);
    expect(all.green.p10).toBeLessThan(all.green.p50);
    expect(all.green.p50).toBeLessThan(all.green.p90);
    expect(all.green.p50).toBeGreaterThan(19);
    expect(all.green.p50).toBeLessThan(26);
    expect(all.green.inLap + all.green.outLap).toBeGreaterThan(all.green.p10);
    expect(all.lane.n).toBeGreaterThan(100);
    const before2023 = circuitPitLoss(h, 'bahrain', { season: 2023, round: 1 });
    expect(before2023.green.n).toBe(h.stops.filter((s) => s.condition === 'green' && s.season < 2023).length);
    expect(before2023.green.n).toBeLessThan(all.green.n);
  });

  it('a circuit with no earlier laps borrows: Las Vegas 2023 falls back, and an unknown circuit is a clear error', () => {
    const t = circuitPitLoss(loadPitHistory(db), 'vegas', { season: 2023, round: 21 });
    expect(t.basis).not.toBe('circuit');
    expect(t.samples.length).toBeGreaterThan(100);
    expect(() => pitLossAt(db, 'nowhere')).toThrow(/No circuit "nowhere"/);
  });
});

describe('rejoin', () => {
  it('Hamilton boxing on lap 12, Bahrain 2023 (P5 before): rejoins P8 as he did, ahead of Piastri', () => {
    const r = rejoinAt(db, { season: 2023, round: 1, driver: 'HAM', lap: 12 });
    expect(r.current).toBe(5);
    expect(r.position).toBe(8);
    expect(r.carBehind).toBe('PIA');
    const total = Object.values(r.probabilities).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 2);
    expect(r.probabilities['8']).toBeGreaterThan(0.5);
    expect(r.gapAhead).toBeGreaterThan(0);
    expect(r.pitLoss.p10).toBeLessThan(r.pitLoss.p90);
    // driverRef works too, and the answer is reproducible (seeded)
    expect(rejoinAt(db, { season: 2023, round: 1, driver: 'hamilton', lap: 12 })).toEqual(r);
  });

  it('bad input names the field', () => {
    expect(() => rejoinAt(db, { season: 2023, round: 1, driver: 'XYZ', lap: 12 })).toThrow(/No driver "XYZ"/);
    expect(() => rejoinAt(db, { season: 2023, round: 1, driver: 'HAM', lap: 57 })).toThrow(/lap 57 is out of range/);
    expect(() => rejoinAt(db, { season: 2023, round: 40, driver: 'HAM', lap: 12 })).toThrow(/No race 2023 round 40/);
  });
});

describe('rejoin evaluation', () => {
  it('Bahrain 2023 has the 44 green-flag stops of the reference (lib/rejoin_truth.py), truth = position after the out-lap', () => {
    const race = loadRaceStates(db, [2023, 2023], { round: 1 })[0]!;
    const stops = evalStops(race);
    expect(stops).toHaveLength(44);
    expect(stops.find((s) => s.driver === 'HAM' && s.lap === 12)?.actual).toBe(8);
    expect(stops.find((s) => s.driver === 'VER' && s.lap === 14)?.actual).toBe(2);
    // the naive projection: everyone at the last lap time, the pitting cars + the median loss
    const b = baselinePosition(race, stops.find((s) => s.driver === 'HAM' && s.lap === 12)!, 22.6);
    expect(b).toBeGreaterThanOrEqual(1);
  });

  it('score: exact, within one and MAE', () => {
    expect(score([[3, 3], [4, 3], [7, 3], [1, 1]])).toEqual({ exact: 0.5, within1: 0.75, mae: 1.25 });
  });

  it('2023: the JSON shape, and the model beats the naive baseline', () => {
    const e = rejoinEval(db, [2023, 2023]);
    expect(Object.keys(e).sort()).toEqual(['baseline', 'exact', 'mae', 'seasons', 'stops', 'within1']);
    expect(Object.keys(e.baseline).sort()).toEqual(['exact', 'mae', 'within1']);
    expect(e.stops).toBe(531);
    expect(e.exact).toBeGreaterThan(e.baseline.exact);
    expect(e.within1).toBeGreaterThan(e.baseline.within1);
    expect(e.mae).toBeLessThan(e.baseline.mae);
  }, 120_000);
});
