// PPO (actor-critic, GAE, clipped surrogate, entropy bonus, parallel environments) on TensorFlow.js.
// Networks: two small tanh MLPs held as tf.variables; rollouts use a plain-JS copy of the weights (mlp.ts).
// Training runs on the backend measured for 'ppo-update' (held for the run, compute/tf.ts); values are read with
// `await t.data()` only (dataSync fails on webgpu in Node).
import { describeTfBackend, holdTf, type Tf } from '../compute/tf.js';
import type * as TF from '@tensorflow/tfjs';
import { argmaxMasked, maskedSoftmax, mlpForward, type Mlp } from './mlp.js';
import { N_ACTIONS, OBS_SIZE, type StrategyEnv } from './env.js';

/** What PPO needs from an environment (StrategyEnv, or a toy one in tests). */
export interface PpoEnv {
  readonly horizon: number;
  reset(seed: number): { observation: Float32Array };
  step(action: number): { observation: Float32Array; reward: number; terminated: boolean; truncated: boolean };
  mask(out?: Uint8Array): Uint8Array;
}

/** Greedy evaluation of a policy snapshot: lower score is better; time/position are reported. */
export type PolicyEval = (actor: Mlp) => { score: number; time: number; position: number };
import { Rng } from '../util/rng.js';

export interface PpoConfig {
  envs: number;
  steps: number; // total environment steps
  hidden: number;
  lr: number;
  gamma: number;
  lambda: number;
  clip: number;
  epochs: number;
  minibatch: number;
  entStart: number;
  entEnd: number;
  vfCoef: number;
  seed: number;
  evalEvery: number; // iterations between greedy deterministic evaluations
  /** Initial logit bias towards "stay" (pit stops are rare actions). */
  stayBias: number;
}

export const DEFAULT_PPO: PpoConfig = {
  envs: 16,
  steps: 300_000,
  hidden: 64,
  lr: 3e-4,
  gamma: 1,
  lambda: 0.95,
  clip: 0.2,
  epochs: 4,
  minibatch: 256,
  entStart: 0.01,
  entEnd: 0,
  vfCoef: 0.5,
  seed: 1,
  evalEvery: 1,
  stayBias: 3,
};

export interface CurvePoint {
  iteration: number;
  steps: number;
  seconds: number;
  meanReturn: number;
  entropy: number;
  evalTime?: number; // greedy deterministic race time (s)
  evalPosition?: number;
  evalScore?: number; // checkpoint-selection score (lower is better)
}

export interface PpoResult {
  actor: Mlp;
  critic: Mlp;
  curve: CurvePoint[];
  steps: number;
  seconds: number;
  best: { iteration: number; time: number; position: number; score: number };
  /** The tfjs backend the update steps ran on, e.g. "wasm (CPU)". */
  backend: string;
}

interface Net {
  ws: TF.Variable[];
  bs: TF.Variable[];
}

function initNet(tf: Tf, rng: Rng, sizes: number[], lastScale: number, lastBias?: number[]): Net {
  const ws: TF.Variable[] = [], bs: TF.Variable[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l]!, fanOut = sizes[l + 1]!;
    const scale = (l + 2 === sizes.length ? lastScale : 1) * Math.sqrt(2 / (fanIn + fanOut));
    const w = new Float32Array(fanIn * fanOut);
    for (let k = 0; k < w.length; k++) w[k] = rng.normal() * scale;
    const b = new Float32Array(fanOut);
    if (l + 2 === sizes.length && lastBias) b.set(lastBias);
    ws.push(tf.variable(tf.tensor2d(w, [fanIn, fanOut])));
    bs.push(tf.variable(tf.tensor1d(b)));
  }
  return { ws, bs };
}

function forward(tf: Tf, net: Net, x: TF.Tensor2D): TF.Tensor2D {
  let h: TF.Tensor2D = x;
  net.ws.forEach((w, l) => {
    const z = tf.add(tf.matMul(h, w as TF.Tensor2D), net.bs[l]!) as TF.Tensor2D;
    h = l + 1 < net.ws.length ? tf.tanh(z) : z;
  });
  return h;
}

async function snapshot(net: Net): Promise<Mlp> {
  const ws = await Promise.all(net.ws.map((w) => w.data()));
  const bs = await Promise.all(net.bs.map((b) => b.data()));
  return {
    layers: net.ws.map((w, l) => ({
      w: ws[l] as Float32Array,
      b: bs[l] as Float32Array,
      inSize: w.shape[0]!,
      outSize: w.shape[1]!,
    })),
  };
}

/** Greedy rollout of a policy in deterministic mode: final race time and position. */
export function greedyRollout(env: StrategyEnv, actor: Mlp, seed = 0): { time: number; position: number; actions: number[] } {
  let { observation } = env.reset(seed);
  const logits = new Float32Array(N_ACTIONS);
  const mask = new Uint8Array(N_ACTIONS);
  const actions: number[] = [];
  for (;;) {
    mlpForward(actor, observation, logits);
    const a = argmaxMasked(logits, env.mask(mask));
    actions.push(a);
    const r = env.step(a);
    observation = r.observation;
    if (r.terminated || r.truncated) return { time: env.sim.finalTime(env.car), position: r.info.position, actions };
  }
}

