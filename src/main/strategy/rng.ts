// Seeded PRNG (mulberry32) with normal and exponential draws: the simulator is deterministic under a seed.
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
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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
