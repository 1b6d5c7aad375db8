// Model kind "win-probability": in-race P(win) / P(podium) / P(points) after every lap, from the race state and the
// pre-race probability (each season's prior from the weekend recipe trained on the seasons before it). Trained on the
// laps of split.train, judged on split.test at 25/50/75/90 % of race distance against the pre-race model and the
// running-order conditional logit.
import { dirname, join } from 'node:path';
import { loglossPassOdds } from '../../models/race-winner/pass-odds.js';
import { rollingEvaluate, type RollingReport } from '../../models/race-winner/rolling.js';
import { CHECKPOINTS, binaryLogloss, checkpointGroups, groupMetrics } from '../../models/win-probability/evaluate.js';
import { fitHedgedWinProb, fitWinProb, ORDER_FEATURES, predictWinProb, type WinProbModelJSON } from '../../models/win-probability/model.js';
import { raceStates, type Priors, type StateRows } from '../../models/win-probability/state.js';
import type { RecipeModelJSON } from '../../models/race-winner/recipe.js';
import { WEEKEND_SET_VERSION } from '../../models/race-winner/weekend.js';
import type { ModelKind } from '../kind.js';

interface Data {
  /** The pre-race rolling-origin table (every season out of sample), for the model card. */
  rolling: RollingReport;
  train: StateRows;
  test: StateRows;
  /** The pre-race model trained on the seasons before the test range: served with the in-race model. */
  prerace: RecipeModelJSON | null;
}

/** First season with per-lap tyre data. */
const FIRST_LAP_SEASON = 2018;

/** Pre-race probabilities of every race in [from, to], each season out of sample (rolling origin, cached). */
export function rollingPriors(
  db: Parameters<typeof rollingEvaluate>[0],
  dbFile: string,
  from: number,
  to: number,
  log?: (l: string) => void,
  needModel?: number,
): { priors: Priors; model: RecipeModelJSON | null; report: RollingReport } {
  const r = rollingEvaluate(db, from, to, {
    cacheDir: join(dirname(dbFile), 'cache', 'models'),
    log,
    ...(needModel !== undefined ? { needModels: [needModel] } : {}),
  });
  const out: Priors = new Map();
  r.predictions.data.entries.forEach((e, i) => {
    let m = out.get(e.race);
    if (!m) out.set(e.race, (m = new Map()));
    m.set(e.driver, r.predictions.p[i]!);
  });
  return { priors: out, model: needModel !== undefined ? (r.models.get(needModel) ?? null) : null, report: { seasons: r.seasons, pooled: r.pooled, pass_odds: r.pass_odds } };
}

/** First test season of the pre-race rolling table in the model card. */
const ROLLING_FROM = 2016;

/** The rolling-origin table as Markdown (a card note). */
export function rollingTable(r: RollingReport): string {
  const row = (name: string, m: RollingReport['pooled'] | RollingReport['seasons'][number]) => {
    const b = m.baselines;
    return `| ${name} | ${m.races} | ${m.top1.toFixed(3)} | ${b.pole_sitter.top1.toFixed(3)} | ${m.top3.toFixed(3)} | ${m.logloss.toFixed(3)} | ${b.logistic_regression.logloss.toFixed(3)} | ${m.ece.toFixed(3)} |`;
  };
  return [
    'Pre-race model (the prior), rolling origin — each season trained on every season before it:',
    '',
    '| season | races | top1 | pole-sitter top1 | top3 | logloss | logistic regression logloss | ECE |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...r.seasons.map((s) => row(String(s.season), s)),
    row('pooled', r.pooled),
    '',
    `If its probabilities were exactly right (winners drawn from them, ${r.pass_odds.draws} draws), the table would show pooled top1 ≥ the ` +
      `pole-sitter's + 0.03 in ${r.pass_odds.pooled_margin} of draws, no season more than two races below it in ${r.pass_odds.every_season}, both in ${r.pass_odds.both}.`,
  ].join('\n');
}

const r4 = (v: number) => Math.round(v * 10_000) / 10_000;

