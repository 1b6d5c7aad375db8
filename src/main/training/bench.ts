// Race-winner training benchmark (used by bench/train.mjs): dataset build and model training on the default split.
import { performance } from 'node:perf_hooks';
import type { Db } from '../data/db.js';
import { buildDataset } from '../models/race-winner/dataset.js';
import { trainWinner } from '../models/race-winner/model.js';
import { kind } from './kinds/race-winner.js';

export function runRaceWinnerBench(db: Db): Record<string, unknown> {
  const split = kind.defaultSplit(db);
  const t0 = performance.now();
  const data = buildDataset(db, split.train[0], split.test[1]);
  const t1 = performance.now();
  const t = trainWinner(data, split.train, 1);
  const t2 = performance.now();
  return {
    train_seasons: split.train,
    test_seasons: split.test,
    rows: data.rows,
    features: data.cols,
    features_s: +((t1 - t0) / 1000).toFixed(2),
    train_s: +((t2 - t1) / 1000).toFixed(2),
    total_s: +((t2 - t0) / 1000).toFixed(2),
    cv_folds: t.model.cv.folds.length,
    gbdt_rounds: t.model.cv.rounds,
  };
}
