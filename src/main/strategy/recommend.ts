// Live pit recommendation for a driver at a lap of a real race: the state comes from the laps table, the future
// from Monte-Carlo runs of the whole-field simulator (other cars follow their own DP plans from their current state)
// in the dry, and from the field's recent pace per compound (field-pace.ts) in wet or mixed conditions.
// Nothing is advised for a retired car or on the last lap (null); no plan stops before the lap asked; slicks are not
// offered while most of the field runs intermediates/wets, nor wet tyres on a dry track; a race's stint limit holds;
// "Stay out" when boxing's gain is inside its own p10–p90.
import type { Compound, PitAction, PitRecommendation, RaceCompound, StrategyPlanOption, TrackState } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { buildRaceModel, driverIndex, GREEN, majorityStatus, RED, SC, statusOf, VSC, type RaceModel } from './race-model.js';
import { RaceSim, STOCHASTIC, type SimOptions } from './sim.js';
import { compoundIndex, DRY, isWetCompound, raceCompound } from '../race/compounds.js';
import { WET_COMPOUNDS, RACE_COMPOUNDS } from '../../shared/domain.js';
import { quantile } from '../util/stats.js';
import { dpOptimum, pitCost, type CarState, type Stop } from './plan.js';
import { fieldPaceOptions } from './field-pace.js';

const PIT_ACTION: Record<RaceCompound, PitAction> = {
  SOFT: 'pit_soft',
  MEDIUM: 'pit_medium',
  HARD: 'pit_hard',
  INTERMEDIATE: 'pit_inter',
  WET: 'pit_wet',
};
/** At or above this share of the running field on intermediates/wets, slicks are not offered. */
export const WET_FIELD = 0.5;
/** At or below it (and the car on slicks), wet tyres are not offered and the race simulator values the options. */
export const DRY_FIELD = 0.2;

// calibrated race models per database, a few races deep (a replay asks lap after lap for the same race)
const models = new WeakMap<Db, Map<string, Promise<RaceModel>>>();
function cachedModel(db: Db, season: number, round: number): Promise<RaceModel> {
  let byRace = models.get(db);
  if (!byRace) models.set(db, (byRace = new Map()));
  const key = `${season}-${round}`;
  let p = byRace.get(key);
  if (!p) {
    p = buildRaceModel(db, season, round);
    p.catch(() => byRace.delete(key));
    byRace.set(key, p);
    if (byRace.size > 4) byRace.delete(byRace.keys().next().value!);
  }
  return p;
}

interface LiveState {
  lap: number;
  cum: Float64Array;
  order: Int32Array;
  comp: Int8Array;
  age: Int16Array;
  stops: Int8Array;
  used: Int8Array;
  retired: Uint8Array;
  status: Int8Array;
  tyre: (RaceCompound | null)[]; // compound at the start of lap + 1 (a stop at the end of `lap` is already made)
  stintLaps: Int16Array; // race laps on that set
  position: Int16Array; // timing position after `lap` (0 unknown)
}

interface LapRow {
  driver: string;
  lap: number;
  t: number | null;
  compound: string | null;
  age: number | null;
  stint: number | null;
  position: number | null;
  ts: string | null;
}

/**
 * Race state after `lap` completed laps, read from the laps table. A car's row of lap + 1 gives the tyres it starts
 * that lap on: a stop at the end of `lap` has been made by then (without it, the lap after a stop still showed the
 * old set and advised another stop).
 */
