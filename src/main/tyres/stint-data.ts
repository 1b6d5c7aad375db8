// Stint-forecast samples (issue #5): observe OBS clean laps of a stint, forecast the next HORIZON clean laps.
// Evaluation uses the stint's first OBS clean laps (stints with ≥ OBS + HORIZON clean laps); training also uses later
// windows. Everything in a sample is known when the last observed lap ends, except the queried laps' tyre age and lap
// number (what a forecast is asked for). Targets are fuel-corrected times relative to the observed reference pace.
import { compoundIndex } from '../race/compounds.js';
import { carAhead, fieldEvolution, fieldPace, gapAhead, raceContext, type RaceContext } from './context.js';
import { FUEL_S_PER_KG, fuelKg, START_FUEL_KG } from '../race/fuel.js';
import { raceStints, type RaceLap, type RaceLaps, type Stint } from '../race/laps.js';
import { median } from '../util/stats.js';
import type { DryCompound } from '../../shared/domain.js';

export const OBS = 5;
export const HORIZON = 10;
/** Per observed lap: fc − ref, tyre age, lap offset to the last observed, gap ahead, raw lap − ref (incl. fuel). */
export const OBS_F = 5;
/** Context: compound one-hot (3), softness, stint no, race progress, fuel, start tyre age, field evolution (2),
 *  pace vs field, clean laps before the window, circuit prior slope, car ahead's pace vs ref, gap-ahead change,
 *  and this race's analogs (other stints' drift after their own first OBS clean laps, completed by now): same compound,
 *  any compound, their counts, and this driver's own earlier stints. */
export const CTX_F = 20;
/** Per query: Δ tyre age, Δ lap, fuel effect change (s). */
export const Q_F = 3;

export interface StintSample {
  season: number;
  circuit: string;
  driver: string;
  compound: DryCompound;
  /** Index of the first observed clean lap within the stint's clean laps (0 = the evaluation window). */
  offset: number;
  obs: Float32Array; // OBS × OBS_F
  ctx: Float32Array; // CTX_F
  q: Float32Array; // HORIZON × Q_F
  /** Targets (fc − ref), 0 where masked. */
  y: Float32Array; // HORIZON
  mask: Float32Array; // HORIZON
  /** ref (fuel-corrected) and the observed laps, to turn outputs back into lap times. */
  ref: number;
  lastLap: number;
  lastAge: number;
  /** Statistical prior per query (s): ref + fuel + this race's analog drift (else the circuit slope × Δage). */
  stat: Float32Array;
  /** Per query: fuel effect (s) of the queried lap, actual lap time (NaN if masked), tyre age. */
  fuel: Float32Array;
  actual: Float32Array;
  age: Float32Array;
}

/** Prior slopes (s per lap of tyre age, fuel-corrected) by `${circuit}/${compound}`, with a per-compound fallback. */
export type SlopePrior = (circuit: string, compound: DryCompound) => number;

const clip = (v: number, lo: number, hi: number) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : 0);

interface Window {
  driver: string;
  compound: DryCompound;
  ref: number;
  /** Later clean laps: end time, fc − ref. */
  after: { end: number; d: number }[];
}

const windows = new WeakMap<RaceContext, Window[]>();

/** Every stint's first OBS clean laps and what followed (for the in-race analog features). */
function raceWindows(ctx: RaceContext): Window[] {
  let w = windows.get(ctx);
  if (w) return w;
  w = [];
  for (const s of raceStints(ctx.race)) {
    if (s.clean.length <= OBS) continue;
    const ref = s.clean[OBS - 1]!.fc;
    const after = s.clean
      .slice(OBS, OBS + HORIZON)
      .filter((l) => l.end !== null)
      .map((l) => ({ end: l.end!, d: l.fc - ref }));
    w.push({ driver: s.driver, compound: s.compound, ref, after });
  }
  windows.set(ctx, w);
  return w;
}

/** Median drift (fc − ref) of analog windows' later laps completed by t, and how many windows contributed. */
function analog(ws: readonly Window[], t: number, keep: (w: Window) => boolean): [number, number] {
  const per: number[] = [];
  for (const w of ws) {
    if (!keep(w)) continue;
    const ds = w.after.filter((a) => a.end <= t).map((a) => a.d);
    if (ds.length >= 3) per.push(median(ds));
  }
  return [per.length ? median(per) : 0, per.length];
}

