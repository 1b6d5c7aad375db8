import type { Command, CommandContext } from '../command.js';
import { parseSeasonRange, UsageError } from '../command.js';
import type { ModelKind, Split } from '../../training/kind.js';
import { getKind, KIND_NAMES } from '../../training/kinds/index.js';
import { runPipeline } from '../../training/pipeline.js';

/** Kind from the positional argument and the split from --train-seasons / --test-seasons (else the kind's default). */
async function kindAndSplit(ctx: CommandContext): Promise<{ kind: ModelKind; split: Split }> {
  const name = ctx.positionals[0];
  if (!name) throw new UsageError(`name a model kind (${KIND_NAMES.join(', ')})`);
  let kind: ModelKind;
  try {
    kind = await getKind(name);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const def = kind.defaultSplit(ctx.db());
  const split: Split = {
    train:
      ctx.opts['train-seasons'] !== undefined
        ? parseSeasonRange(ctx.opts['train-seasons'], 'train-seasons')
        : def.train,
    test:
      ctx.opts['test-seasons'] !== undefined
        ? parseSeasonRange(ctx.opts['test-seasons'], 'test-seasons')
        : def.test,
  };
  return { kind, split };
}

/** Human lines: the model's metrics, then each baseline's. */
export function metricLines(
  metrics: Record<string, unknown>,
  baselines: Record<string, Record<string, unknown>>,
): string[] {
  const kv = (o: Record<string, unknown>) =>
    Object.entries(o)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
  return [
    `${'model'.padEnd(9)} ${kv(metrics)}`,
    ...Object.entries(baselines).map(([b, v]) => `${b.padEnd(9)} ${kv(v)}`),
  ];
}

/** Runs the kind named on the command line through the pipeline (train registers; evaluate does not). */
export async function runKind(ctx: CommandContext, register: boolean) {
  const { kind, split } = await kindAndSplit(ctx);
  const r = await runPipeline(kind, ctx.db(), ctx.dbFile, {
    split,
    seed: Number(ctx.opts.seed ?? 1),
    register,
    log: ctx.log,
  });
  return { kind, split, r };
}

export const splitOptions = [
  {
    name: 'train-seasons',
    type: 'string' as const,
    description: 'training seasons, e.g. 2014-2022 (default: kind’s)',
  },
  {
    name: 'test-seasons',
    type: 'string' as const,
    description: 'test seasons, e.g. 2023-2024 (default: kind’s)',
  },
  { name: 'seed', type: 'number' as const, description: 'random seed', default: 1 },
];

export const command: Command = {
  name: 'train',
  summary:
    'train a model kind through the pipeline (validate → features → train → evaluate → register → promote)',
  usage: 'pitwall train <kind> [--train-seasons A-B] [--test-seasons C-D] [--json]',
  options: splitOptions,
  async run(ctx) {
    const { split, r } = await runKind(ctx, true);
    const m = r.evaluation.metrics;
    ctx.print(
      {
        kind: r.kind,
        run_id: r.runId,
        train_seasons: split.train,
        test_seasons: split.test,
        steps: r.steps,
        metrics: m,
        baselines: r.evaluation.baselines,
        registered: r.registered,
        promoted: r.promoted,
        promotion: r.promotion,
      },
      [
        `${r.kind}: run ${r.runId}`,
        `steps     ${r.steps.map((s) => `${s.step} ${s.seconds.toFixed(2)}s`).join(', ')}`,
        ...metricLines(m, r.evaluation.baselines),
        `registered v${r.registered?.version ?? '?'}; ${r.promoted ? 'promoted to champion' : 'not promoted'}: ${r.promotion}`,
      ].join('\n'),
    );
  },
};
