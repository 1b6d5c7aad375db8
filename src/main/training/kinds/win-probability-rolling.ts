// In-race win probability, rolling origin by season: each test season S judged by the model trained on the lap
// seasons before it (2018…S−1), at the same checkpoints, with both baselines; pooled per checkpoint (race-weighted).
import type { Db } from '../../data/db.js';
import type { StepContext } from '../kind.js';
import { kind } from './win-probability.js';

interface CheckpointRow {
  fraction: number;
  races: number;
  logloss: number;
  brier: number;
  ece: number;
  baselines: Record<string, { logloss: number }>;
}
export interface InRaceRolling {
  seasons: { season: number; train_seasons: [number, number]; checkpoints: CheckpointRow[] }[];
  pooled: CheckpointRow[];
}

const r4 = (v: number) => Math.round(v * 10_000) / 10_000;

export async function rollingInRace(
  db: Db,
  dbFile: string,
  from: number,
  to: number,
  log: (l: string) => void = () => {},
): Promise<InRaceRolling> {
  const first = kind.defaultSplit(db).train[0];
  if (from <= first)
    throw new Error(
      `win-probability --rolling: the first test season must be after ${first} (lap data starts there)`,
    );
  const ctx: StepContext = { db, dbFile, seed: 1, log };
  const seasons: InRaceRolling['seasons'] = [];
  for (let s = from; s <= to; s++) {
    const split = { train: [first, s - 1] as [number, number], test: [s, s] as [number, number] };
    const failed = (await kind.validate(ctx, split)).filter((c) => !c.ok);
    if (failed.length)
      throw new Error(`win-probability --rolling ${s}: ${failed.map((c) => c.detail).join('; ')}`);
    log(`win-probability rolling: season ${s}, training ${split.train.join('–')}`);
    const data = await kind.features(ctx, split);
    const trained = await kind.train(ctx, data, split);
    const ev = await kind.evaluate(ctx, trained, data, split);
    seasons.push({
      season: s,
      train_seasons: split.train,
      checkpoints: (ev.report as { checkpoints: CheckpointRow[] }).checkpoints,
    });
  }
  const pooled = (seasons[0]?.checkpoints ?? []).map((c0, k) => {
    const rows = seasons.map((s) => s.checkpoints[k]!);
    const n = rows.reduce((a, c) => a + c.races, 0);
    const avg = (f: (c: CheckpointRow) => number) =>
      r4(rows.reduce((a, c) => a + f(c) * c.races, 0) / Math.max(1, n));
    return {
      fraction: c0.fraction,
      races: n,
      logloss: avg((c) => c.logloss),
      brier: avg((c) => c.brier),
      ece: avg((c) => c.ece),
      baselines: Object.fromEntries(
        Object.keys(c0.baselines).map((b) => [b, { logloss: avg((c) => c.baselines[b]!.logloss) }]),
      ),
    };
  });
  return { seasons, pooled };
}
