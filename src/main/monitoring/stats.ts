// Distribution comparison: PSI on reference-decile bins and the two-sample Kolmogorov–Smirnov test.
// Both work on count vectors over one sorted grid of values, so calibration can reuse precomputed grids.

/** Seeded PRNG: calibration and tests must be reproducible. */
export { mulberry32 as rng } from '../util/rng.js';

/** Sorted distinct values. */
export function grid(values: Iterable<number>): Float64Array {
  const a = Float64Array.from(values).sort();
  let k = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[k - 1]) a[k++] = a[i]!;
  return a.slice(0, k);
}

/** Index of `x` in a sorted grid (x must be present). */
export function gridIndex(g: Float64Array, x: number): number {
  let lo = 0;
  let hi = g.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (g[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function countsOn(g: Float64Array, values: Iterable<number>): Float64Array {
  const c = new Float64Array(g.length);
  for (const v of values) c[gridIndex(g, v)]! += 1;
  return c;
}

export interface Comparison {
  psi: number;
  ksD: number;
  ksP: number;
  nRef: number;
  nCur: number;
}

/** Smallest count share given to an empty PSI bin (avoids ln 0). */
export const PSI_FLOOR = 1e-4;

/**
 * Compares two samples given as counts over the same grid. PSI bins are the reference deciles
 * (inverse-CDF definition, so edges are data values; tied edges merge bins, e.g. integer features;
 * values beyond the reference range fall in the outer bins).
 */
export function compareCounts(ref: Float64Array, cur: Float64Array): Comparison {
  let nRef = 0;
  let nCur = 0;
  for (let i = 0; i < ref.length; i++) {
    nRef += ref[i]!;
    nCur += cur[i]!;
  }
  if (nRef === 0 || nCur === 0) return { psi: 0, ksD: 0, ksP: 1, nRef, nCur };
  let cr = 0;
  let cc = 0;
  let d = 0;
  let psi = 0;
  let binRef = 0;
  let binCur = 0;
  let decile = 1;
  for (let i = 0; i < ref.length; i++) {
    cr += ref[i]!;
    cc += cur[i]!;
    binRef += ref[i]!;
    binCur += cur[i]!;
    const diff = Math.abs(cr / nRef - cc / nCur);
    if (diff > d) d = diff;
    // close the bin at this grid value when it reaches the next reference decile (or at the end)
    if (i === ref.length - 1 || (decile < 10 && cr >= (decile * nRef) / 10 - 1e-9)) {
      while (decile < 10 && cr >= (decile * nRef) / 10 - 1e-9) decile++;
      const p = Math.max(binRef / nRef, PSI_FLOOR);
      const q = Math.max(binCur / nCur, PSI_FLOOR);
      psi += (q - p) * Math.log(q / p);
      binRef = 0;
      binCur = 0;
    }
  }
  return { psi, ksD: d, ksP: ksPValue(d, nRef, nCur), nRef, nCur };
}

/** Compares two plain samples (non-finite values dropped). */
export function compare(reference: readonly number[], current: readonly number[]): Comparison {
  const r = reference.filter(Number.isFinite);
  const c = current.filter(Number.isFinite);
  const g = grid([...r, ...c]);
  return compareCounts(countsOn(g, r), countsOn(g, c));
}

/** Asymptotic two-sample KS p-value (Stephens' small-sample correction; nominal: assumes iid, no ties). */
export function ksPValue(d: number, n: number, m: number): number {
  if (d <= 0 || n === 0 || m === 0) return 1;
  const ne = Math.sqrt((n * m) / (n + m));
  const lambda = (ne + 0.12 + 0.11 / ne) * d;
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const term = 2 * (j % 2 ? 1 : -1) * Math.exp(-2 * j * j * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, sum));
}

/** Smallest k with P(X ≤ k) ≥ conf for X ~ Binomial(n, p): the most alarms still consistent with a rate ≤ p. */
export function binomialQuantile(n: number, p: number, conf: number): number {
  let logC = 0; // ln C(n, k)
  let cdf = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logC += Math.log((n - k + 1) / k);
    cdf += Math.exp(logC + k * Math.log(p) + (n - k) * Math.log(1 - p));
    if (cdf >= conf) return k;
  }
  return n;
}
