import type { Command } from '../command.js';
import { metricLines, runKind, splitOptions } from './train.js';

export const command: Command = {
  name: 'evaluate',
  summary: 'train on --train-seasons and evaluate on --test-seasons (time-ordered); registers nothing',
  usage: 'pitwall evaluate <kind> --train-seasons A-B --test-seasons C-D [--json]',
  options: splitOptions,
  async run(ctx) {
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
