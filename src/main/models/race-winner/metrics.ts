// Per-race probabilities and the task's metrics: top1, top3, logloss = mean −ln p(winner), calibration (ECE).
// Also the pole-sitter baseline p ∝ exp(−3·(quali_pos − 1)), and the uncertainty of metrics on a short test split.
import { mulberry32 } from '../../util/rng.js';

/** Race groups: [start, end) row ranges. */
export type Groups = [number, number][];

export function groupsOf(raceIds: ArrayLike<number>): Groups {
  const out: Groups = [];
  let s = 0;
  for (let i = 1; i <= raceIds.length; i++)
    if (i === raceIds.length || raceIds[i] !== raceIds[s]) {
      out.push([s, i]);
      s = i;
    }
  return out;
}

/** Softmax of scores within each race. */
export function softmaxByRace(scores: ArrayLike<number>, groups: Groups): Float64Array {
  const p = new Float64Array(scores.length);
  for (const [s, e] of groups) {
    let m = -Infinity;
    for (let i = s; i < e; i++) m = Math.max(m, scores[i]!);
    let z = 0;
    for (let i = s; i < e; i++) z += p[i] = Math.exp(scores[i]! - m);
    for (let i = s; i < e; i++) p[i]! /= z;
  }
  return p;
}

export interface WinnerMetrics {
  races: number;
  top1: number;
  top3: number;
  logloss: number;
  /** Expected calibration error over 10 probability bins (all rows). */
  ece: number;
  brier: number;
}

const round4 = (v: number) => Math.round(v * 10_000) / 10_000;

/** Metrics over races that have a winner among the rows. */
export function winnerMetrics(p: ArrayLike<number>, won: ArrayLike<number>, groups: Groups): WinnerMetrics {
  let races = 0;
  let top1 = 0;
  let top3 = 0;
  let ll = 0;
  let brier = 0;
  const binP = new Float64Array(10);
  const binY = new Float64Array(10);
  const binN = new Float64Array(10);
  let rows = 0;
  for (const [s, e] of groups) {
    let w = -1;
    for (let i = s; i < e; i++) if (won[i] === 1) w = i;
    if (w < 0) continue;
    races++;
    let higher = 0;
    for (let i = s; i < e; i++) if (p[i]! > p[w]!) higher++;
    if (higher === 0) top1++;
    if (higher < 3) top3++;
    ll += -Math.log(Math.max(p[w]!, 1e-15));
    for (let i = s; i < e; i++) {
      const b = Math.min(9, Math.floor(p[i]! * 10));
      binP[b]! += p[i]!;
      binY[b]! += won[i]!;
      binN[b]!++;
      brier += (p[i]! - won[i]!) ** 2;
      rows++;
    }
  }
  let ece = 0;
  for (let b = 0; b < 10; b++) if (binN[b]) ece += (binN[b]! / rows) * Math.abs(binP[b]! / binN[b]! - binY[b]! / binN[b]!);
  return {
    races,
    top1: races ? round4(top1 / races) : 0,
    top3: races ? round4(top3 / races) : 0,
    logloss: races ? round4(ll / races) : 0,
    ece: round4(ece),
    brier: rows ? round4(brier / rows) : 0,
  };
}

/** Pole-sitter prior scores: −3·(quali_pos − 1); a driver without a qualifying position counts as 25th. */
export function poleScores(qualiPos: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: qualiPos.length }, (_, i) => {
    const q = qualiPos[i]!;
    return -3 * ((Number.isFinite(q) ? q : 25) - 1);
  });
}

export interface WinnerUncertainty {
  /** 95 % intervals of the realised metrics from resampling whole races (seeded bootstrap). */
  ci95: { top1: [number, number]; top3: [number, number]; logloss: [number, number] };
  /** What the model itself expects on these races before the results are known: mean P(favourite wins) and mean
   *  P(winner among its top three), with the 5–95 % range of the race count (Poisson-binomial). A calibrated model
   *  scores near this; a result far above it on a short split is luck, far below it is miscalibration or a shift. */
  expected: { top1: number; top3: number; top1_range90: [number, number]; top3_range90: [number, number] };
}

/** Bootstrap intervals and the model's own expectation of top1/top3 for per-race probabilities `p`. */
export function winnerUncertainty(p: ArrayLike<number>, won: ArrayLike<number>, groups: Groups, seed = 1, reps = 2000): WinnerUncertainty {
  const per: { t1: number; t3: number; ll: number }[] = [];
  const q1: number[] = [];
  const q3: number[] = [];
  for (const [s, e] of groups) {
    const probs = Array.from({ length: e - s }, (_, k) => p[s + k]!).sort((a, b) => b - a);
    q1.push(probs[0] ?? 0);
    q3.push((probs[0] ?? 0) + (probs[1] ?? 0) + (probs[2] ?? 0));
    const m = winnerMetrics(Array.from({ length: e - s }, (_, k) => p[s + k]!), Array.from({ length: e - s }, (_, k) => won[s + k]!), [[0, e - s]]);
    if (m.races) per.push({ t1: m.top1, t3: m.top3, ll: m.logloss });
  }
  const rand = mulberry32(seed);
  const draws = { top1: [] as number[], top3: [] as number[], logloss: [] as number[] };
  for (let r = 0; r < reps && per.length; r++) {
    let t1 = 0;
    let t3 = 0;
    let ll = 0;
    for (let k = 0; k < per.length; k++) {
      const x = per[Math.floor(rand() * per.length)]!;
      t1 += x.t1;
      t3 += x.t3;
      ll += x.ll;
    }
    draws.top1.push(t1 / per.length);
    draws.top3.push(t3 / per.length);
    draws.logloss.push(ll / per.length);
  }
  const ci = (xs: number[]): [number, number] => {
    if (!xs.length) return [NaN, NaN];
    xs.sort((a, b) => a - b);
    return [round4(xs[Math.floor(0.025 * (xs.length - 1))]!), round4(xs[Math.ceil(0.975 * (xs.length - 1))]!)];
  };
  const n = q1.length;
  const range = (qs: number[]): [number, number] => {
    const d = poissonBinomial(qs);
    return n ? [round4(pmfQuantile(d, 0.05) / n), round4(pmfQuantile(d, 0.95) / n)] : [NaN, NaN];
  };
  const mean = (xs: number[]) => (xs.length ? round4(xs.reduce((a, b) => a + b, 0) / xs.length) : NaN);
  return {
    ci95: { top1: ci(draws.top1), top3: ci(draws.top3), logloss: ci(draws.logloss) },
    expected: { top1: mean(q1), top3: mean(q3), top1_range90: range(q1), top3_range90: range(q3) },
  };
}

/** Distribution of the number of successes of independent trials with probabilities qs. */
export function poissonBinomial(qs: number[]): Float64Array {
  let d = Float64Array.of(1);
  for (const q of qs) {
    const next = new Float64Array(d.length + 1);
    for (let i = 0; i < d.length; i++) {
      next[i]! += d[i]! * (1 - q);
      next[i + 1]! += d[i]! * q;
    }
    d = next;
  }
  return d;
}

/** Smallest count whose cumulative probability reaches `level`. */
function pmfQuantile(d: Float64Array, level: number): number {
  let c = 0;
  for (let i = 0; i < d.length; i++) if ((c += d[i]!) >= level - 1e-12) return i;
  return d.length - 1;
}
