// The one seeded PRNG of the engine (mulberry32): models, calibration, commentary and the race simulator are
// reproducible under a seed.

/** One mulberry32 step: the next 32-bit state and its uniform draw in [0, 1). */
function step(state: number): [number, number] {
  const a = (state + 0x6d2b79f5) >>> 0;
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [a, ((t ^ (t >>> 14)) >>> 0) / 4294967296];
}

/** Uniform draws in [0, 1) from a 32-bit state. */
export function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    const [next, u] = step(a);
    a = next;
    return u;
  };
}

/** mulberry32 with seed 0 mapped to a non-zero state (bagging, feature sampling, shuffles). */
export const seededRng = (seed: number): (() => number) => mulberry32(seed >>> 0 || 0x9e3779b9);

/** Mixes a string key into a seed (e.g. one stream per event id). */
export function hashSeed(seed: number, key: string): number {
  let h = seed >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 2654435761) >>> 0;
  return h;
}

/** The same generator with normal, exponential and weighted draws, and reseeding (the simulator's). */
export class Rng {
  private s: number;
  private spare = NaN;

  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }

  reseed(seed: number): void {
    this.s = seed >>> 0 || 0x9e3779b9;
    this.spare = NaN;
  }

  /** Uniform in [0, 1). */
  next(): number {
    const [s, u] = step(this.s);
    this.s = s;
    return u;
  }

  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    let u = 0;
    while (u <= 1e-12) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Index drawn from unnormalised weights. */
  pick(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i]!;
    let u = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]!;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }
}
