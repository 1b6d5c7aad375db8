// GBDT bagging and feature sampling stated draw by draw (tiny data, fast enough for mutation testing): the rows in
// the bag and the features a tree may use follow from the seeded PRNG exactly as documented (one draw per group when
// the data set has groups, else one per row; then a partial Fisher–Yates over the features).
import { describe, expect, it } from 'vitest';
import { rng, trainGbdt } from './index.js';

// one-leaf trees: each round's leaf is the mean residual of the rows in its bag, so with learning rate 1 the model
// predicts the mean label of the last round's bag, and with rate ½ it moves half way there every round
const meanOf = (y: ArrayLike<number>, bag: boolean[]): number => {
  let s = 0;
  let n = 0;
  bag.forEach((b, i) => {
    if (b) {
      s += y[i]!;
      n++;
    }
  });
  return s / n;
};

describe('bagging', () => {
  // five races (groups) of 1–3 rows; labels that identify the bag: each group's rows are 10^g
  const group = [0, 0, 1, 1, 1, 2, 3, 3, 4];
  const y = Float64Array.from(group, (g, i) => 10 ** g + i * 1e-3);
  const rows = group.length;
  const x = Float64Array.from({ length: rows }, (_, i) => i);

  /** The bags of `rounds` rounds: one draw per group (at its first row) when grouped, else one per row. */
  const bags = (seed: number, rounds: number, fraction: number, grouped: boolean): boolean[][] => {
    const r = rng(seed);
    return Array.from({ length: rounds }, () => {
      let keep = false;
      return group.map((g, i) => {
        if (!grouped || i === 0 || g !== group[i - 1]) keep = r() < fraction;
        return keep;
      });
    });
  };
  const train = (seed: number, rounds: number, learningRate: number, grouped: boolean, fraction = 0.5) =>
    trainGbdt(
      { x, rows, cols: 1, y, ...(grouped ? { group: Float64Array.from(group) } : {}) },
      { numRounds: rounds, numLeaves: 1, learningRate, baggingFraction: fraction, minDataInLeaf: 1, seed },
    );

  it('by race: a group is in or out as a whole, one draw per group', () => {
    for (const seed of [1, 2, 5, 9]) {
      const [bag] = bags(seed, 1, 0.5, true);
      expect(bag!.some(Boolean) && !bag!.every(Boolean), `seed ${seed}: a partial bag`).toBe(true);
      const p = train(seed, 1, 1, true).predict(x, rows);
      for (let i = 0; i < rows; i++) expect(p[i], `seed ${seed}`).toBeCloseTo(meanOf(y, bag!), 9);
    }
  });

  it('without groups: one draw per row', () => {
    for (const seed of [1, 2, 5]) {
      const [bag] = bags(seed, 1, 0.5, false);
      const p = train(seed, 1, 1, false).predict(x, rows);
      for (let i = 0; i < rows; i++) expect(p[i], `seed ${seed}`).toBeCloseTo(meanOf(y, bag!), 9);
    }
  });

  it('a new bag every round from the same stream; out-of-bag rows get every tree', () => {
    for (const grouped of [true, false]) {
      const seed = 3;
      const bs = bags(seed, 4, 0.6, grouped);
      expect(bs.every((b) => b.some(Boolean))).toBe(true);
      // F starts at the mean of all rows and moves half way to each round's bag mean
      let f = meanOf(y, group.map(() => true));
      for (const b of bs) f += 0.5 * (meanOf(y, b) - f);
      const p = train(seed, 4, 0.5, grouped, 0.6).predict(x, rows);
      for (let i = 0; i < rows; i++) expect(p[i], `grouped ${grouped}`).toBeCloseTo(f, 9);
    }
  });

  it('a bagging fraction of 1 keeps every row (and draws nothing)', () => {
    const p = train(4, 1, 1, true, 1).predict(x, rows);
    for (let i = 0; i < rows; i++) expect(p[i]).toBeCloseTo(meanOf(y, group.map(() => true)), 9);
  });
});

