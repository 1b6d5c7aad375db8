// Race-winner training benchmark (used by bench/train.mjs): weekend-feature dataset and recipe fit on the default split.
import { performance } from 'node:perf_hooks';
import type { Db } from '../data/db.js';
import { DATA_START, weekendDataset } from '../models/race-winner/dataset.js';
import { fitRecipe } from '../models/race-winner/recipe.js';
import { kind } from './kinds/race-winner.js';

export function runRaceWinnerBench(db: Db): Record<string, unknown> {
  const split = kind.defaultSplit(db);
  const t0 = performance.now();
  const data = weekendDataset(db, Math.min(DATA_START, split.train[0]), split.test[1]);
  const t1 = performance.now();
  const f = fitRecipe(data, split.train, { seed: 1 });
  const t2 = performance.now();
  return {
    train_seasons: split.train,
    test_seasons: split.test,
    rows: data.rows,
    features: data.cols,
    features_s: +((t1 - t0) / 1000).toFixed(2),
    train_s: +((t2 - t1) / 1000).toFixed(2),
    total_s: +((t2 - t0) / 1000).toFixed(2),
    inner_folds: f.model.cv.folds.length,
    gbdt_rounds: f.gbdt ? f.gbdt.trees.length : 0,
  };
}
