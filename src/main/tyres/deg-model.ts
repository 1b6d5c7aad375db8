// Tyre-degradation sequence model (issue #5), TensorFlow.js: training on the backend measured for 'tyre-train' (held
// for the run, compute/tf.ts), inference through loadTf(); results are read with `await t.data()` only:
//   per observed lap [lap features ‖ context ‖ circuit embedding] → LSTM encoder → multi-head self-attention (+ residual)
//   → [mean-pooled ‖ last state ‖ context] → for each queried lap: dense(relu) → p10/p50/p90 of (fuel-corrected lap −
//   observed reference pace). Pinball loss; quantiles are ordered by construction (p50 ± softplus).
// Weights are plain tf.Variables (initialised from a seeded PRNG: deterministic), saved with the file IOHandler (io.ts);
// training checkpoints (weights + Adam state + epoch) make it resumable.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { holdTf, loadTf, type Tf, type TfBackend } from '../compute/tf.js';
import { seededRng } from '../util/rng.js';
import { fileHandler } from './io.js';
import { CTX_F, HORIZON, OBS, OBS_F, Q_F, type StintSample } from './stint-data.js';

export interface DegNetConfig {
  hidden: number;
  heads: number;
  headDim: number;
  embed: number;
  dense: number;
  circuits: string[]; // embedding vocabulary (index 0 = unknown)
}

export const DEFAULT_NET: Omit<DegNetConfig, 'circuits'> = { hidden: 32, heads: 2, headDim: 8, embed: 4, dense: 32 };
const QUANTILES = [0.1, 0.5, 0.9] as const;

type Vars = Record<string, TF.Variable>;

function shapes(c: DegNetConfig): Record<string, number[]> {
  const fin = OBS_F + CTX_F + c.embed;
  const att = c.heads * c.headDim;
  const dIn = 2 * c.hidden + CTX_F + c.embed + Q_F;
  return {
    emb: [c.circuits.length + 1, c.embed],
    lstm_wx: [fin, 4 * c.hidden],
    lstm_wh: [c.hidden, 4 * c.hidden],
    lstm_b: [4 * c.hidden],
    att_q: [c.hidden, att],
    att_k: [c.hidden, att],
    att_v: [c.hidden, att],
    att_o: [att, c.hidden],
    d1_w: [dIn, c.dense],
    d1_b: [c.dense],
    d2_w: [c.dense, 3],
    d2_b: [3],
  };
}

export class DegNet {
  /** The tfjs backend the weights live on. */
  readonly backend: string;

  private constructor(
    readonly tf: Tf,
    readonly config: DegNetConfig,
    readonly vars: Vars,
  ) {
    this.backend = tf.getBackend();
  }

  /** A fresh seeded network; `tf` when the caller already chose (and holds) the backend, else loadTf(). */
  static async create(config: DegNetConfig, seed: number, tf?: Tf): Promise<DegNet> {
    tf ??= await loadTf();
    const r = seededRng(seed);
    const normal = () => {
      const u = Math.max(1e-12, r());
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
    };
    const vars: Vars = {};
    for (const [name, shape] of Object.entries(shapes(config))) {
      const n = shape.reduce((a, b) => a * b, 1);
      const v = new Float32Array(n);
      if (shape.length === 2) {
        const std = name === 'emb' ? 0.1 : Math.sqrt(2 / (shape[0]! + shape[1]!));
        for (let i = 0; i < n; i++) v[i] = normal() * std;
      } else if (name === 'lstm_b') for (let i = config.hidden; i < 2 * config.hidden; i++) v[i] = 1; // forget gate bias
      vars[name] = tf.variable(tf.tensor(v, shape), true);
    }
    return new DegNet(tf, config, vars);
  }

  circuitIndex(circuit: string): number {
    const i = this.config.circuits.indexOf(circuit);
    return i < 0 ? 0 : i + 1;
  }