describe('feature sampling', () => {
  // a full factorial of four binary features, y = Σ w_f·x_f with w = 1, 2, 4, 8: the features are orthogonal, so a
  // two-leaf tree splits on the heaviest feature it may use
  const rows = 16;
  const cols = 4;
  const x = Float64Array.from({ length: rows * cols }, (_, k) => (Math.floor(k / cols) >> k % cols) & 1);
  const y = Float64Array.from({ length: rows }, (_, r) => [0, 1, 2, 3].reduce((s, f) => s + (2 ** f) * x[r * cols + f]!, 0));

  /** The features of each round: the first k of a partial Fisher–Yates shuffle, carried over between rounds. */
  const subsets = (seed: number, rounds: number, k: number): number[][] => {
    const r = rng(seed);
    const feats = [0, 1, 2, 3];
    return Array.from({ length: rounds }, () => {
      for (let i = 0; i < k; i++) {
        const j = i + Math.floor(r() * (cols - i));
        [feats[i], feats[j]] = [feats[j]!, feats[i]!];
      }
      return feats.slice(0, k).sort();
    });
  };

  it('each tree splits on the heaviest feature of its own seeded subset (k = round(fraction · columns))', () => {
    for (const [fraction, k] of [[0.5, 2], [0.3, 1], [0.6, 2], [0.7, 3]] as const) {
      const seed = 11;
      const m = trainGbdt({ x, rows, cols, y }, { numRounds: 6, numLeaves: 2, minDataInLeaf: 1, learningRate: 0.1, featureFraction: fraction, seed });
      const want = subsets(seed, 6, k).map((s) => Math.max(...s));
      expect(m.trees.map((t) => t.feature[0]), `fraction ${fraction}`).toEqual(want);
      expect(new Set(want).size, `fraction ${fraction}: the subsets differ`).toBeGreaterThan(1);
    }
  });

  it('at least one feature, and all of them at a fraction of 1 (no draws: bagging sees the same stream)', () => {
    const tiny = trainGbdt({ x, rows, cols, y }, { numRounds: 3, numLeaves: 2, minDataInLeaf: 1, featureFraction: 0.01, seed: 2 });
    expect(tiny.trees.map((t) => t.feature[0])).toEqual(subsets(2, 3, 1).map((s) => s[0]));
    const all = trainGbdt({ x, rows, cols, y }, { numRounds: 3, numLeaves: 2, minDataInLeaf: 1, featureFraction: 1, seed: 2 });
    expect(all.trees.map((t) => t.feature[0])).toEqual([3, 3, 3]);
  });

  it('default feature names are f0, f1, …', () => {
    const m = trainGbdt({ x, rows, cols, y }, { numRounds: 1, numLeaves: 2, minDataInLeaf: 1 });
    expect(m.gainImportance().map((g) => g.feature).sort()).toEqual(['f0', 'f1', 'f2', 'f3']);
  });
});

describe('feature sampling: ties', () => {
  // f0 and f1 are the same column: equal gains, and the lower index wins whatever order the shuffle drew them in
  const rows = 8;
  const b = [0, 1, 0, 1, 0, 1, 0, 1];
  const c = [0, 0, 1, 1, 0, 0, 1, 1];
  const x = Float64Array.from({ length: rows * 3 }, (_, k) => (k % 3 === 2 ? c : b)[Math.floor(k / 3)]!);
  const y = Float64Array.from({ length: rows }, (_, r) => 4 * b[r]! + c[r]!);

  it('the subset is used in ascending feature order', () => {
    const seed = 5;
    const r = rng(seed);
    const feats = [0, 1, 2];
    const drawn: number[][] = [];
    for (let t = 0; t < 8; t++) {
      for (let i = 0; i < 2; i++) {
        const j = i + Math.floor(r() * (3 - i));
        [feats[i], feats[j]] = [feats[j]!, feats[i]!];
      }
      drawn.push(feats.slice(0, 2));
    }
    expect(drawn.some((d) => d[0] === 1 && d[1] === 0), 'a round drew f1 before f0').toBe(true);
    const m = trainGbdt({ x, rows, cols: 3, y }, { numRounds: 8, numLeaves: 2, minDataInLeaf: 1, learningRate: 0.1, featureFraction: 0.67, seed });
    expect(m.trees.map((t) => t.feature[0])).toEqual(drawn.map((d) => (d.includes(0) ? 0 : d.includes(1) ? 1 : 2)));
  });
});

describe('min child hessian: the edge', () => {
  // train.test.ts's hand-computed tree (y = 0, 2, 6, 12 on two binary features): its one-row leaves have hessian 1
  const data = { x: Float64Array.from([0, 0, 0, 1, 1, 0, 1, 1]), rows: 4, cols: 2, y: Float64Array.from([0, 2, 6, 12]) };
  const gains = (minSumHessian: number, weight?: Float64Array) =>
    trainGbdt({ ...data, ...(weight ? { weight } : {}) }, { numRounds: 1, minDataInLeaf: 1, numLeaves: 4, minSumHessian }, undefined, { featureNames: ['f0', 'f1'] })
      .gainImportance()
      .map((x) => [x.gain, x.splits]);

  it('a child whose hessian equals the minimum may be made; one below it may not', () => {
    expect(gains(1)).toEqual([[64, 1], [20, 2]]);
    expect(gains(1.000001)).toEqual([[64, 1], [0, 0]]);
    // weighted rows (hessian = weight): weights 2 make one-row leaves of hessian 2, and the gains double
    const w = Float64Array.from([2, 2, 2, 2]);
    expect(gains(2, w)).toEqual([[128, 1], [40, 2]]);
    expect(gains(2.5, w)).toEqual([[128, 1], [0, 0]]);
  });
});
