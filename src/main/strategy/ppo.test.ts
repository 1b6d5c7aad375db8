import { describe, expect, it } from 'vitest';
import { ToyEnv } from '../../../tests/helpers/toy-ppo-env.js';
import { trainPpo, DEFAULT_PPO } from './ppo.js';
import { argmaxMasked, maskedSoftmax, mlpForward, type Mlp } from './mlp.js';
import { N_ACTIONS, OBS_SIZE } from './env.js';

function accuracy(actor: Mlp): number {
  let ok = 0;
  const logits = new Float32Array(N_ACTIONS);
  for (const target of [0, 2, 3]) {
    const o = new Float32Array(OBS_SIZE);
    o[target] = 1;
    mlpForward(actor, o, logits);
    if (argmaxMasked(logits, [1, 0, 1, 1]) === target) ok++;
  }
  return ok / 3;
}

describe('PPO', () => {
  it('learns a toy contextual problem with action masking (deterministic under a seed)', async () => {
    const cfg = { ...DEFAULT_PPO, envs: 8, steps: 4000, hidden: 16, minibatch: 40, lr: 3e-3, entStart: 0.01, entEnd: 0, stayBias: 0, evalEvery: 1000 };
    const envs = Array.from({ length: 8 }, () => new ToyEnv());
    const evalFn = (a: Mlp) => ({ score: 1 - accuracy(a), time: 0, position: 0 });
    const res = await trainPpo(envs, evalFn, cfg);
    expect(accuracy(res.actor)).toBe(1);
    const first = res.curve[0]!.meanReturn, last = res.curve.at(-1)!.meanReturn;
    expect(first).toBeLessThan(3.5);
    expect(last).toBeGreaterThan(4.5);
    // the masked action never gets probability
    const p = maskedSoftmax([5, 9, 0, 0], [1, 0, 1, 1], new Float32Array(4));
    expect(p[1]).toBe(0);
    const short = { ...cfg, steps: 400 };
    const a = await trainPpo(Array.from({ length: 8 }, () => new ToyEnv()), evalFn, short);
    const b = await trainPpo(Array.from({ length: 8 }, () => new ToyEnv()), evalFn, short);
    expect(b.curve.map((c) => c.meanReturn)).toEqual(a.curve.map((c) => c.meanReturn));
    expect(Array.from(b.actor.layers[0]!.w)).toEqual(Array.from(a.actor.layers[0]!.w));
  }, 120_000);
});
