// F1 live-timing archive streams: `<Topic>.jsonStream` is UTF-8 (often with a BOM), one update per line: a 12-character
// offset `HH:MM:SS.mmm` from the session stream's start, then a JSON document. `.z` topics carry a quoted base64
// string of raw-deflate JSON. The same decoding serves the live SignalR feed (`decodePayload`).
import { inflateRawSync } from 'node:zlib';

/** Bad timing input: names the source (URL or file), the line and what was wrong. */
export class TimingError extends Error {
  override name = 'TimingError';
  constructor(
    message: string,
    readonly source: string,
    readonly line?: number,
  ) {
    super(`${source}${line !== undefined ? `, line ${line}` : ''}: ${message}`);
  }
}

export interface StreamUpdate {
  /** Milliseconds from the stream's start. */
  offsetMs: number;
  data: unknown;
}

const OFFSET = /^(\d\d):(\d\d):(\d\d)\.(\d{3})/;

export function parseOffset(s: string): number | null {
  const m = OFFSET.exec(s);
  return m ? ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]) : null;
}

/** A `.z` payload (base64 of raw-deflate JSON) → the JSON value. */
export function inflatePayload(b64: string, source: string, line?: number): unknown {
  let text: string;
  try {
    text = inflateRawSync(Buffer.from(b64, 'base64')).toString('utf8');
  } catch (e) {
    throw new TimingError(`compressed payload does not inflate (${(e as Error).message})`, source, line);
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new TimingError(`inflated payload is not JSON (${(e as Error).message})`, source, line);
  }
}

/** A topic's payload as it arrives (archive line or live message): `.z` topics are inflated, others kept. */
export function decodePayload(topic: string, data: unknown, source: string, line?: number): { topic: string; data: unknown } {
  if (!topic.endsWith('.z')) return { topic, data };
  if (typeof data !== 'string') throw new TimingError(`${topic}: expected a base64 string`, source, line);
  return { topic: topic.slice(0, -2), data: inflatePayload(data, source, line) };
}

/** Parses a whole `.jsonStream` text. A line without an offset or with bad JSON fails, naming source and line;
 *  a last line cut off mid-JSON (a truncated download) fails the same way. */
export function parseJsonStream(text: string, topic: string, source: string): StreamUpdate[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const out: StreamUpdate[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i]!;
    if (l.endsWith('\r')) l = l.slice(0, -1);
    if (l.charCodeAt(0) === 0xfeff) l = l.slice(1);
    if (l.trim() === '') continue;
    const cut = i === lines.length - 1 ? ' (last line cut off: truncated stream?)' : '';
    const offsetMs = parseOffset(l);
    if (offsetMs === null && cut) throw new TimingError(`line without an offset${cut}`, source, i + 1);
    if (offsetMs === null) throw new TimingError(`expected "HH:MM:SS.mmm" then JSON, found "${l.slice(0, 24)}"`, source, i + 1);
    let data: unknown;
    try {
      data = JSON.parse(l.slice(12));
    } catch (e) {
      throw new TimingError(`malformed JSON (${(e as Error).message})${cut}`, source, i + 1);
    }
    out.push({ offsetMs, data: decodePayload(topic, data, source, i + 1).data });
  }
  return out;
}
