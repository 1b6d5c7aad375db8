import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDb } from '../../../tests/helpers/db.js';
import { evaluateTyreDeg, liveForecast, loadTyreDeg, saveTyreDeg, scoreForecast, trainTyreDeg } from './forecast.js';
import { loadRaces } from '../race/laps.js';
import { evalSamples, HORIZON } from './stint-data.js';
import { tyreHandlers } from './api.js';
import { Engine, Session } from '../engine/kernel/session.js';

const tiny = { net: { hidden: 8, heads: 2, headDim: 4, embed: 2, dense: 8 }, train: { epochs: 2, batch: 64 }, maxSamples: 600, seed: 3, members: 1 };

describe('tyre-deg stint forecast', () => {
  it('evaluates the issue’s task on real stints (tiny network) and reports the baselines', async () => {
    const db = sharedDb();
    const r = await evaluateTyreDeg(db, [2023, 2023], [2024, 2024], tiny);
    db.close();
    // every 2024 stint with ≥ 15 clean laps
    expect(r.stints).toBeGreaterThan(400);
    expect(r.mae).toBeGreaterThan(0.2);
    expect(r.mae).toBeLessThan(1.5);
    expect(r.baselines.last_lap).toBeCloseTo(0.5385, 3);
    expect(r.baselines.compound_slope).toBeGreaterThan(0.3);
    expect(Object.keys(r.by_compound).sort()).toEqual(['HARD', 'MEDIUM', 'SOFT']);
    expect(r.coverage_p10_p90).toBeGreaterThan(0.3);
    r.model.net.dispose();
  });

  it('is deterministic under a seed, and saves/loads through the file IOHandler with identical forecasts', async () => {
    const db = sharedDb();
    const races = loadRaces(db, [2023, 2024], { round: 3 });
    db.close();
    // a two-network ensemble, trained twice from the same seed
    const a = await trainTyreDeg(races, [2023, 2024], { ...tiny, members: 2, train: { epochs: 1, batch: 64 } });
    const b = await trainTyreDeg(races, [2023, 2024], { ...tiny, members: 2, train: { epochs: 1, batch: 64 } });
    expect(a.net.members).toHaveLength(2);
    expect(a.meta.horizonWeights).toHaveLength(HORIZON);
    const samples = evalSamples(races, a.prior);
    expect(samples.length).toBeGreaterThan(5);
    const pa = await a.net.predict(samples);
    expect(Array.from(await b.net.predict(samples))).toEqual(Array.from(pa));
    const dir = mkdtempSync(join(tmpdir(), 'pitwall-degnet-'));
    try {
      await saveTyreDeg(a, join(dir, 'tyre-deg'));
      const c = await loadTyreDeg(join(dir, 'tyre-deg'));
      expect(c.meta.blend).toBe(a.meta.blend);
      expect(c.net.members).toHaveLength(2);
      expect(Array.from(await c.net.predict(samples))).toEqual(Array.from(pa));
      expect((await scoreForecast(c, samples)).mae).toBeCloseTo((await scoreForecast(a, samples)).mae, 9);
      // live forecast at the end of a lap: the next laps with an ordered band
      const race = races.find((r) => r.season === 2024)!;
      const s = samples.find((x) => x.season === 2024)!;
      const drv = [...race.byDriver.keys()].find((d) => d === s.driver)!;
      const lap = race.byDriver.get(drv)!.find((l) => l.clean && l.lap > 10)!.lap;
      const f = await liveForecast(c, race, drv, lap);
      expect(f).not.toBeNull();
      expect(f!.forecast.length).toBeGreaterThan(0);
      expect(f!.forecast.length).toBeLessThanOrEqual(HORIZON);
      for (const p of f!.forecast) {
        expect(p.p10!).toBeLessThanOrEqual(p.lapTime);
        expect(p.lapTime).toBeLessThanOrEqual(p.p90!);
      }
      // the API serves the shipped model (PITWALL_MODELS) and the curves
      process.env.PITWALL_MODELS = dir;
      const db2 = sharedDb();
      const session = new Session(new Engine(db2, ':shared:'), () => undefined);
      const api = await tyreHandlers.stintForecast(session, { season: 2024, round: 3, driver: drv, lap });
      expect(api?.forecast.map((p) => p.lapTime)).toEqual(f!.forecast.map((p) => p.lapTime));
      await expect(async () => tyreHandlers.stintForecast(session, { season: 2024, round: 3, driver: 'nobody', lap })).rejects.toThrow(/did not race/);
      const curves = await tyreHandlers.tyreCurves(session, { circuit: 'albert_park' });
      expect(curves.map((x) => x.compound)).toContain('HARD');
      db2.close();
      delete process.env.PITWALL_MODELS;
      c.net.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      a.net.dispose();
      b.net.dispose();
    }
  });
});

describe('tyre-deg training', () => {
  it('resumes an interrupted run from its checkpoint to the same weights', async () => {
    const { DegNet, trainDegNet } = await import('./deg-model.js');
    const { trainSamples } = await import('./stint-data.js');
    const db = sharedDb();
    const races = loadRaces(db, [2024, 2024], { round: 2 });
    db.close();
    const samples = trainSamples(races, () => 0.05).slice(0, 200);
    const config = { hidden: 8, heads: 2, headDim: 4, embed: 2, dense: 8, circuits: ['jeddah'] };
    const opts = { epochs: 3, batch: 32, lr: 3e-3, seed: 5, ema: 0.9 };
    const full = await trainDegNet(samples, config, opts);
    const dir = mkdtempSync(join(tmpdir(), 'pitwall-ckpt-'));
    try {
      const part = await trainDegNet(samples, config, { ...opts, checkpoint: dir, stopAfter: 1 });
      expect(part.epochs).toBe(1);
      part.net.dispose();
      const logs: string[] = [];
      const resumed = await trainDegNet(samples, config, { ...opts, checkpoint: dir, log: (m) => logs.push(m) });
      expect(logs[0]).toMatch(/resumed from epoch 1/);
      const a = (await full.net.weights()).map((w) => Array.from(w));
      const b = (await resumed.net.weights()).map((w) => Array.from(w));
      // same weights (up to float32 rounding of Adam's recomputed bias-correction powers)
      let maxDiff = 0;
      for (let i = 0; i < a.length; i++) for (let j = 0; j < a[i]!.length; j++) maxDiff = Math.max(maxDiff, Math.abs(b[i]![j]! - a[i]![j]!));
      expect(maxDiff).toBeLessThan(1e-4);
      // and not merely the fresh initialisation: training moved the weights
      const init = await DegNet.create(config, opts.seed);
      const c = (await init.weights()).map((w) => Array.from(w));
      let moved = 0;
      for (let i = 0; i < a.length; i++) for (let j = 0; j < a[i]!.length; j++) moved = Math.max(moved, Math.abs(c[i]![j]! - a[i]![j]!));
      expect(moved).toBeGreaterThan(10 * maxDiff);
      init.dispose();
      resumed.net.dispose();
    } finally {
      full.net.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
