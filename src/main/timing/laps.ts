// Per-lap rows from a session's merged timing streams — the same rows the FastF1 lap files give: lap time, sectors,
// position, stint, compound, tyre age, new/used, pit in/out, track status during the lap, personal best. Works for
// races, sprints, qualifying and practice: a lap is counted when TimingData's NumberOfLaps for the car goes up.
import { parseDuration } from '../data/columns.js';
import { TimingState } from './state.js';
import type { StreamUpdate } from './stream.js';

export interface TimingLap {
  driver_number: number;
  /** Three-letter code from DriverList (null when the list lacks the car). */
  driver: string | null;
  lap_number: number;
  lap_time_s: number | null;
  sector1_s: number | null;
  sector2_s: number | null;
  sector3_s: number | null;
  /** Position in the timing tower when the lap was completed. */
  position: number | null;
  stint: number | null;
  compound: string | null;
  /** Laps on the tyre at the end of this lap (TimingAppData TotalLaps). */
  tyre_life: number | null;
  fresh_tyre: boolean | null;
  pit_in: boolean;
  pit_out: boolean;
  /** Every track status seen during the lap, in order, as FastF1 writes it ("1", "126", …). */
  track_status: string | null;
  is_personal_best: boolean;
  /** Session-stream time at the end of the lap, seconds. */
  time_s: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const entries = (v: unknown): [string, unknown][] => (Array.isArray(v) ? v.map((x, i) => [String(i), x]) : isObj(v) ? Object.entries(v) : []);
const secs = (v: unknown): number | null => {
  const d = typeof v === 'string' && v !== '' ? parseDuration(v) : null;
  return d === null ? null : Math.round(d * 1000) / 1000;
};
/** TimingAppData counts a lap on the tyre about a second after TimingData counts the lap: wait this long for it. */
const TYRE_LAG_MS = 5000;
/** How long after the lap count a lap's own time and last sector may still arrive. */
const CLOSE_MS = 5000;

interface Open {
  sectors: (number | null)[];
  pitIn: boolean;
  pitOut: boolean;
  status: string;
}

/** Topic → its updates, e.g. from `parseJsonStream`. TimingData is required; TimingAppData, DriverList and
 *  TrackStatus add tyres, codes and track status. */
export function deriveLaps(streams: Record<string, StreamUpdate[]>): TimingLap[] {
  const timeline: { topic: string; u: StreamUpdate; seq: number }[] = [];
  let seq = 0;
  for (const [topic, ups] of Object.entries(streams)) for (const u of ups) timeline.push({ topic, u, seq: seq++ });
  timeline.sort((a, b) => a.u.offsetMs - b.u.offsetMs || a.seq - b.seq);

  const state = new TimingState();
  const open = new Map<string, Open>();
  const laps: TimingLap[] = [];
  let trackStatus = '1';
  const early = new Map<string, { t: number; pb: boolean; at: number }>();
  const closing = new Map<string, { lap: TimingLap; until: number }>();
  const pending = new Map<string, { lap: TimingLap; stint: number; until: number }>();
  const lapOf = (num: string): Open => {
    let o = open.get(num);
    if (!o) open.set(num, (o = { sectors: [null, null, null], pitIn: false, pitOut: false, status: trackStatus }));
    return o;
  };

  for (const { topic, u } of timeline) {
    const before = topic === 'TimingData' ? counts(state) : null;
    state.apply(topic, u.data);
    if (topic === 'TrackStatus') {
      const s = (state.get<Obj>('TrackStatus') ?? {}).Status;
      if (typeof s === 'string' && s !== trackStatus) {
        trackStatus = s;
        for (const o of open.values()) if (!o.status.includes(s)) o.status += s;
      }
      continue;
    }
    if (topic === 'TimingAppData' && isObj(u.data)) {
      for (const [num, up] of entries((u.data as Obj).Lines)) {
        const p = pending.get(num);
        if (!p || !isObj(up)) continue;
        if (u.offsetMs > p.until) {
          pending.delete(num);
          continue;
        }
        const st = entries(up.Stints).find(([i]) => Number(i) === p.stint)?.[1];
        if (isObj(st) && typeof st.TotalLaps === 'number') {
          p.lap.tyre_life = st.TotalLaps;
          pending.delete(num);
        }
      }
    }
    if (topic !== 'TimingData' || !isObj(u.data)) continue;
    const lines = (state.get<Obj>('TimingData') ?? {}).Lines;
    for (const [num, up] of entries((u.data as Obj).Lines)) {
      if (!isObj(up)) continue;
      const o = lapOf(num);
      const line = isObj(lines) ? (lines as Obj)[num] : undefined;
      // A lap just counted may get its time and last sector a moment later, in a message of its own.
      let c = closing.get(num);
      if (c && u.offsetMs > c.until) {
        closing.delete(num);
        c = undefined;
      }
      const lastUp = isObj(up.LastLapTime) ? secs(up.LastLapTime.Value) : null;
      const pbNow = isObj(line) && isObj(line.LastLapTime) && line.LastLapTime.PersonalFastest === true;
      if (c && lastUp !== null) {
        c.lap.lap_time_s = lastUp;
        c.lap.is_personal_best = pbNow;
      } else if (lastUp !== null) early.set(num, { t: lastUp, pb: pbNow, at: u.offsetMs }); // may precede its count
      // Sector times in this message belong to the lap in progress (the last one arrives with the lap count or just
      // after it, for the lap still closing).
      for (const [i, sec] of entries(up.Sectors)) {
        const v = isObj(sec) ? secs(sec.Value) : null;
        if (v === null || Number(i) > 2) continue;
        if (c && Number(i) === 2) c.lap.sector3_s = v;
        else o.sectors[Number(i)] = v;
      }
      if (c && c.lap.lap_time_s !== null && c.lap.sector3_s !== null) closing.delete(num);
      const n = isObj(line) && typeof line.NumberOfLaps === 'number' ? line.NumberOfLaps : null;
      if (isObj(line) && n !== null && n > (before!.get(num) ?? 0)) {
        const e = early.get(num);
        early.delete(num);
        // A time shown during this lap before its count is this lap's: on an in-lap the car crosses the line in the
        // pit lane and the count follows only at pit exit.
        const time = lastUp ?? e?.t ?? null;
        const lap: TimingLap = {
          driver_number: Number(num),
          driver: null,
          lap_number: n,
          lap_time_s: time,
          sector1_s: o.sectors[0] ?? null,
          sector2_s: o.sectors[1] ?? null,
          sector3_s: o.sectors[2] ?? null,
          position: typeof line.Position === 'string' && line.Position !== '' ? Number(line.Position) : null,
          ...tyres(state, num),
          pit_in: o.pitIn,
          pit_out: o.pitOut,
          track_status: o.status,
          is_personal_best: lastUp !== null ? pbNow : time !== null && e!.pb,
          time_s: u.offsetMs / 1000,
        };
        laps.push(lap);
        if (lap.lap_time_s === null || lap.sector3_s === null) closing.set(num, { lap, until: u.offsetMs + CLOSE_MS });
        else closing.delete(num);
        if (lap.stint !== null) pending.set(num, { lap, stint: lap.stint - 1, until: u.offsetMs + TYRE_LAG_MS });
        open.set(num, { sectors: [null, null, null], pitIn: false, pitOut: false, status: trackStatus });
      }
      // Pit flags in the message that counts a lap belong to the next lap: the count comes as the car leaves the pits.
      const cur = lapOf(num);
      if (up.InPit === true) cur.pitIn = true;
      if (up.PitOut === true) cur.pitOut = true;
    }
  }
  const drivers = state.get<Obj>('DriverList') ?? {};
  for (const l of laps) {
    const d = drivers[String(l.driver_number)];
    l.driver = isObj(d) && typeof d.Tla === 'string' ? d.Tla : null;
  }
  return laps.sort((a, b) => a.driver_number - b.driver_number || a.lap_number - b.lap_number);
}

function counts(state: TimingState): Map<string, number> {
  const lines = (state.get<Obj>('TimingData') ?? {}).Lines;
  const m = new Map<string, number>();
  for (const [num, l] of entries(lines)) if (isObj(l) && typeof l.NumberOfLaps === 'number') m.set(num, l.NumberOfLaps);
  return m;
}

function tyres(state: TimingState, num: string): Pick<TimingLap, 'stint' | 'compound' | 'tyre_life' | 'fresh_tyre'> {
  const app = (state.get<Obj>('TimingAppData') ?? {}).Lines;
  const line = isObj(app) ? (app as Obj)[num] : undefined;
  const stints = isObj(line) ? entries(line.Stints) : [];
  const cur = stints[stints.length - 1];
  if (!cur || !isObj(cur[1])) return { stint: null, compound: null, tyre_life: null, fresh_tyre: null };
  const s = cur[1];
  const compound = typeof s.Compound === 'string' && s.Compound !== 'UNKNOWN' ? s.Compound : null;
  return {
    stint: stints.length,
    compound,
    tyre_life: typeof s.TotalLaps === 'number' ? s.TotalLaps : null,
    fresh_tyre: s.New === 'true' ? true : s.New === 'false' ? false : null,
  };
}
