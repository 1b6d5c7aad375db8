// The one seam between the live screen and the feeds: a source by name. Recordings are here; the network feeds
// (F1 SignalR, OpenF1, the F1 archive) come from sources/index.ts (`openLiveSource`) — when that lands, the
// `default` branch below calls it, and nothing else changes.
import { existsSync } from 'node:fs';
import type { LiveSource } from './feed.js';
import { recordingSource } from './recording.js';

export const NETWORK_SOURCES = ['f1', 'openf1', 'f1-archive'] as const;
export type NetworkSource = (typeof NETWORK_SOURCES)[number];

export interface OpenLiveOptions {
  /** Recordings: replay speed (1 = as recorded, Infinity = as fast as possible). */
  speed?: number;
  baseUrl?: string;
  season?: number;
  sessionKey?: number;
}

export const isNetworkSource = (s: string): s is NetworkSource => (NETWORK_SOURCES as readonly string[]).includes(s);

/** `f1`, `openf1`, `f1-archive`, or a recording file. */
export function openLive(spec: string, opts: OpenLiveOptions = {}): LiveSource {
  if (isNetworkSource(spec))
    throw new Error(`the ${spec} live source is not available in this build yet (src/main/live/sources/); replay a recording instead: --live FILE.jsonl`);
  if (!existsSync(spec)) throw new Error(`${spec}: no such recording (expected f1, openf1 or a recording file)`);
  return recordingSource(spec, { speed: opts.speed ?? 1 });
}
