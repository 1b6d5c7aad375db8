// Live pit recommendation for a driver at a lap of a real race: the state comes from the laps table, the future
// from Monte-Carlo runs of the whole-field simulator (other cars follow their own DP plans from their current state).
import type { DryCompound, PitRecommendation, StrategyPlanOption } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { buildRaceModel, driverIndex, majorityStatus, statusOf, type RaceModel } from './race-model.js';
import { RaceSim, STOCHASTIC, type SimOptions } from './sim.js';
import { compoundIndex, DRY } from '../race/compounds.js';
import { dpOptimum, type CarState, type Stop } from './plan.js';

const NAMES = ['stay', 'pit_soft', 'pit_medium', 'pit_hard'] as const;

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
}

/** Race state after `lap` completed laps, read from the laps table. */
export function stateAt(db: Db, m: RaceModel, lap: number): LiveState {
  const rows = db
    .prepare(
      `SELECT driver, lap_number AS lap, time_s AS t, compound, tyre_life AS age, stint, position, track_status AS ts
       FROM laps WHERE season = ? AND round = ? AND session = 'race' AND lap_number <= ? ORDER BY lap_number`,
    )
    .all(m.season, m.round, lap + 1) as { driver: string; lap: number; t: number | null; compound: string | null; age: number | null; stint: number | null; position: number | null; ts: string | null }[];
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
  };
  const idx = new Map(m.codes.map((c, i) => [c, i]));
  const perLap = new Map<number, number[]>();
  for (const r of rows) {
    const i = idx.get(r.driver);
    if (i === undefined) continue;
    (perLap.get(r.lap) ?? perLap.set(r.lap, []).get(r.lap)!).push(statusOf(r.ts));
    if (r.lap > lap) continue;
    const c = compoundIndex(r.compound);
    if (c >= 0) {
      s.comp[i] = c;
      s.used[i]! |= 1 << c;
    }
    if (r.age !== null) s.age[i] = r.age;
    if (r.stint !== null) s.stops[i] = r.stint - 1;
    if (r.lap === lap) {
      s.retired[i] = 0;
      if (r.t !== null) s.cum[i] = r.t;
    }
  }
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
  return { lap: s.lap, compound: s.comp[i]!, age: s.age[i]!, ruleMet: (u & (u - 1)) !== 0 };
};

interface Outcome {
  time: number; // mean remaining time
  positions: number[];
  stops: Stop[];
}

function planFrom(m: RaceModel, car: number, s: LiveState, first: number): Stop[] {
  const L = s.lap + 1;
  const cs = carState(s, car);
  if (first === 0) {
    const after: CarState = { ...cs, lap: L, age: cs.age + 1 };
    return [...dpOptimum(m, car, after, s.status).stops];
  }
  const c = first - 1;
  const after: CarState = { lap: L, compound: c, age: 0, ruleMet: cs.ruleMet || c !== cs.compound };
  return [{ lap: L, compound: c }, ...dpOptimum(m, car, after, s.status).stops];
}

function simulate(m: RaceModel, s: LiveState, car: number, egoStops: Stop[], seeds: number, opts: SimOptions): Outcome {
  const sim = new RaceSim(m);
  for (let i = 0; i < m.nCars; i++) if (i !== car && !s.retired[i]) sim.setPlan(i, dpOptimum(m, i, carState(s, i), s.status).stops);
  sim.setPlan(car, egoStops);
  sim.fixedCar = car;
  let total = 0;
  const positions: number[] = [];
  for (let k = 0; k < seeds; k++) {
    sim.reset(5000 + k, opts);
    sim.loadState(s);
    sim.run();
    total += sim.finalTime(car) - s.cum[car]!;
    positions.push(sim.pos[car]! + 1);
  }
  return { time: total / seeds, positions, stops: egoStops };
}

const label = (stops: Stop[]): string =>
  stops.length ? stops.map((s) => `Box lap ${s.lap} → ${DRY[s.compound]}`).join(', ') : 'No more stops';

export interface RecommendArgs {
  season: number;
  round: number;
  driver: string;
  lap: number;
  seeds?: number;
}

export async function recommend(db: Db, args: RecommendArgs): Promise<PitRecommendation> {
  const m = await cachedModel(db, args.season, args.round);
  const car = driverIndex(m, args.driver);
  if (args.lap < 1 || args.lap >= m.nLaps) throw new DataError(`lap must be 1–${m.nLaps - 1}`, undefined, undefined, 'lap');
  const s = stateAt(db, m, args.lap - 1);
  if (s.retired[car]) throw new DataError(`${m.drivers[car]} is out of the race by lap ${args.lap}`, undefined, undefined, 'driver');
  const seeds = args.seeds ?? 200;
  const opts: SimOptions = { ...STOCHASTIC };
  const options: { action: number; out: Outcome }[] = [];
  for (let a = 0; a < 4; a++) options.push({ action: a, out: simulate(m, s, car, planFrom(m, car, s, a), seeds, opts) });
  options.sort((x, y) => x.out.time - y.out.time);
  const best = options[0]!;
  const stay = options.find((o) => o.action === 0)!;
  const bestPit = options.find((o) => o.action > 0)!;
  const other = best.action === 0 ? bestPit : stay;
  const gain = other.out.time - best.out.time;
  const from = s.order.indexOf(car) + 1;
  const counts = new Map<number, number>();
  for (const p of best.out.positions) counts.set(p, (counts.get(p) ?? 0) + 1);
  const to = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
  const prob = best.out.positions.filter((p) => p <= to).length / best.out.positions.length;
  const verb = best.action === 0 ? 'Stay out' : `Box now for ${DRY[best.action - 1]}`;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const plans: StrategyPlanOption[] = options.map((o) => ({
    label: label(o.out.stops),
    stops: o.out.stops.map((x) => ({ lap: x.lap, compound: DRY[x.compound] as DryCompound })),
    expectedTime: o.out.time,
    deltaToBest: o.out.time - best.out.time,
    expectedPosition: mean(o.out.positions),
  }));
  // counterfactuals: move the best plan's next stop earlier / later
  const counterfactuals: string[] = [];
  const next = best.out.stops[0];
  if (next) {
    for (const shift of [-3, 3, 5]) {
      const lap = next.lap + shift;
      if (lap <= s.lap || lap >= m.nLaps) continue;
      const stops = [{ lap, compound: next.compound }, ...best.out.stops.slice(1).filter((x) => x.lap > lap)];
      const o = simulate(m, s, car, stops, seeds, opts);
      const d = o.time - best.out.time;
      counterfactuals.push(
        `Pitting ${Math.abs(shift)} laps ${shift < 0 ? 'earlier' : 'later'} (lap ${lap}) ${d >= 0 ? 'costs' : 'gains'} ${Math.abs(d).toFixed(1)} s`,
      );
    }
  }
  counterfactuals.push(
    best.action === 0
      ? `Boxing now for ${DRY[bestPit.action - 1]} costs ${(bestPit.out.time - best.out.time).toFixed(1)} s`
      : `Staying out costs ${(stay.out.time - best.out.time).toFixed(1)} s`,
  );
  return {
    driver: m.drivers[car]!,
    lap: args.lap,
    action: NAMES[best.action]!,
    headline: `${verb}: +${gain.toFixed(1)} s expected, P${from} → P${to} with ${Math.round(prob * 100)} %`,
    gain,
    positionFrom: from,
    positionTo: to,
    probability: prob,
    plans,
    counterfactuals,
  };
}