  /** Batch tensors of samples. */
  batch(s: readonly StintSample[]) {
    const tf = this.tf;
    const B = s.length;
    const obs = new Float32Array(B * OBS * OBS_F);
    const ctx = new Float32Array(B * CTX_F);
    const q = new Float32Array(B * HORIZON * Q_F);
    const y = new Float32Array(B * HORIZON);
    const m = new Float32Array(B * HORIZON);
    const nc = this.config.circuits.length + 1;
    const circ = new Float32Array(B * nc); // one-hot (the wasm backend has no gather gradient)
    s.forEach((x, i) => {
      obs.set(x.obs, i * OBS * OBS_F);
      ctx.set(x.ctx, i * CTX_F);
      q.set(x.q, i * HORIZON * Q_F);
      y.set(x.y, i * HORIZON);
      m.set(x.mask, i * HORIZON);
      circ[i * nc + this.circuitIndex(x.circuit)] = 1;
    });
    return {
      obs: tf.tensor3d(obs, [B, OBS, OBS_F]),
      ctx: tf.tensor2d(ctx, [B, CTX_F]),
      q: tf.tensor3d(q, [B, HORIZON, Q_F]),
      y: tf.tensor2d(y, [B, HORIZON]),
      mask: tf.tensor2d(m, [B, HORIZON]),
      circ: tf.tensor2d(circ, [B, nc]),
    };
  }

  /** [B, HORIZON, 3] quantiles (p10, p50, p90) of the target. */
  forward(b: { obs: TF.Tensor3D; ctx: TF.Tensor2D; q: TF.Tensor3D; circ: TF.Tensor2D }): TF.Tensor3D {
    const tf = this.tf;
    const w = this.vars;
    const { hidden: H, heads, headDim } = this.config;
    const B = b.obs.shape[0]!;
    const e = tf.matMul(b.circ, w.emb as TF.Tensor2D);
    const ctxAll = tf.concat([b.ctx, e], 1);
    // the LSTM's input projection for all steps at once: [obs_t ‖ ctx] · Wx = obs_t · Wx[obs rows] + ctx · Wx[ctx rows]
    // (the same sums as projecting the concatenation, without tiling the context over the steps), time-major so each
    // step is one contiguous block
    const fin = OBS_F + ctxAll.shape[1]!;
    const wxObs = tf.slice(w.lstm_wx!, [0, 0], [OBS_F, 4 * H]) as TF.Tensor2D;
    const wxCtx = tf.slice(w.lstm_wx!, [OBS_F, 0], [fin - OBS_F, 4 * H]) as TF.Tensor2D;
    const obsT = tf.reshape(tf.transpose(b.obs, [1, 0, 2]), [OBS * B, OBS_F]) as TF.Tensor2D;
    const xw = tf.add(tf.reshape(tf.matMul(obsT, wxObs), [OBS, B, 4 * H]), tf.add(tf.matMul(ctxAll, wxCtx), w.lstm_b!));
    const xsteps = tf.unstack(xw, 0) as TF.Tensor2D[];
    let h: TF.Tensor2D = tf.zeros([B, H]);
    let c: TF.Tensor2D = tf.zeros([B, H]);
    const states: TF.Tensor2D[] = [];
    for (let t = 0; t < OBS; t++) {
      const z = tf.add(xsteps[t]!, tf.matMul(h, w.lstm_wh as TF.Tensor2D));
      const [i, f, g, o] = tf.split(z, 4, 1) as [TF.Tensor2D, TF.Tensor2D, TF.Tensor2D, TF.Tensor2D];
      c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
      h = tf.mul(tf.sigmoid(o), tf.tanh(c));
      states.push(h);
    }
    const S = tf.stack(states, 1) as TF.Tensor3D; // [B, T, H]
    const flat = tf.reshape(S, [B * OBS, H]) as TF.Tensor2D;
    const proj = (wm: TF.Variable) =>
      tf.transpose(tf.reshape(tf.matMul(flat, wm as TF.Tensor2D), [B, OBS, heads, headDim]), [0, 2, 1, 3]) as TF.Tensor4D;
    const Q = proj(w.att_q!);
    const K = proj(w.att_k!);
    const V = proj(w.att_v!);
    const att = tf.softmax(tf.div(tf.matMul(Q, K, false, true), Math.sqrt(headDim)));
    const A = tf.reshape(tf.transpose(tf.matMul(att, V), [0, 2, 1, 3]), [B * OBS, heads * headDim]) as TF.Tensor2D;
    const Z = tf.add(S, tf.reshape(tf.matMul(A, w.att_o as TF.Tensor2D), [B, OBS, H])) as TF.Tensor3D;
    const pooled = tf.mean(Z, 1);
    const last = tf.reshape(tf.slice(Z, [0, OBS - 1, 0], [B, 1, H]), [B, H]);
    const ctxv = tf.concat([pooled, last, ctxAll], 1);
    const d = ctxv.shape[1]!;
    // per query [ctxv ‖ q] · W1 = ctxv · W1[ctx rows] (once per sample, broadcast over the queries) + q · W1[q rows]
    const dn = this.config.dense;
    const w1c = tf.slice(w.d1_w!, [0, 0], [d, dn]) as TF.Tensor2D;
    const w1q = tf.slice(w.d1_w!, [d, 0], [Q_F, dn]) as TF.Tensor2D;
    const qpart = tf.reshape(tf.matMul(tf.reshape(b.q, [B * HORIZON, Q_F]) as TF.Tensor2D, w1q), [B, HORIZON, dn]);
    const cpart = tf.expandDims(tf.add(tf.matMul(ctxv, w1c), w.d1_b!), 1);
    const hid = tf.reshape(tf.relu(tf.add(cpart, qpart)), [B * HORIZON, dn]) as TF.Tensor2D;
    const out = tf.add(tf.matMul(hid, w.d2_w as TF.Tensor2D), w.d2_b!);
    // [mid − softplus(lo), mid, mid + softplus(hi)] without splitting the columns: out · M puts mid in every column
    // (exactly: the other terms are 0 · x), softplus(out) · [−1, 0, 1] adds the ordered offsets
    const M = tf.tensor2d([0, 0, 0, 1, 1, 1, 0, 0, 0], [3, 3]);
    const qs = tf.add(tf.matMul(out, M), tf.mul(tf.softplus(out), tf.tensor1d([-1, 0, 1])));
    return tf.reshape(qs, [B, HORIZON, 3]) as TF.Tensor3D;
  }

