import { describe, expect, it } from 'vitest';
import { GbdtModel, rng, trainGbdt, warmHistThreads, workerShards } from './index.js';

function grid(n: number, cols: number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n * cols }, () => r() * 2 - 1);
}

describe('gbdt', () => {
  it('learns XOR (binary) to high accuracy', () => {
    const n = 4000;
    const x = grid(n, 2, 1);
    const y = Float64Array.from({ length: n }, (_, i) => (x[2 * i]! > 0 !== x[2 * i + 1]! > 0 ? 1 : 0));
    const m = trainGbdt({ x, rows: n, cols: 2, y }, { objective: 'binary', numRounds: 60, numLeaves: 8 });
    const xt = grid(2000, 2, 2);
    const p = m.predict(xt, 2000);
    let ok = 0;
    for (let i = 0; i < 2000; i++) ok += (p[i]! > 0.5 ? 1 : 0) === (xt[2 * i]! > 0 !== xt[2 * i + 1]! > 0 ? 1 : 0) ? 1 : 0;
    expect(ok / 2000).toBeGreaterThan(0.97);
  });

  it('learns a step exactly and routes NaN to a learned side', () => {
    const n = 1000;
    const x = Float64Array.from({ length: n }, (_, i) => (i % 10 === 0 ? NaN : i / n));
    const y = Float64Array.from(x, (v) => (Number.isNaN(v) ? 7 : v < 0.37 ? 1 : 5));
    const m = trainGbdt({ x, rows: n, cols: 1, y }, { numRounds: 200, learningRate: 0.3, minDataInLeaf: 5 });
    const p = m.predict(Float64Array.from([0.1, 0.36, 0.38, 0.9, NaN]), 5);
    expect(p[0]).toBeCloseTo(1, 2);
    expect(p[1]).toBeCloseTo(1, 2);
    expect(p[2]).toBeCloseTo(5, 2);
    expect(p[3]).toBeCloseTo(5, 2);
    expect(p[4]).toBeCloseTo(7, 2);
  });

  it('fits a smooth regression to tight error, and early stopping keeps the best round', () => {
    const f = (a: number, b: number) => Math.sin(3 * a) + 0.5 * b * b;
    const mk = (n: number, seed: number) => {
      const x = grid(n, 2, seed);
      return { x, rows: n, cols: 2, y: Float64Array.from({ length: n }, (_, i) => f(x[2 * i]!, x[2 * i + 1]!)) };
    };
    const tr = mk(8000, 3);
    const va = mk(2000, 4);
    const m = trainGbdt(tr, { numRounds: 400, learningRate: 0.1, numLeaves: 31, earlyStoppingRounds: 20 }, va);
    const p = m.predict(va.x, va.rows);
    let se = 0;
    for (let i = 0; i < va.rows; i++) se += (p[i]! - va.y[i]!) ** 2;
    expect(Math.sqrt(se / va.rows)).toBeLessThan(0.03);
    expect(m.bestIteration).toBe(m.trees.length);
    expect(m.bestIteration).toBeGreaterThan(50);
  });

  it('is deterministic under a seed with subsampling, and JSON round-trips', () => {
    const n = 3000;
    const x = grid(n, 4, 5);
    const y = Float64Array.from({ length: n }, (_, i) => x[4 * i]! + 2 * x[4 * i + 2]! * x[4 * i + 3]!);
    const params = { numRounds: 30, featureFraction: 0.5, baggingFraction: 0.7, seed: 42 };
    const a = trainGbdt({ x, rows: n, cols: 4, y }, params);
    const b = trainGbdt({ x, rows: n, cols: 4, y }, params);
    const c = trainGbdt({ x, rows: n, cols: 4, y }, { ...params, seed: 43 });
    const pa = a.predict(x, n);
    expect(Array.from(b.predict(x, n))).toEqual(Array.from(pa));
    expect(Array.from(c.predict(x, n))).not.toEqual(Array.from(pa));
    const back = GbdtModel.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(Array.from(back.predict(x, n))).toEqual(Array.from(pa));
    const imp = a.gainImportance();
    expect(imp[1]!.gain).toBeLessThan(imp[0]!.gain); // feature 1 is pure noise
  });

  it('conditional-logit ranks the winner of each group', () => {
    // 300 groups of 10; the winner is the row with the highest x0 + noise
    const r = rng(9);
    const rows = 3000;
    const x = new Float64Array(rows * 2);
    const y = new Float64Array(rows);
    const group = new Int32Array(rows);
    for (let gI = 0; gI < 300; gI++) {
      let best = -1;
      let bv = -Infinity;
      for (let j = 0; j < 10; j++) {
        const i = gI * 10 + j;
        group[i] = gI;
        x[2 * i] = r();
        x[2 * i + 1] = r();
        const u = 4 * x[2 * i]! + r();
        if (u > bv) [bv, best] = [u, i];
      }
      y[best] = 1;
    }
    const m = trainGbdt({ x, rows, cols: 2, y, group }, { objective: 'conditional-logit', numRounds: 50, minDataInLeaf: 10 });
    const s = m.predict(x, rows);
    let top = 0;
    for (let gI = 0; gI < 300; gI++) {
      let bi = gI * 10;
      for (let j = 1; j < 10; j++) if (s[gI * 10 + j]! > s[bi]!) bi = gI * 10 + j;
      top += y[bi]!;
    }
    expect(top / 300).toBeGreaterThan(0.5); // a random pick would get 0.1
  });
});

describe('gbdt threads', () => {
  // 70,000 rows: two shards, so the second thread takes part
  const n = 70_000;
  const x = grid(n, 4, 11);
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(3 * x[4 * i]!) + x[4 * i + 1]! * x[4 * i + 2]! + (x[4 * i + 3]! > 0.5 ? 1 : 0));
  const weight = Float64Array.from({ length: n }, (_, i) => 1 + (i % 3));
  const same = (a: GbdtModel, b: GbdtModel) => {
    expect(JSON.stringify(b.toJSON())).toBe(JSON.stringify(a.toJSON()));
    expect(Array.from(b.predict(x, n))).toEqual(Array.from(a.predict(x, n)));
  };

  it('trains the identical model on 1, 2 and 3 threads (L2, weighted Huber with bagging and feature sampling)', async () => {
    expect(await warmHistThreads(2)).toBe(2);
    const before = workerShards();
    for (const [params, w] of [
      [{ numRounds: 25 }, undefined],
      [{ objective: 'huber', numRounds: 15, baggingFraction: 0.8, featureFraction: 0.75, seed: 3 }, weight],
    ] as const) {
      const one = trainGbdt({ x, rows: n, cols: 4, y, weight: w }, params, undefined, { threads: 1 });
      const two = trainGbdt({ x, rows: n, cols: 4, y, weight: w }, params, undefined, { threads: 2 });
      const three = trainGbdt({ x, rows: n, cols: 4, y, weight: w }, params, undefined, { threads: 3 });
      same(one, two);
      same(one, three);
      expect(one.trees.length).toBe(params.numRounds);
    }
    expect(workerShards()).toBeGreaterThan(before); // the worker threads did part of the work
  });
});
