// `pitwall update`: pulls the races a database lacks from a remote source, one race per transaction (an interrupted
// run leaves whole races only and a re-run resumes), then joins outcomes and materializes the feature store.
import { dirname, join } from 'node:path';
import type { UpdateSummary } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { HttpClient, SourceError, type HttpClientOptions, type RateLimit } from './http.js';
import { Jolpica, JOLPICA_BASE_URL, JOLPICA_LIMITS, type JRaceHead, type RaceBundle } from './jolpica.js';
import { ensureUpdateTables, writeRaceBundle } from './write.js';
import { raceStartUtc } from '../data/importer.js';

export interface UpdateProgress {
  season: number;
  round: number;
  race: string;
  /** Races handled so far / to handle in this run. */
  done: number;
  total: number;
  requests: number;
  cached: number;
  /** Seconds left at the pace so far; null before the first race is done. */
  etaS: number | null;
}

export interface UpdateOptions {
  seasons: number[];
  round?: number;
  baseUrl?: string;
  offline?: boolean;
  /** Fetch again races the database already has results for. */
  refresh?: boolean;
  /** Raw-response cache folder; default: `cache/http/jolpica` beside the database. */
  cacheDir?: string;
  dbFile?: string;
  signal?: AbortSignal;
  onProgress?: (p: UpdateProgress) => void;
  /** Overrides for the HTTP client (tests: quick backoff, a fake fetch). */
  http?: Partial<HttpClientOptions>;
  now?: number;
}

/** What an update wrote: the shared summary before its outcome join. */
export type UpdateReport = Omit<UpdateSummary, 'joined'>;

export const cacheDirFor = (dbFile: string, source: string): string => join(dirname(dbFile), 'cache', 'http', source);

/** Races of `season` that a run should fetch: published (started), not yet complete here. */
function wanted(db: Db, heads: JRaceHead[], o: UpdateOptions, now: number): JRaceHead[] {
  const done = db.prepare(`SELECT complete FROM update_races WHERE source = 'jolpica' AND season = ? AND round = ?`).pluck();
  const has = db.prepare(`SELECT EXISTS (SELECT 1 FROM results x JOIN races r ON r.race_id = x.race_id WHERE r.year = ? AND r.round = ?)`).pluck();
  return heads.filter((h) => {
    if (o.round !== undefined && Number(h.round) !== o.round) return false;
    if (Date.parse(raceStartUtc(h.date, h.time?.replace(/Z$/, '') ?? null)) > now) return false;
    if (o.refresh) return true;
    return done.get(Number(h.season), Number(h.round)) !== 1 && has.get(Number(h.season), Number(h.round)) !== 1;
  });
}

/** A source's HTTP client under an update's options: its cache beside the database, its limits, Ctrl-C. */
export function sourceClient(db: Db, o: UpdateOptions, source: string, limits: RateLimit[]): HttpClient {
  return new HttpClient({
    source,
    cacheDir: o.cacheDir ?? cacheDirFor(o.dbFile ?? db.name, source),
    offline: o.offline,
    limits,
    signal: o.signal,
    ...o.http,
  });
}

export async function updateFromJolpica(db: Db, o: UpdateOptions): Promise<UpdateReport> {
  ensureUpdateTables(db);
  const baseUrl = o.baseUrl ?? JOLPICA_BASE_URL;
  const http = sourceClient(db, o, 'jolpica', JOLPICA_LIMITS);
  const api = new Jolpica(http, baseUrl);
  const now = o.now ?? Date.now();
  const report: UpdateReport = {
    source: 'jolpica', seasons: o.seasons, races: 0, results: 0, qualifying: 0, pit_stops: 0, laps: 0, requests: 0, cached: 0,
  };
  const plan: JRaceHead[] = [];
  for (const season of o.seasons) {
    const heads = await api.schedule(season);
    if (o.round !== undefined && !heads.some((h) => Number(h.round) === o.round))
      throw new DataError(`jolpica: ${season} has no round ${o.round} (${heads.length} rounds in the schedule at ${baseUrl})`);
    // The schedule itself is worth keeping: future races appear in the race picker and get predictions.
    const known = db.prepare('SELECT 1 FROM races WHERE year = ? AND round = ?').pluck();
    for (const h of heads) if (!known.get(Number(h.season), Number(h.round))) writeRaceBundle(db, emptyBundle(h), 'jolpica');
    plan.push(...wanted(db, heads, o, now));
  }
  const t0 = performance.now();
  let written = 0;
  for (const [i, h] of plan.entries()) {
    const where = `${h.season} round ${h.round} (${h.raceName ?? 'race'})`;
    const elapsed = (performance.now() - t0) / 1000;
    o.onProgress?.({
      season: Number(h.season), round: Number(h.round), race: h.raceName ?? '', done: i, total: plan.length,
      requests: http.stats.requests, cached: http.stats.cached, etaS: i > 0 ? (elapsed / i) * (plan.length - i) : null,
    });
    let bundle: RaceBundle;
    try {
      bundle = await api.race(h);
    } catch (e) {
      if (e instanceof SourceError)
        throw new DataError(`${e.message} while updating ${where}; ${written} race(s) written whole before it — run the update again to resume`);
      throw e;
    }
    const { counts } = writeRaceBundle(db, bundle, 'jolpica');
    if (bundle.results.length) {
      written++;
      report.races++;
    }
    report.results += counts.results;
    report.qualifying += counts.qualifying;
    report.pit_stops += counts.pit_stops;
    report.laps += counts.laps;
  }
  if (plan.length)
    o.onProgress?.({
      season: o.seasons[o.seasons.length - 1]!, round: 0, race: '', done: plan.length, total: plan.length,
      requests: http.stats.requests, cached: http.stats.cached, etaS: 0,
    });
  report.requests = http.stats.requests;
  report.cached = http.stats.cached;
  if (written) {
    db.prepare('INSERT INTO imports (kind, source, files, rows, finished_at) VALUES (?, ?, ?, ?, ?)').run(
      'jolpica', baseUrl, report.requests + report.cached, report.results + report.qualifying + report.pit_stops + report.laps, new Date().toISOString(),
    );
  }
  return report;
}

const emptyBundle = (head: JRaceHead): RaceBundle => ({
  head, results: [], sprint: [], qualifying: [], pitStops: [], laps: [], driverStandings: [], constructorStandings: [],
});
