// Per-race probabilities and the task's metrics: top1, top3, logloss = mean −ln p(winner), calibration (ECE).
// Also the pole-sitter baseline p ∝ exp(−3·(quali_pos − 1)).

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
