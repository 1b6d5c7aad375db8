import { dirname, join } from 'node:path';
import type { Command } from '../command.js';
import { parseSeasonRange, UsageError } from '../command.js';
import { rollingEvaluate } from '../../models/race-winner/rolling.js';
import { rollingInRace, type InRaceRolling } from '../../training/kinds/win-probability-rolling.js';
import { metricLines, runKind, splitOptions } from './train.js';

export const command: Command = {
  name: 'evaluate',
  summary: 'train on --train-seasons and evaluate on --test-seasons (time-ordered); registers nothing',
  usage:
    'pitwall evaluate <kind> --train-seasons A-B --test-seasons C-D [--json]\n' +
    '       pitwall evaluate race-winner --rolling 2016-2024 [--json]   (rolling origin: each season trained on the ones before it)\n' +
    '       pitwall evaluate win-probability --rolling 2021-2024 [--json]   (in-race, each season trained on the lap seasons before it)',
  options: [
    ...splitOptions,
    {
      name: 'rolling',
      type: 'string',
      description:
        'race-winner or win-probability: rolling-origin test seasons, e.g. 2016-2024 (win-probability: 2021-2024)',
    },
  ],
  async run(ctx) {
    if (ctx.opts.rolling !== undefined && ctx.positionals[0] === 'win-probability') {
      const [from, to] = parseSeasonRange(ctx.opts.rolling, 'rolling');
      const rep = await rollingInRace(ctx.db(), ctx.dbFile, from, to, ctx.log);
      const row = (n: string, cs: InRaceRolling['pooled']) =>
        `${n.padEnd(7)} ${cs
          .map(
            (c) =>
              `${c.logloss.toFixed(3)} (${Object.values(c.baselines)
                .map((b) => b.logloss.toFixed(3))
                .join(' / ')})`,
          )
          .join('  ')}`;
      ctx.print(
        rep,
        [
          `win-probability rolling origin ${from}–${to}: logloss (pre-race / running order) at ${rep.pooled.map((c) => `${Math.round(c.fraction * 100)} %`).join(', ')}`,
          ...rep.seasons.map((s) => row(String(s.season), s.checkpoints)),
          row('pooled', rep.pooled),
        ].join('\n'),
      );
      return;
    }
    if (ctx.opts.rolling !== undefined) {
      if (ctx.positionals[0] !== 'race-winner')
        throw new UsageError('--rolling is for the race-winner and win-probability kinds');
      const [from, to] = parseSeasonRange(ctx.opts.rolling, 'rolling');
      const seed = Number(ctx.opts.seed ?? 1);
      const {
        predictions: _p,
        models: _m,
        ...rep
      } = rollingEvaluate(ctx.db(), from, to, {
        seed,
        cacheDir: join(dirname(ctx.dbFile), 'cache', 'models'),
        log: ctx.log,
      });
      const odds = rep.pass_odds;
      const row = (n: string, m: { top1: number; top3: number; logloss: number; ece: number }) =>
        `${n.padEnd(8)} ${m.top1.toFixed(3).padStart(6)} ${m.top3.toFixed(3).padStart(6)} ${m.logloss.toFixed(3).padStart(7)} ${m.ece.toFixed(3).padStart(6)}`;
      ctx.print(
        rep,
        [
          `race-winner rolling origin ${from}–${to}: model | pole-sitter | logistic regression (top1 top3 logloss ece)`,
          ...rep.seasons.map(
            (s) =>
              `${row(String(s.season), s)} | ${row('pole', s.baselines.pole_sitter)} | ${row('LR', s.baselines.logistic_regression)}`,
          ),
          `${row('pooled', rep.pooled)} | ${row('pole', rep.pooled.baselines.pole_sitter)} | ${row('LR', rep.pooled.baselines.logistic_regression)}`,
          `if the model's probabilities were exactly right (${odds.draws} draws): pooled top1 ≥ pole + 0.03 in ${odds.pooled_margin}, ` +
            `no season more than two races below the pole-sitter in ${odds.every_season}, both in ${odds.both}`,
        ].join('\n'),
      );
      return;
    }
    const { kind, split, r } = await runKind(ctx, false);
    const rep = r.evaluation.report;
    ctx.print(
      rep,
      [
        `${kind.name}: train ${split.train.join('–')}, test ${split.test.join('–')}`,
        ...metricLines(r.evaluation.metrics, r.evaluation.baselines),
      ].join('\n'),
    );
  },
};
