// Stint forecast: the tyre-degradation network blended with the last-lap prior (weight learned on a validation
// season inside the training range), its training/evaluation (issue #5 task definition), and the live forecast.
import type { Db } from '../data/db.js';
import type { DryCompound, StintForecast } from '../../shared/domain.js';
import { raceContext } from './context.js';
import { curvesFromRaces, slopePrior, type CurveFit, type DegradationCurveFit } from './curves.js';
import { describeTfBackend, holdTf } from '../compute/tf.js';
import { DEFAULT_NET, DEFAULT_TRAIN, DegEnsemble, DegNet, trainDegNet, type DegNetConfig, type TrainOpts } from './deg-model.js';
import { loadRaces, raceStints, type RaceLaps } from '../race/laps.js';
import { evalSamples, HORIZON, OBS, stintSample, trainSamples, type SlopePrior, type StintSample } from './stint-data.js';

export interface TyreDegMeta {
  trainSeasons: [number, number];
  /** Blend weight of the network (= weights.net). */
  blend: number;
  /** Final = net · network p50 + last · last observed lap + stat · statistical prior (stint-data.ts); sums to 1. */
  weights: { net: number; last: number; stat: number };
  /** Network weight per forecast step (1…HORIZON; the rest on the last lap); overrides `weights` when present. */
  horizonWeights?: number[];
  bestEpoch: number;
  /** Degradation fits of the training seasons (the network's per-circuit slope prior). */
  fits: { circuit: string; compound: DryCompound; fit: CurveFit; stints: number }[];
  /** Per-compound slope (s per lap of tyre age, raw lap time) of the compound-slope baseline. */
  compoundSlope: Record<string, number>;
}

export interface TyreDegModel {
  net: DegEnsemble;
  meta: TyreDegMeta;
  prior: SlopePrior;
}

export function priorFromMeta(meta: TyreDegMeta): SlopePrior {
  return slopePrior(meta.fits as DegradationCurveFit[]);
}

/** Lap-time forecasts (s) of the samples: [p10, p50, p90] per query, blended. */
export async function forecastLaps(model: TyreDegModel, samples: readonly StintSample[]): Promise<Float64Array> {
  const q = await model.net.predict(samples);
  const out = new Float64Array(q.length);
  const w = model.meta.weights;
  samples.forEach((s, i) => {
    for (let h = 0; h < HORIZON; h++) {
      const k = (i * HORIZON + h) * 3;
      const base = s.ref + s.fuel[h]!;
      const p50 = base + q[k + 1]!;
      const hw = model.meta.horizonWeights?.[h];
      const mix = hw !== undefined ? hw * p50 + (1 - hw) * s.lastLap : w.net * p50 + w.last * s.lastLap + w.stat * s.stat[h]!;
      out[k] = mix + (q[k]! - q[k + 1]!);
      out[k + 1] = mix;
      out[k + 2] = mix + (q[k + 2]! - q[k + 1]!);
    }
  });
  return out;
}

/** Per-compound slope of raw lap time against tyre age from the last observed lap (least squares through 0). */
export function fitCompoundSlope(samples: readonly StintSample[]): Record<string, number> {
  const num: Record<string, number> = {};
  const den: Record<string, number> = {};
  for (const s of samples)
    for (let h = 0; h < HORIZON; h++) {
      if (!s.mask[h]) continue;
      const da = s.age[h]! - s.lastAge;
      num[s.compound] = (num[s.compound] ?? 0) + (s.actual[h]! - s.lastLap) * da;
      den[s.compound] = (den[s.compound] ?? 0) + da * da;
    }
  return Object.fromEntries(Object.keys(num).map((c) => [c, den[c]! > 0 ? num[c]! / den[c]! : 0]));
}

export interface TyreDegEvaluation {
  stints: number;
  mae: number;
  baselines: { last_lap: number; compound_slope: number };
  by_compound: Record<string, { stints: number; mae: number; last_lap: number; compound_slope: number }>;
  by_circuit: Record<string, { stints: number; mae: number; last_lap: number; compound_slope: number }>;
  network_mae: number;
  stat_prior_mae: number;
  blend: number;
  weights: TyreDegMeta['weights'];
  coverage_p10_p90: number;
}

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

