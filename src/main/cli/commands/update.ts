import cliProgress from 'cli-progress';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import type { UpdateProgress, UpdateReport } from '../../update/update.js';
import type { SessionGroup } from '../../update/f1archive.js';

/** A bar with ETA on a TTY (cli-progress), a plain line per race otherwise. Writes to stderr. */
function progressDrawer(): { draw(p: UpdateProgress): void; stop(): void } {
  if (!process.stderr.isTTY) {
    return {
      draw: (p) => {
        if (p.done < p.total)
          process.stderr.write(`update: ${p.season} round ${p.round} ${p.race} (${p.done + 1}/${p.total}, ${p.requests} requests, ${p.cached} cached${p.etaS === null ? '' : `, ~${Math.round(p.etaS)} s left`})\n`);
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'update [{bar}] {value}/{total} races | ETA {eta_formatted} | {requests} requests, {cached} cached | {race}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    draw(p) {
      const payload = { requests: p.requests, cached: p.cached, race: p.race ? `${p.season} R${p.round} ${p.race}` : '' };
      if (!started) {
        bar.start(p.total, p.done, payload);
        started = true;
      } else bar.update(p.done, payload);
    },
    stop: () => started && bar.stop(),
  };
}

export const command: Command = {
  name: 'update',
  summary: 'pull races the database lacks from Jolpica (the Ergast successor), the F1 timing archive or OpenF1: results, qualifying, sprint, pit stops, laps',
  usage:
    'pitwall update [--source jolpica|f1-archive|openf1] [--season 2025] [--round N] [--sessions race,qualifying] [--session-key K]\n' +
    '               [--base-url URL]\n' +
    '               [--offline] [--refresh] [--json]\n' +
    '  (no --season: every missing race of the current and the previous season; no --source: Jolpica, then the archive)',
  options: [
    { name: 'source', type: 'string', description: 'jolpica | f1-archive | openf1 (default: jolpica, then f1-archive)' },
    { name: 'session-key', type: 'string', description: 'openf1: one session (its session_key, or latest); else every race session of --season' },
    { name: 'sessions', type: 'string', description: 'f1-archive sessions: race,sprint,qualifying,practice (default: all)' },
    { name: 'season', type: 'number', description: 'season to update (default: the current and the previous one)' },
    { name: 'round', type: 'number', description: 'only this round' },
    { name: 'base-url', type: 'string', description: 'API root (default https://api.jolpi.ca/ergast/f1, https://livetiming.formula1.com/static, https://api.openf1.org/v1)' },
    { name: 'offline', type: 'boolean', description: 'no network: replay the raw-response cache beside the database' },
    { name: 'refresh', type: 'boolean', description: 'fetch again races the database already has results for' },
  ],
  async run(ctx) {
    const source = ctx.opts.source === undefined ? undefined : String(ctx.opts.source);
    if (source !== undefined && source !== 'jolpica' && source !== 'f1-archive' && source !== 'openf1')
      throw new UsageError(`--source ${source} is not available: jolpica, f1-archive or openf1`);
    const key = ctx.opts['session-key'] === undefined ? undefined : String(ctx.opts['session-key']);
    if (key !== undefined && source !== 'openf1') throw new UsageError('--session-key needs --source openf1');
    if (key !== undefined && key !== 'latest' && !/^\d+$/.test(key)) throw new UsageError(`--session-key must be a number or latest, not "${key}"`);
    if (source === undefined && ctx.opts['base-url'] !== undefined) throw new UsageError('--base-url needs --source');
    const { SESSION_GROUPS, updateFromArchive } = await import('../../update/f1archive.js');
    const sessions = ctx.opts.sessions === undefined ? undefined : String(ctx.opts.sessions).split(',').map((x) => x.trim());
    const badSession = sessions?.find((x) => !(SESSION_GROUPS as string[]).includes(x));
    if (badSession !== undefined) throw new UsageError(`--sessions: "${badSession}" is not one of ${SESSION_GROUPS.join(', ')}`);
    const year = new Date().getUTCFullYear();
    const seasons = ctx.opts.season !== undefined ? [Number(ctx.opts.season)] : [year - 1, year];
    if (seasons.some((s) => !Number.isInteger(s) || s < 1950 || s > year + 1)) throw new UsageError(`--season must be a year from 1950 to ${year + 1}`);
    if (ctx.opts.round !== undefined && ctx.opts.season === undefined) throw new UsageError('--round needs --season');
    const { updateFromJolpica } = await import('../../update/update.js');
    const db = ctx.db();
    const abort = new AbortController();
    const onInt = () => {
      process.stderr.write('\nupdate: interrupted — races written so far are whole; run the update again to resume\n');
      abort.abort();
    };
    process.once('SIGINT', onInt);
    const drawer = progressDrawer();
    let report: UpdateReport;
    const common = {
      seasons,
      round: ctx.opts.round as number | undefined,
      baseUrl: ctx.opts['base-url'] as string | undefined,
      offline: Boolean(ctx.opts.offline),
      refresh: Boolean(ctx.opts.refresh),
      dbFile: ctx.dbFile,
      signal: abort.signal,
      onProgress: (p: UpdateProgress) => drawer.draw(p),
    };
    try {
      const runs: UpdateReport[] = [];
      if (source === 'openf1') {
        const { updateFromOpenF1 } = await import('../../update/openf1-update.js');
        runs.push(await updateFromOpenF1(db, { ...common, sessionKey: key === undefined ? undefined : key === 'latest' ? 'latest' : Number(key) }));
      }
      if (source === undefined || source === 'jolpica') runs.push(await updateFromJolpica(db, common));
      if (source === undefined || source === 'f1-archive') runs.push(await updateFromArchive(db, { ...common, sessions: sessions as SessionGroup[] | undefined }));
      report = runs.length === 1 ? runs[0]! : sumReports(runs);
    } catch (e) {
      if (abort.signal.aborted) return 130;
      throw e;
    } finally {
      drawer.stop();
      process.off('SIGINT', onInt);
    }
    if (report.races || report.laps) {
      const after = await (await import('../../update/after.js')).afterUpdate(db);
      if (after.outcomes) ctx.log(`update: ${after.outcomes.joined} logged prediction(s) joined to their outcomes`);
      if (after.features) ctx.log(`update: feature store materialized in ${after.features.seconds.toFixed(1)} s`);
    }
    ctx.print(
      report,
      `${report.source}: ${report.races} race(s) of ${report.seasons.join(', ')} — ${report.results} results, ${report.qualifying} qualifying, ` +
        `${report.pit_stops} pit stops, ${report.laps} laps (${report.requests} requests, ${report.cached} from the cache)`,
    );
  },
};

function sumReports(rs: UpdateReport[]): UpdateReport {
  const out: UpdateReport = { ...rs[0]!, source: rs.map((r) => r.source).join('+') };
  for (const r of rs.slice(1))
    for (const k of ['races', 'results', 'qualifying', 'pit_stops', 'laps', 'requests', 'cached'] as const) out[k] += r[k];
  out.races = Math.max(...rs.map((r) => r.races));
  return out;
}
