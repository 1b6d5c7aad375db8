// GBDT training stated exactly on tiny data sets (hand-computed gains and leaf values, each parameter's effect),
// small enough for mutation testing (npm run test:mutation); accuracy on larger data: gbdt.test.ts.
import { describe, expect, it } from 'vitest';
import { GbdtModel, rng, trainGbdt } from './index.js';

const grid = (n: number, cols: number, seed: number): Float64Array => {
  const r = rng(seed);
  return Float64Array.from({ length: n * cols }, () => r() * 2 - 1);
};

describe('gbdt split gain, by hand', () => {
  // Four rows, two binary features, y = 0, 2, 6, 12: the first round starts from the mean (5), so the gradients
  // g = F − y are 5, 3, −1, −7 with unit hessians; a split gains G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ).
  //   root  {A,B,C,D} G=0, H=4: on f0 → (8)²/2 + (−8)²/2 − 0 = 64; on f1 → 4²/2 + (−4)²/2 = 16: f0 wins
  //   {A,B} G=8, H=2 (32): on f1 → 5² + 3² − 32 = 2;   {C,D} G=−8, H=2 (32): on f1 → 1² + 7² − 32 = 18
  const data = { x: Float64Array.from([0, 0, 0, 1, 1, 0, 1, 1]), rows: 4, cols: 2, y: Float64Array.from([0, 2, 6, 12]) };
  const importances = (params: Record<string, number>) =>
    trainGbdt(data, { numRounds: 1, minDataInLeaf: 1, ...params }, undefined, { featureNames: ['f0', 'f1'] })
      .gainImportance()
      .map((x) => [x.feature, x.gain, x.splits]);

  it('gain importances equal the hand-computed tree’s, leaf by best gain first', () => {
    expect(importances({ numLeaves: 2 })).toEqual([['f0', 64, 1], ['f1', 0, 0]]);
    expect(importances({ numLeaves: 3 })).toEqual([['f0', 64, 1], ['f1', 18, 1]]); // {C,D} (18) before {A,B} (2)
    expect(importances({ numLeaves: 4 })).toEqual([['f0', 64, 1], ['f1', 20, 2]]);
  });

  it('with L2 (λ = 1) the gains shrink and a split of negative gain is not made', () => {
    // root 64/3 + 64/3 − 0;  {C,D}: 1/2 + 49/2 − 64/3 = 11/3;  {A,B}: 25/2 + 9/2 − 64/3 < 0
    const [f0, f1] = importances({ numLeaves: 4, lambdaL2: 1 });
    expect(f0![1]).toBeCloseTo(128 / 3, 12);
    expect(f1![1]).toBeCloseTo(11 / 3, 12);
    expect([f0![2], f1![2]]).toEqual([1, 1]);
  });
});

