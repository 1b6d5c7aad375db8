// Builds the shipped models: models/lap-time/ (GBDT JSON + ONNX) and models/tyre-deg/ (tfjs weights via the file
// IOHandler), each with meta.json (the shape models/service.ts reads) and a model card with a per-circuit table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../data/db.js';
import { evaluateLapTime } from '../models/lap-time/evaluate.js';
import { gbdtToOnnx } from '../models/onnx/export.js';
import { curvesFromRaces } from '../tyres/curves.js';
import { evaluateTyreDeg, saveTyreDeg } from '../tyres/forecast.js';
import { DRY } from '../race/compounds.js';
import { loadRaces } from '../race/laps.js';

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '–');
const span = (r: [number, number]) => (r[0] === r[1] ? String(r[0]) : r.join('–'));

export async function shipLapTime(db: Db, outDir: string, train: [number, number], test: [number, number], log: (m: string) => void) {
  const r = await Promise.resolve(evaluateLapTime(db, train, test, { log }));
  const dir = join(outDir, 'lap-time');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), JSON.stringify(r.model.toJSON()));
  writeFileSync(join(dir, 'model.onnx'), gbdtToOnnx(r.model.gbdt, { name: 'lap-time' }));
  const importance = r.model.gbdt.gainImportance().map((g) => ({ feature: g.feature, gain: g.gain }));
  const byComp = Object.fromEntries(Object.entries(r.by_compound).map(([k, v]) => [`mae_${k.toLowerCase()}`, v.mae]));
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify(
      {
        name: 'lap-time',
        version: 0,
        createdAt: new Date().toISOString(),
        metrics: { mae: r.mae, laps: r.laps, train_s: r.train_s, ...byComp },
        baselines: { persistence: { mae: r.baselines.persistence } },
        trainSeasons: train,
        testSeasons: test,
        importance,
      },
      null,
      1,
    ),
  );
  const rows = Object.entries(r.by_circuit).map(([c, v]) => `| ${c} | ${v.laps} | ${f3(v.mae)} | ${f3(v.persistence)} |`);
  const comp = Object.entries(r.by_compound).map(([c, v]) => `| ${c} | ${v.laps} | ${f3(v.mae)} | ${f3(v.persistence)} |`);
  writeFileSync(
    join(dir, 'card.md'),
    [
      '# Model card: lap-time',
      '',
      'Next clean lap time of a driver (GBDT, Huber loss) on the residual against the last clean lap of the stint,',
      'fuel-corrected (110 kg start, even burn, 0.03 s/kg). Inputs: only what was known when the lap began (this car’s',
      'earlier laps, laps of other cars completed by then, compound/C-number, fuel, circuit pace). The whole-race',
      'columns DeltaTo*/PctFrom* are never used. Files: model.json (pitwall-lap-time/1), model.onnx.',
      '',
      `Trained on ${span(train)} (early stopping on ${train[1]}), tested on ${span(test)}: ${r.laps} laps,`,
      `MAE ${f3(r.mae)} s vs persistence ${f3(r.baselines.persistence)} s. Training ${r.train_s.toFixed(0)} s.`,
      '',
      '| compound | laps | MAE (s) | persistence (s) |',
      '|---|---|---|---|',
      ...comp,
      '',
      '## Per circuit (test seasons)',
      '',
      '| circuit | laps | MAE (s) | persistence (s) |',
      '|---|---|---|---|',
      ...rows,
      '',
      '## Feature importance (gain)',
      '',
      ...importance
        .sort((a, b) => b.gain - a.gain)
        .map((i) => `- ${i.feature}: ${i.gain.toFixed(0)}`),
      '',
      '## Limitations',
      '',
      '- Mistakes, lapped traffic and sudden weather changes make the largest errors.',
      '- Fuel load is an estimate; wet/intermediate laps are out of scope.',
      '',
    ].join('\n'),
  );
  log(`lap-time: shipped to ${dir} (MAE ${r.mae})`);
  return r;
}

