import type { Command } from '../command.js';
import { parseSeasonRange, seasonsArg } from '../command.js';

const report: Command = {
  name: 'report',
  summary: 'input drift (PSI + KS, calibrated per window of races), rolling accuracy and alerts for a model',
  usage: 'pitwall monitor report --model race-winner [--reference 2014-2022] [--current 2023-2024] [--json]',
  options: [
    { name: 'model', type: 'string', description: 'model name', default: 'race-winner' },
    { name: 'reference', type: 'string', description: 'reference (training) seasons', default: '2014-2022' },
    { name: 'current', type: 'string', description: 'seasons to test (default: the predictions served, from the prediction log)' },
    { name: 'window', type: 'number', description: 'races per drift window', default: 10 },
    { name: 'draws', type: 'number', description: 'permutation draws per test', default: 1000 },
  ],
  async run(ctx) {
    const { monitorReport } = await import('../../monitoring/report.js');
    const r = monitorReport(ctx.db(), {
      model: String(ctx.opts.model),
      reference: parseSeasonRange(ctx.opts.reference, 'reference'),
      current: seasonsArg(ctx, 'current'),
      window: ctx.opts.window as number,
      draws: ctx.opts.draws as number,
    });
    const lines = [
      `${r.model}: ${r.current.from ?? '—'}…${r.current.to ?? '—'} (${r.current.races} races, ${r.current.source}) vs ${r.reference.from}…${r.reference.to} (${r.reference.races} races)`,
      '',
      `${'feature'.padEnd(42)} ${'PSI'.padStart(7)} ${'thr'.padStart(7)} ${'KS p'.padStart(9)} ${'p adj'.padStart(7)}  drift`,
      ...Object.entries(r.features).map(
        ([f, d]) =>
          `${f.padEnd(42)} ${d.psi.toFixed(3).padStart(7)} ${d.psi_threshold.toFixed(3).padStart(7)} ${d.ks_p.toExponential(1).padStart(9)} ${d.p_adj.toFixed(3).padStart(7)}  ${d.drift ? 'DRIFT' : ''}`,
      ),
      '',
      ...r.windows.map((w) => `window ${w.from}…${w.to} (${w.races} races): ${w.drifted.length ? w.drifted.join(', ') : 'no drift'}`),
      ...Object.values(r.rolling).map(
        (x) => `rolling v${x.version} (last ${x.races} races): ${Object.entries(x.metrics).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}`,
      ),
      `${r.alerts.length} alert(s)${r.alerts[0] ? `; latest: ${r.alerts[0].message}` : ''}`,
    ];
    ctx.print(r, lines.join('\n'));
  },
};

const join: Command = {
  name: 'join',
  summary: 'join logged predictions to the outcomes now known and update rolling accuracy',
  options: [{ name: 'window', type: 'number', description: 'races in the rolling window', default: 20 }],
  async run(ctx) {
    const { joinOutcomes } = await import('../../monitoring/log.js');
    const r = joinOutcomes(ctx.db(), { window: ctx.opts.window as number });
    ctx.print(r, `${r.joined} prediction(s) joined, ${r.alerts} new alert(s)`);
  },
};

const alerts: Command = {
  name: 'alerts',
  summary: 'stored monitoring alerts, newest first',
  options: [{ name: 'model', type: 'string', description: 'only this model' }],
  async run(ctx) {
    const { listAlerts } = await import('../../monitoring/alerts.js');
    const a = listAlerts(ctx.db(), { model: ctx.opts.model as string | undefined });
    ctx.print(a, a.map((x) => `#${x.id} ${x.createdAt} [${x.kind}] ${x.message}`).join('\n') || 'no alerts');
  },
};

export const command: Command = {
  name: 'monitor',
  summary: 'model monitoring: drift report, outcome join, alerts',
  subcommands: [report, join, alerts],
};
