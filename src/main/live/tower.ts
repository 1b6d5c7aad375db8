// The live tower from the merged F1 timing state (../timing/state.ts): one row per car from TimingData (position,
// gaps, laps, sectors, mini-sectors, speed traps, pit), tyres from TimingAppData, names from DriverList, plus race
// control, track status, weather, lap count and the extrapolated session clock. Pure: the same state gives the
// same tower, so a snapshot from a recording equals what the live screen showed at that moment.
import type { BestFlag, LiveRow, LiveSector, LiveSpeed, LiveTower, LiveWeather, RaceControlMessage, SegmentState } from '../../shared/live.js';
import { parseDuration } from '../data/columns.js';
import { worstState } from '../race/track-status.js';
import type { TimingState } from '../timing/state.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A list, or an object keyed by index strings (how partial updates leave a list), as ordered entries. */
export const entries = (v: unknown): [string, unknown][] =>
  Array.isArray(v)
    ? v.map((x, i) => [String(i), x])
    : isObj(v)
      ? Object.entries(v).sort((a, b) => Number(a[0]) - Number(b[0]) || a[0].localeCompare(b[0]))
      : [];
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};
/** "1:27.736" / "27.812" → seconds (ms precision). */
export const secs = (v: unknown): number | null => {
  const s = str(v);
  const d = s === null ? null : parseDuration(s);
  return d === null ? null : Math.round(d * 1000) / 1000;
};
const flag = (v: unknown): BestFlag => (isObj(v) && v.OverallFastest === true ? 'overall' : isObj(v) && v.PersonalFastest === true ? 'personal' : null);

/** A gap or interval as the feed writes it: "+1.234" → 1.234; "1L", "+2 LAPS" → "+1 LAP", "+2 LAPS"; the leader's
 *  "LAP 23" and "" → null. */
export function parseGap(v: unknown): number | string | null {
  if (isObj(v)) return parseGap(v.Value);
  if (typeof v === 'number') return v;
  const s = str(v);
  if (s === null || /^LAP\b/i.test(s)) return null;
  const laps = /^\+?(\d+)\s*L(?:APS?)?$/i.exec(s);
  if (laps) return `+${laps[1]} LAP${laps[1] === '1' ? '' : 'S'}`;
  const n = Number(s.replace(/^\+/, ''));
  return Number.isFinite(n) ? n : null;
}

const SEGMENT: Record<number, SegmentState> = { 2048: 'slower', 2049: 'personal', 2051: 'overall', 2064: 'pit' };

function sector(v: unknown): LiveSector {
  const segs = isObj(v) ? entries(v.Segments) : [];
  return {
    time: isObj(v) ? secs(v.Value) : null,
    flag: isObj(v) && secs(v.Value) !== null ? flag(v) : null,
    segments: segs.map(([, s]) => (isObj(s) ? (SEGMENT[Number(s.Status)] ?? 'none') : 'none')),
  };
}
const speed = (v: unknown): LiveSpeed => ({ kmh: isObj(v) ? num(v.Value) : null, flag: isObj(v) && num(v.Value) !== null ? flag(v) : null });

function tyres(app: unknown): Pick<LiveRow, 'compound' | 'tyreAge' | 'newTyre'> & { stints: number } {
  const stints = isObj(app) ? entries(app.Stints) : [];
  const cur = stints[stints.length - 1]?.[1];
  if (!isObj(cur)) return { compound: null, tyreAge: null, newTyre: null, stints: stints.length };
  const c = str(cur.Compound);
  return {
    compound: c && c !== 'UNKNOWN' ? c : null,
    tyreAge: num(cur.TotalLaps),
    newTyre: cur.New === 'true' || cur.New === true ? true : cur.New === 'false' || cur.New === false ? false : null,
    stints: stints.length,
  };
}

export type Trend = LiveRow['trend'];

/** Everything the state does not hold: the instant shown, the stream offset, the last message and the trends. */
export interface TowerContext {
  at: string;
  offsetMs: number | null;
  seq: number;
  trend?: (driverNumber: string) => Trend;
  /** A row built before, when its car's data has not changed since (LiveTiming keeps them). */
  cached?: (driverNumber: string) => LiveRow | undefined;
  /** Told of each row built anew. */
  built?: (driverNumber: string, row: LiveRow) => void;
}

