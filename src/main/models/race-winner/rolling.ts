// Rolling-origin evaluation by season: for each test season S, fit on every season from DATA_START to S−1 (all
// choices inside that range: recipe.ts), predict S, and score it with the pole-sitter and logistic baselines.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../data/db.js';
import { DATA_START, seasonSlice, weekendDataset, type WinnerData } from './dataset.js';
import { groupsOf, poleScores, softmaxByRace, winnerMetrics, type WinnerMetrics } from './metrics.js';
import { top1PassOdds, type Top1Odds } from './pass-odds.js';
import {
  fitRecipe,
  logisticBaselineProbs,
  RECIPE_VERSION,
  recipeChoices,
  recipeProbabilities,
  type FittedRecipe,
  type RecipeChoices,
  type RecipeModelJSON,
} from './recipe.js';
import { WEEKEND_SET_VERSION } from './weekend.js';

type Scores = Omit<WinnerMetrics, 'races'>;
export interface RollingSeason extends WinnerMetrics {
  season: number;
  train_seasons: [number, number];
  chosen: RecipeChoices;
  baselines: { pole_sitter: Scores; logistic_regression: Scores };
}
export interface RollingReport {
  seasons: RollingSeason[];
  pooled: WinnerMetrics & { baselines: { pole_sitter: WinnerMetrics; logistic_regression: WinnerMetrics } };
  /** How often a model whose probabilities were exactly right would pass ROLLING_TOP1_BAR on these races. */
  pass_odds: Top1Odds;
}

export interface RollingOptions {
  seed?: number;
  /** First training season (default DATA_START). */
  start?: number;
  log?: (line: string) => void;
  /** The fitter (default: the recipe); tests pass a spy to prove what each season trains on. */
  fit?: (train: WinnerData, range: [number, number], seed: number) => FittedRecipe;
  /** Seasons whose fitted model must come back (a cached season without it is fitted again). */
  needModels?: number[];
  /** Folder for per-season results (keyed by the data, the recipe version, start and seed); none = no cache. */
  cacheDir?: string;
}

interface SeasonResult {
  record: RollingSeason;
  p: number[];
  lr: number[];
  /** The model fitted for this season (on the seasons before it). */
  model?: RecipeModelJSON;
}

/** A stamp of every value the weekend features read (results with their status text, qualifying, sprint, race
 *  times and circuits): a cached season is reused only while the data it saw is unchanged. */
export function dataStamp(db: Db): string {
  const h = createHash('sha1');
  const feed = (sql: string) => {
    for (const row of db.prepare(sql).raw().iterate() as Iterable<unknown[]>) h.update(JSON.stringify(row));
    h.update('|');
  };
  feed(`SELECT r.race_id, r.year, r.round, r.start_utc, r.circuit_id, x.driver_id, x.constructor_id, x.grid,
      x.position, x.position_order, x.points, x.laps, x.milliseconds, s.status
    FROM results x JOIN races r ON r.race_id = x.race_id LEFT JOIN status s ON s.status_id = x.status_id
    ORDER BY x.race_id, x.position_order, x.driver_id`);
  feed('SELECT race_id, driver_id, constructor_id, position, best_ms FROM qualifying ORDER BY race_id, driver_id');
  feed('SELECT race_id, driver_id, grid, position_order, milliseconds, laps FROM sprint_results ORDER BY race_id, driver_id');
  return h.digest('hex').slice(0, 12);
}

const strip = ({ races: _r, ...m }: WinnerMetrics): Scores => m;

