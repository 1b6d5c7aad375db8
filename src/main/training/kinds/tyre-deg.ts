// Model kind "tyre-deg": stint forecast (issue #5 task definition: observe the first 5 clean laps of a stint with
// ≥ 15, forecast the next 10) by the LSTM + self-attention network (src/main/tyres/deg-model.ts) blended with the
// last observed lap and a statistical prior; blend weights and epoch chosen on the last training season.
import { DegEnsemble } from '../../tyres/deg-model.js';
import {
  evaluateTyreDeg,
  priorFromMeta,
  scoreForecast,
  trainTyreDeg,
  type TyreDegMeta,
} from '../../tyres/forecast.js';
import { loadRaces, type RaceLaps } from '../../race/laps.js';
import { evalSamples } from '../../tyres/stint-data.js';
import type { ModelKind } from '../kind.js';
import { lapSeasonSplit } from '../lap-seasons.js';

interface Data {
  train: RaceLaps[];
  test: RaceLaps[];
}

/** The registry stores models as JSON: the network's weights travel base64-encoded beside its config and meta. */
export interface TyreDegJSON {
  format: 'pitwall-tyre-deg/1';
  meta: TyreDegMeta;
  topology: unknown;
  specs: unknown[];
  weights: string;
}

async function toJSON(m: Awaited<ReturnType<typeof trainTyreDeg>>): Promise<TyreDegJSON> {
  const { data, specs } = await m.net.encode(); // no loadTf(): the weights are read where they live, no switch
  return {
    format: 'pitwall-tyre-deg/1',
    meta: m.meta,
    topology: m.net.topology(),
    specs,
    weights: Buffer.from(data as ArrayBuffer).toString('base64'),
  };
}

async function fromJSON(j: TyreDegJSON) {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { fileHandler } = await import('../../tyres/io.js');
  const dir = mkdtempSync(join(tmpdir(), 'pitwall-degnet-'));
  try {
    const buf = Buffer.from(j.weights, 'base64');
    await fileHandler(dir).save({
      modelTopology: j.topology as object,
      weightSpecs: j.specs as never,
      weightData: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength),
      userDefinedMetadata: j.meta as unknown as Record<string, object>,
    });
    const { net } = await DegEnsemble.load(dir);
    return { net, meta: j.meta, prior: priorFromMeta(j.meta) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const kind: ModelKind<Data> = {
  name: 'tyre-deg',
  summary:
    'Stint forecast: the next 10 clean laps of a stint from its first 5 (LSTM + self-attention, tfjs).',
  primaryMetric: 'mae',
  direction: 'min',
  card: {
    intendedUse:
      'Forecast of the coming lap times of a driver’s current stint with a p10–p90 band, for the strategist view and ' +
      'the pit-stop simulator; degradation curves per circuit × compound come from the same data.',
    data:
      'FastF1 race laps (2018+), clean laps only (green all lap, no pit in/out, accurate, lap > 1, slick). Training ' +
      'windows: 5 observed clean laps and up to 10 following ones, from every stint; inputs are what was known when ' +
      'the 5th observed lap ended plus the queried laps’ tyre age and lap number.',
    limitations: [
      'Conditions that change quickly (drying track, rain) are only seen through the field’s recent lap-to-lap trend.',
      'Drivers managing pace (Monaco-style trains) are not predictable from 5 laps.',
      'New circuits get the unknown-circuit embedding and the per-compound average slope.',
    ],
  },
  ...lapSeasonSplit,
  features(ctx, split) {
    return { train: loadRaces(ctx.db, split.train), test: loadRaces(ctx.db, split.test) };
  },
  lineage(d, split) {
    return {
      featureViews: [{ name: 'stint_window', version: 1 }],
      trainSeasons: split.train,
      testSeasons: split.test,
      trainRows: d.train.length,
      testRows: d.test.length,
    };
  },
  async train(ctx, d, split) {
    const m = await trainTyreDeg(d.train, split.train, { seed: ctx.seed, log: ctx.log });
    const json = await toJSON(m);
    m.net.dispose();
    return {
      model: json,
      params: {
        ...m.net.config,
        circuits: m.net.config.circuits.length,
        members: m.net.members.length,
        blend: m.meta.blend,
        best_epoch: m.meta.bestEpoch,
      },
    };
  },
  async evaluate(_ctx, trained, d, split) {
    const m = await fromJSON(trained.model as TyreDegJSON);
    const r = await scoreForecast(m, evalSamples(d.test, m.prior));
    m.net.dispose();
    const byCompound = Object.fromEntries(
      Object.entries(r.by_compound).map(([k, v]) => [`mae_${k.toLowerCase()}`, v.mae]),
    );
    return {
      metrics: {
        mae: r.mae,
        stints: r.stints,
        network_mae: r.network_mae,
        coverage_p10_p90: r.coverage_p10_p90,
        ...byCompound,
      },
      baselines: {
        last_lap: { mae: r.baselines.last_lap },
        compound_slope: { mae: r.baselines.compound_slope },
      },
      report: { ...r, train_seasons: split.train, test_seasons: split.test },
    };
  },
};

export { evaluateTyreDeg };
