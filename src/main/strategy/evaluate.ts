// PPO vs baselines on a real race: DP optimum, exhaustive best fixed plan, and the strategy actually run.
// Deterministic mode (default): one race without random events. Stochastic: N seeds with common random numbers.
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { isStale, loadCheckpoint, type Checkpoint } from './checkpoint.js';
import { StrategyEnv, N_ACTIONS } from './env.js';
import { argmaxMasked, mlpForward, type Mlp } from './mlp.js';
import { buildRaceModel, driverIndex, MAX_STOPS, type RaceModel } from './race-model.js';
import { DETERMINISTIC, RaceSim, STOCHASTIC } from './sim.js';
import { bestFixed, dpOptimum, planLabel, startState, type Stop } from './plan.js';

export interface StrategyScore {
  time: number; // race time (s); stochastic: mean
  position: number; // finishing position; stochastic: mean
  plan: string;
  timeCi95?: number; // ± half-width (stochastic)
  positionCi95?: number;
}

export interface EvaluateResult {
  season: number;
  round: number;
  circuit: string;
  driver: string;
  mode: 'deterministic' | 'stochastic';
  seeds: number;
  ppo: StrategyScore;
  dp_optimum: StrategyScore;
  best_fixed: StrategyScore;
  actual: StrategyScore;
  /** Paired differences ppo − best fixed (stochastic), negative = PPO better. */
  ppoMinusBestFixed?: { time: number; timeCi95: number; position: number; positionCi95: number };
  checkpoint: { circuit: string; trainedOn: string; steps: number; seconds: number; stale: boolean };
  tyreModel: string;
  dpPlanTime: number; // single-car model time of the DP plan
}

export function actualStops(m: RaceModel, car: number): Stop[] {
  const out: Stop[] = [];
  for (let k = 0; k < m.stopCount[car]!; k++) out.push({ lap: m.stopLap[car * MAX_STOPS + k]!, compound: m.stopCompound[car * MAX_STOPS + k]! });
  return out;
}

/** Runs a fixed plan for `car`; the rest of the field runs what they actually ran. */
export function runPlan(sim: RaceSim, car: number, stops: readonly Stop[], seed: number, stochastic: boolean): { time: number; position: number } {
  sim.ego = -1;
  sim.fixedCar = car;
  sim.setPlan(car, stops);
  sim.reset(seed, stochastic ? STOCHASTIC : DETERMINISTIC);
  sim.run();
  return { time: sim.finalTime(car), position: sim.pos[car]! + 1 };
}

/** The PPO policy's greedy rollout; returns the stops it made. */
export function runPolicy(env: StrategyEnv, actor: Mlp, seed: number): { time: number; position: number; stops: Stop[] } {
  let { observation } = env.reset(seed);
  const logits = new Float32Array(N_ACTIONS), mask = new Uint8Array(N_ACTIONS);
  const stops: Stop[] = [];
  for (;;) {
    mlpForward(actor, observation, logits);
    const a = argmaxMasked(logits, env.mask(mask));
    if (a > 0) stops.push({ lap: env.sim.lap + 1, compound: a - 1 });
    const r = env.step(a);
    observation = r.observation;
    if (r.terminated || r.truncated) return { time: env.sim.finalTime(env.car), position: r.info.position, stops };
  }
}

const stats = (xs: number[]): { mean: number; ci: number } => {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
  return { mean, ci: (1.96 * sd) / Math.sqrt(n) };
};

export async function evaluateStrategy(
  db: Db,
  args: { season: number; round: number; driver: string; stochastic?: boolean; seeds?: number; checkpoint?: Checkpoint },
): Promise<EvaluateResult> {
  const m = await buildRaceModel(db, args.season, args.round);
  const car = driverIndex(m, args.driver);
  const cp = args.checkpoint ?? loadCheckpoint(m.circuit);
  if (!cp) throw new DataError(`no PPO checkpoint for circuit "${m.circuit}": run \`pitwall strategy train --circuit ${m.circuit}\``);
  const dp = dpOptimum(m, car, startState(m, car));
  const bf = bestFixed(m, car);
  const act = actualStops(m, car);
  const sim = new RaceSim(m);
  const stochastic = args.stochastic ?? false;
  const env = new StrategyEnv(m, car, { mode: stochastic ? 'stochastic' : 'deterministic' });
  const plans: [keyof Pick<EvaluateResult, 'dp_optimum' | 'best_fixed' | 'actual'>, Stop[]][] = [
    ['dp_optimum', dp.stops],
    ['best_fixed', bf.stops],
    ['actual', act],
  ];
  const c0 = m.startCompound[car]!;
  const base = {
    season: m.season,
    round: m.round,
    circuit: m.circuit,
    driver: m.drivers[car]!,
    checkpoint: {
      circuit: cp.circuit,
      trainedOn: `${cp.season} round ${cp.round} ${cp.driver}`,
      steps: cp.steps,
      seconds: cp.seconds,
      stale: isStale(cp, m),
    },
    tyreModel: m.tyre.source,
    dpPlanTime: dp.time,
  };
  if (!stochastic) {
    const p = runPolicy(env, cp.actor, 0);
    const score = (stops: Stop[]): StrategyScore => ({ ...runPlan(sim, car, stops, 0, false), plan: planLabel(c0, stops) });
    const [dpS, bfS, acS] = plans.map(([, s]) => score(s)) as [StrategyScore, StrategyScore, StrategyScore];
    return {
      ...base,
      mode: 'deterministic',
      seeds: 1,
      ppo: { time: p.time, position: p.position, plan: planLabel(c0, p.stops) },
      dp_optimum: dpS,
      best_fixed: bfS,
      actual: acS,
    };
  }
  const n = Math.max(2, args.seeds ?? 1000);
  const times: Record<string, number[]> = { ppo: [], dp_optimum: [], best_fixed: [], actual: [] };
  const poss: Record<string, number[]> = { ppo: [], dp_optimum: [], best_fixed: [], actual: [] };
  const ppoStops = new Map<string, number>();
  for (let s = 0; s < n; s++) {
    const seed = 1_000_000 + s;
    const p = runPolicy(env, cp.actor, seed);
    times.ppo!.push(p.time);
    poss.ppo!.push(p.position);
    const label = planLabel(c0, p.stops);
    ppoStops.set(label, (ppoStops.get(label) ?? 0) + 1);
    for (const [k, stops] of plans) {
      const r = runPlan(sim, car, stops, seed, true);
      times[k]!.push(r.time);
      poss[k]!.push(r.position);
    }
  }
  const score = (k: string, plan: string): StrategyScore => {
    const t = stats(times[k]!), q = stats(poss[k]!);
    return { time: t.mean, position: q.mean, plan, timeCi95: t.ci, positionCi95: q.ci };
  };
  const common = [...ppoStops.entries()].sort((a, b) => b[1] - a[1])[0]!;
  const dt = stats(times.ppo!.map((t, i) => t - times.best_fixed![i]!));
  const dq = stats(poss.ppo!.map((t, i) => t - poss.best_fixed![i]!));
  return {
    ...base,
    mode: 'stochastic',
    seeds: n,
    ppo: score('ppo', `adaptive (most common: ${common[0]}, ${((100 * common[1]) / n).toFixed(0)} %)`),
    dp_optimum: score('dp_optimum', planLabel(c0, dp.stops)),
    best_fixed: score('best_fixed', planLabel(c0, bf.stops)),
    actual: score('actual', planLabel(c0, act)),
    ppoMinusBestFixed: { time: dt.mean, timeCi95: dt.ci, position: dq.mean, positionCi95: dq.ci },
  };
}
