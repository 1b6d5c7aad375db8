// The rolling-origin protocol on the real data: each test season is fitted on the seasons before it only, and every
// race's probabilities sum to one. The fitter here is a cheap spy (a small conditional logit) that records what it saw.
import { describe, expect, it } from 'vitest';
import { dbCopy, sharedDb } from '../../../../tests/helpers/db.js';
import { fitConditionalLogit } from '../logistic.js';
import { weekendDataset, type WinnerData } from './dataset.js';
import { columns, fitRecipe, RECIPE_FORMAT, recipeProbabilities, type FittedRecipe } from './recipe.js';
import { poleScores, softmaxByRace } from './metrics.js';
import { dataStamp, rollingEvaluate, rollingPassOdds } from './rolling.js';

const COLS = ['quali_gap_pct', 'log_grid', 'team_race_pace'];

function spyFit(seen: { range: [number, number]; seasons: number[] }[]) {
  return (train: WinnerData, range: [number, number]): FittedRecipe => {
    seen.push({ range, seasons: [...new Set(train.seasons)].sort((a, b) => a - b) });
    const linear = fitConditionalLogit(columns(train, COLS), train.rows, train.won, train.raceIds, COLS, 1);
    return {
      gbdt: null,
      model: {
        format: RECIPE_FORMAT,
        features: train.features,
        linear,
        gbdt: null,
        mix: { linear: 1, boosted: 0 },
        pole: 0,
        trainSeasons: range,
        cv: { folds: [], linearL2: 1, decay: 1, featureSet: 0, rounds: 0, logloss: NaN, linearLogloss: NaN },
      },
    };
  };
}

function sumsPerRace(p: ArrayLike<number>, d: WinnerData): number[] {
  return d.groups.map(([s, e]) => Array.from({ length: e - s }, (_, k) => p[s + k]!).reduce((a, b) => a + b, 0));
}

describe('race-winner rolling origin', () => {
  const db = sharedDb();

  it('fits each test season on earlier seasons only, and each race sums to one', () => {
    const seen: { range: [number, number]; seasons: number[] }[] = [];
    const r = rollingEvaluate(db, 2021, 2023, { start: 2016, fit: spyFit(seen) });
    expect(r.seasons.map((s) => s.season)).toEqual([2021, 2022, 2023]);
    expect(seen).toHaveLength(3);
    seen.forEach((s, k) => {
      const test = 2021 + k;
      // the leakage check: no row of the test season (or later) reaches the fitter, and the season before it does
      expect(Math.max(...s.seasons)).toBe(test - 1);
      expect(s.seasons[0]).toBe(2016);
      expect(s.range).toEqual([2016, test - 1]);
    });
    for (const x of sumsPerRace(r.predictions.p, r.predictions.data)) expect(x).toBeCloseTo(1, 9);
    expect(r.pooled.races).toBe(r.seasons.reduce((a, s) => a + s.races, 0));
    // the pole baseline is the pole-sitter's share of wins (no ties in qualifying)
    expect(r.pooled.baselines.pole_sitter.top1).toBeGreaterThan(0.3);
    // the bar's odds under the model's own probabilities: one entry per season, "both" no likelier than either rule
    const odds = rollingPassOdds(r.predictions);
    expect(r.pass_odds).toEqual(odds);
    expect(Object.keys(odds.season_fails)).toEqual(['2021', '2022', '2023']);
    expect(odds.both).toBeLessThanOrEqual(Math.min(odds.pooled_margin, odds.every_season));
    expect(odds.pooled_margin).toBeGreaterThan(0);
    // the pole-sitter's own probabilities as the model: its favourite is the pole-sitter, so it can never lead by 0.03
    const d = r.predictions.data;
    const asPole = rollingPassOdds({ data: d, p: softmaxByRace(poleScores(d.qualiPos), d.groups) });
    expect([asPole.pooled_margin, asPole.every_season]).toEqual([0, 1]);
  });

  it('the recipe chooses inside the training range and gives per-race probabilities that sum to one', () => {
    const d = weekendDataset(db, 2015, 2020);
    const f = fitRecipe(d, [2015, 2019], { rounds: [0, 10], folds: 2 });
    expect(f.model.cv.folds).toEqual([2018, 2019]);
    const p = recipeProbabilities(f.model, d);
    for (const x of sumsPerRace(p, d)) expect(x).toBeCloseTo(1, 9);
  });
});

describe('rolling cache stamp (a copy of the real data)', () => {
  it('changes with any value the weekend features read — a status text, points, a qualifying time — and not with laps', () => {
    const { db } = dbCopy();
    const s0 = dataStamp(db);
    expect(dataStamp(db)).toBe(s0);
    db.exec(`DELETE FROM laps WHERE season = 2018 AND round = 1`);
    expect(dataStamp(db)).toBe(s0);
    db.exec(`UPDATE status SET status = 'Lapped' WHERE status = '+1 Lap'`);
    const s1 = dataStamp(db);
    expect(s1).not.toBe(s0);
    db.exec(`UPDATE results SET points = points + 1 WHERE result_id = (SELECT MAX(result_id) FROM results)`);
    const s2 = dataStamp(db);
    expect(s2).not.toBe(s1);
    db.exec(`UPDATE qualifying SET best_ms = best_ms + 1 WHERE qualify_id = (SELECT MAX(qualify_id) FROM qualifying)`);
    expect(dataStamp(db)).not.toBe(s2);
  });
});
