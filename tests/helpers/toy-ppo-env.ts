// Toy PPO task shared by the PPO tests: 5 steps; the rewarded action is given by the observation (one-hot in
// obs[0..3]); action 1 is always illegal.
import { N_ACTIONS, OBS_SIZE } from '../../src/main/strategy/env.js';
import type { PpoEnv } from '../../src/main/strategy/ppo.js';

export class ToyEnv implements PpoEnv {
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
