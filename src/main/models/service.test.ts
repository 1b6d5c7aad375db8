import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { dbCopy } from '../../../tests/helpers/db.js';
import { shippedModelsDir } from '../data/paths.js';
import { Registry } from '../registry/registry.js';
import { getKind } from '../training/kinds/index.js';
import { runPipeline } from '../training/pipeline.js';
import { GbdtModel } from './gbdt/index.js';
import { weekendDataOf } from './race-winner/dataset.js';
import { entriesOfRace } from './race-winner/entries.js';
import { RECIPE_FORMAT, recipeProbabilities } from './race-winner/recipe.js';
import { storeFeatures } from './race-winner/store.js';
import { logPredictions } from '../monitoring/log.js';
import { loggedSamples } from '../monitoring/source.js';
import { listModels, loadWinner, modelCard, predictWinner, promoteModel, type LoadedWinner } from './service.js';

/** The served probabilities of a race against the recipe's own, on the same model and the race's weekend features. */
async function expectServedEqualsRecipe(db: Parameters<typeof predictWinner>[0], w: LoadedWinner, season: number, round: number) {
  const served = await predictWinner(db, w, season, round);
  const entries = entriesOfRace(db, season, round);
  const p = recipeProbabilities(w.model, weekendDataOf(db, entries));
  expect(served).toHaveLength(entries.length);
  const byDriver = new Map(served.map((s) => [s.driver, s.probability]));
  entries.forEach((e, i) => expect(Math.abs(byDriver.get(e.driver)! - p[i]!)).toBeLessThan(1e-6));
  return served;
}

