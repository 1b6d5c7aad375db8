// The race-winner recipe on the real data: what it fits on, what it serves (probabilities per race, tree margins
// from TS or ONNX, the pole-sitter blend), and the derived linear columns.
import { describe, expect, it } from 'vitest';
import { sharedDb } from '../../../../tests/helpers/db.js';
import { gbdtToOnnx } from '../onnx/export.js';
import { loadOnnx } from '../onnx/serve.js';
import { DATA_START, seasonSlice, weekendDataset, type WinnerData } from './dataset.js';
import { poleScores, softmaxByRace, winnerMetrics } from './metrics.js';
import { columns, fitRecipe, innerFolds, isRecipeModel, RECIPE_FORMAT, recipeChoices, recipeProbabilities } from './recipe.js';

function sumsPerRace(p: ArrayLike<number>, d: WinnerData): number[] {
  return d.groups.map(([s, e]) => Array.from({ length: e - s }, (_, k) => p[s + k]!).reduce((a, b) => a + b, 0));
}

describe('race-winner recipe: derived columns and inner folds', () => {
  it('derives log and indicator columns; a missing grid is NaN in log(grid) and 0 in the indicators', () => {
    const d = { features: ['grid', 'x'], rows: 3, cols: 2, x: Float64Array.from([1, 0, 4, 0, NaN, 0]) };
    const c = columns(d, ['log(grid)', 'grid=1', 'grid=4', 'x']);
    expect(c[0]).toBeCloseTo(0, 9);
    expect(c[4]).toBeCloseTo(Math.log(4), 9);
    expect(Array.from(c.subarray(8, 12)).map((v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual(['NaN', 0, 0, 0]);
    expect([c[1], c[2], c[5], c[6]]).toEqual([1, 0, 0, 1]);
    expect(() => columns(d, ['log(nope)'])).toThrow(/"nope" missing/);
  });

  it('validates on the last four training seasons that have two seasons before them', () => {
    expect(innerFolds([2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022])).toEqual([2019, 2020, 2021, 2022]);
    expect(innerFolds([2016, 2017, 2018, 2019])).toEqual([2018, 2019]);
    expect(innerFolds([2016, 2017, 2018])).toEqual([2018]);
  });
});

describe('race-winner recipe (real data, train 2016–2019, test 2020)', () => {
  const db = sharedDb();
  const all = weekendDataset(db, DATA_START, 2020);
  const f = fitRecipe(all, [2016, 2019], { seed: 1 });
  const test = seasonSlice(all, 2020, 2020);

  it('fits the training seasons only: rows before or after them change nothing', () => {
    expect(all.seasons[0]).toBe(DATA_START);
    const only = fitRecipe(seasonSlice(all, 2016, 2019), [2016, 2019], { seed: 1 });
    expect(only.model).toEqual(f.model);
    expect(f.model.trainSeasons).toEqual([2016, 2019]);
    expect(f.model.cv.folds).toEqual([2018, 2019]);
    expect(isRecipeModel(f.model)).toBe(true);
    expect(isRecipeModel({ ...f.model, format: 'pitwall-race-winner/2' })).toBe(false);
    expect(recipeChoices(f.model)).toMatchObject({ inner_folds: [2018, 2019], rounds: f.model.cv.rounds, pole: f.model.pole });
  });

  it('gives probabilities that sum to one per race and beat the pole-sitter prior out of sample', () => {
    const p = recipeProbabilities(f.model, test);
    expect(test.groups).toHaveLength(17);
    for (const s of sumsPerRace(p, test)) expect(s).toBeCloseTo(1, 9);
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
    const m = winnerMetrics(p, test.won, test.groups);
    const pole = winnerMetrics(softmaxByRace(poleScores(test.qualiPos), test.groups), test.won, test.groups);
    expect(m.logloss).toBeLessThan(pole.logloss - 0.5);
    expect(m.top1).toBeGreaterThan(0.5); // Hamilton's 2020: a uniform pick over 20 starters gets 0.05
  });

  it('chose trees on this range: their ONNX margins equal the TS margins and drive the boosted member', async () => {
    expect(f.gbdt).not.toBeNull();
    expect(f.model.mix.boosted).toBeGreaterThan(0);
    const ts = f.gbdt!.predictRaw(test.x, test.rows);
    const onnx = await (await loadOnnx(gbdtToOnnx(f.gbdt!, { name: 'race-winner' }))).score(test.x, test.rows, test.cols);
    for (let i = 0; i < test.rows; i++) expect(Math.abs(onnx[i]! - ts[i]!)).toBeLessThan(1e-5);
    const fromOnnx = recipeProbabilities(f.model, test, onnx);
    const fromJson = recipeProbabilities(f.model, test);
    for (let i = 0; i < test.rows; i++) expect(Math.abs(fromOnnx[i]! - fromJson[i]!)).toBeLessThan(1e-6);
    // the margins are used: without them (all zero) the boosted member is the linear one
    const flat = recipeProbabilities(f.model, test, new Float64Array(test.rows));
    expect(Math.max(...flat.map((v, i) => Math.abs(v - fromJson[i]!)))).toBeGreaterThan(1e-3);
  });

  it('a linear-only model ignores margins; the pole blend mixes in the pole-sitter prior', () => {
    const linear = { ...f.model, gbdt: null, mix: { linear: 1, boosted: 0 }, pole: 0 };
    const a = recipeProbabilities(linear, test);
    const b = recipeProbabilities(linear, test, new Float64Array(test.rows).fill(5));
    expect(Array.from(b)).toEqual(Array.from(a));
    const pole = softmaxByRace(poleScores(test.qualiPos), test.groups);
    const all1 = recipeProbabilities({ ...linear, pole: 1 }, test);
    const eps = recipeProbabilities({ ...linear, pole: 0.2 }, test);
    for (let i = 0; i < test.rows; i++) {
      expect(all1[i]).toBeCloseTo(pole[i]!, 12);
      expect(eps[i]).toBeCloseTo(0.8 * a[i]! + 0.2 * pole[i]!, 12);
    }
    expect(RECIPE_FORMAT).toBe('pitwall-race-winner/3');
  });
});
