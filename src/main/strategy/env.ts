// Gymnasium-style environment: one car's pit decisions lap by lap in the whole-field simulator.
// reset(seed) → {observation, info}; step(action) → {observation, reward, terminated, truncated, info}.
import { GREEN, RED, SC, VSC, type RaceModel } from './race-model.js';
import { DETERMINISTIC, RaceSim, STOCHASTIC, type SimOptions } from './sim.js';
import { tyreDelta } from './tyre-model.js';
import { mulberry32 } from '../util/rng.js';

export const OBS_SIZE = 20;
export const N_ACTIONS = 4;
export const MAX_AGENT_STOPS = 3;

export interface EnvInfo {
  lap: number;
  position: number; // 1-based
  time: number; // race time so far (s)
  stops: number;
  compound: number;
  stochastic: boolean;
  mask: Uint8Array;
}

export interface StepResult {
  observation: Float32Array;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: EnvInfo;
}

export interface EnvOptions {
  /** Share of episodes with noise and random SC/VSC/red flags (the rest are deterministic). */
  stochasticShare?: number;
  /** Force the mode of every episode. */
  mode?: 'deterministic' | 'stochastic';
  /** Reward per place gained (in units of 10 s of race time). */
  positionWeight?: number;
  /** A fixed track-status schedule ([lap]) instead of random events; episodes count as 'events on', without noise. */
  schedule?: ArrayLike<number>;
}

const clip01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

export class StrategyEnv {
  readonly sim: RaceSim;
  readonly observationSize = OBS_SIZE;
  readonly actions = ['stay', 'pit_soft', 'pit_medium', 'pit_hard'] as const;
  private stochastic = false;
  private readonly refLap: number;
  /** The mode draw, independent of the simulator's stream. */
  private rng01: () => number = mulberry32(1);

  constructor(
    readonly model: RaceModel,
    readonly car: number,
    readonly opts: EnvOptions = {},
  ) {
    this.sim = new RaceSim(model);
    this.sim.ego = car;
    this.refLap = model.pace[car]! + model.fuelSensPerLap * model.nLaps * 0.5;
  }

  get simOptions(): SimOptions {
    if (this.opts.schedule) return { noise: false, events: 'none', scReactive: true };
    return this.stochastic ? STOCHASTIC : DETERMINISTIC;
  }

  get horizon(): number {
    return this.model.nLaps;
  }

  reset(seed: number): { observation: Float32Array; info: EnvInfo } {
    this.rng01 = mulberry32((seed * 2654435761) >>> 0);
    const share = this.opts.mode === 'stochastic' ? 1 : this.opts.mode === 'deterministic' ? 0 : (this.opts.stochasticShare ?? 0.5);
    this.stochastic = this.opts.schedule ? true : this.rng01() < share;
    this.sim.reset(seed, this.simOptions);
    if (this.opts.schedule) for (let l = 1; l <= this.model.nLaps; l++) this.sim.status[l] = this.opts.schedule[l] ?? GREEN;
    return { observation: this.observe(), info: this.info() };
  }

  /** Legal actions at the coming lap: 1 = allowed. */
  mask(out = new Uint8Array(N_ACTIONS)): Uint8Array {
    const s = this.sim, i = this.car, L = s.lap + 1, N = s.nLaps;
    out.fill(1);
    if (L >= N || s.done) {
      out.fill(0);
      out[0] = 1;
      return out;
    }
    const met = s.ruleMet(i);
    if (met && s.stops[i]! >= MAX_AGENT_STOPS) {
      out.fill(0);
      out[0] = 1;
    }
    if (!met && L === N - 1) {
      // last chance to run a second dry compound
      out[0] = 0;
      out[1 + s.comp[i]!] = 0;
    }
    return out;
  }

  step(action: number): StepResult {
    const s = this.sim, i = this.car;
    const mask = this.mask();
    const a = mask[action] ? action : mask.indexOf(1); // illegal → first legal action
    const prevPos = s.pos[i]!;
    s.egoAction = a;
    s.step();
    const lapT = s.lapTime[i]!;
    const over = s.age[i]! - this.model.tyre.cliff[s.comp[i]!]!;
    let reward = -(lapT - this.refLap) / 10 + (this.opts.positionWeight ?? 0.2) * (prevPos - s.pos[i]!);
    if (over > 0) reward -= 0.05; // tyre abuse: running a set past its observed life
    const terminated = s.done;
    if (terminated && !s.ruleMet(i)) reward -= 100;
    return { observation: this.observe(), reward, terminated, truncated: false, info: this.info() };
  }

  info(): EnvInfo {
    const s = this.sim, i = this.car;
    return {
      lap: s.lap,
      position: s.pos[i]! + 1,
      time: s.cum[i]!,
      stops: s.stops[i]!,
      compound: s.comp[i]!,
      stochastic: this.stochastic,
      mask: this.mask(),
    };
  }

  /** 20 values in [0, 1]. */
  observe(out = new Float32Array(OBS_SIZE)): Float32Array {
    const s = this.sim, m = this.model, i = this.car, N = s.nLaps, n = s.n;
    const L = Math.min(N, s.lap + 1);
    const st = s.status[L] ?? GREEN;
    const p = s.pos[i]!;
    const me = s.cum[i]!;
    const ahead = p > 0 ? me - s.cum[s.order[p - 1]!]! : 30;
    const behindCar = p + 1 < n ? s.order[p + 1]! : -1;
    const behind = behindCar >= 0 && !s.retired[behindCar] ? s.cum[behindCar]! - me : 30;
    const loss = s.pitLoss(st, false);
    let window = 0;
    for (let k = p + 1; k < n; k++) {
      const j = s.order[k]!;
      if (s.retired[j]) break;
      if (s.cum[j]! - me < loss) window++;
      else break;
    }
    const c = s.comp[i]!;
    const wear = tyreDelta(m.tyre, c, s.age[i]! + 1) - tyreDelta(m.tyre, c, 1);
    out[0] = s.lap / N;
    out[1] = (N - s.lap) / N;
    out[2] = n > 1 ? p / (n - 1) : 0;
    out[3] = clip01(ahead / 30);
    out[4] = clip01(behind / 30);
    out[5] = clip01(s.age[i]! / 40);
    out[6] = c === 0 ? 1 : 0;
    out[7] = c === 1 ? 1 : 0;
    out[8] = c === 2 ? 1 : 0;
    out[9] = clip01((N - s.lap) / N); // fuel on board (burnt evenly)
    out[10] = st === GREEN ? 1 : 0;
    out[11] = st === SC ? 1 : 0;
    out[12] = st === VSC ? 1 : 0;
    out[13] = st === RED ? 1 : 0;
    out[14] = s.ruleMet(i) ? 1 : 0;
    out[15] = clip01(s.stops[i]! / MAX_AGENT_STOPS);
    out[16] = clip01(wear / 5);
    out[17] = clip01(loss / 40);
    out[18] = n > 1 ? window / (n - 1) : 0;
    out[19] = this.stochastic ? 1 : 0;
    return out;
  }
}
