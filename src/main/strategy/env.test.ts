import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDb } from '../../../tests/helpers/db.js';
import { buildRaceModel, driverIndex, type RaceModel } from './race-model.js';
import { N_ACTIONS, OBS_SIZE, StrategyEnv } from './env.js';

let m: RaceModel;
let ver: number;
beforeAll(async () => {
  m = await buildRaceModel(sharedDb(), 2023, 1);
  ver = driverIndex(m, 'max_verstappen');
}, 60_000);

describe('StrategyEnv (Gymnasium-style)', () => {
  it('reset/step shapes: 20 observations in [0, 1], reward, terminated, truncated, info', () => {
    const env = new StrategyEnv(m, ver, { mode: 'stochastic' });
    const { observation, info } = env.reset(3);
    expect(observation).toHaveLength(OBS_SIZE);
    expect(info.lap).toBe(0);
    expect(info.mask).toHaveLength(N_ACTIONS);
    let steps = 0;
    let r = env.step(0);
    for (;;) {
      steps++;
      expect(r.observation).toHaveLength(OBS_SIZE);
      for (const v of r.observation) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(Number.isFinite(r.reward)).toBe(true);
      expect(r.truncated).toBe(false);
      if (r.terminated) break;
      r = env.step(steps % 17 === 0 ? 3 : 0);
    }
    expect(steps).toBe(m.nLaps);
    expect(r.info.lap).toBe(m.nLaps);
  });

  it('masks illegal actions: forces a second compound on the last chance, no stop on the final lap', () => {
    const env = new StrategyEnv(m, ver, { mode: 'deterministic' });
    env.reset(0);
    let r = env.step(0);
    while (env.sim.lap < m.nLaps - 2) r = env.step(0);
    const mask = env.mask();
    expect(Array.from(mask)).toEqual([0, 0, 1, 1]); // on SOFT: stay and SOFT are illegal at lap N−1
    r = env.step(0); // an illegal action falls back to the first legal one: the rule is kept
    expect(r.info.stops).toBe(1);
    expect(env.sim.ruleMet(ver)).toBe(true);
    expect(Array.from(env.mask())).toEqual([1, 0, 0, 0]);
  });

  it('is deterministic in deterministic mode and the same seed replays the same stochastic race', () => {
    const run = (env: StrategyEnv, seed: number): number[] => {
      env.reset(seed);
      const out: number[] = [];
      for (let k = 0; k < m.nLaps; k++) out.push(env.step(k === 15 || k === 35 ? 3 : 0).reward);
      return out;
    };
    const det = new StrategyEnv(m, ver, { mode: 'deterministic' });
    expect(run(det, 1)).toEqual(run(det, 2));
    const sto = new StrategyEnv(m, ver, { mode: 'stochastic' });
    expect(run(sto, 5)).toEqual(run(sto, 5));
    expect(run(sto, 5)).not.toEqual(run(sto, 6));
  });
});
