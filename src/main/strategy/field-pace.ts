// Valuing pit options from the field's recent lap times, for the conditions the race simulator does not model:
// rain, drying tracks, a car on intermediates or wets. The simulator and its tyre model know only the dry compounds
// (and the shipped PPO agent's actions are stay / SOFT / MEDIUM / HARD), so in wet or mixed conditions the
// recommender compares, per compound, what the cars on it lapped in the last `WINDOW` laps, each lap relative to
// that car's own dry reference pace, over a short horizon, with a bootstrap for the uncertainty.
import type { RaceCompound } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { raceCompound } from '../race/compounds.js';
import { median } from '../util/stats.js';
import { seededRng } from '../util/rng.js';
import type { RaceModel } from './race-model.js';

export const WINDOW = 3; // completed laps of evidence
export const HORIZON = 10; // laps the current conditions are assumed to last

export interface PaceState {
  lap: number; // completed laps (the decision is at the end of lap + 1)
  cum: ArrayLike<number>;
  retired: ArrayLike<number>;
  tyre: readonly (RaceCompound | null)[]; // each car's compound at the start of lap + 1
}

export interface PaceOption {
  compound: RaceCompound | null; // null: stay out
  times: Float64Array; // per run: time over the horizon (pit loss included)
  positions: number[]; // per run: position after the horizon
}

export interface PaceResult {
  horizon: number;
  options: PaceOption[]; // stay first; only compounds with evidence
  missing: RaceCompound[]; // candidates no car ran in the window
}

/** Stay out vs a stop for each candidate compound, valued over min(HORIZON, laps left) laps. */
export function fieldPaceOptions(
  db: Db,
  m: RaceModel,
  s: PaceState,
  car: number,
  candidates: readonly RaceCompound[],
  pitLoss: number,
  runs: number,
): PaceResult {
  const horizon = Math.min(HORIZON, m.nLaps - (s.lap + 1));
  const rows = db
    .prepare(
      `SELECT lap_number AS lap, driver, lap_time_s AS t, compound FROM laps WHERE season = ? AND round = ? AND session = 'race'
         AND lap_number BETWEEN ? AND ? AND lap_time_s IS NOT NULL AND pit_in_s IS NULL AND pit_out_s IS NULL`,
    )
    .all(m.season, m.round, s.lap - WINDOW + 1, s.lap) as { lap: number; driver: string; t: number; compound: string | null }[];
  const idx = new Map(m.codes.map((c, i) => [c, i]));
  // conditions change lap by lap in the rain: each lap time is taken relative to the car's dry pace and to that lap's
  // field median, then the projection adds back the last lap's field median
  const perLap = new Map<number, number[]>();
  for (const r of rows) {
    const i = idx.get(r.driver);
    if (i !== undefined) (perLap.get(r.lap) ?? perLap.set(r.lap, []).get(r.lap)!).push(r.t - m.pace[i]!);
  }
  const lapMedian = new Map([...perLap].map(([l, ys]) => [l, median(ys)]));
  const latest = lapMedian.get(Math.max(...lapMedian.keys())) ?? 0;
  const byCompound = new Map<RaceCompound, number[]>();
  const own: number[][] = Array.from({ length: m.nCars }, () => []);
  for (const r of rows) {
    const i = idx.get(r.driver);
    const c = raceCompound(r.compound);
    if (i === undefined || c === null) continue;
    const y = r.t - m.pace[i]! - lapMedian.get(r.lap)! + latest;
    (byCompound.get(c) ?? byCompound.set(c, []).get(c)!).push(y);
    if (c === s.tyre[i]) own[i]!.push(y); // the set the car is on now
  }
  const all = [...byCompound.values()].flat();
  const sampleOf = (i: number): number[] => {
    if (own[i]!.length) return own[i]!;
    const c = s.tyre[i];
    return (c && byCompound.get(c)) || all;
  };
  const egoSample = sampleOf(car);
  const missing = candidates.filter((c) => !byCompound.get(c)?.length && c !== s.tyre[car]);
  if (!egoSample.length || horizon < 1) return { horizon: Math.max(0, horizon), options: [], missing: [...candidates] };
  const offered = candidates.filter((c) => byCompound.get(c)?.length);
  const rnd = seededRng(5000);
  const draw = (xs: readonly number[]): number => {
    const b = new Float64Array(xs.length);
    for (let k = 0; k < xs.length; k++) b[k] = xs[Math.floor(rnd() * xs.length)]!;
    return median(b);
  };
  const options: PaceOption[] = [null, ...offered].map((compound) => ({ compound, times: new Float64Array(runs), positions: [] }));
  const others = Array.from({ length: m.nCars }, (_, i) => i).filter((i) => i !== car && !s.retired[i]);
  const projected = new Float64Array(m.nCars);
  for (let k = 0; k < runs; k++) {
    for (const j of others) projected[j] = s.cum[j]! + horizon * draw(sampleOf(j));
    const stay = horizon * draw(egoSample);
    options.forEach((o) => {
      const t = o.compound === null ? stay : pitLoss + horizon * draw(byCompound.get(o.compound)!);
      o.times[k] = t;
      const mine = s.cum[car]! + t;
      let p = 1;
      for (const j of others) if (projected[j]! < mine) p++;
      o.positions.push(p);
    });
  }
  return { horizon, options, missing };
}
