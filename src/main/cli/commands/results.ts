import type { Command } from '../command.js';
import { numberArg, UsageError } from '../command.js';
import { classification } from '../../data/classification.js';

export const command: Command = {
  name: 'results',
  summary: "a race's classification (position, driver, constructor, grid, points, status, laps)",
  usage: 'pitwall results --season 2024 --round 5 [--session race|sprint] [--json]',
  options: [
    { name: 'season', type: 'number', description: 'season' },
    { name: 'round', type: 'number', description: 'round' },
    { name: 'session', type: 'string', description: 'race or sprint', default: 'race' },
  ],
  run(ctx) {
    const session = String(ctx.opts.session);
    if (session !== 'race' && session !== 'sprint') throw new UsageError('--session must be race or sprint');
    const season = numberArg(ctx, 'season');
    const round = numberArg(ctx, 'round');
    const rows = classification(ctx.db(), season, round, session);
    const human = rows.length
      ? rows
          .map(
            (r) =>
              `${String(r.position ?? r.positionOrder).padStart(3)}${r.position === null ? '*' : ' '} ${(r.code ?? '').padEnd(4)}${r.driver.padEnd(22)} ${(r.constructor ?? '').padEnd(16)} grid ${String(r.grid ?? '-').padStart(2)}  ${String(r.points ?? 0).padStart(4)} pts  ${r.laps ?? '-'} laps  ${r.status ?? ''}`,
          )
          .join('\n') + '\n(* not classified)'
      : `no ${session} results for ${season} round ${round}`;
    ctx.print(rows, human);
  },
};
