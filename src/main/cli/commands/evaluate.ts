import type { Command } from '../command.js';
import { runPipeline } from '../../training/pipeline.js';
import { kindAndSplit, metricLines, splitOptions } from './train.js';

export const command: Command = {
  name: 'evaluate',
  summary: 'train on --train-seasons and evaluate on --test-seasons (time-ordered); registers nothing',
  usage: 'pitwall evaluate <kind> --train-seasons A-B --test-seasons C-D [--json]',
  options: splitOptions,
  async run(ctx) {
    const { kind, split } = await kindAndSplit(ctx);
    const r = await runPipeline(kind, ctx.db(), ctx.dbFile, {
      split,
      seed: Number(ctx.opts.seed ?? 1),
      register: false,
      log: ctx.log,
    });
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