export function stateAt(db: Db, m: RaceModel, lap: number): LiveState {
  const rows = db
    .prepare(
      `SELECT driver, lap_number AS lap, time_s AS t, compound, tyre_life AS age, stint, position, track_status AS ts
       FROM laps WHERE season = ? AND round = ? AND session = 'race' AND lap_number <= ? ORDER BY lap_number`,
    )
    .all(m.season, m.round, lap + 1) as LapRow[];
  const n = m.nCars;
  const s: LiveState = {
    lap,
    cum: new Float64Array(n).fill(Infinity),
    order: new Int32Array(n),
    comp: Int8Array.from(m.startCompound),
    age: Int16Array.from(m.startAge, (a) => a - 1),
    stops: new Int8Array(n),
    used: Int8Array.from(m.startCompound, (c) => 1 << c),
    retired: new Uint8Array(n).fill(lap > 0 ? 1 : 0),
    status: new Int8Array(m.nLaps + 2),
    tyre: new Array<RaceCompound | null>(n).fill(null),
    stintLaps: new Int16Array(n),
    position: new Int16Array(n),
  };
  const idx = new Map(m.codes.map((c, i) => [c, i]));
  const perLap = new Map<number, number[]>();
  const stintOf = new Array<number | null>(n).fill(null);
  for (const r of rows) {
    const i = idx.get(r.driver);
    if (i === undefined) continue;
    (perLap.get(r.lap) ?? perLap.set(r.lap, []).get(r.lap)!).push(statusOf(r.ts));
    const c = compoundIndex(r.compound);
    if (r.lap > lap) {
      // the set it starts lap + 1 on
      const changed = r.stint !== null && stintOf[i] !== null && r.stint !== stintOf[i];
      s.tyre[i] = raceCompound(r.compound) ?? s.tyre[i]!;
      if (changed) {
        if (c >= 0) {
          s.comp[i] = c;
          s.used[i]! |= 1 << c;
        }
        s.age[i] = Math.max(0, (r.age ?? 1) - 1);
        s.stops[i] = r.stint! - 1;
        s.stintLaps[i] = 0;
      }
      continue;
    }
    if (c >= 0) {
      s.comp[i] = c;
      s.used[i]! |= 1 << c;
    }
    s.tyre[i] = raceCompound(r.compound) ?? s.tyre[i]!;
    if (r.age !== null) s.age[i] = r.age;
    if (r.stint !== null) {
      s.stintLaps[i] = r.stint === stintOf[i] ? s.stintLaps[i]! + 1 : 1;
      stintOf[i] = r.stint;
      s.stops[i] = r.stint - 1;
    } else s.stintLaps[i]!++;
    if (r.lap === lap) {
      s.retired[i] = 0;
      if (r.t !== null) s.cum[i] = r.t;
      s.position[i] = r.position ?? 0;
    }
  }
  // out of the race: not classified and past the laps it completed (a retiring car's last, unfinished lap may be
  // in the timing data)
  for (let i = 0; i < n; i++) if (m.actualPosition[i] === 0 && m.retireLap[i]! > 0 && lap > m.retireLap[i]!) s.retired[i] = 1;
  for (const [l, sts] of perLap) {
    const counts = [0, 0, 0, 0];
    for (const x of sts) counts[x]!++;
    s.status[l] = majorityStatus(counts);
  }
  // race time: gaps from the session clock, the leader's elapsed time estimated (only differences matter)
  let lead = Infinity;
  for (let i = 0; i < n; i++) if (!s.retired[i] && Number.isFinite(s.cum[i]!)) lead = Math.min(lead, s.cum[i]!);
  const elapsed = m.actualStatus.length ? estimateElapsed(m, lap) : 0;
  for (let i = 0; i < n; i++) s.cum[i] = Number.isFinite(s.cum[i]!) && !s.retired[i] ? s.cum[i]! - lead + elapsed : 1e9 + i;
  const ids = Array.from({ length: n }, (_, i) => i).sort((a, b) => s.cum[a]! - s.cum[b]!);
  s.order.set(ids);
  return s;
}

/** Approximate race time of the leader after `lap` laps (only differences matter for strategy). */
function estimateElapsed(m: RaceModel, lap: number): number {
  let best = Infinity;
  for (let i = 0; i < m.nCars; i++) best = Math.min(best, m.pace[i]!);
  return lap * (best + m.fuelSensPerLap * m.nLaps * 0.5);
}

const carState = (s: LiveState, i: number): CarState => {
  const u = s.used[i]!;
  return { lap: s.lap, compound: s.comp[i]!, age: s.age[i]!, ruleMet: (u & (u - 1)) !== 0, stintLaps: s.stintLaps[i]! };
};

