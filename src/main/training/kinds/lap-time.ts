// Model kind "lap-time": next clean lap time of a driver (issue #5 task definition), GBDT on the residual against the
// driver's last clean lap in the stint (fuel-corrected). Train ≤ split.train, early stopping on its last season.
import { gbdtToOnnx } from '../../models/onnx/export.js';
import { LAP_FEATURES, type LapRows } from '../../models/lap-time/features.js';
import {
  LAP_TIME_PARAMS,
  LapTimeModel,
  lapRowsFor,
  trainLapTime,
  type LapTimeModelJSON,
} from '../../models/lap-time/model.js';
import { scoreLapTime } from '../../models/lap-time/evaluate.js';
import type { ModelKind } from '../kind.js';
import { lapSeasonSplit } from '../lap-seasons.js';

interface Data {
  train: LapRows;
  test: LapRows;
}

export const kind: ModelKind<Data> = {
  name: 'lap-time',
  summary:
    'Next clean lap time of each driver from the race so far (tyre age, fuel, pace, traffic, track evolution).',
  primaryMetric: 'mae',
  direction: 'min',
  card: {
    intendedUse:
      'Expected time of a driver’s next green-flag lap, for the strategy simulator and the live timing view. ' +
      'Inputs are only what was known when the lap began.',
    data:
      'FastF1 race laps (2018+). Rows: clean laps (green all lap, no pit in/out, accurate, lap > 1, slick) with an ' +
      'earlier clean lap in the same stint. Target: fuel-corrected lap time (110 kg, 0.03 s/kg) minus the last clean ' +
      'lap. The whole-race columns DeltaTo*/PctFrom* are never used.',
    limitations: [
      'Unpredictable events (mistakes, traffic from lapped cars, sudden rain) dominate the largest errors.',
      'Fuel load is an estimate (even burn of 110 kg over the scheduled distance).',
      'Wet and intermediate laps are out of scope.',
    ],
  },
  ...lapSeasonSplit,
  features(ctx, split) {
    return { train: lapRowsFor(ctx.db, split.train), test: lapRowsFor(ctx.db, split.test) };
  },
  lineage(d, split) {
    return {
      featureViews: [{ name: 'lap_next', version: 1 }],
      trainSeasons: split.train,
      testSeasons: split.test,
      trainRows: d.train.rows,
      testRows: d.test.rows,
    };
  },
  train(ctx, d, split) {
    const m = trainLapTime(d.train, split.train, { seed: ctx.seed }, ctx.log);
    return {
      model: m.toJSON(),
      onnx: gbdtToOnnx(m.gbdt, { name: 'lap-time' }),
      params: {
        ...Object.fromEntries(
          Object.entries(LAP_TIME_PARAMS).map(([k, v]) => [`gbdt_${k}`, v as string | number]),
        ),
        rounds: m.gbdt.bestIteration,
        features: LAP_FEATURES.length,
      },
    };
  },
  evaluate(_ctx, trained, d, split) {
    const m = LapTimeModel.fromJSON(trained.model as LapTimeModelJSON);
    const r = scoreLapTime(d.test, m.predict(d.test));
    const byCompound = Object.fromEntries(
      Object.entries(r.by_compound).map(([k, v]) => [`mae_${k.toLowerCase()}`, v.mae]),
    );
    return {
      metrics: { mae: r.mae, laps: r.laps, ...byCompound },
      baselines: { persistence: { mae: r.baselines.persistence } },
      importance: m.gbdt.gainImportance().map((g) => ({ feature: g.feature, gain: g.gain })),
      report: { ...r, train_seasons: split.train, test_seasons: split.test, train_laps: d.train.rows },
    };
  },
};