describe('gbdt parameters, on the hand-computed data', () => {
  const data = { x: Float64Array.from([0, 0, 0, 1, 1, 0, 1, 1]), rows: 4, cols: 2, y: Float64Array.from([0, 2, 6, 12]) };
  const train = (params: Record<string, number>) => trainGbdt(data, { numRounds: 1, minDataInLeaf: 1, numLeaves: 4, ...params }, undefined, { featureNames: ['f0', 'f1'] });
  const gains = (params: Record<string, number>) => train(params).gainImportance().map((x) => [x.gain, x.splits]);

  it('leaf values are −G/(H+λ) scaled by the learning rate, from the mean', () => {
    expect(Array.from(train({ learningRate: 1 }).predict(data.x, 4))).toEqual([0, 2, 6, 12]);
    expect(Array.from(train({ learningRate: 0.5 }).predict(data.x, 4))).toEqual([2.5, 3.5, 5.5, 8.5]);
    // λ = 1, one split on f0: leaves −8/3 and 8/3 around the mean 5
    const l2 = Array.from(train({ learningRate: 1, lambdaL2: 1, numLeaves: 2 }).predict(data.x, 4));
    [5 - 8 / 3, 5 - 8 / 3, 5 + 8 / 3, 5 + 8 / 3].forEach((v, i) => expect(l2[i]).toBeCloseTo(v, 12));
    // a second round fits what the first left (learning rate 0.5: half the residual again)
    expect(Array.from(train({ learningRate: 0.5, numRounds: 2 }).predict(data.x, 4))).toEqual([1.25, 2.75, 5.75, 10.25]);
  });

  it('numLeaves, maxDepth, minDataInLeaf and minGainToSplit each stop growth where they say', () => {
    expect(gains({ maxDepth: 1 })).toEqual([[64, 1], [0, 0]]);
    expect(gains({ maxDepth: 2 })).toEqual([[64, 1], [20, 2]]);
    expect(gains({ minDataInLeaf: 2 })).toEqual([[64, 1], [0, 0]]); // a 2-row leaf cannot split into two
    expect(gains({ minGainToSplit: 10 })).toEqual([[64, 1], [18, 1]]); // {A,B}'s gain of 2 is not enough
    expect(gains({ minGainToSplit: 18 })).toEqual([[64, 1], [0, 0]]); // strictly greater
    expect(gains({ minSumHessian: 1.5 })).toEqual([[64, 1], [0, 0]]); // a one-row child has hessian 1
  });

  it('a missing value goes to the side that gains most, and predicts there', () => {
    // NaN rows behave like the high ones: they are sent right
    const x = Float64Array.from([0, 0, 1, 1, NaN, NaN]);
    const y = Float64Array.from([0, 0, 10, 10, 10, 10]);
    const m = trainGbdt({ x, rows: 6, cols: 1, y }, { numRounds: 1, learningRate: 1, minDataInLeaf: 1, numLeaves: 2 });
    expect(Array.from(m.predict(Float64Array.from([0, 1, NaN, 0.2]), 4))).toEqual([0, 10, 10, 0]);
    const left = trainGbdt({ x, rows: 6, cols: 1, y: Float64Array.from([0, 0, 10, 10, 0, 0]) }, { numRounds: 1, learningRate: 1, minDataInLeaf: 1, numLeaves: 2 });
    expect(Array.from(left.predict(Float64Array.from([0, 1, NaN]), 3))).toEqual([0, 10, 0]);
  });

  it('rejects a data set without rows or with the wrong number of values', () => {
    expect(() => trainGbdt({ x: new Float64Array(0), rows: 0, cols: 2, y: new Float64Array(0) })).toThrow(/no training rows/);
    expect(() => trainGbdt({ x: new Float64Array(5), rows: 2, cols: 2, y: new Float64Array(2) })).toThrow(/x has 5 values, expected 2×2/);
  });
});

