// In-race win probability on the real laps: trained on 2019–2021 (flat pre-race prior), checked on 2022.
import { describe, expect, it } from 'vitest';
import { sharedDb } from '../../../../tests/helpers/db.js';
import { checkpointGroups, groupMetrics } from './evaluate.js';
import { fitWinProb, ORDER_FEATURES, predictWinProb, stageOf } from './model.js';
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
});