/** Rolling-origin evaluation over test seasons [from, to]; also returns the pooled out-of-sample probabilities. */
export function rollingEvaluate(
  db: Db,
  from: number,
  to: number,
  opts: RollingOptions = {},
): RollingReport & { predictions: { data: WinnerData; p: Float64Array }; models: Map<number, RecipeModelJSON> } {
  const seed = opts.seed ?? 1;
  const fit = opts.fit ?? ((d, r, s) => fitRecipe(d, r, { seed: s, log: opts.log }));
  const start = opts.start ?? Math.min(DATA_START, from - 3);
  const all = weekendDataset(db, start, to);
  const stamp = opts.cacheDir && !opts.fit ? dataStamp(db) : null;
  const seasons: RollingSeason[] = [];
  const models = new Map<number, RecipeModelJSON>();
  const pooled = { won: [] as number[], race: [] as number[], p: [] as number[], pole: [] as number[], lr: [] as number[], rows: [] as number[] };
  for (let s = from; s <= to; s++) {
    const test = seasonSlice(all, s, s);
    if (!test.groups.length) continue;
    opts.log?.(`race-winner rolling: season ${s} (${s - from + 1}/${to - from + 1}), training ${start}–${s - 1}`);
    const file = stamp ? join(opts.cacheDir!, `race-winner-rolling-r${RECIPE_VERSION}-w${WEEKEND_SET_VERSION}-${s}-from${start}-seed${seed}-${stamp}.json`) : null;
    let res: SeasonResult | null = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SeasonResult) : null;
    if (res && (res.p.length !== test.rows || (!res.model && opts.needModels?.includes(s)))) res = null;
    if (!res) {
      // the fitter sees ONLY the rows of the training seasons
      const train = seasonSlice(all, start, s - 1);
      const f = fit(train, [start, s - 1], seed);
      const p = recipeProbabilities(f.model, test);
      const pole = softmaxByRace(poleScores(test.qualiPos), test.groups);
      const lr = logisticBaselineProbs(train, test);
      const m = winnerMetrics(p, test.won, test.groups);
      res = {
        model: f.model,
        p: Array.from(p),
        lr: Array.from(lr),
        record: {
          season: s,
          ...m,
          train_seasons: [start, s - 1],
          chosen: recipeChoices(f.model),
          baselines: { pole_sitter: strip(winnerMetrics(pole, test.won, test.groups)), logistic_regression: strip(winnerMetrics(lr, test.won, test.groups)) },
        },
      };
      if (file) {
        mkdirSync(opts.cacheDir!, { recursive: true });
        writeFileSync(file, JSON.stringify(res));
      }
    } else opts.log?.(`  ${s}: from the cache`);
    const { p, lr } = res;
    const pole = softmaxByRace(poleScores(test.qualiPos), test.groups);
    seasons.push(res.record);
    if (res.model) models.set(s, res.model);
    for (let i = 0; i < test.rows; i++) {
      pooled.won.push(test.won[i]!);
      pooled.race.push(test.raceIds[i]!);
      pooled.p.push(p[i]!);
      pooled.pole.push(pole[i]!);
      pooled.lr.push(lr[i]!);
    }
    const last = seasons[seasons.length - 1]!;
    opts.log?.(`  ${s}: ${last.races} races, top1 ${last.top1} (pole ${last.baselines.pole_sitter.top1}), logloss ${last.logloss} (LR ${last.baselines.logistic_regression.logloss})`);
  }
  const groups = groupsOf(pooled.race);
  const testAll = seasonSlice(all, from, to);
  const predictions = { data: testAll, p: Float64Array.from(pooled.p) };
  return {
    seasons,
    pooled: {
      ...winnerMetrics(pooled.p, pooled.won, groups),
      baselines: { pole_sitter: winnerMetrics(pooled.pole, pooled.won, groups), logistic_regression: winnerMetrics(pooled.lr, pooled.won, groups) },
    },
    pass_odds: rollingPassOdds(predictions, seed),
    predictions,
    models,
  };
}

/** The bar for the rolling table: pooled top1 ≥ the pole-sitter's + 0.03, no season more than two races below. */
export const ROLLING_TOP1_BAR = { margin: 0.03, seasonDeficit: 2 };

/** How often the rolling table would pass ROLLING_TOP1_BAR if the model's own probabilities were exactly right. */
export function rollingPassOdds(pred: { data: WinnerData; p: Float64Array }, seed = 1): Top1Odds {
  const { data, p } = pred;
  const pole = softmaxByRace(poleScores(data.qualiPos), data.groups);
  return top1PassOdds(p, pole, data.groups, data.groups.map(([s]) => data.seasons[s]!), ROLLING_TOP1_BAR, seed);
}
