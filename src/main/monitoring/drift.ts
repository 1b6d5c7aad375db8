// Feature drift over windows of races: PSI + two-sample KS per feature, with thresholds calibrated for the window size.
//
// A race has ~20 rows, and rows of one race are not independent (grid positions are exactly 1..20), so fixed rules
// (PSI > 0.1) and nominal KS p-values misfire at small windows. The no-drift distribution is estimated instead by a
// permutation test over whole races: the window's races and the reference's races are pooled, and each draw splits
// the pool at random into a pseudo-window of the same number of races and a pseudo-reference, computing every
// feature's PSI and KS D. A feature's p-value is its tail probability among the draws (min over PSI and KS); the
// family-wise adjustment compares it with the draws' minimum p over all features and both statistics (Westfall–Young
// single-step min-p), so a window of unchanged data raises an alert in at most `alpha` of cases however many
// features are watched.
import { grid, gridIndex, ksPValue, PSI_FLOOR, rng, type Comparison } from './stats.js';

/** One race's feature values (one entry per starter; NaN/null = missing, ignored). */
export interface RaceSample {
  race: string;
  values: Record<string, readonly number[]>;
}

export interface FeatureDrift {
  psi: number;
  ks_p: number;
  ks_d: number;
  /** Permutation p-value of this feature alone (min over PSI and KS). */
  p: number;
  /** Family-wise adjusted p-value (min-p over all features). */
  p_adj: number;
  drift: boolean;
  /** PSI / KS D above which this feature alone would alarm at this window size. */
  psi_threshold: number;
  ks_threshold: number;
  n_ref: number;
  n_cur: number;
}

export interface WindowDrift {
  races: number;
  referenceRaces: number;
  draws: number;
  alpha: number;
  features: Record<string, FeatureDrift>;
  /** Drifted features, most significant first. */
  drifted: string[];
}

export interface DriftOptions {
  draws?: number;
  alpha?: number;
  seed?: number;
  /** Effect-size floor: a significant shift with PSI below this is reported but not called drift (e.g. grid slots
   *  21–22 vanishing when the field went from 22 to 20 cars). It can only remove alarms. */
  minPsi?: number;
}

const finite = (a: readonly number[] | undefined): number[] => (a ?? []).filter(Number.isFinite);

/** #{x in sorted ≥ v}. */
function countAtLeast(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < v - 1e-12) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}

