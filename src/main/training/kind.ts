// A trainable model kind, and discovery of kinds from the files in ./kinds/.
//
// To add a kind, create `src/main/training/kinds/<name>.ts` exporting `kind: ModelKind<YourData>`; it is found at run
// time (no registry to edit). `pitwall train <name>` then runs the whole pipeline (pipeline.ts):
//   validate(split) → features(split) → train(data) → evaluate(trained, data) → register → promote if better,
// each step timed and tracked; `pitwall evaluate <name>` runs validate → features → train → evaluate and prints
// `evaluation.report`. A kind only supplies the steps; tracking, the registry, model cards and promotion are shared.
//   - validate: return checks; any `ok: false` stops the run before training, with the checks as the reason.
//   - features: build the dataset for the split (train rows from split.train seasons, test rows from split.test).
//     Choose hyper-parameters / early stopping on a validation season INSIDE split.train, never on split.test.
//   - train: fit on the dataset's train part; return the serialisable model (+ optional ONNX bytes).
//   - evaluate: metrics on the test part; `metrics[primaryMetric]` decides promotion (direction min|max).
import type { FeatureImportance } from '../../shared/domain.js';
import type { Db } from '../data/db.js';

export type SeasonRange = [number, number];
export interface Split {
  train: SeasonRange;
  test: SeasonRange;
}

export interface StepContext {
  db: Db;
  dbFile: string;
  seed: number;
  log(line: string): void;
}

export interface ValidationCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Trained {
  /** JSON-serialisable model: stored as model.json, given back to evaluate/serving. */
  model: unknown;
  /** Optional ONNX export of the model, stored as model.onnx. */
  onnx?: Uint8Array;
  params: Record<string, string | number | boolean>;
  /** Training curves (e.g. validation loss per boosting round) logged as metrics with steps. */
  curves?: { key: string; step: number; value: number }[];
}

export interface Evaluation {
  /** Test-split metrics; must contain the kind's primaryMetric. */
  metrics: Record<string, number>;
  /** Baselines on the same split, by name (e.g. pole_sitter: {top1, top3, logloss}). */
  baselines: Record<string, Record<string, number>>;
  /** What `pitwall evaluate <kind> --json` prints. */
  report: Record<string, unknown>;
  importance?: FeatureImportance[];
  /** Lines shown under the metrics table of the model card (e.g. how uncertain the test metrics are). */
  notes?: string[];
}

export type { Lineage } from '../registry/registry.js';
import type { Lineage } from '../registry/registry.js';

export interface ModelCardText {
  intendedUse: string;
  data: string;
  limitations: string[];
}

export interface ModelKind<D = unknown> {
  /** Registered model name and CLI positional, e.g. 'race-winner'. */
  name: string;
  summary: string;
  primaryMetric: string;
  direction: 'min' | 'max';
  card: ModelCardText;
  /** Default split from the seasons in the database (e.g. test = the last two seasons). */
  defaultSplit(db: Db): Split;
  validate(ctx: StepContext, split: Split): ValidationCheck[] | Promise<ValidationCheck[]>;
  features(ctx: StepContext, split: Split): D | Promise<D>;
  lineage(data: D, split: Split): Lineage;
  train(ctx: StepContext, data: D, split: Split): Trained | Promise<Trained>;
  evaluate(ctx: StepContext, trained: Trained, data: D, split: Split): Evaluation | Promise<Evaluation>;
}

/** Seasons present in the database with results, ascending. */
export function seasonsWithResults(db: Db): number[] {
  return (
    db
      .prepare('SELECT DISTINCT r.year AS y FROM races r JOIN results x ON x.race_id = r.race_id ORDER BY 1')
      .all() as { y: number }[]
  ).map((r) => r.y);
}