export async function scoreForecast(model: TyreDegModel, samples: readonly StintSample[]): Promise<TyreDegEvaluation> {
  const f = await forecastLaps(model, samples);
  const raw = await model.net.predict(samples);
  const acc = new Map<string, { n: number; e: number; l: number; c: number; k: number }>();
  const accC = new Map<string, { n: number; e: number; l: number; c: number; k: number }>();
  const tot = { n: 0, e: 0, l: 0, c: 0, net: 0, cov: 0, stat: 0 };
  samples.forEach((s, i) => {
    const a = acc.get(s.compound) ?? { n: 0, e: 0, l: 0, c: 0, k: 0 };
    const b = accC.get(s.circuit) ?? { n: 0, e: 0, l: 0, c: 0, k: 0 };
    a.k++;
    b.k++;
    for (let h = 0; h < HORIZON; h++) {
      if (!s.mask[h]) continue;
      const k = (i * HORIZON + h) * 3;
      const y = s.actual[h]!;
      const e = Math.abs(f[k + 1]! - y);
      const l = Math.abs(s.lastLap - y);
      const c = Math.abs(s.lastLap + (model.meta.compoundSlope[s.compound] ?? 0) * (s.age[h]! - s.lastAge) - y);
      for (const x of [a, b]) {
        x.n++;
        x.e += e;
        x.l += l;
        x.c += c;
      }
      tot.n++;
      tot.e += e;
      tot.l += l;
      tot.c += c;
      tot.net += Math.abs(s.ref + s.fuel[h]! + raw[k + 1]! - y);
      tot.stat += Math.abs(s.stat[h]! - y);
      if (y >= f[k]! && y <= f[k + 2]!) tot.cov++;
    }
    acc.set(s.compound, a);
    accC.set(s.circuit, b);
  });
  const table = (m: typeof acc) =>
    Object.fromEntries(
      [...m]
        .sort((x, y) => x[0].localeCompare(y[0]))
        .map(([c, a]) => [c, { stints: a.k, mae: r4(a.e / Math.max(1, a.n)), last_lap: r4(a.l / Math.max(1, a.n)), compound_slope: r4(a.c / Math.max(1, a.n)) }]),
    );
  const n = Math.max(1, tot.n);
  return {
    stints: samples.length,
    mae: r4(tot.e / n),
    baselines: { last_lap: r4(tot.l / n), compound_slope: r4(tot.c / n) },
    by_compound: table(acc),
    by_circuit: table(accC),
    network_mae: r4(tot.net / n),
    stat_prior_mae: r4(tot.stat / n),
    blend: model.meta.blend,
    weights: model.meta.weights,
    coverage_p10_p90: r4(tot.cov / n),
  };
}

/** Network weight per forecast step (vs the last lap, grid step 0.05) with the lowest validation MAE: the last lap
 *  says more about the next lap than about the tenth. */
async function bestBlend(net: DegEnsemble, samples: readonly StintSample[]): Promise<number[]> {
  const q = await net.predict(samples);
  const out: number[] = [];
  for (let h = 0; h < HORIZON; h++) {
    let best = 1;
    let bestE = Infinity;
    for (let a = 0; a <= 20; a++) {
      const w = a / 20;
      let e = 0;
      samples.forEach((s, i) => {
        if (s.mask[h]) e += Math.abs(w * (s.ref + s.fuel[h]! + q[(i * HORIZON + h) * 3 + 1]!) + (1 - w) * s.lastLap - s.actual[h]!);
      });
      if (e < bestE - 1e-9) {
        bestE = e;
        best = w;
      }
    }
    out.push(best);
  }
  return out;
}

