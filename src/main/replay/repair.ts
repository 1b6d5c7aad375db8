// Timing-feed dropouts: some lap files skip laps (2020 Austria loses ~5 laps mid-race), so later laps carry
// numbers that are too small. A gap at the line much longer than the recorded lap time, with no red flag,
// means laps went missing; shift the following lap numbers by the laps that fit into the gap.
import { hasState, isClear } from '../race/track-status.js';
import { median } from '../util/stats.js';

export interface RawLap {
  lap: number;
  time: number;
  lapTime: number | null;
  status: string;
}


/** Returns the corrected lap number of each lap (input in lap order, one driver). */
export function repairLapNumbers(laps: RawLap[]): number[] {
  const ref = median(laps.map((l) => l.lapTime).filter((x): x is number => x !== null && x > 0)) || 0;
  let shift = 0;
  return laps.map((l, i) => {
    const prev = laps[i - 1];
    // Without a lap time, assume a normal lap, but only for gaps of a few laps next to no red flag (a suspension
    // lasts far longer and shows as '5' on a neighbouring lap).
    const own = l.lapTime ?? ref;
    const calm = !hasState(l.status, 'red') && !hasState(prev?.status, 'red');
    if (prev && ref > 0 && own < 1.3 * ref && calm) {
      const gap = l.time - prev.time - own;
      const green = isClear(l.status) && isClear(prev.status); // slow SC/VSC laps without a time are no dropout
      if (gap > 0.8 * ref && (l.lapTime !== null || (green && gap < 10 * ref))) shift += Math.round(gap / ref);
    }
    return l.lap + shift;
  });
}
