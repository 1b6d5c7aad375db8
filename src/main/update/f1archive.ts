// The F1 live-timing archive (`https://livetiming.formula1.com/static/`): `<year>/Index.json` → meetings → sessions
// with `Path`; per session `<Topic>.jsonStream`. Laps are derived from the merged streams (src/main/timing) and
// written as the session's laps, one transaction per session. A topic the session never had answers 404.
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { deriveLaps, type TimingLap } from '../timing/laps.js';
import { parseJsonStream, TimingError, type StreamUpdate } from '../timing/stream.js';
import { SourceError } from './http.js';
import { ensureUpdateTables } from './write.js';
import { sourceClient, type UpdateOptions, type UpdateReport } from './update.js';

export const ARCHIVE_BASE_URL = 'https://livetiming.formula1.com/static';
/** Not published; kept gentle. */
export const ARCHIVE_LIMITS = [{ burst: 4, perSecond: 2 }];
/** The topics per-lap rows need (TimingData is required). */
const LAP_TOPICS = ['TimingData', 'TimingAppData', 'DriverList', 'TrackStatus'];

export type SessionGroup = 'race' | 'sprint' | 'qualifying' | 'practice';
export const SESSION_GROUPS: SessionGroup[] = ['race', 'sprint', 'qualifying', 'practice'];

/** Archive session name → the laps table's session and its group. */
export function sessionKind(name: string): { session: string; group: SessionGroup } | null {
  const n = name.trim().toLowerCase();
  if (n === 'race') return { session: 'race', group: 'race' };
  if (n === 'sprint' || n === 'sprint race') return { session: 'sprint', group: 'sprint' };
  if (n === 'qualifying') return { session: 'qualifying', group: 'qualifying' };
  if (n === 'sprint qualifying' || n === 'sprint shootout') return { session: 'sprint_qualifying', group: 'qualifying' };
  const p = /^practice (\d)$/.exec(n);
  return p ? { session: `fp${p[1]}`, group: 'practice' } : null;
}

interface ArchiveSession {
  Key?: number;
  Name: string;
  Type?: string;
  Path: string;
  EndDate?: string;
  GmtOffset?: string;
}
export interface ArchiveMeeting {
  Name: string;
  Sessions: ArchiveSession[];
}

