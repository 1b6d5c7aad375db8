// Feature binning for histogram GBDT: per-feature quantile upper bounds; NaN gets its own bin (the last one).
// Bounds are float32-rounded so the TS predictor and ONNX (float inputs/thresholds) route rows identically.

export type Matrix = Float32Array | Float64Array;

export interface BinMapper {
  /** Upper bound of each non-NaN bin per feature (value <= upper[b] falls in bin b, first such b). */
  uppers: Float64Array[];
  /** Index of the NaN bin per feature (== uppers[f].length). */
  nanBin: Uint16Array;
}

/** Computes per-feature bin bounds from a row-major matrix (subsampled to at most `sample` rows). */
export function fitBins(x: Matrix, rows: number, cols: number, maxBins = 255, sample = 200_000): BinMapper {
  const nonNanBins = Math.max(2, Math.min(254, maxBins - 1));
  const step = rows > sample ? rows / sample : 1;
  const uppers: Float64Array[] = [];
  const nanBin = new Uint16Array(cols);
  const vals = new Float64Array(Math.min(rows, sample));
  for (let f = 0; f < cols; f++) {
    let n = 0;
    for (let i = 0; i < rows && n < vals.length; i += 1) {
      const r = step === 1 ? i : Math.floor(i * step);
      if (r >= rows) break;
      const v = x[r * cols + f]!;
      if (!Number.isNaN(v)) vals[n++] = v;
    }
    const sorted = vals.subarray(0, n).slice().sort();
    // distinct values with counts
    const distinct: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = sorted[i]!;
      if (distinct.length && distinct[distinct.length - 1] === v) counts[counts.length - 1]!++;
      else {
        distinct.push(v);
        counts.push(1);
      }
    }
    const bounds: number[] = [];
    if (distinct.length <= nonNanBins) {
      for (let i = 0; i + 1 < distinct.length; i++) bounds.push(mid(distinct[i]!, distinct[i + 1]!));
    } else {
      // equal-frequency cut points between distinct values
      let acc = 0;
      let next = n / nonNanBins;
      for (let i = 0; i + 1 < distinct.length; i++) {
        acc += counts[i]!;
        if (acc >= next) {
          bounds.push(mid(distinct[i]!, distinct[i + 1]!));
          while (next <= acc) next += n / nonNanBins;
          if (bounds.length >= nonNanBins - 1) break;
        }
      }
    }
    bounds.push(Infinity);
    // drop bounds that float32 cannot separate
    const u: number[] = [];
    for (const b of bounds) if (!Number.isNaN(b) && (!u.length || b > u[u.length - 1]!)) u.push(b);
    uppers.push(Float64Array.from(u));
    nanBin[f] = u.length;
  }
  return { uppers, nanBin };
}

/** A float32 threshold t with fround(a) <= t < fround(b), or NaN when a and b are the same float32. */
function mid(a: number, b: number): number {
  const fa = Math.fround(a);
  const fb = Math.fround(b);
  if (fa >= fb) return NaN;
  const m = Math.fround((fa + fb) / 2);
  return m >= fb ? fa : m;
}

/** Bin of one value. */
export function binOf(u: Float64Array, nanBin: number, v: number): number {
  if (Number.isNaN(v)) return nanBin;
  const fv = Math.fround(v);
  let lo = 0;
  let hi = u.length - 1;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (fv <= u[m]!) hi = m;
    else lo = m + 1;
  }
  return lo;
}

/** Column-major uint8 bin matrix: bins[f * rows + r]. */
export function applyBins(map: BinMapper, x: Matrix, rows: number, cols: number): Uint8Array {
  const out = new Uint8Array(rows * cols);
  for (let f = 0; f < cols; f++) {
    const u = map.uppers[f]!;
    const nb = map.nanBin[f]!;
    const base = f * rows;
    for (let r = 0; r < rows; r++) out[base + r] = binOf(u, nb, x[r * cols + f]!);
  }
  return out;
}
