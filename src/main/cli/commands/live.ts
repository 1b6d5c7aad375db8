// `pitwall live`: the live timing tower from a recording — one moment (`snapshot`) or replayed at any speed
// (`replay`). `pitwall serve --live f1|openf1|FILE` shows it in the browser.
import type { Command, CommandContext } from '../command.js';
import { stringArg, UsageError } from '../command.js';
import type { LiveTower } from '../../../shared/live.js';
import { DataError } from '../../data/errors.js';
import { LiveTiming } from '../../live/live-timing.js';
import { RecordingError } from '../../live/recording.js';
import { openLive } from '../../live/open.js';
import { snapshotJson, snapshotOfFile } from '../../live/snapshot.js';
import { recordCommand } from '../live-record.js';

const gapText = (g: number | string | null): string =>
  g === null ? '' : typeof g === 'number' ? `+${g.toFixed(3)}` : g;
const lapText = (s: number | null): string =>
  s === null ? '' : `${Math.floor(s / 60)}:${(s % 60).toFixed(3).padStart(6, '0')}`;

function towerText(t: LiveTower, max = 20): string {
  const head = `${t.at}  lap ${t.lap ?? '-'}${t.totalLaps ? `/${t.totalLaps}` : ''}  track ${t.trackStatus.state}`;
  const rows = t.rows
    .slice(0, max)
    .map((r) =>
      [
        String(r.position ?? '-').padStart(2),
        (r.code ?? String(r.driverNumber)).padEnd(4),
        gapText(r.gapToLeader).padStart(9),
        gapText(r.interval).padStart(9),
        lapText(r.lastLap).padStart(9),
        lapText(r.bestLap).padStart(9),
        String(r.laps ?? '').padStart(3),
        (r.compound ?? '').padEnd(12),
        r.inPit ? 'PIT' : '',
      ].join(' '),
    );
  return [head, ...rows].join('\n');
}

/** A missing recording, a network source not built in, or a bad --at are the caller's to fix: said without a stack. */
function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Error && /no such recording|not available in this build|^--at /.test(e.message))
      throw new UsageError(e.message);
    // a bad recording line: reported like any bad input file (file, line), without a stack
    if (e instanceof RecordingError)
      throw new DataError(
        e.message.slice(e.message.indexOf(': ') + 2).replace(/^line \d+: /, ''),
        e.file,
        e.line,
      );
    throw e;
  }
}

function speedArg(ctx: CommandContext): number {
  const v = ctx.opts.speed;
  if (v === undefined) return 1;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(
      `--speed must be a positive number, or 0 for as fast as possible (got "${String(v)}")`,
    );
  return n === 0 ? Infinity : n;
}

export { asUsage };

export const command: Command = {
  name: 'live',
  summary:
    'live timing: record a session (F1 live timing, OpenF1, the archive), the tower at a moment of a recording, or a recording replayed at any speed',
  subcommands: [
    recordCommand,
    {
      name: 'snapshot',
      summary: 'the tower at one moment of a recording',
      usage: 'pitwall live snapshot --recording FILE --at (2020-08-07T14:30:00Z | +HH:MM:SS.mmm) [--json]',
      options: [
        { name: 'recording', type: 'string', description: 'a recording (JSONL, from `pitwall live record`)' },
        {
          name: 'at',
          type: 'string',
          description:
            'an ISO-8601 UTC instant, or +HH:MM:SS.mmm from the recording’s start (archive sessions: the streams’ offsets)',
        },
      ],
      run(ctx) {
        const file = stringArg(ctx, 'recording', ' (a .jsonl recording)');
        const at = stringArg(ctx, 'at', ' (ISO-8601 UTC or +HH:MM:SS.mmm)');
        const tower = asUsage(() => snapshotOfFile(file, at));
        ctx.print(snapshotJson(tower), towerText(tower));
      },
    },
    {
      name: 'replay',
      summary: 'replay a recording through the live tower (the same path as a live feed)',
      usage: 'pitwall live replay --recording FILE [--speed 20] [--every 1] [--json]',
      options: [
        { name: 'recording', type: 'string', description: 'a recording (JSONL)' },
        {
          name: 'speed',
          type: 'number',
          description: 'replay speed (1 = as recorded; 0 = as fast as possible)',
          default: 1,
        },
        {
          name: 'every',
          type: 'number',
          description: 'print the tower at most this often (seconds of wall time)',
          default: 1,
        },
      ],
      async run(ctx) {
        const file = stringArg(ctx, 'recording', ' (a .jsonl recording)');
        const speed = speedArg(ctx);
        const source = asUsage(() => openLive(file, { speed }));
        const every = Math.max(0, Number(ctx.opts.every ?? 1)) * 1000;
        const timing = new LiveTiming();
        let last = 0;
        let shown = -1;
        const show = () => {
          if (timing.seq === shown) return;
          shown = timing.seq;
          const t = timing.tower();
          ctx.print(snapshotJson(t), `${towerText(t, 10)}\n`);
        };
        const abort = new AbortController();
        const stop = () => abort.abort();
        process.once('SIGINT', stop);
        const t0 = Date.now();
        try {
          await source.run((e) => {
            timing.apply(e);
            if (e.kind === 'status' && e.connection === 'failed')
              ctx.log(`pitwall live: ${e.detail ?? 'the feed failed'}`);
            if (Date.now() - last >= every && e.kind !== 'status') {
              last = Date.now();
              show();
            }
          }, abort.signal);
        } finally {
          process.off('SIGINT', stop);
        }
        show();
        const summary = {
          done: true,
          messages: timing.messages,
          skipped: timing.skipped,
          laps: timing.laps().length,
          wallS: (Date.now() - t0) / 1000,
        };
        ctx.print(
          summary,
          `${summary.messages} messages (${summary.skipped} skipped), ${summary.laps} laps completed, ${summary.wallS.toFixed(1)} s`,
        );
      },
    },
  ],
};
