// The tower at one moment of a recording: `--at` is an ISO-8601 UTC instant or `+HH:MM:SS.mmm` from the
// recording's start (an archive session's own stream offsets when its lines carry them).
import { existsSync } from 'node:fs';
import type { LiveTower } from '../../shared/live.js';
import { parseOffset } from '../timing/stream.js';
import { LiveTiming } from './live-timing.js';
import { readRecording, type Recording } from './recording.js';

export type SnapshotTime = { offsetMs: number } | { utcMs: number };

/** "+01:30:00.000" (also "+1:30:00", "+90:00") → an offset; an ISO instant → UTC ms; else an error saying which. */
export function parseSnapshotTime(text: string): SnapshotTime {
  const t = text.trim();
  if (t.startsWith('+')) {
    const parts = t.slice(1).split(':');
    const padded = parts.length === 2 ? ['00', ...parts] : parts;
    const [h, m, s] = padded;
    const [si, ms = '0'] = (s ?? '').split('.');
    const off = parts.length <= 3 ? parseOffset(`${(h ?? '').padStart(2, '0')}:${(m ?? '').padStart(2, '0')}:${(si ?? '').padStart(2, '0')}.${ms.padEnd(3, '0').slice(0, 3)}`) : null;
    if (off === null) throw new Error(`--at "${text}": expected +HH:MM:SS.mmm (from the recording's start)`);
    return { offsetMs: off };
  }
  const ms = /^\d{4}-\d\d-\d\dT/.test(t) ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t}Z`) : NaN;
  if (!Number.isFinite(ms)) throw new Error(`--at "${text}": expected an ISO-8601 UTC instant (2020-08-07T14:30:00Z) or +HH:MM:SS.mmm`);
  return { utcMs: ms };
}

/** Merges the recording's events up to `at` (inclusive) and builds the tower at that instant. */
export function snapshotAt(rec: Recording, at: SnapshotTime): { tower: LiveTower; timing: LiveTiming } {
  const timing = new LiveTiming();
  timing.skipped += rec.skipped.length;
  for (const e of rec.events) {
    const utc = e.kind === 'initial' ? e.utc : e.message.utc;
    const own = e.kind === 'initial' ? e.offsetMs : e.message.offsetMs;
    const off = timing.offsetOf(utc, own);
    const late = 'offsetMs' in at ? off !== null && off > at.offsetMs : Date.parse(utc) > at.utcMs;
    if (late) continue; // not `break`: a recording need not be in time order across topics
    timing.apply(e);
  }
  const first = rec.events[0];
  const firstUtc = first ? Date.parse(first.kind === 'initial' ? first.utc : first.message.utc) : NaN;
  const firstOff = first ? ((first.kind === 'initial' ? first.offsetMs : first.message.offsetMs) ?? 0) : 0;
  const utcMs = 'utcMs' in at ? at.utcMs : Number.isFinite(firstUtc) ? firstUtc - firstOff + at.offsetMs : at.offsetMs;
  const offsetMs = 'offsetMs' in at ? at.offsetMs : Number.isFinite(firstUtc) ? at.utcMs - (firstUtc - firstOff) : null;
  return { tower: timing.tower(new Date(utcMs).toISOString(), offsetMs), timing };
}

export function snapshotOfFile(file: string, at: string): LiveTower {
  if (!existsSync(file)) throw new Error(`${file}: no such recording`);
  return snapshotAt(readRecording(file), parseSnapshotTime(at)).tower;
}

/** The CLI's JSON: the fields the issue names, gaps in seconds or "+1 LAP", null when unknown. */
export function snapshotJson(t: LiveTower) {
  return {
    at: t.at,
    lap: t.lap,
    trackStatus: t.trackStatus.state,
    rows: t.rows.map((r) => ({
      position: r.position,
      driverNumber: r.driverNumber,
      code: r.code,
      gapToLeader: r.gapToLeader,
      interval: r.interval,
      lastLap: r.lastLap,
      bestLap: r.bestLap,
      laps: r.laps,
      compound: r.compound,
      tyreAge: r.tyreAge,
      pitStops: r.pitStops,
      inPit: r.inPit,
    })),
  };
}