/** Tests one window of races against the reference (permutation over races; see the header). */
export function detectDrift(
  reference: readonly RaceSample[],
  window: readonly RaceSample[],
  features: readonly string[],
  opts: DriftOptions = {},
): WindowDrift {
  const draws = opts.draws ?? 1000;
  const alpha = opts.alpha ?? 0.05;
  const minPsi = opts.minPsi ?? 0.01;
  const m = window.length;
  const pool = [...window, ...reference];
  const n = pool.length;
  if (m < 1 || reference.length < 1) throw new Error(`drift needs races in both the window (${m}) and the reference (${reference.length})`);
  const rand = rng(opts.seed ?? 1);
  const prep = features.map((f) => prepare(pool.map((r) => finite(r.values[f]))));
  const split = (take: ArrayLike<number>, f: number) => splitStats(prep[f]!, take, m);
  // observed split: the window is the first m races of the pool
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  const observed = features.map((_, f) => split(identity, f));
  const psi = features.map(() => new Float64Array(draws));
  const ks = features.map(() => new Float64Array(draws));
  const order = identity.slice();
  for (let b = 0; b < draws; b++) {
    for (let i = 0; i < m; i++) {
      const j = i + Math.floor(rand() * (n - i));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (let f = 0; f < features.length; f++) {
      const c = split(order, f);
      psi[f]![b] = c.psi;
      ks[f]![b] = c.ksD;
    }
  }
  // tail p-values among the B+1 exchangeable splits (the draws and the observed one)
  const sortedPsi = psi.map((a) => Float64Array.from(a).sort());
  const sortedKs = ks.map((a) => Float64Array.from(a).sort());
  const tail = (f: number, ps: number, d: number, self: boolean): number => {
    const o = observed[f]!;
    const cp = countAtLeast(sortedPsi[f]!, ps - 1e-12) + (self ? 0 : 1) + (self && o.psi >= ps - 1e-12 ? 1 : 0);
    const ck = countAtLeast(sortedKs[f]!, d - 1e-12) + (self ? 0 : 1) + (self && o.ksD >= d - 1e-12 ? 1 : 0);
    return Math.min(cp, ck) / (draws + 1);
  };
  const pObs = features.map((_, f) => tail(f, observed[f]!.psi, observed[f]!.ksD, false));
  const minP = new Float64Array(draws).fill(1);
  for (let f = 0; f < features.length; f++) {
    for (let b = 0; b < draws; b++) minP[b] = Math.min(minP[b]!, tail(f, psi[f]![b]!, ks[f]![b]!, true));
  }
  const sortedMin = Float64Array.from(minP).sort();
  const adjusted = (p: number): number => (1 + countAtMost(sortedMin, p + 1e-12)) / (draws + 1);
  // the largest per-feature p that still alarms, and the statistic values it corresponds to
  let critical = 0;
  for (const v of sortedMin) if (adjusted(v) <= alpha) critical = v;
  const k = Math.floor(critical * (draws + 1) + 1e-9) - 1; // #{draws ≥ x} allowed for an alarm
  const thresholdOf = (s: Float64Array): number => (k >= 0 && k < s.length ? s[s.length - 1 - k]! : Infinity);
  const out: Record<string, FeatureDrift> = {};
  features.forEach((f, i) => {
    const o = observed[i]!;
    const pAdj = o.nCur === 0 ? 1 : adjusted(pObs[i]!);
    out[f] = {
      psi: o.psi,
      ks_p: o.ksP,
      ks_d: o.ksD,
      p: pObs[i]!,
      p_adj: pAdj,
      drift: pAdj <= alpha && o.psi >= minPsi,
      psi_threshold: thresholdOf(sortedPsi[i]!),
      ks_threshold: thresholdOf(sortedKs[i]!),
      n_ref: o.nRef,
      n_cur: o.nCur,
    };
  });
  const drifted = Object.entries(out)
    .filter(([, d]) => d.drift)
    .sort((a, b) => a[1].p_adj - b[1].p_adj || b[1].psi - a[1].psi)
    .map(([f]) => f);
  return { races: m, referenceRaces: reference.length, draws, alpha, features: out, drifted };
}

interface Prepared {
  /** Cumulative pooled counts over the sorted grid of pooled values. */
  cum: Float64Array;
  /** Each race's values as grid indices. */
  idx: Int32Array[];
  buf: Int32Array;
}

function prepare(perRace: number[][]): Prepared {
  const g = grid(perRace.flat());
  const idx = perRace.map((vals) => Int32Array.from(vals, (v) => gridIndex(g, v)));
  const cum = new Float64Array(g.length);
  for (const a of idx) for (const i of a) cum[i]! += 1;
  for (let i = 1; i < cum.length; i++) cum[i]! += cum[i - 1]!;
  return { cum, idx, buf: new Int32Array(idx.reduce((s, a) => s + a.length, 0)) };
}

/**
 * PSI (bins: pseudo-reference deciles) and KS D of the races `take[0..m)` against all other pooled races.
 * Same definitions as stats.compareCounts, in O(window values · log) instead of O(grid): the reference CDF is
 * the pooled CDF minus the window's, and the KS supremum lies at the window's values or just before them.
 */
function splitStats(p: Prepared, take: ArrayLike<number>, m: number): Comparison {
  let nc = 0;
  for (let i = 0; i < m; i++) {
    const a = p.idx[take[i]!]!;
    p.buf.set(a, nc);
    nc += a.length;
  }
  const win = p.buf.subarray(0, nc).sort();
  const total = p.cum.length ? p.cum[p.cum.length - 1]! : 0;
  const nr = total - nc;
  if (nc === 0 || nr <= 0) return { psi: 0, ksD: 0, ksP: 1, nRef: nr, nCur: nc };
  const C = (k: number): number => countAtMost(win, k);
  const R = (k: number): number => (k < 0 ? 0 : p.cum[k]! - C(k));
  let d = 0;
  let first = 0; // index in `win` of the first value equal to the current one
  for (let i = 0; i < nc; i++) {
    const k = win[i]!;
    if (i > 0 && win[i - 1] !== k) first = i;
    if (i + 1 < nc && win[i + 1] === k) continue;
    const below = k > 0 ? p.cum[k - 1]! - first : 0; // pseudo-reference values < k
    d = Math.max(d, Math.abs(below / nr - first / nc), Math.abs((p.cum[k]! - i - 1) / nr - (i + 1) / nc));
  }
  // decile edges of the pseudo-reference: smallest k with R(k) ≥ j·nr/10
  let psi = 0;
  let prevR = 0;
  let prevC = 0;
  let lastEdge = -1;
  const bin = (r: number, c: number) => {
    const pr = Math.max((r - prevR) / nr, PSI_FLOOR);
    const q = Math.max((c - prevC) / nc, PSI_FLOOR);
    psi += (q - pr) * Math.log(q / pr);
    prevR = r;
    prevC = c;
  };
  for (let j = 1; j < 10; j++) {
    const target = (j * nr) / 10 - 1e-9;
    let lo = Math.max(lastEdge, 0);
    let hi = p.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (R(mid) >= target) hi = mid;
      else lo = mid + 1;
    }
    if (lo === lastEdge) continue;
    lastEdge = lo;
    if (lo === p.cum.length - 1) break;
    bin(R(lo), C(lo));
  }
  bin(nr, nc);
  return { psi, ksD: d, ksP: ksPValue(d, nr, nc), nRef: nr, nCur: nc };
}

/** #{x in sorted ≤ v} (binary search). */
function countAtMost(sorted: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Splits races (in time order) into consecutive windows of `size` races; a short tail joins the last window. */
export function windows<T>(races: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < races.length; i += size) out.push(races.slice(i, i + size));
  const last = out[out.length - 1];
  if (out.length > 1 && last && last.length < size) {
    out.pop();
    out[out.length - 1]!.push(...last);
  }
  return out;
}