  /** Masked mean pinball loss over the three quantiles. */
  loss(pred: TF.Tensor3D, y: TF.Tensor2D, mask: TF.Tensor2D): TF.Scalar {
    const tf = this.tf;
    // all three quantiles at once (broadcast over the last axis; no strided slices)
    const qq = tf.tensor1d(QUANTILES as unknown as number[]);
    const e = tf.sub(tf.expandDims(y, 2), pred);
    const l = tf.mul(tf.maximum(tf.mul(e, qq), tf.mul(e, tf.sub(qq, 1))), tf.expandDims(mask, 2));
    return tf.div(tf.sum(l), tf.maximum(tf.sum(mask), 1)) as TF.Scalar;
  }

  /** Quantile predictions as plain arrays: per sample, per query, [p10, p50, p90]. */
  async predict(samples: readonly StintSample[]): Promise<Float32Array> {
    if (samples.length === 0) return new Float32Array(0);
    const out = this.tf.tidy(() => this.forward(this.batch(samples)));
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  }

  /** The weights' values (in `vars` order), read asynchronously. */
  async weights(): Promise<Float32Array[]> {
    return (await Promise.all(Object.values(this.vars).map((v) => v.data()))).map((a) => (a as Float32Array).slice());
  }

  named(): { name: string; tensor: TF.Tensor }[] {
    return Object.entries(this.vars).map(([name, tensor]) => ({ name, tensor }));
  }

