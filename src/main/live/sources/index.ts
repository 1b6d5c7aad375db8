// One way to open any live source: the CLI, `serve --live` and the tests name a kind and its options.
import { join } from 'node:path';
import { dataDir } from '../../data/paths.js';
import { ARCHIVE_LIMITS } from '../../update/f1archive.js';
import { HttpClient, type HttpClientOptions } from '../../update/http.js';
import type { LiveSource } from '../feed.js';
import { recordingSource } from '../recording.js';
import { archiveSource } from './archive.js';
import { f1Source, type F1SourceOptions } from './f1.js';
import { OPENF1_LIMITS, openf1Source, type OpenF1SourceOptions } from './openf1.js';

export type LiveSourceSpec =
  | { kind: 'f1-archive'; season: number; sessionKey: number; baseUrl?: string; topics?: string[]; cacheDir?: string; http?: Partial<HttpClientOptions> }
  | { kind: 'recording'; file: string; speed?: number }
  | ({ kind: 'f1' } & F1SourceOptions)
  | ({ kind: 'openf1' } & Omit<OpenF1SourceOptions, 'http'> & { cacheDir?: string; http?: Partial<HttpClientOptions> });

/** The network feeds (a recording is the fourth kind). */
export const NETWORK_SOURCES = ['f1', 'openf1', 'f1-archive'] as const;

/** The raw-response cache of a source (archive streams of finished sessions never change). */
const cacheDir = (source: string) => join(dataDir(), 'cache', 'http', source);

export function openLiveSource(spec: LiveSourceSpec, signal?: AbortSignal): LiveSource {
  switch (spec.kind) {
    case 'recording':
      return recordingSource(spec.file, { speed: spec.speed ?? 1 });
    case 'f1-archive': {
      const http = new HttpClient({ source: 'f1-archive', cacheDir: spec.cacheDir ?? cacheDir('f1-archive'), limits: ARCHIVE_LIMITS, signal, ...spec.http });
      return archiveSource({ http, baseUrl: spec.baseUrl, season: spec.season, sessionKey: spec.sessionKey, topics: spec.topics });
    }
    case 'f1':
      return f1Source({ ...spec, token: spec.token ?? process.env.PITWALL_F1_LIVE_TOKEN });
    case 'openf1': {
      const { kind: _k, cacheDir: dir, http: overrides, ...o } = spec;
      const http = { source: 'openf1', cacheDir: dir ?? cacheDir('openf1-live'), limits: OPENF1_LIMITS, signal, ...overrides };
      return openf1Source({ ...o, token: o.token ?? process.env.PITWALL_OPENF1_TOKEN, http });
    }
  }
}
