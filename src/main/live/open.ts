// The one seam between the live screen and the feeds: a source by name — a recording file, or a network feed
// (F1 SignalR, OpenF1, the F1 archive) from sources/index.ts.
import { existsSync } from 'node:fs';
import type { LiveSource } from './feed.js';
import { recordingSource } from './recording.js';
import { openLiveSource } from './sources/index.js';

export interface OpenLiveOptions {
  /** Recordings: replay speed (1 = as recorded, Infinity = as fast as possible). */
  speed?: number;
  baseUrl?: string;
  season?: number;
  sessionKey?: number;
}

/** `f1`, `openf1`, `f1-archive`, or a recording file. */
export function openLive(spec: string, opts: OpenLiveOptions = {}): LiveSource {
  if (spec === 'f1')
    return openLiveSource({ kind: 'f1', ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}) });
  if (spec === 'openf1')
    return openLiveSource({
      kind: 'openf1',
      ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
      ...(opts.sessionKey ? { sessionKey: opts.sessionKey } : {}),
    });
  if (spec === 'f1-archive') {
    if (!opts.season || !opts.sessionKey)
      throw new Error(
        'the f1-archive live source needs a season and a session key (--season S --session-key K)',
      );
    return openLiveSource({
      kind: 'f1-archive',
      season: opts.season,
      sessionKey: opts.sessionKey,
      ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
    });
  }
  if (!existsSync(spec))
    throw new Error(`${spec}: no such recording (expected f1, openf1 or a recording file)`);
  return recordingSource(spec, { speed: opts.speed ?? 1 });
}
