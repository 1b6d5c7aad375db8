// The one seam between the live screen and the feeds: a source by name — a recording file, or a network feed
// (F1 SignalR, OpenF1) from sources/index.ts; `pitwall live record` opens the archive there with its options.
import { existsSync } from 'node:fs';
import type { LiveSource } from './feed.js';
import { openLiveSource } from './sources/index.js';

export interface OpenLiveOptions {
  /** Recordings: replay speed (1 = as recorded, Infinity = as fast as possible). */
  speed?: number;
}

/** `f1`, `openf1` (their defaults: the public services, tokens from the environment), or a recording file. */
export function openLive(spec: string, opts: OpenLiveOptions = {}): LiveSource {
  if (spec === 'f1' || spec === 'openf1') return openLiveSource({ kind: spec });
  if (!existsSync(spec))
    throw new Error(`${spec}: no such recording (expected f1, openf1 or a recording file)`);
  return openLiveSource({ kind: 'recording', file: spec, speed: opts.speed ?? 1 });
}