/** Builds one sample from a stint: clean laps [offset, offset+OBS) observed, the next ≤ HORIZON as queries. */
export function stintSample(
  ctx: RaceContext,
  s: Stint,
  offset: number,
  prior: SlopePrior,
  queries?: { tyreAge: number; lap: number }[],
): StintSample | null {
  const obs = s.clean.slice(offset, offset + OBS);
  if (obs.length < OBS) return null;
  const race = ctx.race;
  const last = obs[OBS - 1]!;
  const t = last.end ?? Number.NaN;
  // reference pace: the last observed lap, fuel-corrected (a residual on it forecasts best, as for the next lap)
  const ref = last.fc;
  const targets: { tyreAge: number; lap: number; l?: RaceLap }[] =
    queries ?? s.clean.slice(offset + OBS, offset + OBS + HORIZON).map((l) => ({ tyreAge: l.tyreAge ?? 0, lap: l.lap, l }));
  if (targets.length === 0) return null;
  const o = new Float32Array(OBS * OBS_F);
  obs.forEach((l, i) => {
    o.set(
      [clip(l.fc - ref, -5, 5), (l.tyreAge ?? 0) / 30, (l.lap - last.lap) / 10, clip(gapAhead(ctx, l), 0, 5) / 5, clip(l.lapTime! - last.lapTime!, -5, 5)],
      i * OBS_F,
    );
  });
  const c = new Float32Array(CTX_F);
  const ci = compoundIndex(s.compound);
  c[ci] = 1;
  const soft = last.softness;
  c[3] = Number.isFinite(soft) ? soft / 5 : 0.5;
  c[4] = Math.min(s.stint, 4) / 4;
  c[5] = last.lap / race.totalLaps;
  c[6] = last.fuel / START_FUEL_KG;
  c[7] = Math.min(s.laps[0]!.tyreAge ?? 1, 20) / 20;
  c[8] = clip(fieldEvolution(ctx, t, 20), -2, 2);
  c[9] = clip(fieldEvolution(ctx, t, 60), -2, 2);
  c[10] = clip(ref - fieldPace(ctx, t, 40), -3, 3);
  c[11] = Math.min(offset, 30) / 30;
  c[12] = clip(prior(race.circuit, s.compound), -0.3, 0.5) * 10;
  const ahead = carAhead(ctx, last);
  c[13] = ahead && ahead.lapTime !== null && gapAhead(ctx, last) < 3 ? clip(ahead.fc - ref, -3, 3) : 0;
  const prevObs = obs[OBS - 2]!;
  c[14] = prevObs.lap === last.lap - 1 ? clip(gapAhead(ctx, last) - gapAhead(ctx, prevObs), -2, 2) : 0;
  const ws = raceWindows(ctx);
  const [same, nSame] = analog(ws, t, (w) => w.compound === s.compound && w.driver !== s.driver);
  const [any, nAny] = analog(ws, t, (w) => w.driver !== s.driver);
  const [own] = analog(ws, t, (w) => w.driver === s.driver);
  c[15] = clip(same, -2, 2);
  c[16] = clip(any, -2, 2);
  c[17] = Math.min(nSame, 10) / 10;
  c[18] = Math.min(nAny, 20) / 20;
  c[19] = clip(own, -2, 2);
  const q = new Float32Array(HORIZON * Q_F);
  const y = new Float32Array(HORIZON);
  const mask = new Float32Array(HORIZON);
  const fuel = new Float32Array(HORIZON);
  const actual = new Float32Array(HORIZON).fill(Number.NaN);
  const age = new Float32Array(HORIZON);
  const lastAge = last.tyreAge ?? 0;
  const stat = new Float32Array(HORIZON);
  const slopeNow = prior(race.circuit, s.compound);
  targets.slice(0, HORIZON).forEach((tg, i) => {
    const fuelNow = FUEL_S_PER_KG * fuelKg(tg.lap, race.totalLaps);
    const fuelThen = FUEL_S_PER_KG * last.fuel;
    q.set([(tg.tyreAge - lastAge) / 10, (tg.lap - last.lap) / 10, fuelNow - fuelThen], i * Q_F);
    fuel[i] = Math.max(0, fuelNow);
    age[i] = tg.tyreAge;
    const drift = nSame >= 3 ? same : nAny >= 3 ? any : slopeNow * (tg.tyreAge - lastAge);
    stat[i] = ref + fuel[i]! + clip(drift, -3, 3);
    if (tg.l) {
      y[i] = clip(tg.l.fc - ref, -8, 8);
      mask[i] = 1;
      actual[i] = tg.l.lapTime!;
    }
  });
  return {
    season: race.season,
    circuit: race.circuit,
    driver: s.driver,
    compound: s.compound,
    offset,
    obs: o,
    ctx: c,
    q,
    y,
    mask,
    ref,
    lastLap: last.lapTime!,
    lastAge,
    stat,
    fuel,
    actual,
    age,
  };
}

/** Evaluation samples: first OBS clean laps of every stint with ≥ OBS + HORIZON clean laps. */
export function evalSamples(races: readonly RaceLaps[], prior: SlopePrior): StintSample[] {
  const out: StintSample[] = [];
  for (const race of races) {
    const ctx = raceContext(race);
    for (const s of raceStints(race)) {
      if (s.clean.length < OBS + HORIZON) continue;
      const smp = stintSample(ctx, s, 0, prior);
      if (smp) out.push(smp);
    }
  }
  return out;
}

/** Training samples: windows at offsets 0, step, 2·step … of every stint with ≥ OBS + 1 clean laps from there. */
export function trainSamples(races: readonly RaceLaps[], prior: SlopePrior, step = 4): StintSample[] {
  const out: StintSample[] = [];
  for (const race of races) {
    const ctx = raceContext(race);
    for (const s of raceStints(race))
      for (let off = 0; off + OBS < s.clean.length; off += step) {
        const smp = stintSample(ctx, s, off, prior);
        if (smp) out.push(smp);
      }
  }
  return out;
}
