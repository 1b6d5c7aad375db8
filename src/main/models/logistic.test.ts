import { describe, expect, it } from 'vitest';
import { rng } from './gbdt/index.js';
import { fitConditionalLogit, fitLogistic, logisticMargin } from './logistic.js';

/** `groups` races of `size` cars with two uniform features; the winner has the largest w·x plus Gumbel noise. */
function simulatedRaces(seed: number, groups: number, size: number, w: [number, number]) {
  const r = rng(seed);
  const rows = groups * size;
  const x = new Float64Array(rows * 2);
  const y = new Float64Array(rows);
  const g = new Int32Array(rows);
  for (let k = 0; k < groups; k++) {
    let best = -1;
    let bv = -Infinity;
    for (let j = 0; j < size; j++) {
      const i = k * size + j;
      g[i] = k;
      x[2 * i] = r() * 2 - 1;
      x[2 * i + 1] = r() * 2 - 1;
      const u = w[0] * x[2 * i]! + w[1] * x[2 * i + 1]! - Math.log(-Math.log(r()));
      if (u > bv) [bv, best] = [u, i];
    }
    y[best] = 1;
  }
  return { x, y, g, rows };
}

describe('logistic models', () => {
  it('conditional logit recovers the utility weights of simulated races (Gumbel noise)', () => {
    const { x, y, g, rows } = simulatedRaces(3, 3000, 6, [2, -1]);
    const m = fitConditionalLogit(x, rows, y, g, ['a', 'b'], 1e-3);
    // coefficients are on the standardised scale: multiply back by the std to compare with the raw weights
    expect(m.coef[0]! / m.scaler.std[0]!).toBeCloseTo(2, 0);
    expect(m.coef[1]! / m.scaler.std[1]!).toBeCloseTo(-1, 0);
    expect(Math.abs(m.coef[0]! / m.scaler.std[0]! - 2)).toBeLessThan(0.25);
  });

  it('conditional logit with a penalty per feature: a huge one pins that weight near zero, leaving the fit of the others', () => {
    const { x, y, g, rows } = simulatedRaces(8, 1500, 5, [1.5, 1]);
    const x1 = Float64Array.from({ length: rows }, (_, i) => x[2 * i]!);
    const pinned = fitConditionalLogit(x, rows, y, g, ['a', 'b'], [1e-3, 1e9]);
    const alone = fitConditionalLogit(x1, rows, y, g, ['a'], 1e-3);
    expect(Math.abs(pinned.coef[1]!)).toBeLessThan(1e-6);
    expect(pinned.coef[0]!).toBeCloseTo(alone.coef[0]!, 5);
    const free = fitConditionalLogit(x, rows, y, g, ['a', 'b'], [1e-3, 1e-3]);
    expect(free.coef).toEqual(fitConditionalLogit(x, rows, y, g, ['a', 'b'], 1e-3).coef);
    expect(free.coef[1]! / free.scaler.std[1]!).toBeGreaterThan(0.7);
    expect(() => fitConditionalLogit(x, rows, y, g, ['a', 'b'], [1])).toThrow(/1 penalties for 2 features/);
  });

  it('binary logistic regression separates a linear boundary and imputes NaN with the median', () => {
    const r = rng(5);
    const n = 4000;
    const x = Float64Array.from({ length: n * 2 }, (_, i) => (i % 97 === 0 ? NaN : r() * 4 - 2));
    const y = Float64Array.from({ length: n }, (_, i) => (1.5 * (x[2 * i] || 0) - (x[2 * i + 1] || 0) + (r() - 0.5) > 0 ? 1 : 0));
    const m = fitLogistic(x, n, y, ['a', 'b'], 1);
    const z = logisticMargin(m, Float64Array.from([1, 0, -1, 0, NaN, NaN]), 3);
    expect(z[0]).toBeGreaterThan(2);
    expect(z[1]).toBeLessThan(-2);
    expect(Number.isFinite(z[2]!)).toBe(true);
  });
});