describe('race-winner serving and registry (real data)', () => {
  // one writable copy for the file: the feature store materializes once
  const { db, file } = dbCopy();
  afterAll(() => db.close());

  it('the shipped model is the weekend recipe and predicts a race out of the box', async () => {
    const w = await loadWinner(db, file);
    expect(w?.source).toBe('shipped');
    expect(w!.model.format).toBe(RECIPE_FORMAT);
    // ONNX ships exactly when the recipe chose trees
    expect(existsSync(join(shippedModelsDir(), 'race-winner', 'model.onnx'))).toBe(w!.model.gbdt !== null);
    const p = await expectServedEqualsRecipe(db, w!, 2024, 1);
    expect(p.length).toBeGreaterThanOrEqual(19);
    expect(p.reduce((s, x) => s + x.probability, 0)).toBeCloseTo(1, 4);
    expect(p[0]!.driver).toBe('max_verstappen'); // pole, dominant form: the obvious favourite
    expect(listModels(db, file).find((m) => m.name === 'race-winner')?.aliases).toEqual(['shipped']);
    expect(modelCard(db, file, 'race-winner')?.markdown).toContain('## Feature importance');
    // served predictions land in the monitoring prediction log: the weekend features and the monitored store refs
    const logged = db.prepare("SELECT features FROM monitor_predictions WHERE model = 'race-winner'").all() as { features: string }[];
    expect(logged).toHaveLength(p.length);
    const f = JSON.parse(logged[0]!.features) as Record<string, number | null>;
    expect(Object.keys(f)).toEqual(expect.arrayContaining([...w!.model.features, 'race_entry:grid_position', 'driver_form:avg_finish_last_5']));
    // the drift monitor reads the logged store refs, never the model's same-named weekend feature
    const ref = 'race_entry:quali_gap_pct';
    const store = storeFeatures(db, entriesOfRace(db, 2024, 1), [ref]).x;
    const sorted = (v: ArrayLike<number>) => Array.from(v).sort((a, b) => a - b);
    expect(sorted(loggedSamples(db, 'race-winner', [ref])[0]!.values[ref]!)).toEqual(sorted(store));
    logPredictions(db, { model: 'rw-null', version: 1, kind: 'winner', rows: [{ race: '2024-1', driver: 'x', features: { [ref]: null, quali_gap_pct: 5 }, output: 0.5 }] });
    expect(loggedSamples(db, 'rw-null', [ref])[0]!.values[ref]).toEqual([NaN]);
  });

  it('trains through the pipeline on a past split, beats the pole baseline, registers and serves the champion (ONNX trees)', async () => {
    const kind = await getKind('race-winner');
    const r = await runPipeline(kind, db, file, { split: { train: [2016, 2019], test: [2020, 2021] }, register: true });
    const m = r.evaluation.metrics;
    expect(m.races).toBe(39);
    expect(m.logloss!).toBeLessThan(r.evaluation.baselines.pole_sitter!.logloss!);
    expect(m.logloss!).toBeLessThan(1.6);
    expect(m.top1!).toBeGreaterThan(0.45); // a uniform pick over ~20 starters gets 0.05
    expect(r.evaluation.importance!.some((f) => f.permutation! > 0)).toBe(true);
    expect(r.evaluation.report).toMatchObject({ format: RECIPE_FORMAT, chosen: { inner_folds: [2018, 2019] } });
    expect(r.promoted).toBe(true);
    const w = await loadWinner(db, file);
    expect(w?.source).toBe('registry v1');
    // on this range the recipe chose trees: model.onnx was registered and serves the same margins as the TS trees
    expect(w!.model.gbdt).not.toBeNull();
    expect(existsSync(join(new Registry(db, file).get('race-winner', 1)!.dir, 'model.onnx'))).toBe(true);
    const d = weekendDataOf(db, entriesOfRace(db, 2021, 22));
    const onnx = (await w!.margins(d))!;
    const ts = GbdtModel.fromJSON(w!.model.gbdt!).predictRaw(d.x, d.rows);
    for (let i = 0; i < d.rows; i++) expect(Math.abs(onnx[i]! - ts[i]!)).toBeLessThan(1e-5);
    expect(await expectServedEqualsRecipe(db, w!, 2021, 22)).toHaveLength(20);
    expect(() => promoteModel(db, file, 'race-winner', 7)).toThrow(/no version 7/);
  });

  it('a champion of the earlier recipe is not served: the shipped model is, and stderr says why once', async () => {
    const reg = new Registry(db, file);
    const old = reg.register({
      name: 'race-winner',
      runId: null,
      primaryMetric: 'logloss',
      direction: 'min',
      metrics: { logloss: 1 },
      baselines: {},
      lineage: { featureViews: [], trainSeasons: [2014, 2022], testSeasons: [2023, 2024], trainRows: 1, testRows: 1 },
      importance: [],
      card: '# old',
      files: { 'model.json': JSON.stringify({ format: 'pitwall-race-winner/2', features: ['quali_pos'], gbdt: {}, linear: {} }) },
    });
    promoteModel(db, file, 'race-winner', old.version);
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const w = await loadWinner(db, file);
      expect(w?.source).toBe('shipped');
      expect(w!.model.format).toBe(RECIPE_FORMAT);
      expect((await predictWinner(db, w!, 2024, 1))[0]!.driver).toBe('max_verstappen');
      expect((await loadWinner(db, file))?.source).toBe('shipped');
      const lines = err.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('champion'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/champion v2 has format pitwall-race-winner\/2 .*serving the shipped model/);
    } finally {
      err.mockRestore();
    }
    // the kind refuses to evaluate it (the pipeline then promotes a new version instead of crashing)
    const kind = await getKind('race-winner');
    const ctx = { db, dbFile: file, seed: 1, log: () => {} };
    expect(() =>
      kind.evaluate(ctx, { model: JSON.parse(reg.readFile(old, 'model.json')!.toString('utf8')), params: {} }, {} as never, {
        train: [2014, 2022],
        test: [2023, 2024],
      }),
    ).toThrow(/format pitwall-race-winner\/2 is not pitwall-race-winner\/3/);
  });
});
