import cliProgress from 'cli-progress';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import type { UpdateProgress, UpdateReport } from '../../update/update.js';

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
  summary: 'pull races the database lacks from Jolpica (the Ergast successor): results, qualifying, sprint, pit stops, laps',
  usage:
    'pitwall update [--source jolpica] [--season 2025] [--round N] [--base-url URL] [--offline] [--refresh] [--json]\n' +
    '  (no --season: every missing race of the current and the previous season)',
  options: [
    { name: 'source', type: 'string', description: 'jolpica (f1-archive and openf1 are not built yet)', default: 'jolpica' },
    { name: 'season', type: 'number', description: 'season to update (default: the current and the previous one)' },
    { name: 'round', type: 'number', description: 'only this round' },
    { name: 'base-url', type: 'string', description: 'API root (default https://api.jolpi.ca/ergast/f1)' },
    { name: 'offline', type: 'boolean', description: 'no network: replay the raw-response cache beside the database' },
    { name: 'refresh', type: 'boolean', description: 'fetch again races the database already has results for' },
  ],
  async run(ctx) {
    const source = String(ctx.opts.source);
    if (source !== 'jolpica')
      throw new UsageError(`--source ${source} is not available yet: only jolpica is built (f1-archive and openf1 are planned)`);
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
    try {
      report = await updateFromJolpica(db, {
        seasons,
        round: ctx.opts.round as number | undefined,
        baseUrl: ctx.opts['base-url'] as string | undefined,
        offline: Boolean(ctx.opts.offline),
        refresh: Boolean(ctx.opts.refresh),
        dbFile: ctx.dbFile,
        signal: abort.signal,
        onProgress: (p) => drawer.draw(p),
      });
    } catch (e) {
      if (abort.signal.aborted) return 130;
      throw e;
    } finally {
      drawer.stop();
      process.off('SIGINT', onInt);
    }
    if (report.races) {
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
