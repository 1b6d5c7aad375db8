// OpenF1 records → F1 live-timing topic updates (the shapes TimingData, TimingAppData, DriverList, … have in F1's
// own feed), so one state and tower implementation serves both. Mapping (README "Live feeds"):
//   drivers → DriverList; sessions/meetings → SessionInfo; position → TimingData Lines.Position/Line;
//   intervals → TimingData GapToLeader / IntervalToPositionAhead ("+1.234", "1L"); laps → TimingData NumberOfLaps,
//   LastLapTime, BestLapTime, Sectors, Speeds (I1, I2, ST) and LapCount.CurrentLap; stints → TimingAppData Stints
//   (Compound, New, StartLaps, TotalLaps); pit → TimingData NumberOfPitStops + PitLaneTimeCollection;
//   race_control → RaceControlMessages (+ TrackStatus for SC/VSC/red/yellow/clear); weather → WeatherData.
// Not available from OpenF1's REST endpoints: InPit/PitOut flags, mini-sectors (segments), sector colours.
import type { LiveEvent, LiveMessage } from '../feed.js';

export type OpenF1Record = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

/** Seconds → F1's lap-time text ("1:31.234", "58.123"). */
export function lapText(s: number): string {
  const ms = Math.round(s * 1000);
  const m = Math.floor(ms / 60000);
  const rest = ((ms % 60000) / 1000).toFixed(3);
  return m ? `${m}:${rest.padStart(6, '0')}` : rest;
}
/** An OpenF1 gap (seconds, "+1 LAP", null for the leader) → F1's text ("+1.234", "1L", ""). */
export function gapText(v: unknown): string {
  if (typeof v === 'number') return `+${v.toFixed(3)}`;
  const laps = typeof v === 'string' ? /^\+?(\d+)\s*LAPS?$/i.exec(v.trim()) : null;
  if (laps) return `${laps[1]}L`;
  return typeof v === 'string' ? v : '';
}

/** UTC ISO + "HH:MM:SS" offset → F1's local "YYYY-MM-DDTHH:MM:SS". */
function localDate(utc: unknown, gmt: unknown): string | undefined {
  const t = Date.parse(String(utc ?? ''));
  if (Number.isNaN(t)) return undefined;
  const m = /^(-)?(\d+):(\d\d)(?::(\d\d))?/.exec(String(gmt ?? '00:00:00'));
  const off = m ? (m[1] ? -1 : 1) * ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1000 : 0;
  return new Date(t + off).toISOString().slice(0, 19);
}

export class OpenF1Translator {
  private best = new Map<string, number>();
  private pits = new Map<string, number>();
  private rcm = 0;
  private lap = 0;
  /** Lap start times (`driver/lap` → ISO), which place stints (they carry no time of their own). */
  private lapStarts = new Map<string, string>();
  private latest: string | null = null;
  constructor(
    private readonly session: OpenF1Record,
    private readonly meeting?: OpenF1Record,
  ) {}

  sessionInfo(): Record<string, unknown> {
    const s = this.session;
    const m = this.meeting ?? {};
    return {
      Meeting: { Key: s.meeting_key, Name: m.meeting_name ?? s.location, OfficialName: m.meeting_official_name, Location: s.location,
        Country: { Key: s.country_key, Code: s.country_code, Name: s.country_name }, Circuit: { Key: s.circuit_key, ShortName: s.circuit_short_name } },
      Key: s.session_key, Type: s.session_type, Name: s.session_name,
      StartDate: localDate(s.date_start, s.gmt_offset), EndDate: localDate(s.date_end, s.gmt_offset), GmtOffset: s.gmt_offset,
    };
  }
  sessionSummary(): Record<string, unknown> {
    const s = this.session;
    return { season: s.year, meeting: this.meeting?.meeting_name ?? s.location, key: s.session_key, name: s.session_name, type: s.session_type,
      startDate: localDate(s.date_start, s.gmt_offset), gmtOffset: s.gmt_offset, openf1: { session_key: s.session_key, meeting_key: s.meeting_key } };
  }
  initial(drivers: OpenF1Record[]): Record<string, unknown> {
    const list: Record<string, unknown> = {};
    for (const d of drivers) {
      const n = str(d.driver_number);
      if (n === undefined) continue;
      list[n] = { RacingNumber: n, BroadcastName: d.broadcast_name, FullName: d.full_name, Tla: d.name_acronym, TeamName: d.team_name,
        TeamColour: d.team_colour, FirstName: d.first_name, LastName: d.last_name, HeadshotUrl: d.headshot_url };
    }
    return { SessionInfo: this.sessionInfo(), DriverList: list };
  }