  async save(dir: string, meta: Record<string, unknown> = {}): Promise<void> {
    await new DegEnsemble([this]).save(dir, meta);
  }

  static async load(dir: string, tf?: Tf): Promise<{ net: DegNet; meta: Record<string, unknown> }> {
    const { net, meta } = await DegEnsemble.load(dir, tf);
    if (net.members.length !== 1) throw new Error(`${dir}: an ensemble of ${net.members.length}, not one network`);
    return { net: net.members[0]!, meta };
  }

  /** A network from decoded weights named `${prefix}${var}`. */
  static fromWeights(tf: Tf, config: DegNetConfig, ws: Record<string, TF.Tensor>, prefix: string, where: string): DegNet {
    const vars: Vars = {};
    for (const [name, shape] of Object.entries(shapes(config))) {
      const t = ws[prefix + name];
      if (!t || t.shape.join('x') !== shape.join('x')) throw new Error(`${where}: weight ${prefix}${name} missing or of the wrong shape`);
      vars[name] = tf.variable(t, true);
      t.dispose();
    }
    return new DegNet(tf, config, vars);
  }

  dispose(): void {
    for (const v of Object.values(this.vars)) v.dispose();
  }
}

/** Networks trained from different seeds; their quantile predictions are averaged. One artifact (weights m<i>/…). */
export class DegEnsemble {
  constructor(readonly members: DegNet[]) {
    if (members.length === 0) throw new Error('DegEnsemble: no members');
  }

  get config(): DegNetConfig {
    return this.members[0]!.config;
  }

  get params(): number {
    return this.members.reduce((s, m) => s + Object.values(m.vars).reduce((a, v) => a + v.size, 0), 0);
  }

  async predict(samples: readonly StintSample[]): Promise<Float32Array> {
    const all: Float32Array[] = [];
    for (const m of this.members) all.push(await m.predict(samples));
    const [first, ...rest] = all;
    const out = first!;
    for (const p of rest) for (let i = 0; i < out.length; i++) out[i] = out[i]! + p[i]!;
    if (rest.length) for (let i = 0; i < out.length; i++) out[i] = out[i]! / this.members.length;
    return out;
  }

  named(): { name: string; tensor: TF.Tensor }[] {
    return this.members.flatMap((m, i) => m.named().map(({ name, tensor }) => ({ name: `m${i}/${name}`, tensor })));
  }

  topology(): { kind: string; config: DegNetConfig; members: number } {
    return { kind: 'pitwall-degnet', config: this.config, members: this.members.length };
  }

  /** Weights encoded for an artifact (async reads; no backend switch). */
  encode(): ReturnType<Tf['io']['encodeWeights']> {
    return this.members[0]!.tf.io.encodeWeights(this.named());
  }

  async save(dir: string, meta: Record<string, unknown> = {}): Promise<void> {
    const { data, specs } = await this.encode();
    await fileHandler(dir).save({
      modelTopology: this.topology(),
      weightSpecs: specs,
      weightData: data,
      userDefinedMetadata: meta as Record<string, object>,
    });
  }

  /** Loads for serving through loadTf() (which keeps a training run's held backend), or onto `tf` as it is. */
  static async load(dir: string, tf?: Tf): Promise<{ net: DegEnsemble; meta: Record<string, unknown> }> {
    tf ??= await loadTf();
    const a = await fileHandler(dir).load();
    const topo = a.modelTopology as { kind: string; config: DegNetConfig; members?: number };
    if (topo.kind !== 'pitwall-degnet') throw new Error(`${dir}: not a degradation network (${String(topo.kind)})`);
    const ws = tf.io.decodeWeights(a.weightData!, a.weightSpecs!);
    const n = topo.members ?? 1;
    const members = Array.from({ length: n }, (_, i) => DegNet.fromWeights(tf, topo.config, ws, topo.members ? `m${i}/` : '', dir));
    return { net: new DegEnsemble(members), meta: (a.userDefinedMetadata ?? {}) as Record<string, unknown> };
  }

