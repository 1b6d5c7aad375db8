// Track-status periods (SC, VSC, red flag, yellow) in session time, from the status codes each lap carries.
// A lap whose codes contain '4' proves the SC was out at some moment of that lap; a lap without it proves it was
// not out during that lap. So: union of laps with the code, minus union of laps without it.
import type { LapRecord, ReferenceData } from './source.js';
import { hasState, isKnownStatus, type TrackState } from '../race/track-status.js';

export type PeriodState = Exclude<TrackState, 'green'>;
export interface TrackPeriod {
  state: PeriodState;
  start: number;
  end: number;
  startLap: number; // race (leader) lap when it began
  endLap: number;
  source: 'laps' | 'table';
  cause: string | null;
}

type Span = [number, number];
const STATES: readonly PeriodState[] = ['red', 'sc', 'vsc', 'yellow'];

function merge(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const [s, e] of [...spans].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function subtract(a: Span[], b: Span[]): Span[] {
  const out: Span[] = [];
  let j = 0;
  for (const [s0, e] of a) {
    let s = s0;
    while (j < b.length && b[j]![1] <= s) j++;
    let k = j;
    while (k < b.length && b[k]![0] < e) {
      const [bs, be] = b[k]!;
      if (bs > s) out.push([s, bs]);
      s = Math.max(s, be);
      k++;
    }
    if (s < e) out.push([s, e]);
  }
  return out;
}

/** Periods seen in the lap data alone. `lapAt(t)` gives the race lap in progress at session time t. */
export function periodsFromLaps(laps: LapRecord[], lapAt: (t: number) => number): TrackPeriod[] {
  const out: TrackPeriod[] = [];
  for (const state of STATES) {
    const withCode: Span[] = [];
    const without: Span[] = [];
    for (const l of laps) {
      if (!isKnownStatus(l.trackStatus) || !(l.time > l.start)) continue;
      (hasState(l.trackStatus, state) ? withCode : without).push([l.start, l.time]);
    }
    const segs = subtract(merge(withCode), merge(without)).filter(([s, e]) => e - s > 0.5);
    const joined: Span[] = [];
    for (const sp of segs) {
      const last = joined[joined.length - 1];
      if (last && sp[0] - last[1] < 10) last[1] = sp[1];
      else joined.push([...sp]);
    }
    for (const [s, e] of joined) out.push({ state, start: s, end: e, startLap: lapAt(s), endLap: lapAt(e), source: 'laps', cause: null });
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Reconciles the lap-data periods with the race-control tables: a table row within `tol` laps of a detected start
 * names its cause; a row falling inside a detected period splits it (back-to-back deployments); a row with no
 * trace in the lap data (missing status codes) is added from the table.
 */
export function reconcilePeriods(
  periods: TrackPeriod[],
  ref: ReferenceData,
  lapStart: (lap: number) => number,
  lapAt: (t: number) => number,
): TrackPeriod[] {
  const out = periods.map((p) => ({ ...p }));
  const rows: { state: PeriodState; lap: number; endLap: number | null; cause: string | null; tol: number }[] = [
    ...ref.safetyCars.map((r) => ({ state: 'sc' as const, lap: r.deployed, endLap: r.retreated, cause: r.cause, tol: 2 })),
    ...ref.redFlags.map((r) => ({ state: 'red' as const, lap: r.lap, endLap: null, cause: r.incident, tol: 2 })),
    ...vscRuns(ref.vscLaps).map(([a, b]) => ({ state: 'vsc' as const, lap: a, endLap: b + 1, cause: null, tol: 3 })),
  ];
  const used = new Set<TrackPeriod>();
  for (const row of rows) {
    const same = out.filter((p) => p.state === row.state && !used.has(p));
    const near = same
      .filter((p) => Math.abs(p.startLap - row.lap) <= row.tol)
      .sort((a, b) => Math.abs(a.startLap - row.lap) - Math.abs(b.startLap - row.lap))[0];
    if (near) {
      near.cause ??= row.cause;
      used.add(near);
      continue;
    }
    const inside = out.find((p) => p.state === row.state && p.startLap < row.lap && row.lap <= p.endLap);
    if (inside) {
      const t = Math.max(lapStart(row.lap), inside.start + 1);
      const second: TrackPeriod = { ...inside, start: t, startLap: lapAt(t), cause: row.cause };
      inside.end = t;
      inside.endLap = lapAt(t);
      out.push(second);
      used.add(second);
      continue;
    }
    const start = lapStart(Math.max(1, row.lap));
    const end = row.endLap !== null ? lapStart(Math.max(row.lap + 1, Math.ceil(row.endLap))) : start + 60;
    const p: TrackPeriod = { state: row.state, start, end, startLap: lapAt(start), endLap: lapAt(end), source: 'table', cause: row.cause };
    out.push(p);
    used.add(p);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Consecutive lap numbers grouped into [first, last] runs. */
export function vscRuns(laps: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const l of [...laps].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last && l === last[1] + 1) last[1] = l;
    else runs.push([l, l]);
  }
  return runs;
}
