import type { Command } from '../command.js';
import { dbStatus } from '../../data/status.js';

export const command: Command = {
  name: 'status',
  summary: 'counts of races, results and laps in the database, seasons covered, schema version',
  run(ctx) {
    const s = dbStatus(ctx.db());
    ctx.print(
      s,
      [
        `database   ${ctx.dbFile}`,
        `races      ${s.races}`,
        `results    ${s.results}`,
        `laps       ${s.laps}`,
        `seasons    ${s.seasons ? s.seasons.join('–') : '(none)'}`,
        `schema     v${s.schemaVersion}`,
      ].join('\n'),
    );
  },
};
