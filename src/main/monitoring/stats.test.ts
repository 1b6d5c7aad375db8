import { describe, expect, it } from 'vitest';
import { compare, ksPValue, rng } from './stats.js';

describe('PSI and KS', () => {
  it('are zero for identical samples and grow with a shift', () => {
    const r = rng(3);
    const a = Array.from({ length: 2000 }, () => r());
    const same = compare(a, a);
    expect(same.psi).toBeCloseTo(0, 10);
    expect(same.ksD).toBe(0);
    expect(same.ksP).toBe(1);
    const shifted = compare(a, a.map((x) => x + 0.2));
    expect(shifted.ksD).toBeCloseTo(0.2, 1);
    expect(shifted.psi).toBeGreaterThan(0.2);
    expect(shifted.ksP).toBeLessThan(1e-6);
  });

  it('bins on reference deciles (uniform reference → ten equal bins)', () => {
    const ref = Array.from({ length: 1000 }, (_, i) => i);
    // current: everything in the top decile → PSI = Σ (q−p) ln(q/p) with q = 1 in one bin, floor elsewhere
    const cur = Array.from({ length: 100 }, (_, i) => 950 + (i % 50));
    const c = compare(ref, cur);
    const floor = 1e-4;
    const expected = (1 - 0.1) * Math.log(1 / 0.1) + 9 * (floor - 0.1) * Math.log(floor / 0.1);
    expect(c.psi).toBeCloseTo(expected, 6);
    expect(c.ksD).toBeCloseTo(0.95, 6);
  });

  it('merges tied decile edges of integer features', () => {
    const ref = Array.from({ length: 400 }, (_, i) => (i % 20) + 1); // grid positions 1..20
    expect(compare(ref, ref.slice(0, 200)).psi).toBeCloseTo(0, 10);
    // everyone starting from P1/P2 is the first bin only
    const c = compare(ref, Array.from({ length: 20 }, (_, i) => (i % 2) + 1));
    expect(c.ksD).toBeCloseTo(0.9, 6);
  });

  it('KS p-value matches the Kolmogorov distribution', () => {
    // λ = 1.36 → p ≈ 0.049 (classic 5 % critical value), large samples
    const n = 1e6;
    const d = 1.36 / Math.sqrt(n / 2);
    expect(ksPValue(d, n, n)).toBeCloseTo(0.049, 2);
    expect(ksPValue(0, 10, 10)).toBe(1);
  });
});
