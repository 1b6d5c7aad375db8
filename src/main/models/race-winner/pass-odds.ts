// How often a model exactly as good as it claims would pass a bar against a baseline: winners drawn from the model's
// own probabilities (seeded), the bar scored on each draw. A bar a calibrated model fails a third of the time cannot
// tell a better model from luck on that many races; a result far outside these odds says the model is wrong.
import { mulberry32 } from '../../util/rng.js';
import type { Groups } from './metrics.js';

const DRAWS = 20_000;

function drawWinner(p: ArrayLike<number>, s: number, e: number, rand: () => number): number {
  let z = 0;
  for (let i = s; i < e; i++) z += p[i]!;
  let u = rand() * z;
  for (let i = s; i < e - 1; i++) if ((u -= p[i]!) <= 0) return i;
  return e - 1;
}

function argmax(p: ArrayLike<number>, s: number, e: number): number {
  let b = s;
  for (let i = s + 1; i < e; i++) if (p[i]! > p[b]!) b = i;
  return b;
}

export interface Top1Bar {
  /** Pooled top1 must reach the baseline's + this. */
  margin: number;
  /** No season may fall more than this many races below the baseline's top1. */
  seasonDeficit: number;
}
export interface Top1Odds {
  draws: number;
  pooled_margin: number;
  every_season: number;
  both: number;
  /** Per season: how often that season alone breaks the deficit rule. */
  season_fails: Record<string, number>;
}

/** Top1 of the favourite (argmax p) against the baseline's favourite (argmax base), per season and pooled. */
export function top1PassOdds(p: ArrayLike<number>, base: ArrayLike<number>, groups: Groups, seasonOf: ArrayLike<number>, bar: Top1Bar, seed = 1, draws = DRAWS): Top1Odds {
  const rand = mulberry32(seed);
  const seasons = [...new Set(Array.from(seasonOf))].sort((a, b) => a - b);
  const fav = groups.map(([s, e]) => argmax(p, s, e));
  const bfav = groups.map(([s, e]) => argmax(base, s, e));
  const fails = new Map(seasons.map((s) => [s, 0]));
  let pooled = 0;
  let every = 0;
  let both = 0;
  for (let k = 0; k < draws; k++) {
    const diff = new Map(seasons.map((s) => [s, 0]));
    let total = 0;
    groups.forEach(([s, e], g) => {
      const w = drawWinner(p, s, e, rand);
      const d = (w === fav[g] ? 1 : 0) - (w === bfav[g] ? 1 : 0);
      diff.set(seasonOf[g]!, diff.get(seasonOf[g]!)! + d);
      total += d;
    });
    const okPooled = total / groups.length >= bar.margin - 1e-9;
    let okSeasons = true;
    for (const [s, d] of diff)
      if (d < -bar.seasonDeficit - 1e-9) {
        okSeasons = false;
        fails.set(s, fails.get(s)! + 1);
      }
    pooled += okPooled ? 1 : 0;
    every += okSeasons ? 1 : 0;
    both += okPooled && okSeasons ? 1 : 0;
  }
  const r = (n: number) => Math.round((n / draws) * 1000) / 1000;
  return { draws, pooled_margin: r(pooled), every_season: r(every), both: r(both), season_fails: Object.fromEntries([...fails].map(([s, n]) => [String(s), r(n)])) };
}

export interface LoglossOdds {
  draws: number;
  /** Per group set (e.g. a checkpoint): how often the mean −ln P(winner) is below every baseline's. */
  each: number[];
  /** How often that holds for every set at once (sets drawn independently). */
  all: number;
}

/** Mean −ln P(winner) of `p` against each baseline over each set of groups (each group sums to one in every input). */
export function loglossPassOdds(p: ArrayLike<number>, baselines: ArrayLike<number>[], sets: Groups[], seed = 1, draws = DRAWS): LoglossOdds {
  const rand = mulberry32(seed);
  const wins = sets.map(() => 0);
  let all = 0;
  for (let k = 0; k < draws; k++) {
    let ok = true;
    sets.forEach((gs, j) => {
      const d = baselines.map(() => 0);
      for (const [s, e] of gs) {
        const w = drawWinner(p, s, e, rand);
        const lp = Math.log(Math.max(p[w]!, 1e-12));
        baselines.forEach((b, i) => (d[i]! += lp - Math.log(Math.max(b[w]!, 1e-12))));
      }
      if (d.every((x) => x > 0)) wins[j]!++;
      else ok = false;
    });
    all += ok ? 1 : 0;
  }
  const r = (n: number) => Math.round((n / draws) * 1000) / 1000;
  return { draws, each: wins.map(r), all: r(all) };
}