export function buildRow(num: string, line: Obj, state: TimingState, trend: Trend): LiveRow {
  const driver = (state.get<Obj>('DriverList') ?? {})[num];
  const app = ((state.get<Obj>('TimingAppData') ?? {}).Lines as Obj | undefined)?.[num];
  const t = tyres(app);
  const speeds = isObj(line.Speeds) ? line.Speeds : {};
  const pos = num_(line.Position);
  return {
    position: pos,
    driverNumber: Number(num),
    code: isObj(driver) ? str(driver.Tla) : null,
    team: isObj(driver) ? str(driver.TeamName) : null,
    teamColor: isObj(driver) ? str(driver.TeamColour) : null,
    laps: typeof line.NumberOfLaps === 'number' ? line.NumberOfLaps : null,
    gapToLeader: pos === 1 ? null : parseGap(line.GapToLeader ?? line.TimeDiffToFastest),
    interval: pos === 1 ? null : parseGap(line.IntervalToPositionAhead ?? line.TimeDiffToPositionAhead),
    trend,
    lastLap: isObj(line.LastLapTime) ? secs(line.LastLapTime.Value) : null,
    lastLapFlag: isObj(line.LastLapTime) && secs(line.LastLapTime.Value) !== null ? flag(line.LastLapTime) : null,
    bestLap: isObj(line.BestLapTime) ? secs(line.BestLapTime.Value) : null,
    sectors: [0, 1, 2].map((i) => sector(entries(line.Sectors)[i]?.[1])),
    speeds: { i1: speed(speeds.I1), i2: speed(speeds.I2), fl: speed(speeds.FL), st: speed(speeds.ST) },
    inPit: line.InPit === true,
    pitOut: line.PitOut === true,
    pitStops: typeof line.NumberOfPitStops === 'number' ? line.NumberOfPitStops : Math.max(0, t.stints - 1),
    compound: t.compound,
    tyreAge: t.tyreAge,
    newTyre: t.newTyre,
    retired: line.Retired === true,
    stopped: line.Stopped === true,
  };
}
const num_ = (v: unknown): number | null => {
  const n = num(v);
  return n !== null && n > 0 ? n : null;
};

function raceControl(state: TimingState): RaceControlMessage[] {
  const msgs = entries((state.get<Obj>('RaceControlMessages') ?? {}).Messages);
  const out: RaceControlMessage[] = [];
  for (const [, m] of msgs) {
    if (!isObj(m)) continue;
    out.push({ utc: str(m.Utc) ?? '', lap: num(m.Lap), category: str(m.Category) ?? 'Other', flag: str(m.Flag), message: str(m.Message) ?? '' });
  }
  return out.reverse().slice(0, 50);
}

function weather(state: TimingState): LiveWeather | null {
  const w = state.get<Obj>('WeatherData');
  if (!isObj(w)) return null;
  return { airTemp: num(w.AirTemp), trackTemp: num(w.TrackTemp), humidity: num(w.Humidity), windSpeed: num(w.WindSpeed), rain: num(w.Rainfall) === 1 || w.Rainfall === true };
}

function clock(state: TimingState, at: string, offsetMs: number | null): LiveTower['clock'] {
  const c = state.get<Obj>('ExtrapolatedClock');
  const elapsedS = offsetMs === null ? null : offsetMs / 1000;
  if (!isObj(c)) return { remainingS: null, elapsedS, running: false };
  const rem = secs(c.Remaining);
  const running = c.Extrapolating === true;
  const since = running && str(c.Utc) ? (Date.parse(at) - Date.parse(String(c.Utc))) / 1000 : 0;
  const remainingS = rem === null ? null : Math.max(0, Math.round((rem - (Number.isFinite(since) ? Math.max(0, since) : 0)) * 1000) / 1000);
  return { remainingS, elapsedS, running: running && remainingS !== 0 };
}

/** The whole tower at `ctx.at`. Rows in tower order (position; cars without one last, by their timing line). */
export function buildTower(state: TimingState, ctx: TowerContext): LiveTower {
  const lines = (state.get<Obj>('TimingData') ?? {}).Lines;
  const rows: { row: LiveRow; line: number }[] = [];
  for (const [n, line] of entries(lines)) {
    if (!isObj(line)) continue;
    let row = ctx.cached?.(n);
    if (!row) {
      row = buildRow(n, line, state, ctx.trend?.(n) ?? null);
      ctx.built?.(n, row);
    }
    rows.push({ row, line: num(line.Line) ?? 99 });
  }
  rows.sort((a, b) => (a.row.position ?? 999) - (b.row.position ?? 999) || a.line - b.line || a.row.driverNumber - b.row.driverNumber);
  const info = state.get<Obj>('SessionInfo');
  const lapCount = state.get<Obj>('LapCount');
  const leader = rows.find((r) => r.row.position === 1)?.row;
  const ts = state.get<Obj>('TrackStatus');
  const code = (isObj(ts) && str(ts.Status)) || '1';
  return {
    at: ctx.at,
    offsetMs: ctx.offsetMs,
    seq: ctx.seq,
    session: isObj(info)
      ? {
          name: str(info.Name),
          type: str(info.Type),
          meeting: isObj(info.Meeting) ? str(info.Meeting.Name) : null,
          key: num(info.Key),
          season: Number(/^(\d{4})/.exec(str(info.StartDate) ?? str(info.Path) ?? '')?.[1]) || null,
          circuit: isObj(info.Meeting) && isObj(info.Meeting.Circuit) ? str(info.Meeting.Circuit.ShortName) : null,
        }
      : null,
    lap: (isObj(lapCount) ? num(lapCount.CurrentLap) : null) ?? leader?.laps ?? null,
    totalLaps: isObj(lapCount) ? num(lapCount.TotalLaps) : null,
    trackStatus: { code, state: worstState(code), message: isObj(ts) ? str(ts.Message) : null },
    clock: clock(state, ctx.at, ctx.offsetMs),
    weather: weather(state),
    raceControl: raceControl(state),
    rows: rows.map((r) => r.row),
  };
}
