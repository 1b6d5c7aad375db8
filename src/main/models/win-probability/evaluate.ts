// Scoring in-race probabilities at fixed shares of the race distance (25/50/75/90 %): for each test race the field at
// the lap nearest that share, logloss = mean −ln P(winner), Brier and ECE over the field's rows; baselines: the
// pre-race model (renormalised over the cars still running) and the running-order conditional logit.
import { winnerMetrics, type Groups, type WinnerMetrics } from '../race-winner/metrics.js';
import type { StateRows } from './state.js';

export const CHECKPOINTS = [0.25, 0.5, 0.75, 0.9] as const;

/** The (race, lap) group of each race at `fraction` of its distance (nearest lap present). */
export function checkpointGroups(d: StateRows, fraction: number): number[] {
  const best = new Map<string, { g: number; dist: number }>();
  d.groupInfo.forEach((gi, g) => {
    const dist = Math.abs(gi.fraction - fraction);
    const b = best.get(gi.race);
    if (!b || dist < b.dist - 1e-12) best.set(gi.race, { g, dist });
  });
  return [...best.values()].filter((b) => b.dist <= 0.05).map((b) => b.g);
}

/** Metrics of per-row probabilities `p` (for label `y`) over the chosen groups. */
export function groupMetrics(d: StateRows, groupIds: number[], p: ArrayLike<number>, y: ArrayLike<number> = d.won): WinnerMetrics & { rows: number } {
  const pp: number[] = [];
  const yy: number[] = [];
  const groups: Groups = [];
  for (const g of groupIds) {
    const [s, e] = d.groups[g]!;
    groups.push([pp.length, pp.length + e - s]);
    for (let i = s; i < e; i++) {
      pp.push(p[i]!);
      yy.push(y[i]!);
    }
  }
  return { ...winnerMetrics(pp, yy, groups), rows: pp.length };
}

/** Mean binary logloss of P(label) over the chosen groups' rows (podium, points). */
export function binaryLogloss(d: StateRows, groupIds: number[], p: ArrayLike<number>, y: ArrayLike<number>): number {
  let ll = 0;
  let n = 0;
  for (const g of groupIds)
    for (let i = d.groups[g]![0]; i < d.groups[g]![1]; i++) {
      const q = Math.min(Math.max(p[i]!, 1e-6), 1 - 1e-6);
      ll -= y[i]! ? Math.log(q) : Math.log(1 - q);
      n++;
    }
  return n ? Math.round((ll / n) * 10_000) / 10_000 : 0;
}