  dispose(): void {
    for (const m of this.members) m.dispose();
  }
}

export interface TrainOpts {
  epochs: number;
  batch: number;
  lr: number;
  seed: number;
  /** Folder for per-epoch checkpoints; an existing checkpoint with the same settings is resumed. */
  checkpoint?: string;
  log?: (m: string) => void;
  /** Called after each epoch with the model; return a validation score (lower = better) to keep the best epoch. */
  validate?: (net: DegNet, epoch: number) => number | Promise<number>;
  /** Stop after this many epochs keeping the checkpoint, as an interrupted run would (tests). */
  stopAfter?: number;
  /** Exponential moving average of the weights per step (0 = off): validation, the best epoch and the result use
   *  the averaged weights, which are far steadier from epoch to epoch than the raw Adam iterates. */
  ema?: number;
  /** Continue from this network's weights (fine-tuning) instead of a fresh seeded initialisation. */
  init?: DegNet;
}

export const DEFAULT_TRAIN: Omit<TrainOpts, 'seed'> = { epochs: 16, batch: 256, lr: 2e-3, ema: 0 };

/** Trains a DegNet on samples; deterministic for a seed; resumable from `checkpoint`. Returns the best epoch's net. */
export async function trainDegNet(
  samples: readonly StintSample[],
  config: DegNetConfig,
  opts: TrainOpts,
): Promise<{ net: DegNet; bestEpoch: number; bestScore: number; epochs: number }> {
  // the backend first (the fine-tuned net's own, else the one measured for 'tyre-train'), then the variables on it
  const hold = await holdTf(opts.init ? (opts.init.backend as TfBackend) : 'auto', { workload: 'tyre-train' });
  try {
    return await trainHeld(samples, config, opts, opts.init ?? (await DegNet.create(config, opts.seed, hold.tf)));
  } finally {
    hold.release();
  }
}