export const kind: ModelKind<Data> = {
  name: 'win-probability',
  summary: 'In-race P(win), P(podium), P(points) for every driver after every lap, from the race state and the pre-race prior.',
  primaryMetric: 'logloss',
  direction: 'min',
  card: {
    intendedUse:
      'Live and replay win probability: the chart over laps and the tower’s P(win)/P(podium). Not for betting.',
    data:
      'FastF1 race laps 2018 onward (bundled): order and gaps at each line, tyres, stops, laps remaining, SC/VSC; ' +
      'labels from the Ergast classification. The pre-race prior of each season comes from the race-winner recipe ' +
      'trained on the seasons before it. One conditional logit per tenth of the race distance (softmax over the cars ' +
      'running; the terms beyond the running order carry a penalty of their own, chosen on the last training seasons), ' +
      'binary logits for podium and points.',
    limitations: [
      'Knows nothing of damage, penalties still to be served or weather coming; a red flag looks like an SC lap.',
      'Stops still needed are inferred from the two-compound rule only (dry races).',
      'Judged on one test season (~20 races): per-checkpoint metrics carry wide uncertainty.',
    ],
  },

  defaultSplit() {
    return { train: [FIRST_LAP_SEASON, 2023], test: [2024, 2024] };
  },

  validate(ctx, split) {
    const checks = [
      { name: 'time order', ok: split.train[1] < split.test[0], detail: `train ${split.train.join('–')} must end before test ${split.test.join('–')}` },
      { name: 'lap data', ok: split.train[0] >= FIRST_LAP_SEASON, detail: `training starts at ${split.train[0]} (laps with tyres from ${FIRST_LAP_SEASON})` },
    ];
    for (const [part, [a, b]] of [['train', split.train], ['test', split.test]] as const) {
      const n = (ctx.db.prepare(`SELECT COUNT(DISTINCT season || '-' || round) AS n FROM laps WHERE session = 'race' AND season BETWEEN ? AND ?`).get(a, b) as { n: number }).n;
      checks.push({ name: `${part} races with laps`, ok: n >= 5, detail: `${n} races with lap data in ${a}–${b} (need ≥ 5)` });
    }
    return checks;
  },

  features(ctx, split) {
    // the pre-race table from ROLLING_FROM (the priors of the in-race seasons are part of it)
    const { priors, model, report } = rollingPriors(ctx.db, ctx.dbFile, Math.min(ROLLING_FROM, split.train[0]), split.test[1], ctx.log, split.test[0]);
    ctx.log('win-probability: race states');
    return {
      rolling: report,
      prerace: model,
      train: raceStates(ctx.db, split.train[0], split.train[1], priors),
      test: raceStates(ctx.db, split.test[0], split.test[1], priors),
    };
  },

  lineage(d, split) {
    return {
      featureViews: [{ name: 'race_state', version: 2 }, { name: 'race_winner_weekend', version: WEEKEND_SET_VERSION }],
      trainSeasons: split.train,
      testSeasons: split.test,
      trainRows: d.train.rows,
      testRows: d.test.rows,
    };
  },

  train(ctx, d, split) {
    const model = { ...fitHedgedWinProb(d.train, split.train, ctx.log), prerace: d.prerace };
    return { model, params: { stages: model.stages.length, features: model.features.length, l2: 1, extra_l2: model.extraL2 ?? 1, order_share: model.stages.map((s) => s.alpha ?? 0).join(',') } };
  },

  evaluate(ctx, trained, d, split) {
    const model = trained.model as WinProbModelJSON;
    const order = fitWinProb(d.train, split.train, ORDER_FEATURES);
    const p = predictWinProb(model, d.test);
    const po = predictWinProb(order, d.test).win;
    const checkpoints = CHECKPOINTS.map((fraction) => {
      const gs = checkpointGroups(d.test, fraction);
      const m = groupMetrics(d.test, gs, p.win);
      const pre = groupMetrics(d.test, gs, d.test.prior);
      const ord = groupMetrics(d.test, gs, po);
      const pick = (x: typeof m) => ({ races: x.races, top1: x.top1, logloss: x.logloss, brier: x.brier, ece: x.ece });
      return {
        fraction,
        ...pick(m),
        podium_logloss: binaryLogloss(d.test, gs, p.podium, d.test.podium),
        points_logloss: binaryLogloss(d.test, gs, p.points, d.test.points),
        baselines: { pre_race: pick(pre), running_order: pick(ord) },
      };
    });
    const sets = CHECKPOINTS.map((f) => checkpointGroups(d.test, f));
    const allGroups = sets.flat();
    // how often a model whose probabilities were exactly right would beat both baselines at each checkpoint
    const odds = loglossPassOdds(p.win, [d.test.prior, po], sets.map((gs) => gs.map((g) => d.test.groups[g]!)));
    const pooled = groupMetrics(d.test, allGroups, p.win);
    const report = {
      model: 'win-probability',
      train_seasons: split.train,
      test_seasons: split.test,
      checkpoints,
      logloss: pooled.logloss,
      brier: pooled.brier,
      ece: pooled.ece,
      pass_odds: { draws: odds.draws, checkpoints: CHECKPOINTS.map((fraction, j) => ({ fraction, below_both: odds.each[j]! })), every_checkpoint: odds.all },
      pre_race_rolling: d.rolling,
    };
    const base = (k: 'pre_race' | 'running_order') =>
      ({ logloss: r4(checkpoints.reduce((a, c) => a + c.baselines[k].logloss, 0) / checkpoints.length) });
    return {
      metrics: { logloss: pooled.logloss, brier: pooled.brier, ece: pooled.ece },
      baselines: { pre_race: base('pre_race'), running_order: base('running_order') },
      report,
      notes: [
        ...checkpoints.map(
          (c) => `${Math.round(c.fraction * 100)} %: logloss ${c.logloss} (pre-race ${c.baselines.pre_race.logloss}, running order ${c.baselines.running_order.logloss}), Brier ${c.brier}, ECE ${c.ece}`,
        ),
        `If its probabilities were exactly right, the model would beat both baselines at ${CHECKPOINTS.map((f, j) => `${Math.round(f * 100)} %: ${odds.each[j]}`).join(', ')} of ${odds.draws} draws of the winners; at every checkpoint at once: ${odds.all}.`,
        `\n${rollingTable(d.rolling)}\n`,
      ],
    };
  },
};
