// Drift detection stated on small synthetic windows (fast enough for mutation testing): the per-split statistics
// equal a plain comparison, exact permutation p-values, the effect-size floor, thresholds and errors.
// The false-alarm rate over many windows: drift.test.ts.
import { describe, expect, it } from 'vitest';
import { detectDrift, windows, type RaceSample } from './drift.js';
import { compare, rng } from './stats.js';

/** Races of 20 entries: grid 1..20 (ties across races), a gap ~ exp, a form ~ normal; a few missing values. */
function races(count: number, seed: number, shift: { gap?: number; form?: number } = {}): RaceSample[] {
  const r = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return Array.from({ length: count }, (_, i) => ({
    race: `r${seed}-${i}`,
    values: {
      grid: Array.from({ length: 20 }, (_, k) => k + 1),
      gap: Array.from({ length: 20 }, (_, k) =>
        k === 19 && i % 3 === 0 ? NaN : -Math.log(1 - r()) * (shift.gap ?? 1),
      ),
      form: Array.from({ length: 20 }, () => Math.round(10 + 4 * normal() + (shift.form ?? 0))), // integers: many ties
    },
  }));
}
const features = ['grid', 'gap', 'form'];
const flat = (rs: RaceSample[], f: string) => rs.flatMap((r) => r.values[f]!.filter(Number.isFinite));

