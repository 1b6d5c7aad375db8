// Lap-time model: a GBDT (Huber loss) on the residual of the next clean lap against the driver's recent fuel-corrected
// pace (see features.ts). Trains with early stopping on the last training season, then refits on all of them.
import type { Db } from '../../data/db.js';
import { GbdtModel, trainGbdt, type GbdtJSON, type GbdtParams } from '../gbdt/index.js';
import { loadRaces } from '../../race/laps.js';
import { LAP_FEATURES, lapRows, NF, type LapRows } from './features.js';

export const LAP_TIME_PARAMS: Partial<GbdtParams> = {
  objective: 'huber',
  huberDelta: 0.3,
  numRounds: 1500,
  learningRate: 0.08,
  numLeaves: 31,
  minDataInLeaf: 100,
  lambdaL2: 1,
  featureFraction: 0.8,
  baggingFraction: 0.8,
  earlyStoppingRounds: 40,
  seed: 1,
};

export interface LapTimeModelJSON {
  format: 'pitwall-lap-time/1';
  trainSeasons: [number, number];
  gbdt: GbdtJSON;
}

export class LapTimeModel {
  constructor(
    readonly gbdt: GbdtModel,
    readonly trainSeasons: [number, number],
  ) {}

  /** Predicted lap times (s) for feature rows. */
  predict(r: Pick<LapRows, 'x' | 'rows' | 'base'>): Float64Array {
    const res = this.gbdt.predict(r.x, r.rows);
    for (let i = 0; i < r.rows; i++) res[i] = r.base[i]! + res[i]!;
    return res;
  }

  toJSON(): LapTimeModelJSON {
    return { format: 'pitwall-lap-time/1', trainSeasons: this.trainSeasons, gbdt: this.gbdt.toJSON() };
  }

  static fromJSON(j: LapTimeModelJSON): LapTimeModel {
    if (j.format !== 'pitwall-lap-time/1') throw new Error(`unknown lap-time model format "${String(j.format)}"`);
    return new LapTimeModel(GbdtModel.fromJSON(j.gbdt), j.trainSeasons);
  }
}

function subset(r: LapRows, keep: (i: number) => boolean): LapRows {
  const idx: number[] = [];
  for (let i = 0; i < r.rows; i++) if (keep(i)) idx.push(i);
  const x = new Float32Array(idx.length * NF);
  idx.forEach((i, k) => x.set(r.x.subarray(i * NF, (i + 1) * NF), k * NF));
  const pick = <T extends Float64Array | Int32Array>(a: T, C: new (n: number) => T): T => {
    const o = new C(idx.length);
    idx.forEach((i, k) => (o[k] = a[i]!));
    return o;
  };
  return {
    x,
    rows: idx.length,
    y: pick(r.y, Float64Array),
    base: pick(r.base, Float64Array),
    actual: pick(r.actual, Float64Array),
    persistence: pick(r.persistence, Float64Array),
    compound: idx.map((i) => r.compound[i]!),
    circuit: idx.map((i) => r.circuit[i]!),
    season: pick(r.season, Int32Array),
  };
}

const ds = (r: LapRows) => ({ x: r.x, rows: r.rows, cols: NF, y: r.y });

/** Trains on `rows` (seasons [from, to]): early stopping on season `to`, refit on all with the best round count. */
export function trainLapTime(
  rows: LapRows,
  seasons: [number, number],
  params: Partial<GbdtParams> = {},
  log: (m: string) => void = () => {},
): LapTimeModel {
  const p = { ...LAP_TIME_PARAMS, ...params };
  const featureNames = [...LAP_FEATURES];
  let rounds = p.numRounds ?? 300;
  if (seasons[1] > seasons[0]) {
    const tr = subset(rows, (i) => rows.season[i]! < seasons[1]);
    const va = subset(rows, (i) => rows.season[i]! === seasons[1]);
    if (tr.rows > 0 && va.rows > 0) {
      const m = trainGbdt(ds(tr), p, ds(va), {
        featureNames,
        validMetric: (raw, v) => {
          let s = 0;
          for (let i = 0; i < v.rows; i++) s += Math.abs(raw[i]! - v.y[i]!);
          return s / Math.max(1, v.rows);
        },
      });
      rounds = m.bestIteration;
      log(`lap-time: early stopping on ${seasons[1]} → ${rounds} rounds`);
    }
  }
  const gbdt = trainGbdt(ds(rows), { ...p, numRounds: rounds, earlyStoppingRounds: 0 }, undefined, { featureNames });
  return new LapTimeModel(gbdt, seasons);
}

export function lapRowsFor(db: Db, seasons: [number, number]): LapRows {
  return lapRows(loadRaces(db, seasons));
}

export { subset as subsetRows };
