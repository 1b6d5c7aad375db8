// The models capability as a service: registry listing/promotion, model cards, runs, and race-winner serving
// (the registry's champion, else the shipped model in models/race-winner/), scored with onnxruntime-node.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureImportance, ModelSummary, RunSummary, WinnerPrediction } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { shippedModelsDir } from '../data/paths.js';
import { Registry, summary } from '../registry/registry.js';
import { listRuns } from '../registry/tracking.js';
import { GbdtModel } from './gbdt/index.js';
import { loadOnnx, type OnnxScorer } from './onnx/serve.js';
import { entriesOfRace } from './race-winner/entries.js';
import { datasetOf, type WinnerData } from './race-winner/dataset.js';
import { logPredictions } from '../monitoring/log.js';
import { winnerProbabilities, type WinnerModelJSON } from './race-winner/model.js';

export const RACE_WINNER = 'race-winner';

interface ShippedMeta {
  name: string;
  version: number;
  createdAt: string;
  metrics: Record<string, number>;
  baselines: Record<string, Record<string, number>>;
  trainSeasons: [number, number];
  testSeasons: [number, number];
  importance: FeatureImportance[];
}

/** The shipped model of a kind (models/<name>/), if any. */
function shipped(name: string): { dir: string; meta: ShippedMeta } | null {
  const dir = join(shippedModelsDir(), name);
  const metaFile = join(dir, 'meta.json');
  if (!existsSync(metaFile)) return null;
  return { dir, meta: JSON.parse(readFileSync(metaFile, 'utf8')) as ShippedMeta };
}

export function listModels(db: Db, dbFile: string): ModelSummary[] {
  const reg = new Registry(db, dbFile);
  const out = reg.list().map(summary);
  for (const name of [RACE_WINNER, 'win-probability']) {
    const s = shipped(name);
    if (s && !out.some((m) => m.name === name && m.aliases.includes('champion')))
      out.push({ ...s.meta, name, version: 0, aliases: ['shipped'] });
  }
  return out;
}

export function promoteModel(db: Db, dbFile: string, name: string, version: number): ModelSummary[] {
  const reg = new Registry(db, dbFile);
  if (!reg.get(name, version)) throw new DataError(`model ${name} has no version ${version} (see \`pitwall models list\`)`);
  reg.setAlias(name, 'champion', version, 'manual promotion');
  return listModels(db, dbFile);
}

export function modelRuns(db: Db, name: string): RunSummary[] {
  return listRuns(db, name);
}

export function modelCard(db: Db, dbFile: string, name: string, version?: number): { markdown: string; importance: FeatureImportance[] } | null {
  const reg = new Registry(db, dbFile);
  const rec = version !== undefined ? reg.get(name, version) : reg.byAlias(name, 'champion');
  if (rec) return { markdown: rec.card, importance: rec.importance };
  const s = shipped(name);
  if (s && (version === undefined || version === 0)) {
    const card = join(s.dir, 'card.md');
    return { markdown: existsSync(card) ? readFileSync(card, 'utf8') : '', importance: s.meta.importance };
  }
  return null;
}

/** Copies a registered version (default: champion) to `out` as a shipped model; returns the file names written. */
export function exportModel(db: Db, dbFile: string, name: string, version: number | undefined, out: string): string[] {
  const reg = new Registry(db, dbFile);
  const rec = version !== undefined ? reg.get(name, version) : reg.byAlias(name, 'champion');
  if (!rec) throw new DataError(`model ${name}: no ${version !== undefined ? `version ${version}` : 'champion'} to export`);
  mkdirSync(out, { recursive: true });
  const all = ['model.json', 'model.onnx', 'card.md'];
  const files = all.filter((f) => existsSync(join(rec.dir, f)));
  for (const f of files) copyFileSync(join(rec.dir, f), join(out, f));
  // a file of an earlier export that this version lacks (e.g. model.onnx of a model with trees) must not stay behind
  for (const f of all) if (!files.includes(f)) rmSync(join(out, f), { force: true });
  const meta: ShippedMeta = {
    name,
    version: rec.version,
    createdAt: rec.createdAt,
    metrics: rec.metrics,
    baselines: rec.baselines,
    trainSeasons: rec.lineage.trainSeasons,
    testSeasons: rec.lineage.testSeasons,
    importance: rec.importance,
  };
  writeFileSync(join(out, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
  return [...files, 'meta.json'];
}

/** A loaded race-winner model: the JSON (blend, linear part) and a margin scorer (ONNX, else the TS GBDT). */
export interface LoadedWinner {
  source: string;
  version: number;
  model: WinnerModelJSON;
  margins(x: Float64Array, rows: number): Promise<Float64Array>;
}

export async function loadWinner(db: Db, dbFile: string): Promise<LoadedWinner | null> {
  const reg = new Registry(db, dbFile);
  const champ = reg.byAlias(RACE_WINNER, 'champion');
  const dir = champ ? champ.dir : shipped(RACE_WINNER)?.dir;
  if (!dir || !existsSync(join(dir, 'model.json'))) return null;
  const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as WinnerModelJSON;
  const gbdt = GbdtModel.fromJSON(model.gbdt);
  let onnx: OnnxScorer | null = null;
  if (existsSync(join(dir, 'model.onnx'))) {
    try {
      onnx = await loadOnnx(new Uint8Array(readFileSync(join(dir, 'model.onnx'))));
    } catch (e) {
      // onnxruntime unavailable: the TS predictor gives the same margins (within 1e-5)
      console.error(`race-winner: serving with the TypeScript predictor (ONNX runtime: ${(e as Error).message})`);
      onnx = null;
    }
  }
  return {
    source: champ ? `registry v${champ.version}` : 'shipped',
    version: champ?.version ?? 0,
    model,
    margins: async (x, rows) => (onnx ? onnx.score(x, rows, model.features.length) : gbdt.predictRaw(x, rows)),
  };
}

let loggingFailed = false;

/** Records served predictions in the monitoring prediction log (features + output), best effort. */
function logServed(db: Db, w: LoadedWinner, d: WinnerData, p: Float64Array): void {
  try {
    logPredictions(db, {
      model: RACE_WINNER,
      version: w.version,
      kind: 'winner',
      rows: d.entries.map((e, i) => ({
        race: { season: e.season, round: e.round },
        driver: e.driver,
        features: Object.fromEntries(d.features.map((f, j) => [f, Number.isNaN(d.x[i * d.cols + j]!) ? null : d.x[i * d.cols + j]!])),
        output: p[i]!,
      })),
    });
  } catch (e) {
    // a read-only database or a monitoring failure must not stop serving; say so once
    if (!loggingFailed) console.error(`race-winner: predictions are not being logged for monitoring: ${(e as Error).message}`);
    loggingFailed = true;
  }
}

/** Win probabilities for a race's starters (or its qualifiers, before the race), highest first. */
export async function predictWinner(db: Db, w: LoadedWinner, season: number, round: number): Promise<WinnerPrediction[]> {
  const entries = entriesOfRace(db, season, round);
  if (!entries.length) return [];
  const d = datasetOf(db, entries);
  if (d.features.join() !== w.model.features.join()) throw new DataError(`race-winner model expects features ${w.model.features.join(',')}`);
  const p = winnerProbabilities(w.model, await w.margins(d.x, d.rows), d);
  logServed(db, w, d, p);
  return entries
    .map((e, i) => ({ driver: e.driver, code: e.code, probability: +p[i]!.toFixed(6) }))
    .sort((a, b) => b.probability - a.probability);
}
