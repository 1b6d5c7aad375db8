import { afterAll, describe, expect, it } from 'vitest';
import { dbCopy } from '../../../tests/helpers/db.js';
import { getKind } from '../training/kinds/index.js';
import { runPipeline } from '../training/pipeline.js';
import { GbdtModel } from './gbdt/index.js';
import { entriesOfRace } from './race-winner/entries.js';
import { datasetOf } from './race-winner/dataset.js';
import { listModels, loadWinner, modelCard, predictWinner, promoteModel } from './service.js';

describe('race-winner serving and registry (real data)', () => {
  // one writable copy for the file: the feature store materializes once
  const { db, file } = dbCopy();
  afterAll(() => db.close());

  it('the shipped model predicts a race out of the box, via ONNX equal to the TS trees', async () => {
    const w = await loadWinner(db, file);
    expect(w?.source).toBe('shipped');
    const p = await predictWinner(db, w!, 2024, 1);
    expect(p.length).toBeGreaterThanOrEqual(19);
    expect(p.reduce((s, x) => s + x.probability, 0)).toBeCloseTo(1, 4);
    expect(p[0]!.driver).toBe('max_verstappen'); // pole, dominant form: the obvious favourite
    const d = datasetOf(db, entriesOfRace(db, 2024, 1));
    const onnx = await w!.margins(d.x, d.rows);
    const ts = GbdtModel.fromJSON(w!.model.gbdt).predictRaw(d.x, d.rows);
    for (let i = 0; i < d.rows; i++) expect(Math.abs(onnx[i]! - ts[i]!)).toBeLessThan(1e-5);
    expect(listModels(db, file).find((m) => m.name === 'race-winner')?.aliases).toEqual(['shipped']);
    expect(modelCard(db, file, 'race-winner')?.markdown).toContain('## Feature importance');
    // served predictions land in the monitoring prediction log
    const logged = db.prepare("SELECT COUNT(*) AS n FROM monitor_predictions WHERE model = 'race-winner'").get() as { n: number };
    expect(logged.n).toBe(p.length);
  });

  it('trains through the pipeline on a past split, beats the pole baseline on logloss, registers and serves the champion', async () => {
    const kind = await getKind('race-winner');
    const r = await runPipeline(kind, db, file, { split: { train: [2016, 2019], test: [2020, 2021] }, register: true });
    const m = r.evaluation.metrics;
    expect(m.races).toBe(39);
    expect(m.logloss!).toBeLessThan(r.evaluation.baselines.pole_sitter!.logloss!);
    expect(m.logloss!).toBeLessThan(1.6);
    expect(m.top1!).toBeGreaterThan(0.45); // a uniform pick over ~20 starters gets 0.05
    expect(r.evaluation.importance!.some((f) => f.permutation! > 0)).toBe(true);
    expect(r.promoted).toBe(true);
    const w = await loadWinner(db, file);
    expect(w?.source).toBe('registry v1');
    expect((await predictWinner(db, w!, 2021, 22)).length).toBe(20);
    expect(() => promoteModel(db, file, 'race-winner', 7)).toThrow(/no version 7/);
  });
});
