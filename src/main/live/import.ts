// `pitwall import --recording FILE`: a live recording's laps into the database, by the same per-lap derivation as
// the archive import (timing/laps.ts) and the same transactional write (update/f1archive.ts writeSessionLaps).
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { deriveLaps } from '../timing/laps.js';
import type { StreamUpdate } from '../timing/stream.js';
import { raceOf, sessionKind, writeSessionLaps } from '../update/f1archive.js';
import { ensureUpdateTables } from '../update/write.js';
import { readRecording, type Recording } from './recording.js';

export interface RecordingImport {
  file: string;
  season: number;
  round: number;
  race: string;
  session: string;
  laps: number;
  drivers: number;
  skippedLines: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The recording as per-topic streams on one clock: offsets where recorded, else ms since the first line's utc.
 *  An initial state enters as an update of each of its topics at its moment. */
export function recordingStreams(rec: Recording): Record<string, StreamUpdate[]> {
  const first = rec.events[0];
  const t0 = first ? Date.parse(first.kind === 'initial' ? first.utc : first.message.utc) : 0;
  const at = (offsetMs: number | undefined, utc: string) => offsetMs ?? Math.max(0, Date.parse(utc) - t0);
  const streams: Record<string, StreamUpdate[]> = {};
  for (const e of rec.events) {
    if (e.kind === 'initial') for (const [t, v] of Object.entries(e.state)) (streams[t] ??= []).push({ offsetMs: at(e.offsetMs, e.utc), data: v });
    else (streams[e.message.topic] ??= []).push({ offsetMs: at(e.message.offsetMs, e.message.utc), data: e.message.data });
  }
  return streams;
}

/** What the recording says of its session: the header's, completed from SessionInfo in the data. */
function sessionOf(rec: Recording, streams: Record<string, StreamUpdate[]>): { season?: number; meeting?: string; name?: string; path?: string; startDate?: string } {
  const h = rec.header.session ?? {};
  const info = (streams.SessionInfo ?? []).reduce<Record<string, unknown>>((a, u) => (isObj(u.data) ? { ...a, ...u.data } : a), {});
  const meeting = isObj(info.Meeting) ? info.Meeting : {};
  const str = (...vs: unknown[]) => vs.find((v): v is string => typeof v === 'string' && v !== '');
  const path = str(h.path, info.Path);
  const startDate = str(h.startDate, info.StartDate);
  const season = typeof h.season === 'number' ? h.season : Number(/^(\d{4})/.exec(path ?? startDate ?? '')?.[1]) || undefined;
  return { season, meeting: str(h.meeting, meeting.Name), name: str(h.name, info.Name), path, startDate };
}

export function importRecording(db: Db, file: string): RecordingImport {
  const rec = readRecording(file);
  const streams = recordingStreams(rec);
  if (!streams.TimingData?.length) throw new DataError(`${file}: the recording has no TimingData updates, so no laps`);
  const s = sessionOf(rec, streams);
  const kind = s.name ? sessionKind(s.name) : null;
  if (!s.season || !kind)
    throw new DataError(`${file}: cannot tell the session (header session: ${JSON.stringify(rec.header.session ?? null)}; SessionInfo: ${s.name ?? 'none'})`);
  ensureUpdateTables(db);
  // By the meeting's folder date / name (as the archive import), else the race within 3 days after the session.
  const race =
    raceOf(db, s.season, { Name: s.meeting ?? '', Sessions: [{ Name: s.name ?? '', Path: s.path ?? '' }] }) ??
    (s.startDate
      ? (db.prepare('SELECT round, race_id AS raceId, name FROM races WHERE year = ? AND julianday(date) - julianday(?) BETWEEN -1 AND 3 ORDER BY date LIMIT 1')
          .get(s.season, s.startDate.slice(0, 10)) as { round: number; raceId: number; name: string } | undefined)
      : undefined);
  if (!race) throw new DataError(`${file}: the database has no ${s.season} race for "${s.meeting ?? '?'}" (${s.startDate ?? 'no date'}); run \`pitwall update\` first`);
  const laps = deriveLaps(streams);
  writeSessionLaps(db, { season: s.season, round: race.round, raceId: race.raceId, session: kind.session }, laps, true, 'recording');
  return {
    file, season: s.season, round: race.round, race: race.name, session: kind.session, laps: laps.length,
    drivers: new Set(laps.map((l) => l.driver_number)).size, skippedLines: rec.skipped.length,
  };
}