export async function trainPpo(
  envs: PpoEnv[],
  evaluate: PolicyEval,
  cfg: PpoConfig,
  onLog?: (p: CurvePoint) => void,
): Promise<PpoResult> {
  // the backend first, then the variables on it; kept until the run ends (loadTf() meanwhile does not switch it)
  const hold = await holdTf('auto', { workload: 'ppo-update' });
  try {
    return await trainHeld(hold.tf, envs, evaluate, cfg, onLog);
  } finally {
    hold.release();
  }
}

async function trainHeld(
  tf: Tf,
  envs: PpoEnv[],
  evaluate: PolicyEval,
  cfg: PpoConfig,
  onLog?: (p: CurvePoint) => void,
): Promise<PpoResult> {
  const rng = new Rng(cfg.seed * 7919 + 17);
  const H = cfg.hidden;
  const actorNet = initNet(tf, rng, [OBS_SIZE, H, H, N_ACTIONS], 0.01, [cfg.stayBias, 0, 0, 0]);
  const criticNet = initNet(tf, rng, [OBS_SIZE, H, H, 1], 1);
  const vars = [...actorNet.ws, ...actorNet.bs, ...criticNet.ws, ...criticNet.bs];
  const optimizer = tf.train.adam(cfg.lr);
  const E = envs.length;
  const T = Math.max(...envs.map((e) => e.horizon));
  const B = E * T;
  const obsBuf = new Float32Array(B * OBS_SIZE);
  const maskBuf = new Float32Array(B * N_ACTIONS);
  const actBuf = new Int32Array(B);
  const logpBuf = new Float32Array(B);
  const valBuf = new Float32Array(B);
  const rewBuf = new Float32Array(B);
  const doneBuf = new Uint8Array(B);
  const validBuf = new Uint8Array(B);
  const advBuf = new Float32Array(B);
  const retBuf = new Float32Array(B);
  const logits = new Float32Array(N_ACTIONS);
  const probs = new Float32Array(N_ACTIONS);
  const mask = new Uint8Array(N_ACTIONS);
  const vOut = new Float32Array(1);
  const iterations = Math.max(1, Math.ceil(cfg.steps / B));
  const curve: CurvePoint[] = [];
  const t0 = performance.now();
  let best = { iteration: -1, time: Infinity, position: 0, score: Infinity };
  let bestActor: Mlp | null = null, bestCritic: Mlp | null = null;
  let steps = 0;

  for (let it = 0; it < iterations; it++) {
    const actor = await snapshot(actorNet), critic = await snapshot(criticNet);
    validBuf.fill(0);
    let retSum = 0;
    // rollouts: every env runs one full episode (races have a fixed number of laps)
    for (let e = 0; e < E; e++) {
      const env = envs[e]!;
      let { observation } = env.reset(cfg.seed * 1_000_003 + it * E + e);
      for (let t = 0; t < T; t++) {
        const k = t * E + e;
        obsBuf.set(observation, k * OBS_SIZE);
        env.mask(mask);
        for (let a = 0; a < N_ACTIONS; a++) maskBuf[k * N_ACTIONS + a] = mask[a]!;
        mlpForward(actor, observation, logits);
        maskedSoftmax(logits, mask, probs);
        const a = rng.pick(probs);
        actBuf[k] = a;
        logpBuf[k] = Math.log(Math.max(1e-12, probs[a]!));
        valBuf[k] = mlpForward(critic, observation, vOut)[0]!;
        const r = env.step(a);
        rewBuf[k] = r.reward;
        retSum += r.reward;
        doneBuf[k] = r.terminated ? 1 : 0;
        validBuf[k] = 1;
        observation = r.observation;
        steps++;
        if (r.terminated) break;
      }
    }
    // GAE per env, backwards in time
    for (let e = 0; e < E; e++) {
      let gae = 0, nextV = 0;
      for (let t = T - 1; t >= 0; t--) {
        const k = t * E + e;
        if (!validBuf[k]) continue;
        if (doneBuf[k]) {
          nextV = 0;
          gae = 0;
        }
        const delta = rewBuf[k]! + cfg.gamma * nextV - valBuf[k]!;
        gae = delta + cfg.gamma * cfg.lambda * gae;
        advBuf[k] = gae;
        retBuf[k] = gae + valBuf[k]!;
        nextV = valBuf[k]!;
      }
    }
    const idx: number[] = [];
    for (let k = 0; k < B; k++) if (validBuf[k]) idx.push(k);
    let mean = 0, sq = 0;
    for (const k of idx) mean += advBuf[k]!;
    mean /= idx.length;
    for (const k of idx) sq += (advBuf[k]! - mean) ** 2;
    const std = Math.sqrt(sq / idx.length) + 1e-8;
    const frac = it / Math.max(1, iterations - 1);
    const entCoef = cfg.entStart + (cfg.entEnd - cfg.entStart) * frac;
    (optimizer as unknown as { learningRate: number }).learningRate = cfg.lr * (1 - 0.9 * frac);
    // per-minibatch entropies stay on the device until the iteration's updates are done (read once, summed in order)
    const ents: TF.Scalar[] = [];
    for (let ep = 0; ep < cfg.epochs; ep++) {
      for (let i = idx.length - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        [idx[i], idx[j]] = [idx[j]!, idx[i]!];
      }
      for (let s = 0; s < idx.length; s += cfg.minibatch) {
        const mb = idx.slice(s, s + cfg.minibatch);
        const n = mb.length;
        const o = new Float32Array(n * OBS_SIZE), mk = new Float32Array(n * N_ACTIONS), oh = new Float32Array(n * N_ACTIONS);
        const olp = new Float32Array(n), ad = new Float32Array(n), rt = new Float32Array(n);
        mb.forEach((k, r) => {
          o.set(obsBuf.subarray(k * OBS_SIZE, (k + 1) * OBS_SIZE), r * OBS_SIZE);
          mk.set(maskBuf.subarray(k * N_ACTIONS, (k + 1) * N_ACTIONS), r * N_ACTIONS);
          oh[r * N_ACTIONS + actBuf[k]!] = 1;
          olp[r] = logpBuf[k]!;
          ad[r] = (advBuf[k]! - mean) / std;
          rt[r] = retBuf[k]!;
        });
        tf.tidy(() => {
          const X = tf.tensor2d(o, [n, OBS_SIZE]);
          const M = tf.tensor2d(mk, [n, N_ACTIONS]);
          const OH = tf.tensor2d(oh, [n, N_ACTIONS]);
          const OLP = tf.tensor1d(olp), AD = tf.tensor1d(ad), RT = tf.tensor1d(rt);
          optimizer.minimize(() => {
            const lg = tf.add(forward(tf, actorNet, X), tf.mul(tf.sub(1, M), -1e9));
            const lp = tf.logSoftmax(lg);
            const lpa = tf.sum(tf.mul(lp, OH), 1);
            const ratio = tf.exp(tf.sub(lpa, OLP));
            const s1 = tf.mul(ratio, AD);
            const s2 = tf.mul(tf.clipByValue(ratio, 1 - cfg.clip, 1 + cfg.clip), AD);
            const pg = tf.neg(tf.mean(tf.minimum(s1, s2)));
            const pr = tf.exp(lp);
            const entropyT = tf.neg(tf.mean(tf.sum(tf.mul(pr, tf.mul(lp, M)), 1))) as TF.Scalar;
            ents.push(tf.keep(entropyT.clone())); // the closure runs once per minimize
            const v = tf.reshape(forward(tf, criticNet, X), [n]);
            const vf = tf.mean(tf.square(tf.sub(v, RT)));
            return tf.add(tf.sub(pg, tf.mul(entropyT, entCoef)), tf.mul(vf, cfg.vfCoef)) as TF.Scalar;
          }, false, vars);
        });
      }
    }
    let entropy = 0;
    const nb = ents.length;
    for (const v of await Promise.all(ents.map((t) => t.data()))) entropy += v[0]!;
    ents.forEach((t) => t.dispose());
    const point: CurvePoint = {
      iteration: it,
      steps,
      seconds: (performance.now() - t0) / 1000,
      meanReturn: retSum / E,
      entropy: entropy / Math.max(1, nb),
    };
    if (it % cfg.evalEvery === cfg.evalEvery - 1 || it === iterations - 1) {
      const a = await snapshot(actorNet);
      const g = evaluate(a);
      point.evalTime = g.time;
      point.evalPosition = g.position;
      point.evalScore = g.score;
      if (g.score < best.score - 1e-9) {
        best = { iteration: it, time: g.time, position: g.position, score: g.score };
        bestActor = cloneMlp(a);
        bestCritic = cloneMlp(await snapshot(criticNet));
      }
    }
    curve.push(point);
    onLog?.(point);
  }
  const result: PpoResult = {
    actor: bestActor ?? cloneMlp(await snapshot(actorNet)),
    critic: bestCritic ?? cloneMlp(await snapshot(criticNet)),
    curve,
    steps,
    seconds: (performance.now() - t0) / 1000,
    best,
    backend: describeTfBackend(tf),
  };
  optimizer.dispose();
  for (const v of vars) v.dispose();
  return result;
}

const cloneMlp = (m: Mlp): Mlp => ({
  layers: m.layers.map((l) => ({ ...l, w: Float32Array.from(l.w), b: Float32Array.from(l.b) })),
});
