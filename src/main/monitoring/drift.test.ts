import { describe, expect, it } from 'vitest';
import { detectDrift, windows, type RaceSample } from './drift.js';
import { binomialQuantile, compare, rng } from './stats.js';

/** Synthetic races of 20 entries: grid 1..20 (exactly, as in real races), a gap ~ exp, a form ~ normal. */
function races(count: number, seed: number, shift: { gap?: number; form?: number } = {}): RaceSample[] {
  const r = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return Array.from({ length: count }, (_, i) => ({
    race: `r${seed}-${i}`,
    values: {
      grid: Array.from({ length: 20 }, (_, k) => k + 1),
      gap: Array.from({ length: 20 }, () => -Math.log(1 - r()) * (shift.gap ?? 1)),
      form: Array.from({ length: 20 }, () => 10 + 4 * normal() + (shift.form ?? 0)),
    },
  }));
}

describe('drift over windows of races', () => {
  const features = ['grid', 'gap', 'form'];
  const reference = races(120, 1);

  // The test is exact (permutation p-values, min-p over features), so under exchangeable races P(alarm) ≤ 5 %.
  // A finite number of trials can only show the rate is not above 5 %: the count must stay within the one-sided
  // 99 % binomial bound of a 5 % rate (a 10 % rate would break it in ≈ 86 % of seeds at 300 trials).
  it('keeps the family-wise false-alarm rate of unchanged windows at or below 5 %', () => {
    let alarms = 0;
    let naive = 0;
    const trials = 300;
    for (let t = 0; t < trials; t++) {
      const w = races(6, 1000 + t);
      const res = detectDrift(reference, w, features, { draws: 100, seed: t });
      if (res.drifted.length) alarms++;
      // the fixed rule this replaces: PSI > 0.1 on any feature
      if (features.some((f) => res.features[f]!.psi > 0.1)) naive++;
    }
    expect(alarms).toBeLessThanOrEqual(binomialQuantile(trials, 0.05, 0.99));
    expect(naive / trials).toBeGreaterThan(0.3);
  });

  it('names exactly the shifted features', () => {
    const res = detectDrift(reference, races(6, 77, { gap: 2, form: 3 }), features, { draws: 400 });
    expect([...res.drifted].sort()).toEqual(['form', 'gap']);
    expect(res.features.grid!.drift).toBe(false);
    expect(res.features.gap!.psi).toBeGreaterThan(res.features.gap!.psi_threshold);
  });

  it('reports the same PSI and KS as a plain comparison', () => {
    const w = races(6, 5);
    const res = detectDrift(reference, w, features, { draws: 50 });
    const plain = compare(reference.flatMap((r) => [...r.values.gap!]), w.flatMap((r) => [...r.values.gap!]));
    expect(res.features.gap!.psi).toBeCloseTo(plain.psi, 10);
    expect(res.features.gap!.ks_p).toBeCloseTo(plain.ksP, 10);
  });

  it('thresholds shrink as the window grows', () => {
    const small = detectDrift(reference.slice(0, 80), reference.slice(80, 86), features, { draws: 300 });
    const big = detectDrift(reference.slice(0, 80), reference.slice(80, 120), features, { draws: 300 });
    expect(big.features.gap!.psi_threshold).toBeLessThan(small.features.gap!.psi_threshold);
    expect(big.features.gap!.ks_threshold).toBeLessThan(small.features.gap!.ks_threshold);
  });

  it('splits races into windows, a short tail joining the last one', () => {
    expect(windows([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([[1, 2, 3], [4, 5, 6, 7]]);
    expect(windows([1, 2], 5)).toEqual([[1, 2]]);
  });
});

describe('binomial bound', () => {
  it('matches known quantiles', () => {
    expect(binomialQuantile(300, 0.05, 0.99)).toBe(24);
    expect(binomialQuantile(20, 0.5, 0.5)).toBe(10);
  });
});