  /** One record of `endpoint` → its topic updates (a record it cannot read is reported through `sink`). */
  translate(endpoint: string, r: OpenF1Record, sink: (e: LiveEvent) => void): LiveMessage[] {
    const n = str(r.driver_number);
    const utc = (v: unknown): string | null => {
      const t = Date.parse(String(v ?? ''));
      return Number.isNaN(t) ? null : new Date(t).toISOString();
    };
    const at = utc(endpoint === 'laps' ? r.date_start : r.date);
    const line = (data: Record<string, unknown>, topic = 'TimingData'): LiveMessage[] =>
      n === undefined || !at ? [] : [{ topic, data: { Lines: { [n]: data } }, utc: at }];
    if (at && (this.latest === null || at > this.latest)) this.latest = at;
    const skip = (why: string): LiveMessage[] => (sink({ kind: 'skipped', reason: `openf1 ${endpoint}: ${why}` }), []);
    switch (endpoint) {
      case 'position':
        return num(r.position) === null ? skip('position without a number') : line({ Position: String(r.position), Line: r.position });
      case 'intervals':
        return line({ GapToLeader: gapText(r.gap_to_leader), IntervalToPositionAhead: { Value: gapText(r.interval) } });
      case 'laps': {
        const lapNo = num(r.lap_number);
        if (lapNo === null || n === undefined || !at) return skip('lap without driver, number or start');
        this.lapStarts.set(`${n}/${lapNo}`, at);
        const dur = num(r.lap_duration);
        const done = dur !== null;
        const data: Record<string, unknown> = { NumberOfLaps: done ? lapNo : lapNo - 1 };
        const sectors: Record<string, unknown> = {};
        [r.duration_sector_1, r.duration_sector_2, r.duration_sector_3].forEach((s, i) => {
          if (num(s) !== null) sectors[String(i)] = { Value: (s as number).toFixed(3) };
        });
        if (Object.keys(sectors).length) data.Sectors = sectors;
        const speeds: Record<string, unknown> = {};
        for (const [k, f] of [['I1', 'i1_speed'], ['I2', 'i2_speed'], ['ST', 'st_speed']] as const) if (num(r[f]) !== null) speeds[k] = { Value: String(r[f]) };
        if (Object.keys(speeds).length) data.Speeds = speeds;
        if (done) {
          data.LastLapTime = { Value: lapText(dur) };
          const b = this.best.get(n);
          if (b === undefined || dur < b) {
            this.best.set(n, dur);
            data.BestLapTime = { Value: lapText(dur), Lap: lapNo };
          }
        }
        const end = done ? new Date(Date.parse(at) + dur * 1000).toISOString() : at;
        const out: LiveMessage[] = [{ topic: 'TimingData', data: { Lines: { [n]: data } }, utc: end }];
        if (lapNo > this.lap) {
          this.lap = lapNo;
          out.push({ topic: 'LapCount', data: { CurrentLap: lapNo }, utc: at });
        }
        return out;
      }
      case 'stints': {
        const i = num(r.stint_number);
        if (i === null || n === undefined) return skip('stint without driver or number');
        const age = num(r.tyre_age_at_start) ?? 0;
        const laps = num(r.lap_end) !== null && num(r.lap_start) !== null ? (r.lap_end as number) - (r.lap_start as number) + 1 : 0;
        // Stints carry no time: they land at their first lap's start, else with the newest time seen.
        const when = this.lapStarts.get(`${n}/${str(r.lap_start)}`) ?? this.latest ?? new Date().toISOString();
        return [{ topic: 'TimingAppData', data: { Lines: { [n]: { Stints: { [String(i - 1)]: { Compound: str(r.compound), New: String(age === 0), StartLaps: age, TotalLaps: age + laps, LapNumber: r.lap_start } } } } }, utc: when }];
      }
      case 'pit': {
        if (n === undefined || !at) return skip('pit stop without driver or date');
        const count = (this.pits.get(n) ?? 0) + 1;
        this.pits.set(n, count);
        return [
          ...line({ NumberOfPitStops: count }),
          { topic: 'PitLaneTimeCollection', data: { PitTimes: { [n]: { RacingNumber: n, Duration: str(r.pit_duration), Lap: str(r.lap_number) } } }, utc: at },
        ];
      }
      case 'race_control': {
        if (!at) return skip('message without a date');
        const msg = { Utc: at.slice(0, 19), Lap: r.lap_number, Category: r.category, Flag: r.flag ?? undefined, Scope: r.scope ?? undefined,
          Sector: r.sector ?? undefined, RacingNumber: str(r.driver_number), Message: r.message };
        const out: LiveMessage[] = [{ topic: 'RaceControlMessages', data: { Messages: { [String(this.rcm++)]: msg } }, utc: at }];
        const ts = trackStatusOf(r);
        if (ts) out.push({ topic: 'TrackStatus', data: ts, utc: at });
        return out;
      }
      case 'weather':
        return !at ? skip('weather without a date') : [{ topic: 'WeatherData', utc: at, data: {
          AirTemp: str(r.air_temperature), Humidity: str(r.humidity), Pressure: str(r.pressure), Rainfall: str(r.rainfall),
          TrackTemp: str(r.track_temperature), WindDirection: str(r.wind_direction), WindSpeed: str(r.wind_speed) } }];
      default:
        return skip('unknown endpoint');
    }
  }
}

/** A race-control message that changes the track status → F1's TrackStatus update (codes as in race/). */
export function trackStatusOf(r: OpenF1Record): { Status: string; Message: string } | null {
  const text = String(r.message ?? '').toUpperCase();
  const flag = String(r.flag ?? '').toUpperCase();
  const scope = String(r.scope ?? '').toUpperCase();
  if (r.category === 'SafetyCar') {
    if (text.includes('VIRTUAL SAFETY CAR DEPLOYED')) return { Status: '6', Message: 'VSCDeployed' };
    if (text.includes('VIRTUAL SAFETY CAR ENDING')) return { Status: '7', Message: 'VSCEnding' };
    if (text.includes('SAFETY CAR DEPLOYED')) return { Status: '4', Message: 'SCDeployed' };
    return null;
  }
  if (flag === 'RED') return { Status: '5', Message: 'Red' };
  if (flag === 'YELLOW' || flag === 'DOUBLE YELLOW') return { Status: '2', Message: 'Yellow' };
  if ((flag === 'GREEN' || flag === 'CLEAR') && scope === 'TRACK') return { Status: '1', Message: 'AllClear' };
  return null;
}
