// A race recording synthesised from a bundled FastF1 lap file (one Grand Prix's laps: session times at each sector
// and lap end, positions, stints, pit times): the F1 live-timing topics a real feed would have sent — mini-sectors,
// sector times, lap counts, gaps and intervals, pit in/out, tyres, lap count, track status and race control.
// For tests, E2E and `bench:live`; real recordings come from `pitwall live record`.
import { readCsv } from '../data/csv.js';
import { parseDuration } from '../data/columns.js';
import type { LiveMessage } from './feed.js';
import { RecordingWriter } from './recording.js';

interface LapRow {
  code: string;
  num: string;
  team: string;
  lap: number;
  time: number;
  lapTime: number | null;
  sectorEnds: (number | null)[];
  sectors: (number | null)[];
  position: number | null;
  stint: number | null;
  compound: string | null;
  tyreLife: number | null;
  fresh: boolean;
  pitIn: number | null;
  pitOut: number | null;
  track: string;
  speeds: Record<'I1' | 'I2' | 'FL' | 'ST', number | null>;
}

const SEGMENTS = 4;
const dur = (s: string | undefined): number | null => (s ? parseDuration(s) : null);
const spd = (s: string | undefined): number | null => (s && Number.isFinite(Number(s)) ? Math.round(Number(s)) : null);
const fmtLap = (s: number): string => `${Math.floor(s / 60)}:${(s % 60).toFixed(3).padStart(6, '0')}`;
const fmtSec = (s: number): string => (s >= 60 ? fmtLap(s) : s.toFixed(3));

function readLaps(file: string, round: number): { rows: LapRow[]; event: string } {
  const t = readCsv(file);
  const col = (n: string) => {
    const i = t.header.indexOf(n);
    if (i < 0) throw new Error(`${file}: no column ${n}`);
    return i;
  };
  const c = Object.fromEntries(
    ['SpeedI1', 'SpeedI2', 'SpeedFL', 'SpeedST', 'Time', 'Driver', 'DriverNumber', 'LapTime', 'LapNumber', 'Stint', 'PitOutTime', 'PitInTime', 'Sector1Time', 'Sector2Time', 'Sector3Time',
      'Sector1SessionTime', 'Sector2SessionTime', 'Sector3SessionTime', 'Compound', 'TyreLife', 'FreshTyre', 'Team', 'TrackStatus', 'Position', 'RoundNumber', 'EventName'].map((n) => [n, col(n)]),
  ) as Record<string, number>;
  const rows: LapRow[] = [];
  let event = '';
  for (const r of t.rows) {
    if (Number(r[c.RoundNumber!]) !== round) continue;
    const time = dur(r[c.Time!]);
    if (time === null) continue;
    event = r[c.EventName!] ?? event;
    rows.push({
      code: r[c.Driver!]!,
      num: String(Number(r[c.DriverNumber!])),
      team: r[c.Team!] ?? '',
      lap: Number(r[c.LapNumber!]),
      time,
      lapTime: dur(r[c.LapTime!]),
      sectorEnds: [dur(r[c.Sector1SessionTime!]), dur(r[c.Sector2SessionTime!]), dur(r[c.Sector3SessionTime!])],
      sectors: [dur(r[c.Sector1Time!]), dur(r[c.Sector2Time!]), dur(r[c.Sector3Time!])],
      position: r[c.Position!] ? Number(r[c.Position!]) : null,
      stint: r[c.Stint!] ? Number(r[c.Stint!]) : null,
      compound: r[c.Compound!] || null,
      tyreLife: r[c.TyreLife!] ? Number(r[c.TyreLife!]) : null,
      fresh: r[c.FreshTyre!] === 'True',
      pitIn: dur(r[c.PitInTime!]),
      pitOut: dur(r[c.PitOutTime!]),
      track: r[c.TrackStatus!] || '1',
      speeds: { I1: spd(r[c.SpeedI1!]), I2: spd(r[c.SpeedI2!]), FL: spd(r[c.SpeedFL!]), ST: spd(r[c.SpeedST!]) },
    });
  }
  if (!rows.length) throw new Error(`${file}: no laps for round ${round}`);
  return { rows, event };
}

