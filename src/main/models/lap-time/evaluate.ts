// Next-lap evaluation (issue #5): train on seasons A, test on B; MAE in seconds over every test lap, beside the
// persistence baseline (the driver's last clean lap in the stint), per compound and per circuit.
import type { Db } from '../../data/db.js';
import type { GbdtParams } from '../gbdt/index.js';
import { lapRowsFor, trainLapTime, type LapTimeModel } from './model.js';
import type { LapRows } from './features.js';

export interface LapTimeEvaluation {
  laps: number;
  mae: number;
  baselines: { persistence: number };
  by_compound: Record<string, { laps: number; mae: number; persistence: number }>;
  by_circuit: Record<string, { laps: number; mae: number; persistence: number }>;
  train_seasons: [number, number];
  test_seasons: [number, number];
  train_laps: number;
  train_s: number;
}

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

export function scoreLapTime(rows: LapRows, pred: Float64Array): Omit<LapTimeEvaluation, 'train_seasons' | 'test_seasons' | 'train_laps' | 'train_s'> {
  const acc = (m: Map<string, [number, number, number]>, k: string, e: number, p: number) => {
    const a = m.get(k) ?? [0, 0, 0];
    a[0]++;
    a[1] += e;
    a[2] += p;
    m.set(k, a);
  };
  const comp = new Map<string, [number, number, number]>();
  const circ = new Map<string, [number, number, number]>();
  let e = 0;
  let p = 0;
  for (let i = 0; i < rows.rows; i++) {
    const ei = Math.abs(pred[i]! - rows.actual[i]!);
    const pi = Math.abs(rows.persistence[i]! - rows.actual[i]!);
    e += ei;
    p += pi;
    acc(comp, rows.compound[i]!, ei, pi);
    acc(circ, rows.circuit[i]!, ei, pi);
  }
  const table = (m: Map<string, [number, number, number]>) =>
    Object.fromEntries(
      [...m].sort((a, b) => a[0].localeCompare(b[0])).map(([k, [n, s, q]]) => [k, { laps: n, mae: r4(s / n), persistence: r4(q / n) }]),
    );
  const n = Math.max(1, rows.rows);
  return { laps: rows.rows, mae: r4(e / n), baselines: { persistence: r4(p / n) }, by_compound: table(comp), by_circuit: table(circ) };
}

export function evaluateLapTime(
  db: Db,
  train: [number, number],
  test: [number, number],
  opts: { params?: Partial<GbdtParams>; log?: (m: string) => void } = {},
): LapTimeEvaluation & { model: LapTimeModel } {
  const t0 = performance.now();
  const tr = lapRowsFor(db, train);
  const model = trainLapTime(tr, train, opts.params, opts.log);
  const train_s = (performance.now() - t0) / 1000;
  const te = lapRowsFor(db, test);
  const res = scoreLapTime(te, model.predict(te));
  return { ...res, train_seasons: train, test_seasons: test, train_laps: tr.rows, train_s: r4(train_s), model };
}