interface Outcome {
  times: Float64Array; // per run: remaining time (sim) or time over the horizon (field pace)
  positions: number[];
  stops: { lap: number; compound: RaceCompound }[];
}

interface Option {
  action: PitAction;
  label: string;
  out: Outcome;
  mean: number;
}

function planFrom(m: RaceModel, car: number, s: LiveState, first: number): Stop[] {
  const L = s.lap + 1;
  const cs = carState(s, car);
  if (first === 0) {
    const after: CarState = { ...cs, lap: L, age: cs.age + 1, stintLaps: cs.stintLaps! + 1 };
    return [...dpOptimum(m, car, after, s.status).stops];
  }
  const c = first - 1;
  const after: CarState = { lap: L, compound: c, age: 0, ruleMet: cs.ruleMet || c !== cs.compound, stintLaps: 0 };
  return [{ lap: L, compound: c }, ...dpOptimum(m, car, after, s.status).stops];
}

function simulate(m: RaceModel, s: LiveState, car: number, egoStops: Stop[], seeds: number, opts: SimOptions): Outcome {
  const sim = new RaceSim(m);
  for (let i = 0; i < m.nCars; i++) if (i !== car && !s.retired[i]) sim.setPlan(i, dpOptimum(m, i, carState(s, i), s.status).stops);
  sim.setPlan(car, egoStops);
  sim.fixedCar = car;
  const times = new Float64Array(seeds);
  const positions: number[] = [];
  for (let k = 0; k < seeds; k++) {
    sim.reset(5000 + k, opts);
    sim.loadState(s);
    sim.run();
    times[k] = sim.finalTime(car) - s.cum[car]!;
    positions.push(sim.pos[car]! + 1);
  }
  return { times, positions, stops: egoStops.map((x) => ({ lap: x.lap, compound: DRY[x.compound]! })) };
}

const label = (stops: readonly { lap: number; compound: RaceCompound }[]): string =>
  stops.length ? stops.map((s) => `Box lap ${s.lap} → ${s.compound}`).join(', ') : 'No more stops';
const mean = (xs: ArrayLike<number>): number => {
  let t = 0;
  for (let k = 0; k < xs.length; k++) t += xs[k]!;
  return t / xs.length;
};
const TRACK: Record<number, TrackState> = { [GREEN]: 'green', [SC]: 'sc', [VSC]: 'vsc', [RED]: 'red' };
const pct = (p: number): number => Math.max(1, Math.min(99, Math.round(p * 100)));

export interface RecommendArgs {
  season: number;
  round: number;
  driver: string;
  lap: number;
  seeds?: number;
}

/**
 * Advice for `driver` on lap `lap` (1-based; "box now" = in at the end of that lap), or null when there is nothing to
 * decide: the car is out by then, or `lap` is the last lap.
 */
