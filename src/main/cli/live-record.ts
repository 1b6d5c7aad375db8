// `pitwall live record`: follows a live session (F1 SignalR, OpenF1) until it ends — or Ctrl-C — or records a
// finished one (the F1 archive, OpenF1), into a JSONL recording (live/recording.ts) that replays through the same path.
import type { Command } from './command.js';
import { UsageError } from './command.js';
import { FileSecretStore, secretsToEnv } from '../data/secrets.js';
import { cacheDirFor } from '../update/update.js';
import { recordLive } from '../live/record.js';
import { NETWORK_SOURCES, openLiveSource, type LiveSourceSpec } from '../live/sources/index.js';

export const recordCommand: Command = {
  name: 'record',
  summary: 'record a live session (f1, openf1) or a finished one (f1-archive, openf1) to a JSONL recording',
  usage:
    'pitwall live record --source f1|openf1|f1-archive [--base-url URL] [--season S] [--session-key K] --out FILE [--topics A,B] [--json]\n' +
    '  f1-archive needs --season and --session-key (the session\'s Key in <base>/<season>/Index.json);\n' +
    '  openf1 takes --session-key (default: latest); tokens come from `pitwall secrets` (f1LiveToken, openf1Token)',
  options: [
    { name: 'source', type: 'string', description: 'f1 | openf1 | f1-archive' },
    { name: 'base-url', type: 'string', description: 'source root (default: the public service)' },
    { name: 'season', type: 'number', description: 'f1-archive: the season of the session' },
    { name: 'session-key', type: 'string', description: 'f1-archive: session Key; openf1: session_key or "latest"' },
    { name: 'out', type: 'string', description: 'the recording file to write (JSONL)' },
    { name: 'topics', type: 'string', description: 'only these topics (comma-separated F1 topic names)' },
  ],
  async run(ctx) {
    const source = String(ctx.opts.source ?? '');
    if (!(NETWORK_SOURCES as readonly string[]).includes(source)) throw new UsageError(`--source must be one of ${NETWORK_SOURCES.join(', ')} (got "${source}")`);
    const out = ctx.opts.out;
    if (typeof out !== 'string' || !out) throw new UsageError('--out FILE is required');
    const baseUrl = ctx.opts['base-url'] === undefined ? undefined : String(ctx.opts['base-url']);
    const topics = ctx.opts.topics === undefined ? undefined : String(ctx.opts.topics).split(',').map((t) => t.trim()).filter(Boolean);
    const keyOpt = ctx.opts['session-key'];
    secretsToEnv(new FileSecretStore());
    let spec: LiveSourceSpec;
    if (source === 'f1-archive') {
      const season = Number(ctx.opts.season);
      const key = Number(keyOpt);
      if (!Number.isInteger(season) || season < 2018) throw new UsageError('--season is required for f1-archive (the archive starts in 2018)');
      if (!Number.isInteger(key)) throw new UsageError('--session-key is required for f1-archive (a session Key from the season\'s Index.json)');
      spec = { kind: 'f1-archive', season, sessionKey: key, baseUrl, topics, cacheDir: cacheDirFor(ctx.dbFile, 'f1-archive') };
    } else if (source === 'openf1') {
      const key = keyOpt === undefined || keyOpt === 'latest' ? 'latest' : Number(keyOpt);
      if (key !== 'latest' && !Number.isInteger(key)) throw new UsageError(`--session-key must be a number or "latest" (got "${keyOpt}")`);
      spec = { kind: 'openf1', sessionKey: key, baseUrl, cacheDir: cacheDirFor(ctx.dbFile, 'openf1-live') };
    } else spec = { kind: 'f1', baseUrl, topics };
    const abort = new AbortController();
    const onInt = () => {
      ctx.log('live record: stopping — the recording so far is kept');
      abort.abort();
    };
    process.once('SIGINT', onInt);
    let skipped = 0;
    try {
      const report = await recordLive(openLiveSource(spec, abort.signal), out, {
        signal: abort.signal,
        onEvent: (e) => {
          if (e.kind === 'status') ctx.log(`live record: ${e.connection}${e.detail ? ` (${e.detail})` : ''}`);
          else if (skipped++ < 5) ctx.log(`live record: skipped ${e.reason}`);
        },
      });
      const topicsLine = Object.entries(report.topics).map(([t, n]) => `${t} ${n}`).join(', ');
      ctx.print(report, `recorded ${report.messages} updates (${report.initials} initial states, ${report.skipped} skipped) to ${out}\n  ${topicsLine}`);
    } finally {
      process.off('SIGINT', onInt);
    }
  },
};
