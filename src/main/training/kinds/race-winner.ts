// Model kind "race-winner": one row per (race, starter); P(win) normalised over each race's starters. The model is
// the weekend-first recipe (models/race-winner/recipe.ts): every choice made on the last training seasons, the
// test seasons never seen. ONNX: the recipe's trees, when it chose any (their margins are added to the linear
// utilities of the boosted member); a linear-only recipe ships model.json alone.
import { DataError } from '../../data/errors.js';
import { GbdtModel, rng } from '../../models/gbdt/index.js';
import { gbdtToOnnx } from '../../models/onnx/export.js';
import {
  DATA_START,
  seasonSlice,
  weekendDataset,
  type WinnerData,
} from '../../models/race-winner/dataset.js';
import {
  poleScores,
  softmaxByRace,
  winnerMetrics,
  winnerUncertainty,
} from '../../models/race-winner/metrics.js';
import {
  fitRecipe,
  isRecipeModel,
  logisticBaselineProbs,
  modelFormat,
  RECIPE_FORMAT,
  recipeChoices,
  recipeProbabilities,
  WEEKEND_GBDT,
  type RecipeModelJSON,
} from '../../models/race-winner/recipe.js';
import type { FeatureImportance } from '../../../shared/domain.js';
import type { ModelKind } from '../kind.js';
import { seasonsWithResults } from '../kind.js';

interface Data {
  /** Every season from DATA_START (or the split's start, if earlier) to the last test season. */
  all: WinnerData;
  train: WinnerData;
  test: WinnerData;
}

const MIN_RACES_PER_SEASON = 5;
/** The recipe's inner validation needs two seasons before its first fold. */
const MIN_TRAIN_SEASONS = 3;

