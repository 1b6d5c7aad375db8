// Live-timing helpers for tests: recordings made from real data (the archive fixture session, races synthesised
// from the bundled laps), and running a source: collect its events and merge them as a consumer does.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { LiveEvent, LiveSource } from '../../src/main/live/feed.js';
import { LAPS_DIR, PROJECT_ROOT } from './data.js';
import { RecordingWriter } from '../../src/main/live/recording.js';
import { TimingState } from '../../src/main/timing/state.js';
import { parseJsonStream } from '../../src/main/timing/stream.js';
import { writeSynthRace } from '../../src/main/live/synth.js';

const SHARED_FIX = join(
  PROJECT_ROOT,
  '..',
  'shared',
  'fixtures',
  'f1-livetiming',
  'static',
  '2020',
  '2020-08-09_70th_Anniversary_Grand_Prix',
  '2020-08-07_Practice_2',
);
const LOCAL_FIX = join(
  PROJECT_ROOT,
  'tests',
  'fixtures',
  'f1-livetiming',
  '2020',
  '2020-08-09_70th_Anniversary_Grand_Prix',
  '2020-08-07_Practice_2',
);
/** The fixture session's folder (plain streams from ../shared, else the gzipped copy in tests/fixtures). */
export const FP2_DIR = existsSync(SHARED_FIX) ? SHARED_FIX : LOCAL_FIX;
/** Stream offset 0 of the session (the recording's utc = this + offset). */
export const FP2_ORIGIN_UTC = Date.parse('2020-08-07T13:52:10.630Z');

export function tmpFile(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'pitwall-live-')), name);
}

/** The archive session as a recording: every topic's updates with their offsets, merged in time order. */
export function archiveRecording(dir = FP2_DIR, out = tmpFile('fp2.jsonl')): string {
  const all: { topic: string; offsetMs: number; data: unknown; seq: number }[] = [];
  let seq = 0;
  for (const f of readdirSync(dir).filter((f) => f.includes('.jsonStream'))) {
    const topic = f.replace(/\.jsonStream(\.gz)?$/, '');
    const buf = readFileSync(join(dir, f));
    const text = (f.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
    for (const u of parseJsonStream(text, topic, f))
      all.push({ topic, offsetMs: u.offsetMs, data: u.data, seq: seq++ });
  }
  all.sort((a, b) => a.offsetMs - b.offsetMs || a.seq - b.seq);
  const w = new RecordingWriter(out, {
    source: 'f1-archive',
    startedUtc: new Date(FP2_ORIGIN_UTC).toISOString(),
    session: { season: 2020, key: 5778 },
  });
  for (const u of all)
    w.write({
      kind: 'message',
      message: {
        topic: u.topic,
        data: u.data,
        utc: new Date(FP2_ORIGIN_UTC + u.offsetMs).toISOString(),
        offsetMs: u.offsetMs,
      },
    });
  w.close();
  return out;
}

/** A race (2024 round `round`) synthesised from the bundled laps as a recording. */
export function raceRecording(round = 1, out = tmpFile(`race-${round}.jsonl`)): string {
  const csv = join(LAPS_DIR, 'grand_prix', 'all_grand_prix_laps_2024.csv');
  writeSynthRace(existsSync(csv) ? csv : `${csv}.gz`, round, out);
  return out;
}

export async function collect(
  source: LiveSource,
  opts: { signal?: AbortSignal; until?: (e: LiveEvent[]) => boolean } = {},
): Promise<LiveEvent[]> {
  const events: LiveEvent[] = [];
  const ac = new AbortController();
  opts.signal?.addEventListener('abort', () => ac.abort(), { once: true });
  await source.run((e) => {
    events.push(e);
    if (opts.until?.(events)) ac.abort();
  }, ac.signal);
  return events;
}

export function mergeEvents(events: LiveEvent[]): TimingState {
  let s = new TimingState();
  for (const e of events) {
    if (e.kind === 'initial') {
      s = new TimingState();
      for (const [t, v] of Object.entries(e.state)) s.apply(t, structuredClone(v));
    } else if (e.kind === 'message') s.apply(e.message.topic, structuredClone(e.message.data));
  }
  return s;
}

export const messagesOf = (events: LiveEvent[]) =>
  events.flatMap((e) => (e.kind === 'message' ? [e.message] : []));
