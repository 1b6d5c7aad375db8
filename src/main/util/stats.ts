// The engine's one median and one quantile. Both take unsorted samples, ignore nothing, and return NaN for an
// empty sample: a caller that wants a default says so (`median(xs) || 90` reads as "90 when there is no data").

/** Median (mean of the two middle values for an even count); NaN when `xs` is empty. */
export function median(xs: ArrayLike<number>): number {
  return quantile(xs, 0.5);
}

/**
 * The q-quantile by linear interpolation between order statistics (R's type 7, numpy's default); NaN when `xs` is
 * empty. `sorted` skips the copy and sort when the caller already holds the sample ascending.
 */
export function quantile(xs: ArrayLike<number>, q: number, sorted = false): number {
  const n = xs.length;
  if (n === 0) return Number.NaN;
  const s = sorted ? xs : Float64Array.from(xs).sort();
  const pos = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
