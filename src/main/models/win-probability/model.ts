// In-race win probability: per stage of the race (tenths of the distance), a conditional logit over the cars still
// running at that line for P(win) — softmax per (race, lap), so the field's probabilities sum to one — and binary
// logistic models for P(podium) and P(points), on the race state (state.ts) with the pre-race probability as a
// prior. The running-order baseline is the same conditional logit on the position terms alone; the other terms of
// P(win) carry a penalty of their own, chosen on the inner seasons, so a model short of evidence shrinks toward it.
import { fitConditionalLogit, fitLogistic, logisticMargin, type LogisticJSON } from '../logistic.js';
import { softmaxByRace } from '../race-winner/metrics.js';
import type { RecipeModelJSON } from '../race-winner/recipe.js';
import { PACE_FEATURES, type StateRows } from './state.js';

export const WINPROB_FORMAT = 'pitwall-win-probability/1';
export const STAGES = 10;
/** Position terms only: the running-order baseline. */
export const ORDER_FEATURES = ['log_pos', 'leader', 'p2', 'pos'];
const L2 = 1;
/** Penalties for the race-state terms beyond the running order (inner validation picks one). */
export const EXTRA_L2 = [1, 10, 100];

export interface StageModel {
  win: LogisticJSON;
  podium: LogisticJSON;
  points: LogisticJSON;
  /** Running-order model of the stage and its share α in P(win) = (1−α)·p_state + α·p_order (inner validation). */
  order?: LogisticJSON;
  alpha?: number;
}
export interface WinProbModelJSON {
  format: typeof WINPROB_FORMAT;
  features: string[];
  stages: StageModel[];
  trainSeasons: [number, number];
  /** The penalty of the terms beyond the running order in P(win) (L2 when absent). */
  extraL2?: number;
  /** The pre-race model whose probabilities are the prior (trained on the seasons before the in-race test range). */
  prerace?: RecipeModelJSON | null;
}

export const stageOf = (fraction: number) => Math.max(0, Math.min(STAGES - 1, Math.floor(fraction * STAGES)));

/** Rows of the groups whose stage is `s`, with the chosen columns. */
function stageRows(d: StateRows, s: number, cols: string[]) {
  const idx = cols.map((c) => {
    const f = d.features.indexOf(c);
    if (f < 0) throw new Error(`win-probability: feature "${c}" missing`);
    return f;
  });
  const rows: number[] = [];
  for (let g = 0; g < d.groups.length; g++)
    if (stageOf(d.groupInfo[g]!.fraction) === s) for (let i = d.groups[g]![0]; i < d.groups[g]![1]; i++) rows.push(i);
  const x = new Float64Array(rows.length * cols.length);
  rows.forEach((r, k) => idx.forEach((f, j) => (x[k * cols.length + j] = d.x[r * d.cols + f]!)));
  const pick = (a: ArrayLike<number>) => Float64Array.from(rows, (r) => a[r]!);
  return { rows, x, n: rows.length, won: pick(d.won), podium: pick(d.podium), points: pick(d.points), group: Int32Array.from(rows, (r) => d.group[r]!) };
}

/** Fits one model per stage (cols: the features used; ORDER_FEATURES gives the running-order baseline); in P(win)
 *  the terms beyond the running order carry the penalty `extraL2`. */
export function fitWinProb(d: StateRows, train: [number, number], cols: string[] = d.features, log?: (l: string) => void, extraL2 = L2): WinProbModelJSON {
  const stages: StageModel[] = [];
  const penalty = cols.map((c) => (ORDER_FEATURES.includes(c) ? L2 : extraL2));
  for (let s = 0; s < STAGES; s++) {
    const r = stageRows(d, s, cols);
    if (!r.n) throw new Error(`win-probability: no training laps in stage ${s}`);
    stages.push({
      win: fitConditionalLogit(r.x, r.n, r.won, r.group, cols, penalty),
      podium: fitLogistic(r.x, r.n, r.podium, cols, L2),
      points: fitLogistic(r.x, r.n, r.points, cols, L2),
    });
    log?.(`win-probability: stage ${s + 1}/${STAGES} fitted (${r.n} rows)`);
  }
  return { format: WINPROB_FORMAT, features: cols, stages, trainSeasons: train, ...(extraL2 !== L2 ? { extraL2 } : {}) };
}

const ALPHAS = [0, 0.1, 0.2, 0.3, 0.4, 0.5];
/** Inner validation seasons: the last ones of the training range, each predicted by models fitted on the seasons before it. */
const INNER_SEASONS = 3;
/** Candidate feature sets: the race state without and with recent race pace (state.ts PACE_FEATURES). */
export const FEATURE_SETS: Record<string, (all: string[]) => string[]> = {
  state: (all) => all.filter((f) => !PACE_FEATURES.includes(f)),
  'state+pace': (all) => all,
};

/** The chosen feature set with its penalty beyond the running order (EXTRA_L2) and, per stage, the running-order share
 *  α in P(win) = (1−α)·p_state + α·p_order — all picked by pooled logloss over the last INNER_SEASONS training seasons —
 *  then refitted on the whole training range. */
