// In-race win probability on the real laps: trained on 2019–2021 (flat pre-race prior), checked on 2022.
import { describe, expect, it } from 'vitest';
import { sharedDb } from '../../../../tests/helpers/db.js';
import { checkpointGroups, groupMetrics } from './evaluate.js';
import { EXTRA_L2, FEATURE_SETS, fitHedgedWinProb, fitWinProb, ORDER_FEATURES, predictWinProb, stageOf } from './model.js';
import { median } from '../../util/stats.js';
import { raceStates, STATE_FEATURES } from './state.js';

describe('in-race win probability', () => {
  const db = sharedDb();
  const train = raceStates(db, 2019, 2021, new Map());
  const test = raceStates(db, 2022, 2022, new Map());
  const model = fitWinProb(train, [2019, 2021]);
  const p = predictWinProb(model, test);
  const col = (name: (typeof STATE_FEATURES)[number]) => STATE_FEATURES.indexOf(name);

  it('builds one group per race and lap, with the winner in every group of a finished race', () => {
    expect(test.groupInfo.length).toBeGreaterThan(20 * 40);
    const withWinner = test.groups.filter(([s, e]) => test.won.subarray(s, e).includes(1)).length;
    expect(withWinner / test.groups.length).toBeGreaterThan(0.99);
    expect(stageOf(0.95)).toBe(9);
  });

  it('gives a field whose P(win) sums to one after every lap, and P(points) ≥ P(podium) ≥ P(win)', () => {
    for (const [s, e] of test.groups) {
      let z = 0;
      for (let i = s; i < e; i++) {
        z += p.win[i]!;
        expect(p.podium[i]!).toBeGreaterThanOrEqual(p.win[i]! - 1e-12);
        expect(p.points[i]!).toBeGreaterThanOrEqual(p.podium[i]! - 1e-12);
      }
      expect(z).toBeCloseTo(1, 9);
    }
  });

  it('makes a leader with a big gap late in the race a strong favourite, more so than a close leader', () => {
    const big: number[] = [];
    const close: number[] = [];
    test.groups.forEach(([s], g) => {
      if (test.groupInfo[g]!.fraction < 0.9 || test.x[s * test.cols + col('sc')] || test.x[s * test.cols + col('vsc')]) return;
      const gapBehind = test.x[s * test.cols + col('gap_behind')]!;
      if (gapBehind > 10) big.push(p.win[s]!);
      else if (gapBehind < 1.5) close.push(p.win[s]!);
    });
    expect(big.length).toBeGreaterThan(20);
    expect(close.length).toBeGreaterThan(5);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(big)).toBeGreaterThan(0.85);
    expect(mean(big)).toBeGreaterThan(mean(close));
  });

  it('beats the running order alone at half distance and later on the held-out season', () => {
    const order = predictWinProb(fitWinProb(train, [2019, 2021], ORDER_FEATURES), test).win;
    for (const f of [0.5, 0.75, 0.9]) {
      const gs = checkpointGroups(test, f);
      expect(gs.length).toBeGreaterThan(15);
      expect(groupMetrics(test, gs, p.win).logloss).toBeLessThan(groupMetrics(test, gs, order).logloss + 0.05);
    }
  });

  it('measures recent pace against the leader from the last five green laps of each car', () => {
    const at = (g: number, i: number, f: (typeof STATE_FEATURES)[number]) => test.x[i * test.cols + col(f)]!;
    // lap 3: fewer than three pace laps (lap 1 never counts), so no pace term yet
    const g3 = test.groupInfo.findIndex((gi) => gi.lap === 3);
    for (let i = test.groups[g3]![0]; i < test.groups[g3]![1]; i++) expect(at(g3, i, 'pace_delta')).toBe(0);
    // one race and lap, recomputed from the laps table
    const g = test.groupInfo.findIndex((gi) => gi.race === '2022-4' && gi.lap === 30);
    expect(g).toBeGreaterThanOrEqual(0);
    const [s, e] = test.groups[g]!;
    const pace = (driver: string) =>
      median(
        (db
          .prepare(
            `SELECT lap_time_s AS t FROM laps WHERE season = 2022 AND round = 4 AND session = 'race' AND driver_ref = ?
             AND lap_number BETWEEN 2 AND 30 AND lap_time_s IS NOT NULL AND pit_in_s IS NULL AND pit_out_s IS NULL
             AND track_status = '1' ORDER BY lap_number DESC LIMIT 5`,
          )
          .all(driver) as { t: number }[]).map((r) => r.t),
      );
    const lead = pace(test.driver[s]!);
    expect(at(g, s, 'pace_delta')).toBe(0);
    const remaining = 63 - 30;
    let checked = 0;
    for (let i = s + 1; i < e; i++) {
      const want = Math.max(-2, Math.min(2, lead - pace(test.driver[i]!)));
      expect(at(g, i, 'pace_delta')).toBeCloseTo(want, 9);
      expect(at(g, i, 'pace_gain_scaled')).toBeCloseTo((want * remaining) / Math.sqrt(remaining + 1), 9);
      if (want !== 0) checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('chooses the feature set and the running-order share on the last training seasons only', () => {
    const lines: string[] = [];
    const m = fitHedgedWinProb(train, [2019, 2021], (l) => lines.push(l));
    const chosen = lines.find((l) => l.includes('validated on 2020,2021'));
    expect(chosen).toBeDefined();
    const [set, l2] = /→ (\S+)@l2=(\S+);/.exec(chosen!)!.slice(1) as [string, string];
    expect(m.features).toEqual(FEATURE_SETS[set]!(train.features));
    expect(EXTRA_L2).toContain(Number(l2));
    expect(m.extraL2 ?? 1).toBe(Number(l2));
    expect(m.stages.every((st) => st.order && st.alpha !== undefined && st.alpha >= 0 && st.alpha <= 0.5)).toBe(true);
    const pw = predictWinProb(m, test).win;
    const [s, e] = test.groups[100]!;
    expect(pw.subarray(s, e).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
});
