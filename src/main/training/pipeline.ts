// The training pipeline: validate → features → train → evaluate → register → promote-if-better, each step timed
// (logged and tracked as step_<name>_s). A failed validation stops the run with a readable report, registers nothing.
import { DataError } from '../data/errors.js';
import type { Db } from '../data/db.js';
import { modelCard } from './card.js';
import type { Evaluation, ModelKind, Split, StepContext, Trained, ValidationCheck } from './kind.js';
import { MlflowClient } from '../registry/mlflow.js';
import { isBetter, Registry, summary } from '../registry/registry.js';
import { startRun } from '../registry/tracking.js';
import type { ModelSummary } from '../../shared/domain.js';

export class ValidationFailed extends DataError {
  constructor(
    readonly kind: string,
    readonly checks: ValidationCheck[],
  ) {
    super(
      `${kind}: data validation failed, nothing trained or registered:\n` +
        checks
          .filter((c) => !c.ok)
          .map((c) => `  ✗ ${c.name}: ${c.detail}`)
          .join('\n'),
    );
    this.name = 'ValidationFailed';
  }
}

export interface PipelineOptions {
  split: Split;
  seed?: number;
  /** Register the model (train) or not (evaluate). */
  register: boolean;
  log?: (line: string) => void;
}

export interface PipelineResult {
  kind: string;
  runId: string;
  split: Split;
  steps: { step: string; seconds: number }[];
  validation: ValidationCheck[];
  evaluation: Evaluation;
  registered: ModelSummary | null;
  promoted: boolean;
  promotion: string;
}