async function trainHeld(
  samples: readonly StintSample[],
  config: DegNetConfig,
  opts: TrainOpts,
  net: DegNet,
): Promise<{ net: DegNet; bestEpoch: number; bestScore: number; epochs: number }> {
  const tf = net.tf;
  const optimizer = tf.train.adam(opts.lr);
  const decay = opts.ema ?? 0;
  const key = JSON.stringify({ config, n: samples.length, epochs: opts.epochs, batch: opts.batch, lr: opts.lr, seed: opts.seed, decay });
  const varList = Object.values(net.vars);
  let ema: TF.Tensor[] | null = decay > 0 ? varList.map((v) => tf.keep(v.clone())) : null;
  let start = 0;
  let best = Infinity;
  let bestEpoch = -1;
  let bestWeights: Float32Array[] | null = null;
  const stateFile = opts.checkpoint ? join(opts.checkpoint, 'state.json') : null;
  if (opts.checkpoint && stateFile && existsSync(stateFile)) {
    const st = JSON.parse(readFileSync(stateFile, 'utf8')) as { key: string; epoch: number; best: number; bestEpoch: number };
    if (st.key === key) {
      const { net: saved } = await DegNet.load(join(opts.checkpoint, 'last'), tf);
      for (const [n, v] of Object.entries(net.vars)) v.assign(saved.vars[n]!);
      saved.dispose();
      const optArt = await fileHandler(join(opts.checkpoint, 'adam')).load();
      const ow = tf.io.decodeWeights(optArt.weightData!, optArt.weightSpecs!);
      await optimizer.setWeights(Object.entries(ow).map(([name, tensor]) => ({ name, tensor })));
      if (ema && existsSync(join(opts.checkpoint, 'ema', 'model.json'))) {
        const { net: e } = await DegNet.load(join(opts.checkpoint, 'ema'), tf);
        ema.forEach((t) => t.dispose());
        ema = Object.values(e.vars).map((v) => tf.keep(v.clone()));
        e.dispose();
      }
      if (existsSync(join(opts.checkpoint, 'best', 'model.json'))) {
        const { net: b } = await DegNet.load(join(opts.checkpoint, 'best'), tf);
        bestWeights = await b.weights();
        b.dispose();
      }
      start = st.epoch;
      best = st.best;
      bestEpoch = st.bestEpoch;
      opts.log?.(`tyre-deg: resumed from epoch ${start}`);
    }
  }
  const order = Int32Array.from(samples.keys());
  for (let ep = start; ep < opts.epochs; ep++) {
    // each epoch's order depends only on (seed, epoch), so a resumed run replays the same batches
    const r = seededRng(opts.seed * 1000 + ep + 1);
    for (let i = 0; i < order.length; i++) order[i] = i;
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    // batch losses stay on the device until the epoch ends (one read, not one stall per batch), summed in order
    const losses: TF.Scalar[] = [];
    for (let s = 0; s < order.length; s += opts.batch) {
      const idx = order.subarray(s, Math.min(order.length, s + opts.batch));
      const bs = Array.from(idx, (i) => samples[i]!);
      const l = tf.tidy(() => {
        const b = net.batch(bs);
        return optimizer.minimize(() => net.loss(net.forward(b), b.y, b.mask), true, varList)!;
      });
      losses.push(l);
      if (ema) {
        const prev = ema;
        ema = tf.tidy(() => prev.map((e, i) => tf.add(tf.mul(e, decay), tf.mul(varList[i]!, 1 - decay))));
        prev.forEach((t) => t.dispose());
      }
    }
    let total = 0;
    const nb = losses.length;
    for (const v of await Promise.all(losses.map((l) => l.data()))) total += v[0]!;
    losses.forEach((l) => l.dispose());
    // score (and keep) the averaged weights; the raw iterate goes back afterwards for training and the checkpoint
    const raw = ema ? varList.map((v) => tf.keep(v.clone())) : null;
    if (ema) varList.forEach((v, i) => v.assign(ema![i]!));
    const score = opts.validate ? await opts.validate(net, ep + 1) : total / nb;
    opts.log?.(`tyre-deg: epoch ${ep + 1}/${opts.epochs} loss ${(total / nb).toFixed(4)} valid ${score.toFixed(4)}`);
    if (score < best) {
      best = score;
      bestEpoch = ep + 1;
      bestWeights = await net.weights();
      if (opts.checkpoint) await net.save(join(opts.checkpoint, 'best'));
    }
    if (opts.checkpoint && ema) await net.save(join(opts.checkpoint, 'ema'));
    if (raw) {
      varList.forEach((v, i) => v.assign(raw[i]! as TF.Variable));
      raw.forEach((t) => t.dispose());
    }
    if (opts.checkpoint && stateFile) {
      await net.save(join(opts.checkpoint, 'last'));
      const ow = await optimizer.getWeights();
      const enc = await tf.io.encodeWeights(ow);
      await fileHandler(join(opts.checkpoint, 'adam')).save({ weightSpecs: enc.specs, weightData: enc.data });
      writeFileSync(stateFile, JSON.stringify({ key, epoch: ep + 1, best, bestEpoch }));
    }
    if (opts.stopAfter === ep + 1 && ep + 1 < opts.epochs) {
      optimizer.dispose();
      ema?.forEach((t) => t.dispose());
      return { net, bestEpoch, bestScore: best, epochs: ep + 1 };
    }
  }
  if (bestWeights) varList.forEach((v, i) => v.assign(tf.tensor(bestWeights![i]!, v.shape)));
  optimizer.dispose();
  ema?.forEach((t) => t.dispose());
  if (opts.checkpoint) rmSync(opts.checkpoint, { recursive: true, force: true });
  return { net, bestEpoch, bestScore: best, epochs: opts.epochs };
}