async function forecastMae(net: { predict(s: readonly StintSample[]): Promise<Float32Array> }, samples: readonly StintSample[]): Promise<number> {
  const q = await net.predict(samples);
  let e = 0;
  let n = 0;
  samples.forEach((s, i) => {
    for (let h = 0; h < HORIZON; h++)
      if (s.mask[h]) {
        e += Math.abs(s.ref + s.fuel[h]! + q[(i * HORIZON + h) * 3 + 1]! - s.actual[h]!);
        n++;
      }
  });
  return e / Math.max(1, n);
}

export const REFIT_EPOCHS = 0;
export const MEMBERS = 2;

export interface TrainTyreDegOpts {
  net?: Partial<typeof DEFAULT_NET>;
  train?: Partial<Omit<TrainOpts, 'validate'>>;
  seed?: number;
  /** Networks in the ensemble, each from its own seed (default MEMBERS). */
  members?: number;
  /** Fine-tuning epochs on all seasons after the validation choices (default REFIT_EPOCHS = 0: on 2018–2022 → 2023
   *  it did not help, 0.5026 vs 0.4954). */
  refitEpochs?: number;
  /** Keep at most this many training samples (tests train tiny versions). */
  maxSamples?: number;
  log?: (m: string) => void;
}

/**
 * Trains on the races of seasons [from, to]: the network on seasons < to, epoch choice and blend weight on the stint
 * forecasts of season `to` (validation inside the training range).
 */
export async function trainTyreDeg(races: readonly RaceLaps[], seasons: [number, number], opts: TrainTyreDegOpts = {}): Promise<TyreDegModel> {
  // one backend for the whole run (members, blend, refit): loadTf() calls meanwhile do not switch it
  const hold = await holdTf('auto', { workload: 'tyre-train' });
  try {
    return await trainHeld(races, seasons, opts, describeTfBackend(hold.tf));
  } finally {
    hold.release();
  }
}

async function trainHeld(races: readonly RaceLaps[], seasons: [number, number], opts: TrainTyreDegOpts, backend: string): Promise<TyreDegModel> {
  const fitsAll = curvesFromRaces(races);
  const prior = slopePrior(fitsAll);
  const val = seasons[1] > seasons[0] ? seasons[1] : null;
  const fitRaces = races.filter((r) => val === null || r.season < val);
  const valRaces = races.filter((r) => r.season === val);
  let samples = trainSamples(fitRaces, prior);
  if (opts.maxSamples && samples.length > opts.maxSamples) samples = samples.slice(0, opts.maxSamples);
  const valSamples = evalSamples(valRaces, prior);
  const circuits = [...new Set(fitRaces.map((r) => r.circuit))].sort();
  const config: DegNetConfig = { ...DEFAULT_NET, ...opts.net, circuits };
  const seed = opts.seed ?? 1;
  opts.log?.(`tyre-deg: ${samples.length} training windows, ${valSamples.length} validation stints, training on ${backend}`);
  const members: DegNet[] = [];
  let bestEpoch = 0;
  for (let k = 0; k < (opts.members ?? MEMBERS); k++) {
    const trained = await trainDegNet(samples, config, {
      ...DEFAULT_TRAIN,
      ...opts.train,
      seed: seed + 100 * k,
      ...(opts.log ? { log: opts.log } : {}),
      ...(valSamples.length ? { validate: (net: DegNet) => forecastMae(net, valSamples) } : {}),
    });
    members.push(trained.net);
    bestEpoch = Math.max(bestEpoch, trained.bestEpoch);
  }
  const ens = new DegEnsemble(members);
  const horizonWeights = valSamples.length ? await bestBlend(ens, valSamples) : Array<number>(HORIZON).fill(1);
  const wn = Math.round((horizonWeights.reduce((a, b) => a + b, 0) / HORIZON) * 1000) / 1000;
  const weights = { net: wn, last: Math.round((1 - wn) * 1000) / 1000, stat: 0 };
  opts.log?.(`tyre-deg: ${members.length} network(s), best epoch ${bestEpoch}, network weight per step ${horizonWeights.join(', ')}`);
  // fine-tune on every training season, the validation season included (the most recent data matters most)
  const refit = opts.refitEpochs ?? REFIT_EPOCHS;
  if (val !== null && refit > 0) {
    let all = trainSamples(races, prior);
    if (opts.maxSamples && all.length > opts.maxSamples) all = all.slice(0, opts.maxSamples);
    const lr = (opts.train?.lr ?? DEFAULT_TRAIN.lr) / 2;
    for (const [k, m] of members.entries())
      await trainDegNet(all, config, { ...DEFAULT_TRAIN, ...opts.train, epochs: refit, lr, seed: seed + 100 * k + 1, init: m, ...(opts.log ? { log: opts.log } : {}) });
  }
  const compoundSlope = fitCompoundSlope(evalSamples(races, prior));
  const meta: TyreDegMeta = {
    trainSeasons: seasons,
    blend: weights.net,
    weights,
    horizonWeights,
    bestEpoch,
    fits: fitsAll.map((f) => ({ circuit: f.circuit, compound: f.compound, fit: f.fit, stints: f.stints })),
    compoundSlope,
  };
  return { net: ens, meta, prior };
}

