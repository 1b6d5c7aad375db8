// The models capability as a service: registry listing/promotion, model cards, runs, and race-winner serving
// (the weekend recipe: the registry's champion, else the shipped model in models/race-winner/), its trees, if any,
// scored with onnxruntime-node.
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
import { weekendDataOf, type WinnerData } from './race-winner/dataset.js';
import { isRecipeModel, modelFormat, RECIPE_FORMAT, recipeProbabilities, type RecipeModelJSON } from './race-winner/recipe.js';
import { storeFeatures } from './race-winner/store.js';
import { logPredictions } from '../monitoring/log.js';
import { monitoredRefs } from '../monitoring/source.js';

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

/** A loaded race-winner model (the weekend recipe) and its tree margins: ONNX when shipped with the model, else the
 *  TS GBDT; undefined for a linear-only recipe. */
export interface LoadedWinner {
  source: string;
  version: number;
  model: RecipeModelJSON;
  margins(d: Pick<WinnerData, 'x' | 'rows'>): Promise<Float64Array | undefined>;
}

/** Champion folders already reported as unservable (one stderr line per process, not one per load). */
const reported = new Set<string>();

function readWinner(dir: string): unknown {
  return JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as unknown;
}


interface WinnerSource {
  dir: string;
  source: string;
  version: number;
  model: RecipeModelJSON;
}

/** The registry's champion, else the shipped model. A champion of an earlier recipe (another format) is not served:
 *  the shipped model is, and stderr says why once. */
function winnerSource(db: Db, dbFile: string): WinnerSource | null {
  const champ = new Registry(db, dbFile).byAlias(RACE_WINNER, 'champion');
  if (champ && existsSync(join(champ.dir, 'model.json'))) {
    const model = readWinner(champ.dir);
    if (isRecipeModel(model)) return { dir: champ.dir, source: `registry v${champ.version}`, version: champ.version, model };
    if (!reported.has(champ.dir))
      console.error(
        `race-winner: registry champion v${champ.version} has format ${modelFormat(model)} (an earlier recipe), not ${RECIPE_FORMAT}; ` +
          'serving the shipped model. Train one (`pitwall train race-winner`) or promote one (`pitwall models promote race-winner VERSION`).',
      );
    reported.add(champ.dir);
  }
  const s = shipped(RACE_WINNER);
  if (!s || !existsSync(join(s.dir, 'model.json'))) return null;
  const model = readWinner(s.dir);
  if (!isRecipeModel(model)) throw new DataError(`race-winner: the shipped model in ${s.dir} has format ${modelFormat(model)}, not ${RECIPE_FORMAT}`);
  return { dir: s.dir, source: 'shipped', version: 0, model };
}

export async function loadWinner(db: Db, dbFile: string): Promise<LoadedWinner | null> {
  const src = winnerSource(db, dbFile);
  if (!src) return null;
  const { dir, model } = src;
  const gbdt = model.gbdt ? GbdtModel.fromJSON(model.gbdt) : null;
  let onnx: OnnxScorer | null = null;
  if (gbdt && existsSync(join(dir, 'model.onnx'))) {
    try {
      onnx = await loadOnnx(new Uint8Array(readFileSync(join(dir, 'model.onnx'))));
    } catch (e) {
      // onnxruntime unavailable: the TS predictor gives the same margins (within 1e-5)
      console.error(`race-winner: serving with the TypeScript predictor (ONNX runtime: ${(e as Error).message})`);
      onnx = null;
    }
  }
  const cols = model.features.length;
  return {
    source: src.source,
    version: src.version,
    model,
    margins: async (d) => (!gbdt ? undefined : onnx ? onnx.score(d.x, d.rows, cols) : gbdt.predictRaw(d.x, d.rows)),
  };
}

let loggingFailed = false;

/** Records served predictions in the monitoring prediction log, best effort: the model's weekend features, plus the
 *  feature-store refs the drift monitor watches (monitoring/source.ts), read at the race start like its reference. */
function logServed(db: Db, w: LoadedWinner, d: WinnerData, p: Float64Array): void {
  try {
    const refs = monitoredRefs(RACE_WINNER);
    const st = storeFeatures(db, d.entries, refs);
    const value = (v: number) => (Number.isNaN(v) ? null : v);
    logPredictions(db, {
      model: RACE_WINNER,
      version: w.version,
      kind: 'winner',
      rows: d.entries.map((e, i) => ({
        race: { season: e.season, round: e.round },
        driver: e.driver,
        features: {
          ...Object.fromEntries(d.features.map((f, j) => [f, value(d.x[i * d.cols + j]!)])),
          ...Object.fromEntries(refs.map((r, j) => [r, value(st.x[i * refs.length + j]!)])),
        },
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
  const d = weekendDataOf(db, entries);
  if (d.features.join() !== w.model.features.join()) throw new DataError(`race-winner model expects features ${w.model.features.join(',')}`);
  const p = recipeProbabilities(w.model, d, await w.margins(d));
  logServed(db, w, d, p);
  return entries
    .map((e, i) => ({ driver: e.driver, code: e.code, probability: +p[i]!.toFixed(6) }))
    .sort((a, b) => b.probability - a.probability);
}
