// GBDT training rules at their edges, on tiny data (fast enough for mutation testing): the leaf-size and hessian
// minimums on each side of a split, early stopping only with a validation set and a patience, and the unweighted
// squared-loss fast path giving the same trees as the general path (unit weights) with and without bagging.
import { describe, expect, it } from 'vitest';
import { rng, trainGbdt } from './index.js';

// ten rows on one feature x = 0…9, all y = 0 but one outlier of 100 at either end
const x = Float64Array.from({ length: 10 }, (_, i) => i);
const outlierAt = (i: number) => Float64Array.from(x, (_, k) => (k === i ? 100 : 0));
const stump = (y: Float64Array, params: Record<string, number>) =>
  Array.from(trainGbdt({ x, rows: 10, cols: 1, y }, { numRounds: 1, numLeaves: 2, learningRate: 1, maxBins: 16, ...params }).predict(x, 10));
const round9 = (v: number[]) => v.map((p) => Math.round(p * 1e9) / 1e9);

describe('the minimums hold on both sides of a split', () => {
  it('minDataInLeaf: the outlier alone would gain most, so it takes its neighbour along (left end and right end)', () => {
    expect(round9(stump(outlierAt(0), { minDataInLeaf: 1 }))).toEqual([100, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(round9(stump(outlierAt(0), { minDataInLeaf: 2 }))).toEqual([50, 50, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(round9(stump(outlierAt(9), { minDataInLeaf: 2 }))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 50, 50]);
    expect(round9(stump(outlierAt(9), { minDataInLeaf: 3 }))).toEqual(round9([0, 0, 0, 0, 0, 0, 0, 100 / 3, 100 / 3, 100 / 3]));
    // no split leaves five rows on each side of six: one leaf, the mean
    expect(round9(stump(outlierAt(9), { minDataInLeaf: 6 }))).toEqual(new Array(10).fill(10));
  });

  it('minSumHessian (unit hessians under squared loss): the same, counted in hessian', () => {
    expect(round9(stump(outlierAt(0), { minDataInLeaf: 1, minSumHessian: 2 }))).toEqual([50, 50, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(round9(stump(outlierAt(9), { minDataInLeaf: 1, minSumHessian: 2 }))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 50, 50]);
  });
});

describe('early stopping', () => {
  // the validation set disagrees with training from the first round: its metric only gets worse
  const y = Float64Array.from(x, (v) => v);
  const valid = { x, rows: 10, cols: 1, y: Float64Array.from(x, (v) => 9 - v) };
  const train = (params: Record<string, number>, withValid: boolean) =>
    trainGbdt({ x, rows: 10, cols: 1, y }, { numRounds: 8, numLeaves: 2, minDataInLeaf: 1, learningRate: 0.3, ...params }, withValid ? valid : undefined);

  it('with a validation set and a patience: keeps the best round (the first) and stops patience rounds after it', () => {
    const m = train({ earlyStoppingRounds: 2 }, true);
    expect(m.bestIteration).toBe(1);
    expect(m.trees).toHaveLength(1);
  });

  it('reports every round to onRound, numbered from 1, with the validation metric when there is one', () => {
    const seen: [number, boolean][] = [];
    trainGbdt({ x, rows: 10, cols: 1, y }, { numRounds: 3, numLeaves: 2, minDataInLeaf: 1 }, valid, { onRound: (round, _train, v) => seen.push([round, v !== undefined]) });
    trainGbdt({ x, rows: 10, cols: 1, y }, { numRounds: 2, numLeaves: 2, minDataInLeaf: 1 }, undefined, { onRound: (round, _train, v) => seen.push([round, v !== undefined]) });
    expect(seen).toEqual([[1, true], [2, true], [3, true], [1, false], [2, false]]);
  });

  it('without a patience, or without a validation set, every round is kept', () => {
    expect(train({ earlyStoppingRounds: 0 }, true).trees).toHaveLength(8);
    expect(train({ earlyStoppingRounds: 2 }, false).trees).toHaveLength(8);
  });
});

describe('the unweighted squared-loss fast path', () => {
  const r = rng(4);
  const rows = 60;
  const cols = 3;
  const xs = Float64Array.from({ length: rows * cols }, () => r() * 2 - 1);
  const y = Float64Array.from({ length: rows }, (_, i) => (xs[i * cols]! > 0 ? 2 : 0) + xs[i * cols + 1]! + 0.1 * r());
  const predict = (weighted: boolean, params: Record<string, number>) =>
    trainGbdt(
      { x: xs, rows, cols, y, ...(weighted ? { weight: new Float64Array(rows).fill(1) } : {}) },
      { numRounds: 6, numLeaves: 4, minDataInLeaf: 3, learningRate: 0.5, seed: 3, ...params },
    ).predict(xs, rows);

  for (const [name, params] of [
    ['every row', {}],
    ['bagging', { baggingFraction: 0.6 }],
  ] as const)
    it(`gives the trees of the general path (unit weights): ${name}`, () => {
      const fast = predict(false, params);
      const general = predict(true, params);
      for (let i = 0; i < rows; i++) expect(fast[i]).toBeCloseTo(general[i]!, 9);
      // and the trees learned something: not the mean everywhere
      expect(Math.max(...fast) - Math.min(...fast)).toBeGreaterThan(1);
    });

  it('is not taken when rows have weights: a one-leaf model stays at the weighted mean round after round', () => {
    const w = Float64Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 5 : 1));
    let sw = 0;
    let swy = 0;
    for (let i = 0; i < rows; i++) {
      sw += w[i]!;
      swy += w[i]! * y[i]!;
    }
    const m = trainGbdt({ x: xs, rows, cols, y, weight: w }, { numRounds: 4, numLeaves: 1, learningRate: 1 });
    for (const p of m.predict(xs, rows)) expect(p).toBeCloseTo(swy / sw, 9);
  });
});
