// The strategist charts' series, pure functions of a RaceCharts (domain.ts): the race trace against a reference
// pace, the gap between two cars, a car's lap times with a y-range that ignores pit and neutralised laps, and the
// field's stint rows. Shared by the renderer's charts, the engine's tests and the benchmark.
import type { ChartDriver, ChartLap, ChartStint, Compound, RaceCharts, TrackState } from './domain.js';

/** The reference of the race trace: the leader's average lap so far, or a chosen car's. */
export type TraceReference = { kind: 'leader' } | { kind: 'driver'; driver: string };

/** The car leading at `asOf`: most laps completed, then the earliest at the line. */
export function leaderOf(c: RaceCharts): ChartDriver | null {
  let best: ChartDriver | null = null;
  for (const d of c.drivers) {
    const l = d.laps[d.laps.length - 1];
    if (!l) continue;
    const b = best?.laps[best.laps.length - 1];
    if (!b || l.lap > b.lap || (l.lap === b.lap && l.raceTime < b.raceTime)) best = d;
  }
  return best;
}

const refDriver = (c: RaceCharts, ref: TraceReference): ChartDriver | undefined =>
  ref.kind === 'leader' ? (leaderOf(c) ?? undefined) : c.drivers.find((x) => x.driver === ref.driver);

/** Duration of each completed lap of `d` (s), by lap number. */
function lapDurations(d: ChartDriver): Map<number, number> {
  const out = new Map<number, number>();
  let prev: ChartLap | null = null;
  for (const l of d.laps) {
    out.set(
      l.lap,
      prev && prev.lap === l.lap - 1 ? l.raceTime - prev.raceTime : l.lap === 1 ? l.raceTime : NaN,
    );
    prev = l;
  }
  return out;
}

/** The laps of `d` that hold a red-flag stoppage: those run under the red flag and the one after each (the car
 *  sits in the pit lane until the restart, so the wait often lands in the lap it restarts on). */
export function stoppageLaps(d: ChartDriver): Set<number> {
  const out = new Set<number>();
  for (const l of d.laps) if (l.trackState === 'red') out.add(l.lap).add(l.lap + 1);
  return out;
}

/** The reference's pace and the clock without the red-flag waits (see raceTrace). */
interface NetClock {
  pace: number;
  /** Race time minus the waits before it (a crossing during a wait counts at the wait's start). */
  net(raceTime: number): number;
}

function netClock(c: RaceCharts, ref: TraceReference): NetClock | null {
  const d = refDriver(c, ref);
  const last = d?.laps[d.laps.length - 1];
  if (!d || !last) return null;
  const dur = lapDurations(d);
  const stop = stoppageLaps(d);
  const red = d.laps.filter((l) => stop.has(l.lap) && Number.isFinite(dur.get(l.lap)));
  const pace =
    red.length < d.laps.length
      ? (last.raceTime - red.reduce((t, l) => t + dur.get(l.lap)!, 0)) / (last.lap - red.length)
      : last.raceTime / last.lap;
  // each stoppage lap of the reference ran at the pace and waited the rest: [lap start + pace, lap end]
  const waits = red
    .map((l) => [l.raceTime - dur.get(l.lap)! + pace, l.raceTime] as const)
    .filter(([s, e]) => e > s);
  const net = (t: number) => t - waits.reduce((w, [s, e]) => w + Math.max(0, Math.min(t, e) - s), 0);
  return { pace, net };
}

/**
 * Average lap (s) of the reference over the laps it has completed, its red-flag stoppage laps left out (the wait
 * is no pace); null when it has none.
 */
export function referencePace(c: RaceCharts, ref: TraceReference): number | null {
  return netClock(c, ref)?.pace ?? null;
}

/**
 * The race trace: for each car and completed lap n, `pace × n − net(raceTime(n))` — seconds ahead (+) of a car
 * that ran every lap at the reference pace, behind (−). `net` takes out the red-flag waits (the part of the
 * reference's stoppage laps beyond its pace), which every car sits out, so a stoppage is no step in the trace
 * whichever side of it a car crossed the line; the reference itself ends on 0. Rows are keyed by lap;
 * `row[driver]` is absent for laps a car has not completed.
 */
export function raceTrace(
  c: RaceCharts,
  ref: TraceReference,
): { pace: number | null; rows: Record<string, number>[] } {
  const clock = netClock(c, ref);
  const maxLap = Math.max(0, ...c.drivers.map((d) => d.laps[d.laps.length - 1]?.lap ?? 0));
  const rows: Record<string, number>[] = [{ lap: 0 }];
  for (let n = 1; n <= maxLap; n++) rows.push({ lap: n });
  if (!clock) return { pace: null, rows };
  for (const x of c.drivers)
    for (const l of x.laps) rows[l.lap]![x.driver] = round3(clock.pace * l.lap - clock.net(l.raceTime));
  for (const x of c.drivers) if (x.laps.length) rows[0]![x.driver] = 0;
  return { pace: clock.pace, rows };
}