export async function recommend(db: Db, args: RecommendArgs): Promise<PitRecommendation | null> {
  const m = await cachedModel(db, args.season, args.round);
  const car = driverIndex(m, args.driver);
  if (!Number.isInteger(args.lap) || args.lap < 1 || args.lap > m.nLaps) {
    throw new DataError(`lap must be 1–${m.nLaps - 1}`, undefined, undefined, 'lap');
  }
  if (args.lap === m.nLaps) return null; // the last lap: the race is run, no stop can pay
  const s = stateAt(db, m, args.lap - 1);
  if (s.retired[car]) return null;
  const L = args.lap;
  const seeds = args.seeds ?? 200;
  const notes: string[] = [];
  // conditions: the tyres the running field starts this lap on
  let known = 0, wetCars = 0;
  for (let i = 0; i < m.nCars; i++) {
    if (s.retired[i] || !s.tyre[i]) continue;
    known++;
    if (isWetCompound(s.tyre[i])) wetCars++;
  }
  const fieldOnWet = known ? wetCars / known : 0;
  const own = s.tyre[car] ?? null;
  const carWet = isWetCompound(own);
  const cap = m.maxStintLaps;
  if (cap) notes.push(`Stint limit: ${cap} laps per set in this race`);
  const options: Option[] = [];
  let basis: PitRecommendation['basis'] = 'race-sim';
  if (!carWet && fieldOnWet <= DRY_FIELD) {
    const opts: SimOptions = { ...STOCHASTIC };
    // staying out must leave the set within the stint limit at its next stop (lap L + 1 at the earliest)
    const stayAllowed = !cap || s.stintLaps[car]! + 2 <= cap;
    if (!stayAllowed) notes.push(`Staying out would break the ${cap}-lap stint limit`);
    for (let a = stayAllowed ? 0 : 1; a < 4; a++) {
      const out = simulate(m, s, car, planFrom(m, car, s, a), seeds, opts);
      options.push({ action: a === 0 ? 'stay' : PIT_ACTION[DRY[a - 1]!], label: label(out.stops), out, mean: mean(out.times) });
    }
  } else {
    basis = 'field-pace';
    const candidates: readonly RaceCompound[] = fieldOnWet >= WET_FIELD ? WET_COMPOUNDS : fieldOnWet <= DRY_FIELD ? DRY : RACE_COMPOUNDS;
    if (fieldOnWet >= WET_FIELD) notes.push(`Slicks not offered: ${Math.round(fieldOnWet * 100)} % of the field on intermediates/wets`);
    if (fieldOnWet <= DRY_FIELD) notes.push(`Wet tyres not offered: ${Math.round((1 - fieldOnWet) * 100)} % of the field on slicks`);
    const r = fieldPaceOptions(db, m, s, car, candidates, pitCost(m, s.status[L] ?? GREEN), seeds);
    for (const c of r.missing) notes.push(`No car ran ${c} in the last laps: not valued`);
    notes.push(`Valued on the field's pace of the last laps per compound, over the next ${r.horizon} laps`);
    for (const o of r.options) {
      const stops = o.compound ? [{ lap: L, compound: o.compound }] : [];
      options.push({
        action: o.compound ? PIT_ACTION[o.compound] : 'stay',
        label: o.compound ? label(stops) : `Stay out on ${own ?? 'this set'} (next ${r.horizon} laps)`,
        out: { times: o.times, positions: o.positions, stops },
        mean: mean(o.times),
      });
    }
    if (!options.length) return nothing(m, car, s, L, { own, fieldOnWet, notes });
  }
  options.sort((x, y) => x.mean - y.mean);
  const best = options[0]!;
  const stay = options.find((o) => o.action === 'stay');
  const bestPit = options.find((o) => o.action !== 'stay');
  const other = best.action === 'stay' ? bestPit : stay;
  const diffs = other ? Array.from(other.out.times, (t, k) => t - best.out.times[k]!) : [0];
  const gain = mean(diffs);
  const gainRange = { p10: quantile(diffs, 0.1), p90: quantile(diffs, 0.9) };
  // boxing must beat staying out in at least 90 % of the runs, else stay out
  const inside = best.action !== 'stay' && stay !== undefined && gainRange.p10 <= 0;
  const chosen = inside ? stay : best;
  const from = s.position[car]! || s.order.indexOf(car) + 1;
  const pos = chosen.out.positions;
  const counts = new Map<number, number>();
  for (const p of pos) counts.set(p, (counts.get(p) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const to = ranked[0]![0];
  // a Monte-Carlo share is never certainty: (k + ½) / (n + 1)
  const prob = (pos.filter((p) => p <= to).length + 0.5) / (pos.length + 1);
  const distribution = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([position, k]) => ({ position, share: k / pos.length }));
  const position = { expected: mean(pos), p10: quantile(pos, 0.1), p90: quantile(pos, 0.9), distribution };
  const pitName = (o: Option): string => o.out.stops[0]?.compound ?? '';
  const tail = `P${from} → P${to} with ${pct(prob)} %`;
  const headline = inside
    ? `Stay out: boxing for ${pitName(best)} gains only +${gain.toFixed(1)} s (p10 ${gainRange.p10.toFixed(1)} s), ${tail}`
    : best.action === 'stay'
      ? `Stay out: +${gain.toFixed(1)} s expected, ${tail}`
      : `Box now for ${pitName(best)}: +${gain.toFixed(1)} s expected, ${tail}`;
  const plans: StrategyPlanOption[] = options.map((o) => ({
    label: o.label,
    stops: o.out.stops,
    expectedTime: o.mean,
    deltaToBest: o.mean - best.mean,
    expectedPosition: mean(o.out.positions),
  }));
  const counterfactuals: string[] = [];
  if (basis === 'race-sim') {
    // move the best plan's next stop earlier / later
    const next = best.out.stops[0];
    const stopsOf = (xs: readonly { lap: number; compound: RaceCompound }[]): Stop[] => xs.map((x) => ({ lap: x.lap, compound: compoundIndex(x.compound) }));
    if (next) {
      for (const shift of [-3, 3, 5]) {
        const lap = next.lap + shift;
        if (lap < L || lap >= m.nLaps) continue;
        if (cap && s.stintLaps[car]! + (lap - s.lap) > cap) continue; // the current set past the stint limit
        const stops = [{ lap, compound: compoundIndex(next.compound) }, ...stopsOf(best.out.stops.slice(1)).filter((x) => x.lap > lap)];
        const o = simulate(m, s, car, stops, seeds, { ...STOCHASTIC });
        const d = mean(o.times) - best.mean;
        counterfactuals.push(
          `Pitting ${Math.abs(shift)} laps ${shift < 0 ? 'earlier' : 'later'} (lap ${lap}) ${d >= 0 ? 'costs' : 'gains'} ${Math.abs(d).toFixed(1)} s`,
        );
      }
    }
  }
  if (other) {
    counterfactuals.push(
      best.action === 'stay'
        ? `Boxing now for ${pitName(other)} costs ${(other.mean - best.mean).toFixed(1)} s`
        : `Staying out costs ${(other.mean - best.mean).toFixed(1)} s (p10–p90 ${gainRange.p10.toFixed(1)} to ${gainRange.p90.toFixed(1)} s)`,
    );
  }
  return {
    driver: m.drivers[car]!,
    lap: L,
    state: adviceState(s, car, { own, fieldOnWet }, from),
    action: chosen.action,
    headline,
    basis,
    gain,
    gainRange,
    positionFrom: from,
    positionTo: to,
    probability: prob,
    position,
    plans,
    counterfactuals,
    notes,
  };
}

function adviceState(s: LiveState, car: number, c: { own: RaceCompound | null; fieldOnWet: number }, from: number): PitRecommendation['state'] {
  return {
    completedLaps: s.lap,
    position: from,
    compound: (c.own ?? 'UNKNOWN') as Compound,
    tyreAge: s.age[car]!,
    stintLaps: s.stintLaps[car]!,
    stops: s.stops[car]!,
    trackState: TRACK[s.status[s.lap] ?? GREEN] ?? 'green',
    fieldOnWet: c.fieldOnWet,
  };
}

/** No option could be valued (no laps of evidence yet): stay out, said plainly. */
function nothing(m: RaceModel, car: number, s: LiveState, L: number, c: { own: RaceCompound | null; fieldOnWet: number; notes: string[] }): PitRecommendation {
  const from = s.position[car]! || s.order.indexOf(car) + 1;
  return {
    driver: m.drivers[car]!,
    lap: L,
    state: adviceState(s, car, c, from),
    action: 'stay',
    headline: `Stay out: no lap times yet to compare tyres on, P${from}`,
    basis: 'field-pace',
    gain: 0,
    gainRange: { p10: 0, p90: 0 },
    positionFrom: from,
    positionTo: from,
    probability: 0.5,
    position: { expected: from, p10: from, p90: from, distribution: [{ position: from, share: 1 }] },
    plans: [],
    counterfactuals: [],
    notes: c.notes,
  };
}
