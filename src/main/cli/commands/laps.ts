import type { Command } from '../command.js';
import { numberArg, UsageError } from '../command.js';
import { sessionLaps } from '../../data/classification.js';

const SESSIONS = ['race', 'sprint', 'qualifying', 'sprint_qualifying', 'fp1', 'fp2', 'fp3'];

export const command: Command = {
  name: 'laps',
  summary: "a session's laps: lap time, position, compound, tyre life, stint, pit in/out, track status",
  usage: 'pitwall laps --season 2024 --round 5 [--session race] [--json]',
  options: [
    { name: 'season', type: 'number', description: 'season' },
    { name: 'round', type: 'number', description: 'round' },
    { name: 'session', type: 'string', description: SESSIONS.join(' | '), default: 'race' },
  ],
  run(ctx) {
    const session = String(ctx.opts.session);
    if (!SESSIONS.includes(session)) throw new UsageError(`--session must be one of ${SESSIONS.join(', ')}`);
    const season = numberArg(ctx, 'season');
    const round = numberArg(ctx, 'round');
    const rows = sessionLaps(ctx.db(), season, round, session);
    const f = (v: number | null, d = 3) => (v === null ? '-' : v.toFixed(d));
    const human = rows.length
      ? rows
          .map(
            (r) =>
              `lap ${String(r.lap).padStart(2)} P${String(r.position ?? '-').padEnd(3)} ${r.driver} ${f(r.lap_time_s).padStart(8)}  ${(r.compound ?? '?').padEnd(12)} life ${f(r.tyre_life, 0).padStart(2)} stint ${r.stint ?? '-'}${r.pit_in ? ' IN' : ''}${r.pit_out ? ' OUT' : ''}  ts ${r.track_status ?? '-'}`,
          )
          .join('\n')
      : `no ${session} laps for ${season} round ${round}`;
    ctx.print(rows, human);
  },
};
