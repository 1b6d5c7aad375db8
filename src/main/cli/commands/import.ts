import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { openDb } from '../../data/db.js';
import { importData } from '../../data/importer.js';
import { progressReporter } from '../progress.js';
import { hasMonitorTables } from '../../monitoring/alerts.js';
import { joinOutcomes } from '../../monitoring/log.js';

export const command: Command = {
  name: 'import',
  summary: 'import Ergast-format CSVs and/or FastF1 lap CSVs (idempotent, all-or-nothing)',
  usage: 'pitwall import [--ergast DIR] [--laps DIR] [--db FILE]\n       pitwall import --recording FILE   (a live recording\'s laps, as the archive import derives them)',
  options: [
    { name: 'ergast', type: 'string', description: 'folder of Ergast-format CSVs (races.csv, results.csv, …)' },
    { name: 'laps', type: 'string', description: 'folder of lap CSVs (grand_prix/ and sprint/ subfolders)' },
    { name: 'recording', type: 'string', description: 'a live recording (pitwall live record): its laps, one transaction' },
  ],
  async run(ctx) {
    if (typeof ctx.opts.recording === 'string') {
      const { importRecording } = await import('../../live/import.js');
      const r = importRecording(ctx.db(), ctx.opts.recording);
      return void ctx.print(r, `imported ${r.laps} laps of ${r.drivers} cars: ${r.season} round ${r.round} ${r.race}, ${r.session} (from ${r.file})`);
    }
    const ergast = ctx.opts.ergast as string | undefined;
    const laps = ctx.opts.laps as string | undefined;
    if (!ergast && !laps) throw new UsageError('give --ergast DIR and/or --laps DIR');
    const db = openDb(ctx.dbFile);
    try {
      const bar = progressReporter('import');
      const report = importData(db, { ergast, laps, onProgress: bar.onProgress });
      bar.done();
      // Newly imported results are the outcomes of earlier predictions: join them (rolling accuracy, alerts).
      const joined = hasMonitorTables(db) ? joinOutcomes(db) : null;
      if (joined) Object.assign(report, { outcomes: joined });
      ctx.print(
        report,
        `imported ${report.rows} rows from ${report.files} files in ${report.seconds.toFixed(1)} s\n` +
          Object.entries(report.tables)
            .map(([t, n]) => `  ${t.padEnd(22)} ${n}`)
            .join('\n'),
      );
    } finally {
      db.close();
    }
  },
};