/** The archive source takes the update's options, and which sessions of each weekend to read. */
export interface ArchiveOptions extends UpdateOptions {
  sessions?: SessionGroup[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function meetings(body: unknown, url: string): ArchiveMeeting[] {
  const ms = isObj(body) ? body.Meetings : undefined;
  if (!Array.isArray(ms)) throw new SourceError('f1-archive: Index.json has no Meetings list', url);
  return ms.filter(
    (m): m is ArchiveMeeting =>
      isObj(m) && typeof m.Name === 'string' && Array.isArray(m.Sessions) && m.Sessions.every((s) => isObj(s) && typeof s.Path === 'string' && typeof s.Name === 'string'),
  );
}

/** A meeting's race in the database: by the race date in the meeting's folder name, else by name. */
export function raceOf(db: Db, season: number, m: ArchiveMeeting): { round: number; raceId: number; name: string } | undefined {
  const folder = /^\d{4}\/(\d{4}-\d\d-\d\d)_/.exec(m.Sessions[0]?.Path ?? '')?.[1];
  const byDate = folder
    ? db.prepare('SELECT round, race_id AS raceId, name FROM races WHERE year = ? AND ABS(julianday(date) - julianday(?)) <= 1 ORDER BY ABS(julianday(date) - julianday(?)) LIMIT 1').get(season, folder, folder)
    : undefined;
  return (byDate ?? db.prepare('SELECT round, race_id AS raceId, name FROM races WHERE year = ? AND name = ?').get(season, m.Name)) as
    | { round: number; raceId: number; name: string }
    | undefined;
}

export async function updateFromArchive(db: Db, o: ArchiveOptions): Promise<UpdateReport> {
  ensureUpdateTables(db);
  const base = (o.baseUrl ?? ARCHIVE_BASE_URL).replace(/\/+$/, '');
  const http = sourceClient(db, o, 'f1-archive', ARCHIVE_LIMITS);
  const groups = new Set(o.sessions ?? SESSION_GROUPS);
  const now = o.now ?? Date.now();
  const report: UpdateReport = { source: 'f1-archive', seasons: o.seasons, races: 0, results: 0, qualifying: 0, pit_stops: 0, laps: 0, requests: 0, cached: 0 };
  const done = db.prepare('SELECT complete FROM update_races WHERE source = ? AND season = ? AND round = ?').pluck();
  type Job = { season: number; round: number; raceId: number; race: string; s: ArchiveSession; session: string };
  const jobs: Job[] = [];
  for (const season of o.seasons) {
    const url = `${base}/${season}/Index.json`;
    for (const m of meetings(await http.getJson(url, { reuse: false }), url)) {
      const race = raceOf(db, season, m);
      if (!race || (o.round !== undefined && race.round !== o.round)) continue;
      for (const s of m.Sessions) {
        const kind = sessionKind(s.Name);
        if (!kind || !groups.has(kind.group)) continue;
        if (s.EndDate && Date.parse(`${s.EndDate}Z`) > now) continue; // not over yet
        if (!o.refresh && done.get(`f1-archive/${kind.session}`, season, race.round) === 1) continue;
        jobs.push({ season, round: race.round, raceId: race.raceId, race: race.name, s, session: kind.session });
      }
    }
  }
  const weekends = new Set<string>();
  const t0 = performance.now();
  for (const [i, j] of jobs.entries()) {
    const el = (performance.now() - t0) / 1000;
    o.onProgress?.({ season: j.season, round: j.round, race: `${j.race} ${j.s.Name}`, done: i, total: jobs.length, requests: http.stats.requests, cached: http.stats.cached, etaS: i ? (el / i) * (jobs.length - i) : null });
    const where = `${j.season} round ${j.round} (${j.race}, ${j.s.Name})`;
    const streams: Record<string, StreamUpdate[]> = {};
    let missing = false;
    for (const topic of LAP_TOPICS) {
      const url = `${base}/${j.s.Path.replace(/^\/+/, '')}${topic}.jsonStream`;
      try {
        streams[topic] = parseJsonStream(await http.getText(url, { keepMissing: true }), topic, url);
      } catch (e) {
        if (e instanceof SourceError && e.status === 404) {
          if (topic !== 'TimingData') continue; // a topic the session never had
          missing = true;
          break;
        }
        if (e instanceof SourceError || e instanceof TimingError)
          throw new DataError(`${e.message} while updating ${where}; sessions before it are written whole — run the update again to resume`);
        throw e;
      }
    }
    const laps = missing ? [] : deriveLaps(streams);
    writeSessionLaps(db, j, laps, !missing || Date.parse(`${j.s.EndDate ?? '1970-01-01T00:00:00'}Z`) < now - 86_400_000);
    if (laps.length) weekends.add(`${j.season}-${j.round}`);
    report.laps += laps.length;
  }
  report.races = weekends.size;
  report.requests = http.stats.requests;
  report.cached = http.stats.cached;
  return report;
}

/** One session's laps in one transaction; FastF1 lap rows already there keep their values (COALESCE). `source`
 *  names the origin in update_races (the OpenF1 source and live recordings write their laps through here too). */
export function writeSessionLaps(
  db: Db,
  j: { season: number; round: number; raceId: number; session: string },
  laps: TimingLap[],
  final: boolean,
  source = 'f1-archive',
): void {
  const cols = ['driver_number', 'driver_ref', 'time_s', 'lap_time_s', 'stint', 'pit_out_s', 'pit_in_s', 'is_personal_best', 'compound',
    'tyre_life', 'fresh_tyre', 'track_status', 'position', 'sector1_s', 'sector2_s', 'sector3_s', 'lap_start_s'];
  const ins = db.prepare(
    `INSERT INTO laps (season, round, session, driver, lap_number, ${cols.join(', ')}) VALUES (?, ?, ?, ?, ?, ${cols.map(() => '?').join(', ')})
     ON CONFLICT (season, round, session, driver, lap_number) DO UPDATE SET ${cols.map((c) => `${c} = COALESCE(laps.${c}, excluded.${c})`).join(', ')}`,
  );
  const entrants = db
    .prepare(`SELECT d.driver_ref AS ref, d.code, x.number FROM results x JOIN drivers d USING (driver_id) WHERE x.race_id = ?`)
    .all(j.raceId) as { ref: string; code: string | null; number: number | null }[];
  const refOf = (l: TimingLap) => (entrants.find((e) => e.number === l.driver_number) ?? entrants.find((e) => e.code === l.driver))?.ref ?? null;
  db.transaction(() => {
    const prevEnd = new Map<number, number>();
    for (const l of laps) {
      const start = prevEnd.get(l.driver_number) ?? null;
      prevEnd.set(l.driver_number, l.time_s);
      // The feed gives in/out flags, not pit-lane times: the lap's end (in-lap) and start (out-lap) stand for them.
      ins.run(j.season, j.round, j.session, l.driver ?? String(l.driver_number), l.lap_number, l.driver_number, refOf(l), l.time_s, l.lap_time_s,
        l.stint, l.pit_out ? (start ?? l.time_s - (l.lap_time_s ?? 0)) : null, l.pit_in ? l.time_s : null, l.is_personal_best ? 1 : 0,
        l.compound, l.tyre_life, l.fresh_tyre === null ? null : l.fresh_tyre ? 1 : 0, l.track_status, l.position, l.sector1_s, l.sector2_s,
        l.sector3_s, start);
    }
    db.prepare('INSERT OR REPLACE INTO update_races (source, season, round, race_id, complete, rows, finished_at) VALUES (?,?,?,?,?,?,?)').run(
      `${source}/${j.session}`, j.season, j.round, j.raceId, final ? 1 : 0, laps.length, new Date().toISOString(),
    );
  })();
}
