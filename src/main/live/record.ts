// Recording a live source to a JSONL file (recording.ts's format): every initial state and update as it arrives,
// with its offset. The header takes what the source knows of the session once it knows it (before the first line).
import { RecordingWriter } from './recording.js';
import type { LiveEvent, LiveSource } from './feed.js';

export interface RecordReport {
  source: string;
  out: string;
  session: Record<string, unknown> | null;
  messages: number;
  initials: number;
  /** Frames the source counted and skipped (malformed, unknown topic). */
  skipped: number;
  /** Updates per topic. */
  topics: Record<string, number>;
  firstUtc: string | null;
  lastUtc: string | null;
  /** Offset of the last update (ms from the session stream's start), when the source gives offsets. */
  lastOffsetMs: number | null;
  /** How the source ended: its last connection status. */
  ended: string;
}

export interface RecordOptions {
  signal?: AbortSignal;
  /** Status changes and skipped frames, for the CLI's stderr. */
  onEvent?: (e: Extract<LiveEvent, { kind: 'status' | 'skipped' }>) => void;
}

export async function recordLive(source: LiveSource, out: string, o: RecordOptions = {}): Promise<RecordReport> {
  const signal = o.signal ?? new AbortController().signal;
  const r: RecordReport = {
    source: source.name, out, session: null, messages: 0, initials: 0, skipped: 0, topics: {}, firstUtc: null, lastUtc: null,
    lastOffsetMs: null, ended: 'connecting',
  };
  let writer: RecordingWriter | null = null;
  const open = (utc: string): RecordingWriter =>
    (writer ??= new RecordingWriter(out, { source: source.name, startedUtc: utc, ...(source.session ? { session: source.session } : {}) }));
  const sink = (e: LiveEvent): void => {
    if (e.kind === 'status' || e.kind === 'skipped') {
      if (e.kind === 'status') r.ended = e.connection;
      else r.skipped++;
      o.onEvent?.(e);
      return;
    }
    const utc = e.kind === 'initial' ? e.utc : e.message.utc;
    open(utc).write(e);
    r.firstUtc ??= utc;
    r.lastUtc = utc;
    if (e.kind === 'initial') r.initials++;
    else {
      r.messages++;
      r.topics[e.message.topic] = (r.topics[e.message.topic] ?? 0) + 1;
      if (e.message.offsetMs !== undefined) r.lastOffsetMs = e.message.offsetMs;
    }
  };
  try {
    await source.run(sink, signal);
  } finally {
    open(new Date().toISOString());
    (writer as RecordingWriter | null)?.close();
    r.session = source.session ?? null;
  }
  return r;
}