describe('gbdt on small random data', () => {
  const n = 200;
  const x = grid(n, 3, 11);
  const y = Float64Array.from({ length: n }, (_, i) => (x[3 * i]! > 0 ? 1 : 0) + 0.5 * x[3 * i + 1]!);

  it('bagging and feature sampling are seeded: same seed, same model; another seed, another', () => {
    const params = { numRounds: 8, featureFraction: 0.34, baggingFraction: 0.5, minDataInLeaf: 5, numLeaves: 4, seed: 7 };
    const a = trainGbdt({ x, rows: n, cols: 3, y }, params);
    const b = trainGbdt({ x, rows: n, cols: 3, y }, params);
    const c = trainGbdt({ x, rows: n, cols: 3, y }, { ...params, seed: 8 });
    expect(Array.from(b.predict(x, n))).toEqual(Array.from(a.predict(x, n)));
    expect(Array.from(c.predict(x, n))).not.toEqual(Array.from(a.predict(x, n)));
    // one feature per tree: every tree splits on a single feature
    for (const t of a.trees) expect(new Set(Array.from(t.feature).filter((f) => f >= 0)).size).toBeLessThanOrEqual(1);
    expect(Array.from(GbdtModel.fromJSON(JSON.parse(JSON.stringify(a.toJSON()))).predict(x, n))).toEqual(Array.from(a.predict(x, n)));
  });

  it('with bagging, feature sampling and a base margin, the training margins after every round are the model’s own predictions', () => {
    // the same rows as validation set: its margins come from the trees' raw-value predictions, the training margins
    // from the grower (in-bag rows) and the out-of-bag update; both start at init + base margin
    const baseMargin = Float64Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i));
    const d = { x, rows: n, cols: 3, y, baseMargin };
    for (const params of [
      { numRounds: 12, featureFraction: 0.67, baggingFraction: 0.5, minDataInLeaf: 5, numLeaves: 6, seed: 3 },
      { numRounds: 12, baggingFraction: 0.8, minDataInLeaf: 5, numLeaves: 6, seed: 4 },
    ]) {
      const rounds: [number, number][] = [];
      const m = trainGbdt(d, { ...params, earlyStoppingRounds: 0 }, d, { onRound: (_, train, valid) => rounds.push([train, valid!]) });
      expect(rounds).toHaveLength(12);
      for (const [train, valid] of rounds) expect(train).toBeCloseTo(valid, 9);
      // and the losses fall: the trees fit the in-bag rows and the out-of-bag rows get the same trees
      expect(rounds[11]![0]).toBeLessThan(rounds[0]![0] * 0.8);
      // feature sampling: two of three features per tree
      for (const t of m.trees) expect(new Set(Array.from(t.feature).filter((f) => f >= 0)).size).toBeLessThanOrEqual(params.featureFraction ? 2 : 3);
      const raw = m.predictRaw(x, n);
      const withBase = Float64Array.from(raw, (v, i) => v + baseMargin[i]!);
      const mse = withBase.reduce((a, v, i) => a + (v - y[i]!) ** 2, 0) / n;
      expect(mse).toBeLessThan(0.2);
    }
  });

  it('early stopping keeps the round with the best validation metric and stops that many rounds later', () => {
    // the signal plus heavy noise to train on, the clean signal to validate: better, then overfitting
    const r = rng(13);
    const noisy = Float64Array.from(y, (v) => v + 3 * (r() - 0.5));
    const v = grid(100, 3, 12);
    const valid = { x: v, rows: 100, cols: 3, y: Float64Array.from({ length: 100 }, (_, i) => (v[3 * i]! > 0 ? 1 : 0) + 0.5 * v[3 * i + 1]!) };
    const metrics: number[] = [];
    const mse = (raw: Float64Array) => raw.reduce((s, v, i) => s + (v - valid.y[i]!) ** 2, 0) / raw.length;
    const m = trainGbdt({ x, rows: n, cols: 3, y: noisy }, { numRounds: 100, learningRate: 0.1, numLeaves: 4, minDataInLeaf: 10, earlyStoppingRounds: 3 }, valid, {
      validMetric: (raw) => metrics[metrics.push(mse(raw)) - 1]!,
    });
    const best = metrics.indexOf(Math.min(...metrics));
    expect(best).toBeGreaterThan(1);
    expect(m.bestIteration).toBe(best + 1);
    expect(m.trees).toHaveLength(best + 1);
    expect(metrics).toHaveLength(best + 1 + 3);
    expect(metrics.length).toBeLessThan(100);
  });

  it('binary: a logistic model of a step', () => {
    const yb = Float64Array.from({ length: n }, (_, i) => (x[3 * i]! > 0 ? 1 : 0));
    const m = trainGbdt({ x, rows: n, cols: 3, y: yb }, { objective: 'binary', numRounds: 20, learningRate: 0.5, minDataInLeaf: 5, numLeaves: 4 });
    const p = m.predict(x, n);
    for (let i = 0; i < n; i++) expect(p[i]! > 0.5 ? 1 : 0).toBe(yb[i]);
    expect(Math.min(...p)).toBeGreaterThan(0);
    expect(Math.max(...p)).toBeLessThan(1);
  });
});