export async function runPipeline(
  kind: ModelKind,
  db: Db,
  dbFile: string,
  o: PipelineOptions,
): Promise<PipelineResult> {
  const log = o.log ?? (() => {});
  const ctx: StepContext = { db, dbFile, seed: o.seed ?? 1, log };
  const run = startRun(
    db,
    dbFile,
    kind.name,
    `${kind.name} ${o.register ? 'train' : 'evaluate'} ${o.split.train.join('-')}→${o.split.test.join('-')}`,
  );
  run.setTags({ kind: kind.name, mode: o.register ? 'train' : 'evaluate' });
  run.logParams({
    train_seasons: o.split.train.join('-'),
    test_seasons: o.split.test.join('-'),
    seed: ctx.seed,
  });
  const steps: PipelineResult['steps'] = [];
  const step = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const v = await fn();
    const s = (performance.now() - t0) / 1000;
    steps.push({ step: name, seconds: +s.toFixed(3) });
    run.logMetrics({ [`step_${name}_s`]: s });
    log(`${kind.name}: ${name} ${s.toFixed(2)} s`);
    return v;
  };
  try {
    const validation = await step('validate', () => kind.validate(ctx, o.split));
    if (validation.some((c) => !c.ok)) throw new ValidationFailed(kind.name, validation);
    const data = await step('features', () => kind.features(ctx, o.split));
    const lineage = kind.lineage(data, o.split);
    const trained: Trained = await step('train', () => kind.train(ctx, data, o.split));
    run.logParams(trained.params);
    if (trained.curves?.length) run.logMetricSteps(trained.curves);
    const evaluation = await step('evaluate', () => kind.evaluate(ctx, trained, data, o.split));
    run.logMetrics(evaluation.metrics);
    for (const [b, m] of Object.entries(evaluation.baselines))
      run.logMetrics(Object.fromEntries(Object.entries(m).map(([k, v]) => [`${b}.${k}`, v])));
    run.logArtifact('model.json', JSON.stringify(trained.model));
    if (trained.onnx) run.logArtifact('model.onnx', trained.onnx);
    run.logArtifact('evaluation.json', JSON.stringify(evaluation.report, null, 2));
    if (evaluation.importance)
      run.logArtifact('importance.json', JSON.stringify(evaluation.importance, null, 2));
    let registered: ModelSummary | null = null;
    let promoted = false;
    let promotion = 'not registered (evaluate only)';
    if (o.register) {
      const reg = new Registry(db, dbFile);
      const card = modelCard({
        name: kind.name,
        summary: kind.summary,
        text: kind.card,
        lineage,
        evaluation,
        trained,
        primaryMetric: kind.primaryMetric,
        direction: kind.direction,
        runId: run.runId,
      });
      const rec = await step('register', () =>
        reg.register({
          name: kind.name,
          runId: run.runId,
          primaryMetric: kind.primaryMetric,
          direction: kind.direction,
          metrics: evaluation.metrics,
          baselines: evaluation.baselines,
          lineage,
          importance: evaluation.importance ?? [],
          card,
          files: {
            'model.json': JSON.stringify(trained.model),
            ...(trained.onnx ? { 'model.onnx': trained.onnx } : {}),
          },
        }),
      );
      run.logArtifact('card.md', rec.card);
      [promoted, promotion] = await step('promote', async () => {
        const champ = reg.byAlias(kind.name, 'champion');
        const cand = evaluation.metrics[kind.primaryMetric];
        if (cand === undefined) return [false, `no ${kind.primaryMetric} metric`] as const;
        let champValue: number | undefined;
        let how = '';
        if (champ) {
          const same = champ.lineage.testSeasons.join('-') === o.split.test.join('-');
          if (same) {
            champValue = champ.metrics[kind.primaryMetric];
            how =
              champValue === undefined
                ? `the champion has no stored ${kind.primaryMetric}`
                : 'stored metrics on the same test split';
          } else {
            // re-evaluate the champion's model on this test split
            const model = JSON.parse(
              reg.readFile(champ, 'model.json')?.toString('utf8') ?? 'null',
            ) as unknown;
            try {
              const ev = await kind.evaluate(ctx, { model, params: {} }, data, o.split);
              champValue = ev.metrics[kind.primaryMetric];
              how = `champion re-evaluated on test ${o.split.test.join('-')}`;
            } catch (e) {
              // e.g. a champion of an earlier recipe the kind no longer evaluates: it cannot be compared, nor served
              how = `the champion cannot be evaluated on test ${o.split.test.join('-')}: ${(e as Error).message}`;
              log(`promote: ${how}`);
            }
          }
        }
        if (!champ || champValue === undefined || isBetter(kind.direction, cand, champValue)) {
          const reason = !champ
            ? 'first version: no champion yet'
            : champValue === undefined
              ? `replaces champion v${champ.version} (${how})`
              : `${kind.primaryMetric} ${cand} better than champion v${champ.version} (${champValue}; ${how})`;
          reg.setAlias(kind.name, 'champion', rec.version, reason);
          return [true, reason] as const;
        }
        const reason = `${kind.primaryMetric} ${cand} not better than champion v${champ.version} (${champValue}; ${how}); kept as challenger`;
        reg.setAlias(kind.name, 'challenger', rec.version, reason);
        return [false, reason] as const;
      });
      registered = summary(reg.get(kind.name, rec.version)!);
      run.setTags({ registered_version: String(rec.version), promoted: String(promoted) });
      await run.end('FINISHED', log);
      await mirrorRegistration(kind.name, rec.version, run.mlflowRunId, reg, promoted, rec.dir, log);
    } else await run.end('FINISHED', log);
    return {
      kind: kind.name,
      runId: run.runId,
      split: o.split,
      steps,
      validation,
      evaluation,
      registered,
      promoted,
      promotion,
    };
  } catch (e) {
    run.setTags({ error: (e as Error).message.slice(0, 500) });
    await run.end('FAILED', log);
    throw e;
  }
}

async function mirrorRegistration(
  name: string,
  version: number,
  mlflowRunId: string | null,
  reg: Registry,
  promoted: boolean,
  dir: string,
  log: (l: string) => void,
) {
  const client = MlflowClient.fromEnv();
  if (!client || !mlflowRunId) return;
  try {
    const v = await client.registerVersion(
      name,
      mlflowRunId,
      `runs:/${mlflowRunId}/model.json`,
      `pitwall ${name} v${version} (${dir})`,
    );
    reg.setMlflowVersion(name, version, v);
    await client.setAlias(name, promoted ? 'champion' : 'challenger', v);
  } catch (e) {
    log(`mlflow: registration failed: ${(e as Error).message}`);
  }
}