export async function shipTyreDeg(db: Db, outDir: string, train: [number, number], test: [number, number], log: (m: string) => void) {
  const r = await evaluateTyreDeg(db, train, test, { log });
  const dir = join(outDir, 'tyre-deg');
  await saveTyreDeg(r.model, dir);
  const curves = curvesFromRaces(loadRaces(db, train));
  const slope = new Map(curves.map((c) => [`${c.circuit}/${c.compound}`, c.fit.linear + c.fit.quadratic * 19]));
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify(
      {
        name: 'tyre-deg',
        version: 0,
        createdAt: new Date().toISOString(),
        metrics: { mae: r.mae, stints: r.stints, network_mae: r.network_mae, coverage_p10_p90: r.coverage_p10_p90, train_s: r.train_s },
        baselines: { last_lap: { mae: r.baselines.last_lap }, compound_slope: { mae: r.baselines.compound_slope } },
        trainSeasons: train,
        testSeasons: test,
        importance: [],
      },
      null,
      1,
    ),
  );
  const cfg = r.model.net.config;
  const rows = Object.entries(r.by_circuit).map(
    ([c, v]) =>
      `| ${c} | ${v.stints} | ${f3(v.mae)} | ${f3(v.last_lap)} | ${f3(v.compound_slope)} | ${DRY.map((k) => f3(slope.get(`${c}/${k}`) ?? Number.NaN)).join(' | ')} |`,
  );
  const comp = Object.entries(r.by_compound).map(([c, v]) => `| ${c} | ${v.stints} | ${f3(v.mae)} | ${f3(v.last_lap)} | ${f3(v.compound_slope)} |`);
  writeFileSync(
    join(dir, 'card.md'),
    [
      '# Model card: tyre-deg (stint forecast)',
      '',
      `TensorFlow.js network${r.model.net.members.length > 1 ? ` (ensemble of ${r.model.net.members.length} seeds, predictions averaged)` : ''}, wasm backend:`,
      `LSTM(${cfg.hidden}) encoder over the 5 observed clean laps → ${cfg.heads}-head`,
      `self-attention (${cfg.headDim} per head, residual) → pooled + last state + context (compound, C-number, fuel, race`,
      `progress, field trend, pace vs field, car ahead, circuit embedding ${cfg.embed}-d, circuit × compound degradation`,
      `slope, this race's analog stints) → dense(${cfg.dense}) per queried lap → p10/p50/p90 (pinball loss).`,
      `Final forecast per step h = w_h × network + (1 − w_h) × last observed lap, w = [${(r.model.meta.horizonWeights ?? []).join(', ')}]`,
      `(mean ${r.model.meta.weights.net}); weights and epoch (best ${r.model.meta.bestEpoch}) chosen on ${train[1]} (validation season;`,
      `network trained on ${train[0]}–${train[1] - 1}).`,
      `A statistical prior (last lap + fuel + drift of this race's earlier stints) is reported beside it.`,
      'Files: model.json + weights.bin (custom file IOHandler, src/main/tyres/io.ts).',
      '',
      `Task: stints with ≥ 15 clean laps; observe the first 5, forecast the next 10. Trained on ${span(train)},`,
      `tested on ${span(test)}: ${r.stints} stints, MAE ${f3(r.mae)} s (network alone ${f3(r.network_mae)} s,`,
      `statistical prior alone ${f3(r.stat_prior_mae)} s) vs`,
      `last-lap-repeats ${f3(r.baselines.last_lap)} s and per-compound slope ${f3(r.baselines.compound_slope)} s;`,
      `p10–p90 band covers ${(r.coverage_p10_p90 * 100).toFixed(0)} % of laps. Training ${r.train_s.toFixed(0)} s.`,
      '',
      '| compound | stints | MAE (s) | last lap (s) | compound slope (s) |',
      '|---|---|---|---|---|',
      ...comp,
      '',
      '## Per circuit (test seasons) and degradation slope (s per lap of tyre age, training seasons)',
      '',
      '| circuit | stints | MAE (s) | last lap (s) | compound slope (s) | SOFT | MEDIUM | HARD |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      '## Limitations',
      '',
      '- A drying track or sudden rain is seen only through the field’s recent lap-to-lap trend.',
      '- Managed pace (trains, Monaco) is not predictable from five laps.',
      '- New circuits use the unknown-circuit embedding and per-compound average slopes.',
      '',
    ].join('\n'),
  );
  log(`tyre-deg: shipped to ${dir} (MAE ${r.mae})`);
  return r;
}