/**
 * The gap between cars a and b at the end of each lap both completed: `net(raceTime_b) − net(raceTime_a)` (s),
 * positive when a is ahead (b reached the line later); `net` takes out the red-flag waits (as the race trace does,
 * with the leader as reference), so a lap one car finished before a stoppage and the other after shows their gap,
 * not the wait.
 */
export function pairGap(
  c: RaceCharts,
  a: string,
  b: string,
): { lap: number; gap: number; trackState: TrackState }[] {
  const clock = netClock(c, { kind: 'leader' });
  const la = c.drivers.find((d) => d.driver === a)?.laps ?? [];
  const lb = new Map((c.drivers.find((d) => d.driver === b)?.laps ?? []).map((l) => [l.lap, l]));
  const out: { lap: number; gap: number; trackState: TrackState }[] = [];
  if (!clock) return out;
  for (const l of la) {
    const o = lb.get(l.lap);
    if (o)
      out.push({
        lap: l.lap,
        gap: round3(clock.net(o.raceTime) - clock.net(l.raceTime)),
        trackState: l.trackState,
      });
  }
  return out;
}

/** Why a lap says little about pace: it is shown, but kept out of the lap-time axis. */
export function slowReason(l: ChartLap): 'pit' | 'sc' | 'vsc' | 'red' | 'start' | null {
  if (l.pit) return 'pit';
  if (l.trackState === 'sc' || l.trackState === 'vsc' || l.trackState === 'red') return l.trackState;
  if (l.lap === 1) return 'start';
  return null;
}

export interface LapPoint {
  lap: number;
  lapTime: number;
  /** Where it is drawn: the lap time, or the top of the axis for a slower lap off the scale. */
  y: number;
  compound: Compound;
  stint: number;
  tyreAge: number | null;
  slow: ReturnType<typeof slowReason>;
  offScale: boolean;
}

/**
 * A car's lap times as drawn: the y-range spans its representative laps (no pit, SC/VSC/red or first lap; the
 * slowest 5 % ignored), padded and widened to half seconds; slower laps sit on the top edge, flagged `offScale`.
 */
export function lapTimeSeries(d: ChartDriver): {
  points: LapPoint[];
  domain: [number, number] | null;
  stintStarts: number[];
} {
  const timed = d.laps.filter(
    (l): l is ChartLap & { lapTime: number } => l.lapTime !== null && l.lapTime > 0,
  );
  const rep = timed
    .filter((l) => slowReason(l) === null)
    .map((l) => l.lapTime)
    .sort((x, y) => x - y);
  const base = rep.length ? rep : timed.map((l) => l.lapTime).sort((x, y) => x - y);
  const stintStarts = d.laps.filter((l, i) => i > 0 && l.stint !== d.laps[i - 1]!.stint).map((l) => l.lap);
  if (!base.length) return { points: [], domain: null, stintStarts };
  const lo = base[0]!;
  const hi = base[Math.min(base.length - 1, Math.floor(base.length * 0.95))]!;
  const pad = Math.max(0.3, (hi - lo) * 0.08);
  const domain: [number, number] = [Math.floor((lo - pad) * 2) / 2, Math.ceil((hi + pad) * 2) / 2]; // on half seconds
  const points = timed.map((l) => ({
    lap: l.lap,
    lapTime: l.lapTime,
    y: Math.min(l.lapTime, domain[1]),
    compound: l.compound,
    stint: l.stint,
    tyreAge: l.tyreAge,
    slow: slowReason(l),
    offScale: l.lapTime > domain[1],
  }));
  return { points, domain, stintStarts };
}

/** The stint bars: one row per car (in `order`, else as listed), each with its stints in order. */
export function stintRows(
  c: RaceCharts,
  order?: readonly string[],
): { driver: ChartDriver; stints: ChartStint[] }[] {
  const by = new Map<string, ChartStint[]>();
  for (const s of c.stints) {
    let a = by.get(s.driver);
    if (!a) by.set(s.driver, (a = []));
    a.push(s);
  }
  const rank = new Map((order ?? []).map((d, i) => [d, i]));
  return c.drivers
    .filter((d) => by.has(d.driver))
    .map((driver) => ({ driver, stints: by.get(driver.driver)! }))
    .sort((x, y) => (rank.get(x.driver.driver) ?? 1e9) - (rank.get(y.driver.driver) ?? 1e9));
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