describe('drift statistics', () => {
  const reference = races(40, 1);

  it('PSI, KS D and KS p of the observed split equal a plain comparison, for every feature and window', () => {
    for (const [seed, shift] of [
      [5, {}],
      [6, { gap: 1.5 }],
      [7, { form: 2 }],
      [8, { form: -6, gap: 0.5 }],
    ] as const) {
      for (const m of [1, 4, 15]) {
        const w = races(m, seed, shift);
        const res = detectDrift(reference, w, features, { draws: 20 });
        for (const f of features) {
          const plain = compare(flat(reference, f), flat(w, f));
          const d = res.features[f]!;
          expect(d.psi, `${f} psi, window ${seed}/${m}`).toBeCloseTo(plain.psi, 10);
          expect(d.ks_d, `${f} ks, window ${seed}/${m}`).toBeCloseTo(plain.ksD, 10);
          expect(d.ks_p, `${f} ks p, window ${seed}/${m}`).toBeCloseTo(plain.ksP, 10);
          expect([d.n_ref, d.n_cur]).toEqual([flat(reference, f).length, flat(w, f).length]);
        }
      }
    }
  });

  it('a window of identical races has no drift: PSI 0, KS 0, p = 1', () => {
    const same = reference
      .slice(0, 5)
      .map((r) => ({
        ...r,
        race: `copy-${r.race}`,
        values: { ...r.values, gap: r.values.grid!, form: r.values.grid! },
      }));
    const ref = reference.map((r) => ({
      ...r,
      values: { ...r.values, gap: r.values.grid!, form: r.values.grid! },
    }));
    const res = detectDrift(ref, same, features, { draws: 30 });
    for (const f of features)
      expect(res.features[f]).toMatchObject({ psi: 0, ks_d: 0, ks_p: 1, p: 1, p_adj: 1, drift: false });
    expect(res.drifted).toEqual([]);
  });

  it('p-values are exact permutation tails: an extreme window is as significant as the draws allow', () => {
    const draws = 99;
    const res = detectDrift(reference, races(6, 9, { gap: 5, form: 20 }), features, { draws });
    for (const f of ['gap', 'form']) {
      expect(res.features[f]!.p, f).toBe(1 / (draws + 1));
      expect(res.features[f]!.p_adj, f).toBe(1 / (draws + 1));
      expect(res.features[f]!.drift, f).toBe(true);
    }
    expect(res.features.grid!.drift).toBe(false);
    expect(res.drifted).toHaveLength(2);
    expect(new Set(res.drifted)).toEqual(new Set(['gap', 'form']));
    expect(res).toMatchObject({ races: 6, referenceRaces: 40, draws, alpha: 0.05 });
    // thresholds: the extreme window's statistics are beyond them, an unchanged window's are not
    for (const f of ['gap', 'form']) {
      expect(res.features[f]!.psi).toBeGreaterThan(res.features[f]!.psi_threshold);
      expect(res.features[f]!.ks_d).toBeGreaterThan(res.features[f]!.ks_threshold);
    }
  });

  it('alpha decides: a window significant at 0.05 but not at 0.01', () => {
    const w = races(10, 21, { form: 1.5 });
    const res = detectDrift(reference, w, features, { draws: 200, alpha: 0.05 });
    const p = res.features.form!.p_adj;
    expect(p).toBeGreaterThan(0.01);
    expect(p).toBeLessThanOrEqual(0.05);
    expect(res.features.form!.drift).toBe(true);
    const strict = detectDrift(reference, w, features, { draws: 200, alpha: 0.01 });
    expect(strict.features.form!.drift).toBe(false);
    expect(strict.features.form!.p_adj).toBe(p); // the same seed: the same draws
  });

  it('the same seed gives the same answer; another seed other draws', () => {
    const w = races(6, 30, { form: 1 });
    const a = detectDrift(reference, w, features, { draws: 50, seed: 3 });
    expect(detectDrift(reference, w, features, { draws: 50, seed: 3 })).toEqual(a);
    const b = detectDrift(reference, w, features, { draws: 50, seed: 4 });
    expect(
      features.some(
        (f) =>
          b.features[f]!.psi_threshold !== a.features[f]!.psi_threshold ||
          b.features[f]!.p !== a.features[f]!.p,
      ),
    ).toBe(true);
  });

  it('refuses an empty window or reference', () => {
    expect(() => detectDrift(reference, [], features)).toThrow(
      /drift needs races in both the window \(0\) and the reference \(40\)/,
    );
    expect(() => detectDrift([], reference, features)).toThrow(/the reference \(0\)/);
  });

  it('windows: consecutive, a short tail joining the last one', () => {
    expect(windows([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([
      [1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(windows([1, 2, 3, 4, 5, 6], 3)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(windows([1, 2], 5)).toEqual([[1, 2]]);
    expect(windows([], 5)).toEqual([]);
  });
});

describe('drift: the effect-size floor (minPsi, default 0.01)', () => {
  const reference = races(60, 1);
  // a small shift (a quarter of a standard deviation) over 40 races: significant, PSI ≈ 0.07
  const window = races(30, 78, { form: 1 });

  it('calls a small but significant shift drift by default (PSI ≈ 0.07: the floor is below it)', () => {
    const res = detectDrift(reference, window, features, { draws: 200 });
    expect(res.features.form!.psi).toBeGreaterThan(0.05);
    expect(res.features.form!.psi).toBeLessThan(0.1);
    expect(res.features.form!.p_adj).toBeLessThanOrEqual(0.05);
    expect(res.drifted).toEqual(['form']);
  });

  it('a significant shift with PSI below the floor is reported, not called drift; the floor only removes alarms', () => {
    const at = (minPsi: number) => detectDrift(reference, window, features, { draws: 200, minPsi });
    const high = at(0.1);
    expect(high.features.form!.p_adj).toBeLessThanOrEqual(0.05);
    expect(high.features.form!.drift).toBe(false);
    expect(high.drifted).toEqual([]);
    expect(at(0.05).drifted).toEqual(['form']);
    expect(at(0).drifted).toEqual(['form']);
  });
});

describe('drift: the edges of the floor, alpha and the thresholds', () => {
  const reference = races(20, 1);
  const window = races(4, 9, { gap: 5, form: 20 });
  const draws = 39;

  it('a PSI equal to the floor is drift; a hair below the floor is not', () => {
    const psi = detectDrift(reference, window, features, { draws }).features.form!.psi;
    expect(detectDrift(reference, window, features, { draws, minPsi: psi }).features.form!.drift).toBe(true);
    expect(
      detectDrift(reference, window, features, { draws, minPsi: psi * (1 + 1e-9) }).features.form!.drift,
    ).toBe(false);
  });

  it('a p_adj equal to alpha is drift; with alpha below the smallest attainable p nothing alarms and the thresholds are infinite', () => {
    const res = detectDrift(reference, window, features, { draws, alpha: 1 / (draws + 1) });
    expect(res.features.form!.p_adj).toBe(1 / (draws + 1));
    expect(res.features.form!.drift).toBe(true);
    // one draw more allowed: the thresholds become the largest statistics among the draws
    const one = detectDrift(reference, window, features, { draws, alpha: 2 / (draws + 1) });
    for (const f of features) expect(one.features[f]!.psi_threshold, f).toBeLessThan(Infinity);
    const none = detectDrift(reference, window, features, { draws, alpha: 0.5 / (draws + 1) });
    expect(none.drifted).toEqual([]);
    for (const f of features)
      expect([none.features[f]!.psi_threshold, none.features[f]!.ks_threshold], f).toEqual([
        Infinity,
        Infinity,
      ]);
  });

  it('drifted features are ordered by p_adj, then by PSI (larger first)', () => {
    const res = detectDrift(reference, window, features, { draws });
    expect(res.features.gap!.p_adj).toBe(res.features.form!.p_adj);
    expect(res.drifted).toEqual(
      res.features.gap!.psi > res.features.form!.psi ? ['gap', 'form'] : ['form', 'gap'],
    );
  });

  it('windows: a tail of one race joins the last window; a single full window stays alone', () => {
    expect(windows([1, 2, 3, 4], 3)).toEqual([[1, 2, 3, 4]]);
    expect(windows([1, 2, 3], 3)).toEqual([[1, 2, 3]]);
    expect(windows([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4)).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8, 9, 10],
    ]);
  });
});