/** The messages of the race, in time order, and the initial state. `t0Utc`: the instant of session time 0. */
export function synthRace(file: string, round: number, t0Utc = Date.UTC(2024, 2, 2, 14, 0, 0)) {
  const { rows, event } = readLaps(file, round);
  const out: { t: number; topic: string; data: unknown }[] = [];
  const push = (t: number, topic: string, data: unknown) => out.push({ t, topic, data });
  const line = (num: string, data: unknown) => ({ Lines: { [num]: data } });
  const byDriver = new Map<string, LapRow[]>();
  for (const r of rows) (byDriver.get(r.num) ?? byDriver.set(r.num, []).get(r.num)!).push(r);
  const totalLaps = Math.max(...rows.map((r) => r.lap));
  // the time each car completed each lap: gaps are differences at the same line crossing
  const at = new Map<string, number>();
  for (const r of rows) at.set(`${r.num}|${r.lap}`, r.time);
  const leaderTimes = new Map<number, number>(); // lap → first car's crossing
  for (const r of rows) leaderTimes.set(r.lap, Math.min(leaderTimes.get(r.lap) ?? Infinity, r.time));
  const sortedLeader = [...leaderTimes.entries()].sort((a, b) => a[0] - b[0]);
  const leaderLapsAt = (t: number) => sortedLeader.filter(([, lt]) => lt <= t + 1e-6).length;
  const start = Math.min(...rows.map((r) => r.time - (r.lapTime ?? 100)));

  const drivers: Record<string, unknown> = {};
  const lines: Record<string, unknown> = {};
  const app: Record<string, unknown> = {};
  [...byDriver.entries()].forEach(([num, laps], i) => {
    const first = laps[0]!;
    drivers[num] = { RacingNumber: num, Tla: first.code, TeamName: first.team, Line: i + 1 };
    lines[num] = { Position: String(first.position ?? i + 1), Line: i + 1, NumberOfLaps: 0, NumberOfPitStops: 0, InPit: false, PitOut: false, Retired: false, Stopped: false,
      GapToLeader: '', IntervalToPositionAhead: { Value: '', Catching: false }, BestLapTime: { Value: '' }, LastLapTime: { Value: '' },
      Sectors: [0, 1, 2].map(() => ({ Value: '', Segments: Array.from({ length: SEGMENTS }, () => ({ Status: 0 })) })) };
    app[num] = { Stints: [{ Compound: first.compound ?? 'UNKNOWN', New: String(first.fresh), TotalLaps: Math.max(0, (first.tyreLife ?? 1) - 1), StartLaps: 0 }] };
  });
  const initial = {
    SessionInfo: { Name: 'Race', Type: 'Race', Key: 9000 + round, Meeting: { Name: event }, StartDate: new Date(t0Utc + start * 1000).toISOString().slice(0, 19) },
    DriverList: drivers, TimingData: { Lines: lines }, TimingAppData: { Lines: app },
    LapCount: { CurrentLap: 1, TotalLaps: totalLaps }, TrackStatus: { Status: '1', Message: 'AllClear' },
    WeatherData: { AirTemp: '18.5', TrackTemp: '25.1', Humidity: '45', WindSpeed: '1.2', Rainfall: '0' },
    ExtrapolatedClock: { Utc: new Date(t0Utc + start * 1000).toISOString(), Remaining: '02:00:00', Extrapolating: true },
    RaceControlMessages: { Messages: [] },
  };

  let rc = 0;
  let track = '1';
  for (const [num, laps] of byDriver) {
    let best = Infinity;
    const bestSec = [Infinity, Infinity, Infinity];
    let stops = 0;
    for (const r of laps) {
      const lapStart = r.time - (r.lapTime ?? (r.time - (at.get(`${num}|${r.lap - 1}`) ?? start)));
      // mini-sectors and sector times
      let s0 = lapStart;
      for (let i = 0; i < 3; i++) {
        const end = r.sectorEnds[i] ?? null;
        const sec = r.sectors[i] ?? null;
        if (end !== null) {
          for (let k = 0; k < SEGMENTS; k++) {
            const pb = sec !== null && sec <= bestSec[i]! + 0.1;
            push(s0 + ((end - s0) * (k + 1)) / SEGMENTS - 0.01, 'TimingData', line(num, { Sectors: { [i]: { Segments: { [k]: { Status: pb ? 2049 : 2048 } } } } }));
          }
          if (sec !== null) {
            const pb = sec < bestSec[i]!;
            bestSec[i] = Math.min(bestSec[i]!, sec);
            push(end, 'TimingData', line(num, { Sectors: { [i]: { Value: fmtSec(sec), PersonalFastest: pb } } }));
          }
          s0 = end;
        }
      }
      if (r.pitIn !== null) push(r.pitIn, 'TimingData', line(num, { InPit: true, PitOut: false }));
      if (r.pitOut !== null && r.lap > 1) {
        stops++;
        push(r.pitOut, 'TimingData', line(num, { InPit: false, PitOut: true, NumberOfPitStops: stops }));
        push(r.pitOut + 0.5, 'TimingAppData', line(num, { Stints: { [(r.stint ?? stops + 1) - 1]: { Compound: r.compound ?? 'UNKNOWN', New: String(r.fresh), TotalLaps: 0, StartLaps: 0 } } }));
      }
      // the lap count, times, position, gap and interval at the line
      const lead = leaderTimes.get(r.lap)!;
      const down = leaderLapsAt(r.time) - r.lap;
      const ahead = rows.find((o) => o.lap === r.lap && o.position === (r.position ?? 0) - 1);
      const iv = ahead ? r.time - ahead.time : null;
      const pb = r.lapTime !== null && r.lapTime < best;
      if (r.lapTime !== null) best = Math.min(best, r.lapTime);
      push(r.time, 'TimingData', line(num, {
        NumberOfLaps: r.lap,
        Position: r.position !== null ? String(r.position) : undefined,
        GapToLeader: r.position === 1 ? `LAP ${Math.min(totalLaps, r.lap + 1)}` : down >= 1 ? `${down}L` : `+${(r.time - lead).toFixed(3)}`,
        IntervalToPositionAhead: { Value: r.position === 1 ? '' : iv !== null && iv >= 0 ? `+${iv.toFixed(3)}` : '' },
        ...(r.lapTime !== null ? { LastLapTime: { Value: fmtLap(r.lapTime), PersonalFastest: pb } } : {}),
        ...(Number.isFinite(best) ? { BestLapTime: { Value: fmtLap(best), Lap: r.lap } } : {}),
        PitOut: false,
        Speeds: Object.fromEntries(Object.entries(r.speeds).filter(([, v]) => v !== null).map(([k, v]) => [k, { Value: String(v) }])),
      }));
      push(r.time + 1, 'TimingAppData', line(num, { Stints: { [(r.stint ?? 1) - 1]: { TotalLaps: r.tyreLife ?? r.lap } } }));
      if (r.position === 1) {
        push(r.time + 0.2, 'LapCount', { CurrentLap: Math.min(totalLaps, r.lap + 1) });
        const code = r.track.slice(-1);
        if (code !== track) {
          track = code;
          const msg = { '1': ['AllClear', 'TRACK CLEAR'], '2': ['Yellow', 'YELLOW FLAG'], '4': ['SCDeployed', 'SAFETY CAR DEPLOYED'], '5': ['Red', 'RED FLAG'], '6': ['VSCDeployed', 'VIRTUAL SAFETY CAR DEPLOYED'], '7': ['VSCEnding', 'VSC ENDING'] }[code] ?? ['AllClear', 'TRACK CLEAR'];
          push(r.time + 0.3, 'TrackStatus', { Status: code, Message: msg[0] });
          push(r.time + 0.3, 'RaceControlMessages', { Messages: { [rc++]: { Utc: new Date(t0Utc + (r.time + 0.3) * 1000).toISOString(), Lap: r.lap, Category: 'Flag', Message: msg[1] } } });
        }
      }
    }
    const last = laps[laps.length - 1]!;
    if (last.lap < totalLaps - 3) push(last.time + 30, 'TimingData', line(num, { Retired: true, Stopped: true }));
  }
  for (let t = start; t < start + 7200; t += 60) push(t, 'WeatherData', { AirTemp: (18.5 - (t - start) / 3600).toFixed(1), TrackTemp: (25.1 - (t - start) / 1800).toFixed(1), Humidity: '45', WindSpeed: '1.2', Rainfall: '0' });
  out.sort((a, b) => a.t - b.t);
  const t0 = start - 1;
  const messages: LiveMessage[] = out.map((m) => ({ topic: m.topic, data: m.data, utc: new Date(t0Utc + m.t * 1000).toISOString(), offsetMs: Math.round((m.t - t0) * 1000) }));
  return { initial: { kind: 'initial' as const, utc: new Date(t0Utc + t0 * 1000).toISOString(), offsetMs: 0, state: initial }, messages, event, totalLaps };
}

/** Writes the synthesised race as a recording file. */
export function writeSynthRace(file: string, round: number, out: string): { messages: number; totalLaps: number } {
  const r = synthRace(file, round);
  const w = new RecordingWriter(out, { source: `synth:${r.event}`, startedUtc: r.initial.utc, session: { name: 'Race', meeting: r.event } });
  w.write(r.initial);
  for (const m of r.messages) w.write({ kind: 'message', message: m });
  w.close();
  return { messages: r.messages.length, totalLaps: r.totalLaps };
}
