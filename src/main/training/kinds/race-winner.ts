// Model kind "race-winner": one row per (race, starter); P(win) normalised over each race's starters.
import { GbdtModel, rng } from '../../models/gbdt/index.js';
import { gbdtToOnnx } from '../../models/onnx/export.js';
import { buildDataset, seasonSlice, type WinnerData } from '../../models/race-winner/dataset.js';
import { poleScores, softmaxByRace, winnerMetrics, winnerUncertainty } from '../../models/race-winner/metrics.js';
import {
  GBDT_PARAMS,
  logisticBaseline,
  predictWinnerProbs,
  trainWinner,
  type WinnerModelJSON,
} from '../../models/race-winner/model.js';
import type { FeatureImportance } from '../../../shared/domain.js';
import type { ModelKind } from '../kind.js';
import { seasonsWithResults } from '../kind.js';

interface Data {
  all: WinnerData;
  train: WinnerData;
  test: WinnerData;
}

const MIN_RACES_PER_SEASON = 5;

export const kind: ModelKind<Data> = {
  name: 'race-winner',
  summary:
    'Probability of each starter winning a Grand Prix, from pre-race features (qualifying, grid, form, standings).',
  primaryMetric: 'logloss',
  direction: 'min',
  card: {
    intendedUse:
      'Pre-race win probabilities for the drivers of a Grand Prix once qualifying is known, shown in the app beside the ' +
      'replay and used as a prior by the strategy tools. Not for betting; probabilities are calibrated on past seasons only.',
    data:
      'Ergast results, qualifying and standings (2000 onward for driver/team history). One row per (race, starter); the ' +
      'label is the race winner. Every feature uses only races that ended before the race starts plus this weekend’s ' +
      'qualifying and grid. Rolling-origin CV by season inside the training range chooses the L2 strength, boosting ' +
      'rounds and the probability-mixture weight of the linear and boosted members; the recipe itself was chosen by ' +
      'nested rolling-origin validation inside 2014–2022 (mean logloss on 2017–18, 2019–20, 2021–22), never on a test split.',
    limitations: [
      'Knows nothing about weather, safety cars, penalties announced after qualifying, or car upgrades.',
      'A regulation change (e.g. 2014, 2022) makes the form features briefly misleading.',
      'Sprint weekends are treated like any other race; sprint results enter only through the standings.',
      'Test sets of one or two seasons (~20–46 races) give metrics with wide uncertainty (±1 race ≈ ±2 % top1).',
      'Recipe chosen by nested rolling-origin validation (2017–18, 2019–20, 2021–22): probability mixture 1.381 mean ' +
        'logloss vs 1.455 for the earlier product-of-experts with a fixed pole logit; candidates within ±0.01 of each ' +
        'other are indistinguishable on 123 validation races.',
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
    const all = buildDataset(ctx.db, split.train[0], split.test[1]);
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
    const t = trainWinner(d.all, split.train, ctx.seed);
    return {
      model: t.model,
      onnx: gbdtToOnnx(t.gbdt, { name: 'race-winner' }),
      params: {
        ...Object.fromEntries(
          Object.entries(GBDT_PARAMS).map(([k, v]) => [`gbdt_${k}`, v as string | number]),
        ),
        gbdt_rounds: t.model.cv.rounds,
        linear_l2: t.model.cv.linearL2,
        mix_linear: t.model.mix?.linear ?? 0,
        mix_boosted: t.model.mix?.boosted ?? 0,
        cv_folds: t.model.cv.folds.map((f) => f.season).join(','),
        cv_logloss: t.model.cv.logloss,
        features: t.model.features.length,
      },
      curves: t.curves,
    };
  },

  evaluate(ctx, trained, d, split) {
    const model = trained.model as WinnerModelJSON;
    const gbdt = GbdtModel.fromJSON(model.gbdt);
    const test = d.test;
    const p = predictWinnerProbs(model, gbdt, test);
    const m = winnerMetrics(p, test.won, test.groups);
    const pole = winnerMetrics(softmaxByRace(poleScores(test.qualiPos), test.groups), test.won, test.groups);
    const lr = winnerMetrics(logisticBaseline(d.train, test).p, test.won, test.groups);
    const importance = permutationImportance(model, gbdt, test, m.logloss, ctx.seed);
    const baselines = { pole_sitter: { ...pole }, logistic_regression: { ...lr } };
    const u = winnerUncertainty(p, test.won, test.groups, ctx.seed);
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
      ],
      report: {
        model: 'race-winner',
        train_seasons: split.train,
        test_seasons: split.test,
        ...m,
        uncertainty: u,
        baselines,
        mix: model.mix,
        cv: model.cv,
      },
    };
  },
};

/** Gain (GBDT) and permutation importance: test logloss increase when a feature is shuffled within each race. */
function permutationImportance(
  model: WinnerModelJSON,
  gbdt: GbdtModel,
  test: WinnerData,
  base: number,
  seed: number,
): FeatureImportance[] {
  const gains = gbdt.gainImportance();
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
    const p = predictWinnerProbs(model, gbdt, { ...test, x });
    const ll = winnerMetrics(p, test.won, test.groups).logloss;
    return { feature, gain: gains[f]?.gain ?? 0, permutation: +(ll - base).toFixed(4) };
  });
}