export async function evaluateTyreDeg(
  db: Db,
  train: [number, number],
  test: [number, number],
  opts: TrainTyreDegOpts = {},
): Promise<TyreDegEvaluation & { model: TyreDegModel; train_s: number; train_seasons: [number, number]; test_seasons: [number, number] }> {
  const t0 = performance.now();
  const model = await trainTyreDeg(loadRaces(db, train), train, opts);
  const train_s = r4((performance.now() - t0) / 1000);
  const samples = evalSamples(loadRaces(db, test), model.prior);
  return { ...(await scoreForecast(model, samples)), model, train_s, train_seasons: train, test_seasons: test };
}

export async function saveTyreDeg(model: TyreDegModel, dir: string): Promise<void> {
  await model.net.save(dir, model.meta as unknown as Record<string, unknown>);
}

export async function loadTyreDeg(dir: string): Promise<TyreDegModel> {
  const { net, meta } = await DegEnsemble.load(dir);
  const m = meta as unknown as TyreDegMeta;
  m.weights ??= { net: m.blend, last: 1 - m.blend, stat: 0 };
  return { net, meta: m, prior: priorFromMeta(m) };
}

/**
 * Live forecast for a driver at the end of `lap`: the current stint's clean laps so far (at least 3; the last OBS
 * are observed, fewer are padded with the first) and the next `horizon` laps' times with a p10–p90 band.
 */
export async function liveForecast(model: TyreDegModel, race: RaceLaps, driver: string, lap: number, horizon = HORIZON): Promise<StintForecast | null> {
  const stint = raceStints(race).find((s) => s.driver === driver && s.laps.some((l) => l.lap === lap));
  if (!stint) return null;
  const seen = stint.clean.filter((l) => l.lap <= lap);
  if (seen.length < 3) return null;
  const cur = stint.laps.find((l) => l.lap === lap)!;
  const padded = seen.length >= OBS ? seen.slice(-OBS) : [...Array<typeof seen[0]>(OBS - seen.length).fill(seen[0]!), ...seen];
  const view = { ...stint, clean: padded };
  const age0 = cur.tyreAge ?? padded[OBS - 1]!.tyreAge ?? 0;
  const queries: { tyreAge: number; lap: number }[] = [];
  for (let k = 1; k <= Math.min(horizon, HORIZON) && lap + k <= race.totalLaps; k++) queries.push({ tyreAge: age0 + k, lap: lap + k });
  if (queries.length === 0) return null;
  const smp = stintSample(raceContext(race), view, 0, model.prior, queries);
  if (!smp) return null;
  const f = await forecastLaps(model, [smp]);
  const r3 = (v: number) => Math.round(v * 1000) / 1000;
  return {
    driver: stint.laps[0]!.driverRef,
    compound: stint.compound,
    observed: seen.map((l) => ({ tyreAge: l.tyreAge ?? 0, lapTime: l.lapTime! })),
    forecast: queries.map((q, h) => ({ tyreAge: q.tyreAge, lapTime: r3(f[h * 3 + 1]!), p10: r3(f[h * 3]!), p90: r3(f[h * 3 + 2]!) })),
  };
}
