// L2-regularised logistic regression (Newton) on scaled features: plain binary, or conditional logit (softmax
// within each group, no intercept) when groups are given. The linear baseline and a blend member of race-winner.
import type { Matrix } from './gbdt/index.js';
import { applyScaler, fitScaler, type ScalerJSON } from './preprocess.js';

export interface LogisticJSON {
  scaler: ScalerJSON;
  coef: number[];
  intercept: number;
}

/** Fits P(y=1|x) = σ(b + w·z), z = scaled x; `l2` like scikit-learn's 1/C. */
export function fitLogistic(x: Matrix, rows: number, y: ArrayLike<number>, features: string[], l2 = 1, iters = 25): LogisticJSON {
  const scaler = fitScaler(x, rows, features);
  const z = applyScaler(scaler, x, rows);
  const d = features.length + 1; // last = intercept
  const w = new Float64Array(d);
  for (let it = 0; it < iters; it++) {
    const g = new Float64Array(d);
    const H = new Float64Array(d * d);
    for (let r = 0; r < rows; r++) {
      let s = w[d - 1]!;
      for (let f = 0; f < d - 1; f++) s += w[f]! * z[r * (d - 1) + f]!;
      const p = 1 / (1 + Math.exp(-s));
      const q = Math.max(p * (1 - p), 1e-12);
      for (let a = 0; a < d; a++) {
        const za = a === d - 1 ? 1 : z[r * (d - 1) + a]!;
        g[a]! += (p - y[r]!) * za;
        for (let b = 0; b <= a; b++) H[a * d + b]! += q * za * (b === d - 1 ? 1 : z[r * (d - 1) + b]!);
      }
    }
    for (let a = 0; a < d - 1; a++) {
      g[a]! += l2 * w[a]!;
      H[a * d + a]! += l2;
    }
    for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) H[a * d + b] = H[b * d + a]!;
    const step = solve(H, g, d);
    let mx = 0;
    for (let a = 0; a < d; a++) {
      w[a]! -= step[a]!;
      mx = Math.max(mx, Math.abs(step[a]!));
    }
    if (mx < 1e-8) break;
  }
  return { scaler, coef: Array.from(w.subarray(0, d - 1)), intercept: w[d - 1]! };
}

/** Conditional logit: P(row i wins its group) = softmax_g(w·z_i). `group` ids per row, contiguous. Damped Newton.
 *  `l2`: one penalty for every weight, or one per feature (a large one holds that weight near zero). */
export function fitConditionalLogit(
  x: Matrix,
  rows: number,
  y: ArrayLike<number>,
  group: ArrayLike<number>,
  features: string[],
  l2: number | ArrayLike<number> = 1,
  weight?: ArrayLike<number>,
  iters = 50,
): LogisticJSON {
  const scaler = fitScaler(x, rows, features);
  const z = applyScaler(scaler, x, rows);
  const d = features.length;
  if (typeof l2 !== 'number' && l2.length !== d) throw new Error(`fitConditionalLogit: ${l2.length} penalties for ${d} features`);
  const pen = Float64Array.from({ length: d }, (_, a) => (typeof l2 === 'number' ? l2 : l2[a]!));
  const p = new Float64Array(rows);
  const mz = new Float64Array(d);
  // loss, gradient and Hessian (lower triangle filled, then mirrored) at w
  const evalAt = (w: Float64Array, g?: Float64Array, H?: Float64Array): number => {
    let loss = 0;
    for (let a = 0; a < d; a++) loss += 0.5 * pen[a]! * w[a]! * w[a]!;
    for (let s = 0; s < rows; ) {
      let e = s;
      while (e < rows && group[e] === group[s]) e++;
      const wg = weight ? weight[s]! : 1;
      let m = -Infinity;
      for (let i = s; i < e; i++) {
        let u = 0;
        for (let f = 0; f < d; f++) u += w[f]! * z[i * d + f]!;
        p[i] = u;
        m = Math.max(m, u);
      }
      let tot = 0;
      for (let i = s; i < e; i++) tot += Math.exp(p[i]! - m);
      const lse = m + Math.log(tot);
      for (let i = s; i < e; i++) {
        loss -= wg * y[i]! * (p[i]! - lse);
        p[i] = Math.exp(p[i]! - lse);
      }
      if (g && H) {
        mz.fill(0);
        for (let i = s; i < e; i++)
          for (let f = 0; f < d; f++) {
            mz[f]! += p[i]! * z[i * d + f]!;
            g[f]! += wg * (p[i]! - y[i]!) * z[i * d + f]!;
          }
        for (let i = s; i < e; i++)
          for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) H[a * d + b]! += wg * p[i]! * z[i * d + a]! * z[i * d + b]!;
        for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) H[a * d + b]! -= wg * mz[a]! * mz[b]!;
      }
      s = e;
    }
    if (g && H)
      for (let a = 0; a < d; a++) {
        g[a]! += pen[a]! * w[a]!;
        H[a * d + a]! += pen[a]!;
        for (let b = a + 1; b < d; b++) H[a * d + b] = H[b * d + a]!;
      }
    return loss;
  };
  let w = new Float64Array(d);
  for (let it = 0; it < iters; it++) {
    const g = new Float64Array(d);
    const H = new Float64Array(d * d);
    const loss = evalAt(w, g, H);
    const step = solve(H, g, d);
    let t = 1;
    let next = w;
    for (let k = 0; k < 30; k++, t /= 2) {
      next = Float64Array.from(w, (v, a) => v - t * step[a]!);
      if (evalAt(next) <= loss) break;
    }
    const moved = Math.max(...next.map((v, a) => Math.abs(v - w[a]!)));
    w = next;
    if (moved < 1e-8) break;
  }
  return { scaler, coef: Array.from(w), intercept: 0 };
}

/** Log-odds (binary) or utility (conditional) per row. */
export function logisticMargin(m: LogisticJSON, x: Matrix, rows: number): Float64Array {
  const z = applyScaler(m.scaler, x, rows);
  const c = m.coef.length;
  return Float64Array.from({ length: rows }, (_, r) => {
    let s = m.intercept;
    for (let f = 0; f < c; f++) s += m.coef[f]! * z[r * c + f]!;
    return s;
  });
}

/** Solves A x = b (A symmetric positive definite, d×d) by Gaussian elimination with partial pivoting. */
function solve(A: Float64Array, b: Float64Array, d: number): Float64Array {
  const M = Float64Array.from(A);
  const v = Float64Array.from(b);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(M[r * d + c]!) > Math.abs(M[p * d + c]!)) p = r;
    if (p !== c) {
      for (let k = 0; k < d; k++) [M[c * d + k], M[p * d + k]] = [M[p * d + k]!, M[c * d + k]!];
      [v[c], v[p]] = [v[p]!, v[c]!];
    }
    const piv = M[c * d + c]! || 1e-12;
    for (let r = c + 1; r < d; r++) {
      const f = M[r * d + c]! / piv;
      if (!f) continue;
      for (let k = c; k < d; k++) M[r * d + k]! -= f * M[c * d + k]!;
      v[r]! -= f * v[c]!;
    }
  }
  const out = new Float64Array(d);
  for (let r = d - 1; r >= 0; r--) {
    let s = v[r]!;
    for (let k = r + 1; k < d; k++) s -= M[r * d + k]! * out[k]!;
    out[r] = s / (M[r * d + r]! || 1e-12);
  }
  return out;
}
