// Loss functions of the GBDT: initial score, first/second-order gradients, and the validation metric (lower = better).

export type Objective = 'binary' | 'regression' | 'huber' | 'conditional-logit';

export interface Labels {
  y: ArrayLike<number>;
  weight?: ArrayLike<number> | undefined;
  /** Group id per row, rows of a group contiguous (conditional-logit: one race = one group). */
  group?: ArrayLike<number> | undefined;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function initScore(obj: Objective, d: Labels, rows: number): number {
  const w = (i: number) => (d.weight ? d.weight[i]! : 1);
  if (obj === 'conditional-logit') return 0;
  if (obj === 'huber') {
    const ys = Float64Array.from({ length: rows }, (_, i) => d.y[i]!).sort();
    return rows ? ys[rows >> 1]! : 0;
  }
  let s = 0;
  let sw = 0;
  for (let i = 0; i < rows; i++) {
    s += w(i) * d.y[i]!;
    sw += w(i);
  }
  const mean = sw > 0 ? s / sw : 0;
  if (obj === 'binary') {
    const p = Math.min(1 - 1e-6, Math.max(1e-6, mean));
    return Math.log(p / (1 - p));
  }
  return mean;
}

/** Iterates contiguous groups: calls fn(start, end). */
export function forEachGroup(group: ArrayLike<number>, rows: number, fn: (start: number, end: number) => void): void {
  let s = 0;
  for (let i = 1; i <= rows; i++) {
    if (i === rows || group[i] !== group[s]) {
      fn(s, i);
      s = i;
    }
  }
}

export function gradients(
  obj: Objective,
  d: Labels,
  rows: number,
  f: Float64Array,
  g: Float64Array,
  h: Float64Array,
  huberDelta: number,
): void {
  const wt = d.weight;
  if (obj === 'conditional-logit') {
    if (!d.group) throw new Error('conditional-logit needs a group per row');
    forEachGroup(d.group, rows, (s, e) => {
      let m = -Infinity;
      for (let i = s; i < e; i++) m = Math.max(m, f[i]!);
      let z = 0;
      for (let i = s; i < e; i++) z += Math.exp(f[i]! - m);
      for (let i = s; i < e; i++) {
        const p = Math.exp(f[i]! - m) / z;
        const w = wt ? wt[i]! : 1;
        g[i] = (p - d.y[i]!) * w;
        h[i] = Math.max(p * (1 - p), 1e-16) * w;
      }
    });
    return;
  }
  for (let i = 0; i < rows; i++) {
    const w = wt ? wt[i]! : 1;
    const y = d.y[i]!;
    if (obj === 'binary') {
      const p = sigmoid(f[i]!);
      g[i] = (p - y) * w;
      h[i] = Math.max(p * (1 - p), 1e-16) * w;
    } else if (obj === 'huber') {
      const r = f[i]! - y;
      g[i] = (Math.abs(r) <= huberDelta ? r : Math.sign(r) * huberDelta) * w;
      h[i] = w;
    } else {
      g[i] = (f[i]! - y) * w;
      h[i] = w;
    }
  }
}

/** Validation metric (lower is better): logloss, rmse, or mean −ln p(positive) per group. */
export function metric(obj: Objective, d: Labels, rows: number, f: Float64Array): number {
  if (obj === 'conditional-logit') {
    let s = 0;
    let n = 0;
    forEachGroup(d.group!, rows, (a, e) => {
      let m = -Infinity;
      for (let i = a; i < e; i++) m = Math.max(m, f[i]!);
      let z = 0;
      for (let i = a; i < e; i++) z += Math.exp(f[i]! - m);
      for (let i = a; i < e; i++)
        if (d.y[i]! > 0) {
          s += -(f[i]! - m - Math.log(z));
          n++;
        }
    });
    return n ? s / n : 0;
  }
  let s = 0;
  let sw = 0;
  for (let i = 0; i < rows; i++) {
    const w = d.weight ? d.weight[i]! : 1;
    const y = d.y[i]!;
    if (obj === 'binary') {
      const p = Math.min(1 - 1e-15, Math.max(1e-15, sigmoid(f[i]!)));
      s += -w * (y * Math.log(p) + (1 - y) * Math.log(1 - p));
    } else s += w * (f[i]! - y) ** 2;
    sw += w;
  }
  const v = sw ? s / sw : 0;
  return obj === 'binary' ? v : Math.sqrt(v);
}

export function transform(obj: Objective, raw: number): number {
  return obj === 'binary' ? sigmoid(raw) : raw;
}
