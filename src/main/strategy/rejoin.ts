// Rejoin prediction: from the state at the end of lap L−1, if a car boxes on lap L, where is it after its out-lap
// L+1? Within two green laps the cars that stay out rarely swap places, so they keep their running order (each
// projected at its recent pace, never ahead of the car in front); the pitting cars — this one, the others boxing on
// L (full loss) or L+1 (in-lap only), and any car on its out-lap on L — are inserted by projected time. Monte Carlo
// over the circuit's pit-loss spread and lap-time noise gives the distribution; `position` is the most likely one.
import { hashSeed, Rng } from '../util/rng.js';
import { median, quantile } from '../util/stats.js';
import type { RejoinPrediction, Spread } from '../../shared/domain.js';
import type { CircuitPitLoss } from './pit-loss.js';
import { PACE_WINDOW } from './pit-loss.js';
import { recentPace, type RaceState } from './race-state.js';

/** The model's constants; the defaults were chosen on the 2019–2022 stops (bench/rejoin-tune.mjs, README). */
export interface RejoinParams {
  sigma: number; // lap-time noise per car and lap (s)
  follow: number; // the closest a car that stays out follows the one ahead (s)
  window: number; // clean laps in a car's recent pace
}
export const REJOIN_PARAMS: RejoinParams = { sigma: 0.5, follow: 0, window: 3 };
export const SAMPLES = 2000;
export type { RejoinPrediction };

/** Other cars' stops on laps L and L+1: taken from the race ('known', the evaluation and the CLI) or none. */
export type OtherStops = 'known' | 'none';

interface Car {
  code: string;
  t0: number; // session time at the end of lap L−1
  pace: number;
  /** Loss already certain at L−1 or known to come: 'full' (boxes on L), 'in' (boxes on L+1), 'out' (out-lap on L). */
  stop: 'full' | 'in' | 'out' | null;
}

/** The field at the end of lap L−1: every car with a lap-end time, ordered on the road by that time. */
export function fieldAt(race: RaceState, driver: string, lap: number, others: OtherStops, window = PACE_WINDOW): Car[] {
  const cars: Car[] = [];
  const paces: number[] = [];
  for (const [code, laps] of race.drivers) {
    const prev = laps[lap - 1];
    if (!prev || prev.end === null) continue;
    const pace = recentPace(laps, lap - 1, window);
    if (Number.isFinite(pace)) paces.push(pace);
    const known = others === 'known' || code === driver;
    const stop: Car['stop'] =
      code === driver ? 'full'
      : prev.pitIn ? 'out'
      : known && laps[lap]?.pitIn ? 'full'
      : known && laps[lap + 1]?.pitIn ? 'in'
      : null;
    cars.push({ code, t0: prev.end, pace: Number.isFinite(pace) ? pace : (prev.time ?? Number.NaN), stop });
  }
  const fieldPace = median(paces);
  for (const c of cars) if (!Number.isFinite(c.pace) || c.pace > fieldPace * 1.15) c.pace = fieldPace;
  return cars.sort((a, b) => a.t0 - b.t0);
}

/** Projected session times at the end of lap L+1 of every car, for one draw of loss and noise. */
function project(cars: readonly Car[], ego: number, egoLoss: number, pit: CircuitPitLoss, p: RejoinParams, rng: Rng, out: Float64Array): void {
  let prevStay = -Infinity;
  const noise = (): number => rng.normal() * p.sigma * Math.SQRT2;
  for (let i = 0; i < cars.length; i++) {
    const c = cars[i]!;
    const t = c.t0 + 2 * c.pace + noise();
    if (i === ego) out[i] = t + egoLoss;
    else if (c.stop === 'full') out[i] = t + draw(pit.samples, rng);
    else if (c.stop === 'in') out[i] = t + pit.green.inLap;
    else if (c.stop === 'out') out[i] = t + pit.green.outLap;
    else out[i] = prevStay = Math.max(t, prevStay + p.follow);
  }
}

const draw = (xs: readonly number[], rng: Rng): number => xs[Math.floor(rng.next() * xs.length)] ?? Number.NaN;

/** The rejoin distribution of `driver` boxing on lap `lap` of `race`, with the circuit's pit loss `pit`. */
export function predictRejoin(
  race: RaceState,
  driver: string,
  lap: number,
  pit: CircuitPitLoss,
  opts: { others?: OtherStops; samples?: number; seed?: number; params?: RejoinParams } = {},
): RejoinPrediction | null {
  const params = opts.params ?? REJOIN_PARAMS;
  const cars = fieldAt(race, driver, lap, opts.others ?? 'known', params.window);
  const ego = cars.findIndex((c) => c.code === driver);
  if (ego < 0 || !pit.samples.length) return null;
  const n = opts.samples ?? SAMPLES;
  const rng = new Rng(hashSeed(opts.seed ?? 1, `${race.season}/${race.round}/${driver}/${lap}`));
  const times = new Float64Array(cars.length);
  const counts = new Map<number, number>();
  const perPos = new Map<number, { ahead: Map<string, number[]>; behind: Map<string, number[]> }>();
  for (let k = 0; k < n; k++) {
    project(cars, ego, draw(pit.samples, rng), pit, params, rng, times);
    const mine = times[ego]!;
    let pos = 1;
    let ahead = -1;
    let behind = -1;
    for (let j = 0; j < cars.length; j++) {
      if (j === ego) continue;
      const t = times[j]!;
      if (t < mine) {
        pos++;
        if (ahead < 0 || t > times[ahead]!) ahead = j;
      } else if (behind < 0 || t < times[behind]!) behind = j;
    }
    counts.set(pos, (counts.get(pos) ?? 0) + 1);
    let g = perPos.get(pos);
    if (!g) perPos.set(pos, (g = { ahead: new Map(), behind: new Map() }));
    if (ahead >= 0) push(g.ahead, cars[ahead]!.code, mine - times[ahead]!);
    if (behind >= 0) push(g.behind, cars[behind]!.code, times[behind]! - mine);
  }
  const position = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
  const probabilities: Record<string, number> = {};
  for (const [p, c] of [...counts].sort((a, b) => a[0] - b[0])) probabilities[String(p)] = round(c / n, 3);
  const g = perPos.get(position)!;
  const [carAhead, aheadGaps] = commonest(g.ahead);
  const [carBehind, behindGaps] = commonest(g.behind);
  const prev = race.drivers.get(driver)?.[lap - 1];
  return {
    season: race.season,
    round: race.round,
    driver,
    lap,
    position,
    probabilities,
    gapAhead: aheadGaps ? round(median(aheadGaps), 2) : null,
    gapBehind: behindGaps ? round(median(behindGaps), 2) : null,
    carAhead,
    carBehind,
    gapAheadRange: aheadGaps ? range(aheadGaps) : null,
    gapBehindRange: behindGaps ? range(behindGaps) : null,
    pitLoss: { p10: round(pit.green.p10, 2), p50: round(pit.green.p50, 2), p90: round(pit.green.p90, 2) },
    current: prev?.position ?? null,
  };
}

function push(m: Map<string, number[]>, k: string, v: number): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

function commonest(m: Map<string, number[]>): [string | null, number[] | null] {
  let best: [string | null, number[] | null] = [null, null];
  for (const [k, v] of m) if (!best[1] || v.length > best[1].length) best = [k, v];
  return best;
}

const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;
const range = (xs: number[]): Spread => {
  const s = Float64Array.from(xs).sort();
  return { p10: round(quantile(s, 0.1, true), 2), p50: round(quantile(s, 0.5, true), 2), p90: round(quantile(s, 0.9, true), 2) };
};
