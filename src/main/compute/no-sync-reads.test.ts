// The models read tensors only with `await t.data()`: dataSync/arraySync/bufferSync fail on webgpu in Node. Here they
// throw on every backend, and tiny tyre-deg and PPO trainings (+ forecasts) must still run, with the same numbers.
// Also: a training run holds its backend, so loadTf() meanwhile (a model loaded for serving) does not switch it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { sharedDb } from '../../../tests/helpers/db.js';
import { ToyEnv } from '../../../tests/helpers/toy-ppo-env.js';
import { DEFAULT_PPO, trainPpo } from '../strategy/ppo.js';
import { DegEnsemble, trainDegNet } from '../tyres/deg-model.js';
import { liveForecast, saveTyreDeg, scoreForecast, trainTyreDeg } from '../tyres/forecast.js';
import { loadRaces } from '../race/laps.js';
import { evalSamples, trainSamples } from '../tyres/stint-data.js';
import { calibrateAll } from './calibrate.js';
import type { BackendProbe } from './probe.js';
import { holdTf, loadTf, tfModuleLoaded } from './tf.js';

const db = sharedDb();
const races = loadRaces(db, [2023, 2024], { round: 3 });
afterAll(() => db.close());

/** Runs fn with the synchronous reads of every tensor (variables included) throwing. */
async function withoutSyncReads<T>(fn: () => Promise<T>): Promise<T> {
  const tf = await tfModuleLoaded();
  const proto = tf.Tensor.prototype;
  const spies = (['dataSync', 'arraySync', 'bufferSync'] as const).map((m) =>
    vi.spyOn(proto, m).mockImplementation(() => {
      throw new Error(`sync tensor read (${m}) on a hot path`);
    }),
  );
  try {
    expect(() => tf.tidy(() => tf.scalar(1).dataSync())).toThrow(/sync tensor read/);
    return await fn();
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
}

/** A tiny tyre-deg run through every path: members + validation + blend + refit, save/load, resume, forecasts. */
async function tyreNumbers() {
  const m = await trainTyreDeg(races, [2023, 2024], {
    net: { hidden: 8, heads: 2, headDim: 4, embed: 2, dense: 8 },
    train: { epochs: 2, batch: 64, ema: 0.9 },
    maxSamples: 150,
    seed: 3,
    members: 2,
    refitEpochs: 1,
  });
  const samples = evalSamples(races, m.prior);
  const race = races.find((r) => r.season === 2024)!;
  const s = samples.find((x) => x.season === 2024)!;
  const lap = race.byDriver.get(s.driver)!.find((l) => l.clean && l.lap > 10)!.lap;
  const dir = mkdtempSync(join(tmpdir(), 'pitwall-async-'));
  try {
    await saveTyreDeg(m, join(dir, 'model'));
    const { net: loaded } = await DegEnsemble.load(join(dir, 'model'));
    const reloaded = Array.from(await loaded.predict(samples));
    loaded.dispose();
    // an interrupted run resumed from its checkpoint (checkpoint loads, best weights)
    const ts = trainSamples(races, () => 0.05).slice(0, 100);
    const cfg = { hidden: 8, heads: 2, headDim: 4, embed: 2, dense: 8, circuits: ['x'] };
    const opts = { epochs: 2, batch: 32, lr: 3e-3, seed: 5, ema: 0.9, checkpoint: join(dir, 'ckpt') };
    (await trainDegNet(ts, cfg, { ...opts, stopAfter: 1 })).net.dispose();
    const resumed = await trainDegNet(ts, cfg, opts);
    const out = {
      meta: [m.meta.horizonWeights, m.meta.bestEpoch],
      predict: Array.from(await m.net.predict(samples)),
      reloaded,
      score: await scoreForecast(m, samples),
      live: await liveForecast(m, race, s.driver, lap),
      resumed: [resumed.bestEpoch, resumed.bestScore, (await resumed.net.weights()).map((w) => Array.from(w))],
    };
    resumed.net.dispose();
    m.net.dispose();
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ppoNumbers() {
  let k = 0;
  const cfg = { ...DEFAULT_PPO, envs: 4, steps: 200, hidden: 8, minibatch: 20, lr: 3e-3, stayBias: 0, evalEvery: 2 };
  const r = await trainPpo(Array.from({ length: 4 }, () => new ToyEnv()), () => ({ score: -(k++ % 3), time: 0, position: 0 }), cfg);
  return {
    curve: r.curve.map((c) => [c.meanReturn, c.entropy, c.evalScore]),
    best: r.best,
    actor: r.actor.layers.map((l) => [Array.from(l.w), Array.from(l.b)]),
    critic: r.critic.layers.map((l) => [Array.from(l.w), Array.from(l.b)]),
  };
}

describe('no synchronous tensor reads on the model hot paths', () => {
  it('tyre-deg: training (validation, blend, refit, resume), save/load and forecasts', async () => {
    const ref = await tyreNumbers();
    expect(ref.predict.length).toBeGreaterThan(0);
    expect(ref.live).not.toBeNull();
    expect(await withoutSyncReads(tyreNumbers)).toEqual(ref);
  });

  it('PPO: rollouts, update steps (entropy read after minimize) and snapshots', async () => {
    const ref = await ppoNumbers();
    expect(ref.curve.length).toBeGreaterThan(1);
    expect(await withoutSyncReads(ppoNumbers)).toEqual(ref);
  });
});

describe('a training run holds its tfjs backend', () => {
  it('loadTf() during the run does not switch it; after the release it does', async () => {
    const tf = await tfModuleLoaded();
    const before = tf.getBackend();
    const h = await holdTf('auto', { workload: 'tyre-train' });
    const other = h.backend === 'cpu' ? 'wasm' : 'cpu';
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await loadTf(other);
      expect(tf.getBackend()).toBe(h.backend);
      const inner = await holdTf('auto', { workload: 'ppo-update' }); // joins, no switch
      expect(inner.backend).toBe(h.backend);
      inner.release();
      await loadTf(other);
      expect(tf.getBackend()).toBe(h.backend);
      // calibration (doctor --recalibrate) is refused rather than switching under the run
      const probes = [{ id: 'tfjs:cpu', runtime: 'tfjs', name: 'cpu', device: 'cpu', available: true }] as BackendProbe[];
      await expect(calibrateAll(probes)).rejects.toThrow(/training run holds the tfjs backend/);
      expect(tf.getBackend()).toBe(h.backend);
    } finally {
      h.release();
      h.release(); // idempotent
      errors.mockRestore();
    }
    await loadTf(other);
    expect(tf.getBackend()).toBe(other);
    await loadTf(before as 'wasm');
  });

  it('a model loaded for serving while a tyre network trains leaves the training untouched', async () => {
    const ts = trainSamples(races, () => 0.05).slice(0, 100);
    const cfg = { hidden: 8, heads: 2, headDim: 4, embed: 2, dense: 8, circuits: ['x'] };
    const opts = { epochs: 2, batch: 32, lr: 3e-3, seed: 7 };
    const solo = await trainDegNet(ts, cfg, opts);
    const ref = await solo.net.weights();
    const dir = mkdtempSync(join(tmpdir(), 'pitwall-serve-'));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await new DegEnsemble([solo.net]).save(dir);
      const run = trainDegNet(ts, cfg, opts);
      const other = solo.net.backend === 'cpu' ? 'wasm' : 'cpu';
      await loadTf(other); // a request for another backend in the middle of the run
      expect((await tfModuleLoaded()).getBackend()).toBe(solo.net.backend);
      const { net: served } = await DegEnsemble.load(dir);
      expect(served.members[0]!.backend).toBe(solo.net.backend);
      const again = await run;
      expect(again.net.backend).toBe(solo.net.backend);
      expect(await again.net.weights()).toEqual(ref);
      served.dispose();
      again.net.dispose();
    } finally {
      errors.mockRestore();
      solo.net.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
