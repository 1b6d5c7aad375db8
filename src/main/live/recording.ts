// Recordings: one JSONL file per live session. Line 1 is a header; then `initial` lines (full state on each
// (re)subscribe) and `{topic, data, utc, offsetMs?}` updates, in arrival order. A recording replays through the same
// LiveSource interface as a live feed, at any speed.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { LiveEvent, LiveMessage, LiveSource } from './feed.js';

export interface RecordingHeader {
  kind: 'header';
  version: 1;
  source: string;
  startedUtc: string;
  /** What the source knows of the session (season, meeting, session name, key). */
  session?: Record<string, unknown>;
}
export type RecordingLine =
  | RecordingHeader
  | { kind: 'initial'; utc: string; state: Record<string, unknown>; offsetMs?: number }
  | ({ kind?: undefined } & LiveMessage);

export class RecordingError extends Error {
  override name = 'RecordingError';
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(`${file}${line !== undefined ? `, line ${line}` : ''}: ${message}`);
  }
}

/** Appends lines as they come (a crash loses at most the line being written). */
export class RecordingWriter {
  private fd: number;
  constructor(
    readonly file: string,
    header: Omit<RecordingHeader, 'kind' | 'version'>,
  ) {
    this.fd = openSync(file, 'w');
    writeSync(this.fd, JSON.stringify({ kind: 'header', version: 1, ...header }) + '\n');
  }
  write(event: LiveEvent): void {
    if (event.kind === 'initial') writeSync(this.fd, JSON.stringify(event) + '\n');
    else if (event.kind === 'message') writeSync(this.fd, JSON.stringify(event.message) + '\n');
  }
  close(): void {
    closeSync(this.fd);
  }
}

export interface Recording {
  header: RecordingHeader;
  /** initial states and updates, in order (header excluded) */
  events: (Extract<LiveEvent, { kind: 'initial' }> | Extract<LiveEvent, { kind: 'message' }>)[];
  /** lines that could not be read (counted, skipped) */
  skipped: { line: number; reason: string }[];
}

/** Reads a recording. A missing/invalid header fails naming the file; a bad later line is skipped and counted
 *  (live recordings can end mid-line), except with `strict`. */
export function readRecording(file: string, opts: { strict?: boolean } = {}): Recording {
  let text = readFileSync(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n');
  let header: RecordingHeader | null = null;
  const events: Recording['events'] = [];
  const skipped: Recording['skipped'] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l === '') continue;
    let v: RecordingLine;
    try {
      v = JSON.parse(l) as RecordingLine;
    } catch (e) {
      if (opts.strict || !header)
        throw new RecordingError(`malformed JSON (${(e as Error).message})`, file, i + 1);
      skipped.push({ line: i + 1, reason: 'malformed JSON' });
      continue;
    }
    if (!header) {
      if (typeof v !== 'object' || v === null || v.kind !== 'header')
        throw new RecordingError('expected a recording header on the first line', file, i + 1);
      header = v;
      continue;
    }
    if (v.kind === 'initial' && typeof v.state === 'object' && v.state !== null)
      events.push({
        kind: 'initial',
        utc: v.utc,
        state: v.state,
        ...(v.offsetMs !== undefined ? { offsetMs: v.offsetMs } : {}),
      });
    else if (v.kind === undefined && typeof v.topic === 'string' && typeof v.utc === 'string')
      events.push({ kind: 'message', message: v });
    else if (opts.strict)
      throw new RecordingError('expected {topic, data, utc} or an initial state', file, i + 1);
    else skipped.push({ line: i + 1, reason: 'not a topic update' });
  }
  if (!header) throw new RecordingError('empty recording', file);
  return { header, events, skipped };
}

const timeOf = (e: Recording['events'][number]): number =>
  Date.parse(e.kind === 'initial' ? e.utc : e.message.utc);

/** A recording as a live source: events are emitted with their recorded spacing divided by `speed`
 *  (`Infinity`: as fast as possible). */
export function recordingSource(file: string, opts: { speed?: number } = {}): LiveSource {
  const speed = opts.speed ?? 1;
  return {
    name: `recording:${file}`,
    async run(sink, signal) {
      const rec = readRecording(file);
      for (const s of rec.skipped) sink({ kind: 'skipped', reason: `${file}, line ${s.line}: ${s.reason}` });
      sink({ kind: 'status', connection: 'live' });
      const t0 = rec.events.length ? timeOf(rec.events[0]!) : 0;
      const wall0 = Date.now();
      for (const e of rec.events) {
        if (signal.aborted) return;
        const due = Number.isFinite(speed) ? wall0 + (timeOf(e) - t0) / speed : 0;
        const wait = due - Date.now();
        if (wait > 1)
          await new Promise<void>((r) => {
            const onAbort = () => {
              clearTimeout(t);
              r();
            };
            // the listener goes with its timer: one per wait would pile up over a whole race
            const t = setTimeout(() => {
              signal.removeEventListener('abort', onAbort);
              r();
            }, wait);
            signal.addEventListener('abort', onAbort, { once: true });
          });
        if (signal.aborted) return;
        sink(e);
      }
      sink({ kind: 'status', connection: 'ended' });
    },
  };
}
