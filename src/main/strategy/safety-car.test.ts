// Under a safety car a stop is cheap: the trained agent (and the DP) should take it when it gains time.
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDb } from '../../../tests/helpers/db.js';
import { buildRaceModel, driverIndex, SC, type RaceModel } from './race-model.js';
import { StrategyEnv } from './env.js';
import { loadCheckpoint, type Checkpoint } from './checkpoint.js';
import { runPolicy } from './evaluate.js';
import { RaceSim } from './sim.js';
import { dpOptimum, startState } from './plan.js';

let m: RaceModel;
let ver: number;
let cp: Checkpoint | null;
beforeAll(async () => {
  m = await buildRaceModel(sharedDb(), 2023, 1);
  ver = driverIndex(m, 'max_verstappen');
  cp = loadCheckpoint('bahrain');
}, 60_000);

describe('safety-car pit behaviour', () => {
  it('the DP boxes under a safety car that comes out before its green-flag stop', () => {
    const green = dpOptimum(m, ver, startState(m, ver));
    const first = green.stops[0]!.lap;
    const status = new Int8Array(m.nLaps + 2);
    for (let l = first - 4; l <= first - 2; l++) status[l] = SC;
    const sc = dpOptimum(m, ver, startState(m, ver), status);
    expect(sc.stops.some((s) => status[s.lap] === SC)).toBe(true);
  });

  it('the shipped PPO agent pits under the safety car and gains time over its green-flag plan', () => {
    expect(cp, 'models/strategy/bahrain.json is shipped').not.toBeNull();
    const det = new StrategyEnv(m, ver, { mode: 'deterministic' });
    const greenRun = runPolicy(det, cp!.actor, 0);
    const first = greenRun.stops[0]!.lap;
    const schedule = new Int8Array(m.nLaps + 2);
    for (let l = first - 4; l <= first - 2; l++) schedule[l] = SC;
    const env = new StrategyEnv(m, ver, { schedule });
    const scRun = runPolicy(env, cp!.actor, 0);
    expect(scRun.stops.some((s) => schedule[s.lap] === SC)).toBe(true);
    // the same SC with the agent's green-flag plan held fixed is slower
    const sim = new RaceSim(m);
    sim.fixedCar = ver;
    sim.setPlan(ver, greenRun.stops);
    sim.reset(0, { noise: false, events: 'none', scReactive: true });
    for (let l = 1; l <= m.nLaps; l++) sim.status[l] = schedule[l]!;
    sim.run();
    expect(scRun.time).toBeLessThan(sim.finalTime(ver));
  });
});