export const kind: ModelKind<Data> = {
  name: 'race-winner',
  summary:
    'Probability of each starter winning a Grand Prix, from this weekend first (qualifying gap, grid, sprint), then ' +
    'the team’s pace this season, the driver, reliability and the circuit.',
  primaryMetric: 'logloss',
  direction: 'min',
  card: {
    intendedUse:
      'Pre-race win probabilities for the drivers of a Grand Prix once qualifying is known, shown in the app beside the ' +
      'replay (the in-race win-probability model takes its lap-0 prior from the same recipe, refitted per season). ' +
      'Not for betting; probabilities are calibrated on past seasons only.',
    data:
      'Ergast results, qualifying and sprint results. One row per (race, starter); the label is the race winner. ' +
      'Weekend features (race_winner_weekend): qualifying gap to pole in % and its log, the ' +
      'team-mate’s gap, grid (linear, log, pole, front row, pit-lane start), the sprint as a correction to qualifying; ' +
      'the team’s qualifying and race pace this season (recency-weighted, last season only as a carry-over), driver vs ' +
      'car, driver race pace, points rates and share, mechanical-DNF and DNF rates, circuit affinity. Every value uses ' +
      'only races that ended before the race starts plus this weekend’s sessions. The model is a conditional logit ' +
      '(softmax over each race’s starters), optionally boosted by a conditional-logit GBDT from its utilities and mixed ' +
      'with it as probabilities, then blended with a share of the pole-sitter prior. Rows of the training seasons only ' +
      'are fitted; inner folds = the last 4 training seasons (fold v fitted on the training seasons before v, pooled ' +
      'logloss) choose the feature set (weekend, or weekend + points history), L2, season decay, boosting rounds (trees ' +
      'adopted only if they beat the linear model by 0.01), the mixture weight and the pole blend. The test seasons are ' +
      'never seen.',
    limitations: [
      'Knows nothing about weather, safety cars, penalties announced after qualifying, or car upgrades before they show in a race.',
      'A regulation change (e.g. 2014, 2022) makes last season’s carry-over misleading for the first races.',
      'Test sets of one or two seasons (~20–46 races) give metrics with wide uncertainty (±1 race ≈ ±2 % top1).',
      'Replaced the earlier recipe (linear + trees on feature-store form features) after time-ordered evaluation. The ' +
        'weekend recipe was developed on rolling 2012–2015 (training from 2006); a few choices followed a look at the ' +
        'rolling 2016–2024 results (README), so that table is not a clean hold-out.',
    ],
  },

  defaultSplit(db) {
    const s = seasonsWithResults(db).filter((y) => y >= 2014);
    const last = s[s.length - 1] ?? 2024;
    return { train: [s[0] ?? 2014, last - 2], test: [last - 1, last] };
  },

  validate(ctx, split) {
    const { db } = ctx;
    const checks = [];
    checks.push({
      name: 'time order',
      ok: split.train[1] < split.test[0],
      detail: `train ${split.train.join('–')} must end before test ${split.test.join('–')} starts`,
    });
    const trainSeasons = split.train[1] - split.train[0] + 1;
    checks.push({
      name: 'training seasons',
      ok: trainSeasons >= MIN_TRAIN_SEASONS,
      detail: `${trainSeasons} training seasons (need ≥ ${MIN_TRAIN_SEASONS}: the inner validation folds need two seasons before them)`,
    });
    const perSeason = db
      .prepare(
        `SELECT r.year, COUNT(DISTINCT r.race_id) AS races,
           COUNT(DISTINCT CASE WHEN x.position_order = 1 THEN r.race_id END) AS with_winner,
           SUM(CASE WHEN x.position_order = 1 THEN 1 ELSE 0 END) AS winners,
           COUNT(x.result_id) AS rows,
           SUM(CASE WHEN q.position IS NULL THEN 1 ELSE 0 END) AS no_quali
         FROM races r JOIN results x ON x.race_id = r.race_id
         LEFT JOIN qualifying q ON q.race_id = x.race_id AND q.driver_id = x.driver_id
         WHERE r.year BETWEEN ? AND ? GROUP BY r.year`,
      )
      .all(split.train[0], split.test[1]) as {
      year: number;
      races: number;
      with_winner: number;
      winners: number;
      rows: number;
      no_quali: number;
    }[];
    const by = new Map(perSeason.map((r) => [r.year, r]));
    for (let y = split.train[0]; y <= split.test[1]; y++) {
      if (y > split.train[1] && y < split.test[0]) continue;
      const r = by.get(y);
      const part = y <= split.train[1] ? 'train' : 'test';
      if (!r || r.races < MIN_RACES_PER_SEASON) {
        checks.push({
          name: `row count ${y}`,
          ok: false,
          detail: `${part} season ${y} has ${r?.races ?? 0} races with results (need ≥ ${MIN_RACES_PER_SEASON})`,
        });
        continue;
      }
      checks.push({
        name: `target ${y}`,
        ok: r.with_winner === r.races && r.winners === r.races,
        detail: `${r.races} races, ${r.with_winner} with a winner, ${r.winners} winner rows (need exactly one winner per race)`,
      });
      const nullRate = r.no_quali / r.rows;
      checks.push({
        name: `qualifying null rate ${y}`,
        ok: nullRate <= 0.2,
        detail: `${(nullRate * 100).toFixed(1)} % of starters without a qualifying position (max 20 %)`,
      });
    }
    return checks;
  },

  features(ctx, split) {
    // the history features need earlier seasons; the recipe fits only the rows of split.train
    const all = weekendDataset(ctx.db, Math.min(DATA_START, split.train[0]), split.test[1]);
    return {
      all,
      train: seasonSlice(all, split.train[0], split.train[1]),
      test: seasonSlice(all, split.test[0], split.test[1]),
    };
  },

  lineage(d, split) {
    return {
      featureViews: d.all.views,
      trainSeasons: split.train,
      testSeasons: split.test,
      trainRows: d.train.rows,
      testRows: d.test.rows,
    };
  },

  train(ctx, d, split) {
    const f = fitRecipe(d.train, split.train, { seed: ctx.seed, log: ctx.log });
    const m = f.model;
    const c = recipeChoices(m);
    return {
      model: m,
      ...(f.gbdt ? { onnx: gbdtToOnnx(f.gbdt, { name: 'race-winner' }) } : {}),
      params: {
        format: m.format,
        feature_set: c.feature_set,
        linear_l2: c.linear_l2,
        season_decay: c.decay,
        gbdt_rounds: f.gbdt ? f.gbdt.trees.length : 0,
        inner_rounds: c.rounds,
        mix_linear: m.mix.linear,
        mix_boosted: m.mix.boosted,
        pole_blend: c.pole,
        inner_folds: c.inner_folds.join(','),
        inner_logloss: m.cv.logloss,
        inner_linear_logloss: m.cv.linearLogloss,
        features: m.features.length,
        linear_columns: m.linear.scaler.features.length,
        ...(f.gbdt
          ? Object.fromEntries(
              Object.entries(WEEKEND_GBDT).map(([k, v]) => [`gbdt_${k}`, v as string | number]),
            )
          : {}),
      },
    };
  },

  evaluate(ctx, trained, d, split) {
    const model = trained.model;
    if (!isRecipeModel(model))
      throw new DataError(
        `race-winner: model format ${modelFormat(model)} is not ${RECIPE_FORMAT} (an earlier recipe); retrain with \`pitwall train race-winner\``,
      );
    const test = d.test;
    const gbdt = model.gbdt ? GbdtModel.fromJSON(model.gbdt) : null;
    const p = recipeProbabilities(model, test, gbdt?.predictRaw(test.x, test.rows));
    const m = winnerMetrics(p, test.won, test.groups);
    const pole = winnerMetrics(softmaxByRace(poleScores(test.qualiPos), test.groups), test.won, test.groups);
    const lr = winnerMetrics(logisticBaselineProbs(d.train, test), test.won, test.groups);
    const importance = permutationImportance(model, gbdt, test, m.logloss, ctx.seed);
    const baselines = { pole_sitter: { ...pole }, logistic_regression: { ...lr } };
    const u = winnerUncertainty(p, test.won, test.groups, ctx.seed);
    const chosen = recipeChoices(model);
    const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
    const span = (r: [number, number], f = pct) => `${f(r[0])}–${f(r[1])}`;
    return {
      metrics: { ...m },
      baselines,
      importance,
      notes: [
        `95 % intervals from resampling the ${m.races} test races: top1 ${span(u.ci95.top1)}, top3 ${span(u.ci95.top3)}, ` +
          `logloss ${span(u.ci95.logloss, (v) => v.toFixed(3))}.`,
        `The model's own expectation before the results (mean favourite probability): top1 ${pct(u.expected.top1)} ` +
          `(90 % range ${span(u.expected.top1_range90)}), top3 ${pct(u.expected.top3)} (${span(u.expected.top3_range90)}).`,
        `Inner folds ${chosen.inner_folds.join(', ')} chose: features ${chosen.feature_set}, L2 ${chosen.linear_l2}, ` +
          `season decay ${chosen.decay}, ` +
          (chosen.rounds
            ? `trees (${chosen.rounds} rounds, linear share ${chosen.w_linear})`
            : 'no trees (linear model only; gain importance is 0)') +
          `, pole-sitter blend ${chosen.pole} (inner logloss ${model.cv.logloss.toFixed(4)}, linear alone ${model.cv.linearLogloss.toFixed(4)}).`,
      ],
      report: {
        model: 'race-winner',
        format: model.format,
        train_seasons: split.train,
        test_seasons: split.test,
        ...m,
        uncertainty: u,
        baselines,
        chosen,
        mix: model.mix,
        cv: model.cv,
      },
    };
  },
};

/** Permutation importance of the served model (test logloss increase when a feature is shuffled within each race)
 *  and the trees' gain (0 without trees). */
function permutationImportance(
  model: RecipeModelJSON,
  gbdt: GbdtModel | null,
  test: WinnerData,
  base: number,
  seed: number,
): FeatureImportance[] {
  const gains = gbdt?.gainImportance() ?? [];
  const r = rng(seed);
  return test.features.map((feature, f) => {
    const x = Float64Array.from(test.x);
    for (const [s, e] of test.groups)
      for (let i = e - 1; i > s; i--) {
        const j = s + Math.floor(r() * (i - s + 1));
        const a = x[i * test.cols + f]!;
        x[i * test.cols + f] = x[j * test.cols + f]!;
        x[j * test.cols + f] = a;
      }
    const p = recipeProbabilities(model, { ...test, x }, gbdt?.predictRaw(x, test.rows));
    const ll = winnerMetrics(p, test.won, test.groups).logloss;
    return { feature, gain: gains[f]?.gain ?? 0, permutation: +(ll - base).toFixed(4) };
  });
}