export function fitHedgedWinProb(d: StateRows, train: [number, number], log?: (l: string) => void): WinProbModelJSON {
  const inner = Array.from({ length: INNER_SEASONS }, (_, k) => train[1] - INNER_SEASONS + 1 + k).filter((v) => v > train[0]);
  // per candidate: −ln P(winner) summed per stage and α
  const cands = Object.entries(FEATURE_SETS).flatMap(([set, pick]) =>
    EXTRA_L2.map((l2) => ({ name: `${set}@l2=${l2}`, cols: pick(d.features), l2, ll: Array.from({ length: STAGES }, () => new Float64Array(ALPHAS.length)) })),
  );
  for (const v of inner) {
    const fit = seasonRows(d, (s) => s < v);
    const valid = seasonRows(d, (s) => s === v);
    if (!fit.rows || !valid.rows) continue;
    const po = predictWinProb(fitWinProb(fit, [train[0], v - 1], ORDER_FEATURES), valid).win;
    for (const c of cands) {
      const ps = predictWinProb(fitWinProb(fit, [train[0], v - 1], c.cols, undefined, c.l2), valid).win;
      valid.groups.forEach(([b, e], g) => {
        const s = stageOf(valid.groupInfo[g]!.fraction);
        for (let i = b; i < e; i++)
          if (valid.won[i] === 1) ALPHAS.forEach((a, j) => (c.ll[s]![j]! -= Math.log(Math.max((1 - a) * ps[i]! + a * po[i]!, 1e-12))));
      });
    }
  }
  const scored = cands.map((c) => {
    const alphas = c.ll.map((row) => ALPHAS[row.indexOf(Math.min(...row))] ?? 0);
    return { ...c, alphas, total: c.ll.reduce((t, row) => t + Math.min(...row), 0) };
  });
  const best = scored.reduce((a, b) => (b.total < a.total - 1e-9 ? b : a));
  if (inner.length)
    log?.(
      `win-probability: validated on ${inner.join(',')}: ${scored.map((c) => `${c.name} ${c.total.toFixed(1)}`).join(', ')} → ${best.name}; running-order share per stage ${best.alphas.join(' ')}`,
    );
  const m = fitWinProb(d, train, best.cols, log, best.l2);
  const o = fitWinProb(d, train, ORDER_FEATURES);
  m.stages.forEach((st, s) => {
    st.order = o.stages[s]!.win;
    st.alpha = best.alphas[s]!;
  });
  return m;
}

/** The rows of the seasons `keep` accepts. */
function seasonRows(d: StateRows, keep: (season: number) => boolean): StateRows {
    const gs = d.groupInfo.map((gi, g) => g).filter((g) => keep(d.groupInfo[g]!.season));
    const rows: number[] = gs.flatMap((g) => Array.from({ length: d.groups[g]![1] - d.groups[g]![0] }, (_, k) => d.groups[g]![0] + k));
    const x = new Float64Array(rows.length * d.cols);
    rows.forEach((r, k) => x.set(d.x.subarray(r * d.cols, (r + 1) * d.cols), k * d.cols));
    const groups: [number, number][] = [];
    let at = 0;
    for (const g of gs) {
      const n = d.groups[g]![1] - d.groups[g]![0];
      groups.push([at, at + n]);
      at += n;
    }
    const pick = (a: ArrayLike<number>) => Float64Array.from(rows, (r) => a[r]!);
    return {
      ...d,
      rows: rows.length,
      x,
      group: Int32Array.from(groups.flatMap(([a, b], k) => new Array<number>(b - a).fill(k))),
      groups,
      groupInfo: gs.map((g) => d.groupInfo[g]!),
      driver: rows.map((r) => d.driver[r]!),
      won: pick(d.won),
      podium: pick(d.podium),
      points: pick(d.points),
      prior: pick(d.prior),
    };
}

export interface InRaceProbs {
  win: Float64Array;
  podium: Float64Array;
  points: Float64Array;
}

/** P(win) (sums to one per race × lap), P(podium), P(points) for every row. */
export function predictWinProb(m: WinProbModelJSON, d: StateRows): InRaceProbs {
  const out = { win: new Float64Array(d.rows), podium: new Float64Array(d.rows), points: new Float64Array(d.rows) };
  for (let s = 0; s < STAGES; s++) {
    const r = stageRows(d, s, m.features);
    if (!r.n) continue;
    const st = m.stages[s]!;
    const u = logisticMargin(st.win, r.x, r.n);
    const gs: [number, number][] = [];
    for (let a = 0; a < r.n; ) {
      let b = a;
      while (b < r.n && r.group[b] === r.group[a]) b++;
      gs.push([a, b]);
      a = b;
    }
    let pw = softmaxByRace(u, gs);
    if (st.order && st.alpha) {
      const ord = m.features.map((f) => f);
      const oi = (st.order.scaler.features).map((f) => ord.indexOf(f));
      const xo = new Float64Array(r.n * oi.length);
      for (let k = 0; k < r.n; k++) oi.forEach((f, j) => (xo[k * oi.length + j] = r.x[k * m.features.length + f]!));
      const po = softmaxByRace(logisticMargin(st.order, xo, r.n), gs);
      const a = st.alpha;
      pw = Float64Array.from(pw, (v, k) => (1 - a) * v + a * po[k]!);
    }
    const pp = logisticMargin(st.podium, r.x, r.n);
    const pt = logisticMargin(st.points, r.x, r.n);
    r.rows.forEach((row, k) => {
      out.win[row] = pw[k]!;
      out.podium[row] = Math.max(pw[k]!, 1 / (1 + Math.exp(-pp[k]!)));
      out.points[row] = Math.max(out.podium[row]!, 1 / (1 + Math.exp(-pt[k]!)));
    });
  }
  return out;
}
