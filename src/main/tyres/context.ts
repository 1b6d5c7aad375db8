// What the rest of the field tells about one moment of a race, using only laps completed by then (no look-ahead):
// track evolution (median lap-to-lap change of clean laps), field pace, and the car ahead.
import { raceStints, type RaceLap, type RaceLaps } from '../race/laps.js';
import { median } from '../util/stats.js';

interface Delta {
  end: number;
  d: number;
  fc: number;
}

export interface RaceContext {
  race: RaceLaps;
  /** Clean laps that follow a clean lap of the same stint (≤ 2 laps before), by end time. */
  deltas: Delta[];
  /** Lap of the car at `${lap}:${position}` at that lap's end. */
  byPos: Map<string, RaceLap>;
}

export function raceContext(race: RaceLaps): RaceContext {
  const deltas: Delta[] = [];
  for (const s of raceStints(race))
    for (let i = 1; i < s.clean.length; i++) {
      const a = s.clean[i - 1]!;
      const b = s.clean[i]!;
      if (b.end !== null && b.lap - a.lap <= 2) deltas.push({ end: b.end, d: b.fc - a.fc, fc: b.fc });
    }
  deltas.sort((p, q) => p.end - q.end);
  const byPos = new Map<string, RaceLap>();
  for (const l of race.laps) if (l.position !== null) byPos.set(`${l.lap}:${l.position}`, l);
  return { race, deltas, byPos };
}

/** The last n deltas completed at or before session time t. */
function recent(ctx: RaceContext, t: number, n: number): Delta[] {
  const ds = ctx.deltas;
  let lo = 0;
  let hi = ds.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (ds[m]!.end <= t) lo = m + 1;
    else hi = m;
  }
  return ds.slice(Math.max(0, lo - n), lo);
}

/** Median lap-to-lap change (s) of the field's clean laps over the last n completed by t; NaN with too few. */
export function fieldEvolution(ctx: RaceContext, t: number, n = 20): number {
  const r = recent(ctx, t, n);
  return r.length >= Math.min(5, n) ? median(r.map((d) => d.d)) : Number.NaN;
}

/** Median fuel-corrected clean lap time of the field over the last n completed by t. */
export function fieldPace(ctx: RaceContext, t: number, n = 20): number {
  const r = recent(ctx, t, n);
  return r.length >= 5 ? median(r.map((d) => d.fc)) : Number.NaN;
}

/** The car one position ahead of `lap` at its end (undefined for the leader or unknown). */
export function carAhead(ctx: RaceContext, lap: RaceLap): RaceLap | undefined {
  return lap.position !== null && lap.position > 1 ? ctx.byPos.get(`${lap.lap}:${lap.position - 1}`) : undefined;
}

/** Gap (s) to the car ahead at the end of `lap`; NaN when unknown or a lap or more. */
export function gapAhead(ctx: RaceContext, lap: RaceLap): number {
  const a = carAhead(ctx, lap);
  if (!a || a.end === null || lap.end === null) return Number.NaN;
  const g = lap.end - a.end;
  return g > 0 && g < 60 ? g : Number.NaN;
}
