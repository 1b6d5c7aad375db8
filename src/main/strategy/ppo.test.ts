import { describe, expect, it } from 'vitest';
import { trainPpo, DEFAULT_PPO, type PpoEnv } from './ppo.js';
import { argmaxMasked, maskedSoftmax, mlpForward, type Mlp } from './mlp.js';
import { N_ACTIONS, OBS_SIZE } from './env.js';

/** Toy: 5 steps; the rewarded action is given by the observation (one-hot in obs[0..3]); action 1 is always illegal. */
class ToyEnv implements PpoEnv {
  readonly horizon = 5;
  private t = 0;
  private target = 0;
  private seed = 0;
  private obs(): Float32Array {
    const o = new Float32Array(OBS_SIZE);
    o[this.target] = 1;
    o[4] = this.t / this.horizon;
    return o;
  }
  private draw(): void {
    this.seed = (this.seed * 1103515245 + 12345) >>> 0;
    this.target = [0, 2, 3][this.seed % 3]!;
  }
  reset(seed: number): { observation: Float32Array } {
    this.seed = seed >>> 0;
    this.t = 0;
    this.draw();
    return { observation: this.obs() };
  }
  step(a: number): { observation: Float32Array; reward: number; terminated: boolean; truncated: boolean } {
    const reward = a === this.target ? 1 : 0;
    this.t++;
    this.draw();
    return { observation: this.obs(), reward, terminated: this.t >= this.horizon, truncated: false };
  }
  mask(out = new Uint8Array(N_ACTIONS)): Uint8Array {
    out.fill(1);
    out[1] = 0;
    return out;
  }
}

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
