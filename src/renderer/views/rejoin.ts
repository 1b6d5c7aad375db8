// The rejoin prediction in words, shared by the tower's ghost marker and the strategy card.
import type { RejoinPrediction } from '../../shared/domain.js';

/** A Monte-Carlo share shown as a share, never as certainty. */
export const share = (p: number): string => `${Math.max(1, Math.min(99, Math.round(p * 100)))} %`;

/** The two likeliest positions, in position order: "P4 62 %, P5 31 %". */
export function likeliest(r: RejoinPrediction): string {
  return Object.entries(r.probabilities)
    .map(([p, x]) => [Number(p), x] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .sort((a, b) => a[0] - b[0])
    .map(([p, x]) => `P${p} ${share(x)}`)
    .join(', ');
}

/** "Box now → P5, 1.8 s behind HAM (P4 62 %, P5 31 %)". */
export function rejoinLine(r: RejoinPrediction): string {
  const where = r.carAhead && r.gapAhead !== null ? `, ${r.gapAhead.toFixed(1)} s behind ${r.carAhead}` : r.carBehind && r.gapBehind !== null ? `, ${r.gapBehind.toFixed(1)} s ahead of ${r.carBehind}` : '';
  return `Box now → P${r.position}${where} (${likeliest(r)})`;
}
