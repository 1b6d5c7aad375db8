// PPO checkpoints: models/strategy/<circuit>.json (two tiny MLPs as base64 float32 + training metadata and curve).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shippedModelsDir } from '../data/paths.js';
import { DataError } from '../data/errors.js';
import { mlpFromJson, mlpToJson, type Mlp, type MlpJson } from './mlp.js';
import type { CurvePoint, PpoConfig } from './ppo.js';
import { OBS_SIZE } from './env.js';
import type { RaceModel } from './race-model.js';

export const CHECKPOINT_FORMAT = 'pitwall-strategy-ppo/1';

export interface CheckpointMeta {
  format: string;
  circuit: string;
  season: number;
  round: number;
  driver: string;
  observationSize: number;
  actions: string[];
  createdAt: string;
  config: PpoConfig;
  steps: number;
  seconds: number;
  best: { iteration: number; time: number; position: number; score?: number; stochasticMean?: number };
  curve: CurvePoint[];
  /** The calibration the agent was trained against (a changed tyre model or pit loss means: retrain). */
  calibration?: Calibration;
}

export interface Calibration {
  tyreSource: string;
  k0: number[];
  k1: number[];
  k2: number[];
  pitLoss: number;
}

export function calibrationOf(m: RaceModel): Calibration {
  const r = (x: number): number => Math.round(x * 1e4) / 1e4;
  return {
    tyreSource: m.tyre.source,
    k0: Array.from(m.tyre.k0, r),
    k1: Array.from(m.tyre.k1, r),
    k2: Array.from(m.tyre.k2, r),
    pitLoss: r(m.track.pitLoss),
  };
}

/** True when the model's calibration differs from the one the checkpoint was trained on. */
export function isStale(cp: CheckpointMeta, m: RaceModel): boolean {
  if (!cp.calibration || cp.season !== m.season || cp.round !== m.round) return false;
  return JSON.stringify(cp.calibration) !== JSON.stringify(calibrationOf(m));
}

export interface Checkpoint extends CheckpointMeta {
  actor: Mlp;
  critic: Mlp;
}

export const strategyModelsDir = (): string => join(shippedModelsDir(), 'strategy');

export function checkpointPath(circuit: string, dir = strategyModelsDir()): string {
  return join(dir, `${circuit}.json`);
}

export function saveCheckpoint(cp: Checkpoint, dir = strategyModelsDir()): string {
  mkdirSync(dir, { recursive: true });
  const file = checkpointPath(cp.circuit, dir);
  const { actor, critic, ...meta } = cp;
  const body = { ...meta, actor: mlpToJson(actor), critic: mlpToJson(critic) };
  // write-then-rename: never leave a half-written checkpoint
  writeFileSync(`${file}.tmp`, JSON.stringify(body));
  renameSync(`${file}.tmp`, file);
  return file;
}

export function loadCheckpoint(circuit: string, dir = strategyModelsDir()): Checkpoint | null {
  const file = checkpointPath(circuit, dir);
  if (!existsSync(file)) return null;
  return readCheckpointFile(file);
}

export function readCheckpointFile(file: string): Checkpoint {
  let raw: CheckpointMeta & { actor: MlpJson; critic: MlpJson };
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as typeof raw;
  } catch (e) {
    throw new DataError(`not a JSON checkpoint: ${(e as Error).message}`, file);
  }
  if (raw.format !== CHECKPOINT_FORMAT) throw new DataError(`unknown checkpoint format "${raw.format}"`, file, undefined, 'format');
  if (raw.observationSize !== OBS_SIZE) throw new DataError(`observation size ${raw.observationSize} ≠ ${OBS_SIZE}`, file, undefined, 'observationSize');
  return { ...raw, actor: mlpFromJson(raw.actor), critic: mlpFromJson(raw.critic) };
}
