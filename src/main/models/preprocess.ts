// Serialisable preprocessing for linear models: median imputation of NaN, then standard scaling.
// (GBDTs take raw features with NaN; the logistic-regression baseline needs this.)
import type { Matrix } from './gbdt/index.js';

export interface ScalerJSON {
  features: string[];
  median: number[];
  mean: number[];
  std: number[];
}

export function fitScaler(x: Matrix, rows: number, features: string[]): ScalerJSON {
  const cols = features.length;
  const median: number[] = [];
  const mean: number[] = [];
  const std: number[] = [];
  for (let f = 0; f < cols; f++) {
    const v: number[] = [];
    for (let r = 0; r < rows; r++) {
      const a = x[r * cols + f]!;
      if (!Number.isNaN(a)) v.push(a);
    }
    v.sort((a, b) => a - b);
    const med = v.length ? v[v.length >> 1]! : 0;
    let s = 0;
    let s2 = 0;
    for (let r = 0; r < rows; r++) {
      const a = x[r * cols + f]!;
      const b = Number.isNaN(a) ? med : a;
      s += b;
      s2 += b * b;
    }
    const m = rows ? s / rows : 0;
    median.push(med);
    mean.push(m);
    std.push(Math.sqrt(Math.max(s2 / Math.max(rows, 1) - m * m, 0)) || 1);
  }
  return { features, median, mean, std };
}

export function applyScaler(sc: ScalerJSON, x: Matrix, rows: number): Float64Array {
  const cols = sc.features.length;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let f = 0; f < cols; f++) {
      const a = x[r * cols + f]!;
      out[r * cols + f] = ((Number.isNaN(a) ? sc.median[f]! : a) - sc.mean[f]!) / sc.std[f]!;
    }
  return out;
}
