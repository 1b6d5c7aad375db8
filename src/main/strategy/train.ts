// Trains the PPO pit-strategy agent for one circuit and writes models/strategy/<circuit>.json.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { calibrationOf, CHECKPOINT_FORMAT, saveCheckpoint, strategyModelsDir, type Checkpoint } from './checkpoint.js';
import { StrategyEnv } from './env.js';
import { DEFAULT_PPO, greedyRollout, trainPpo, type CurvePoint, type PpoConfig } from './ppo.js';
import { buildRaceModel, driverIndex } from './race-model.js';
import { startRun } from '../registry/tracking.js';

export interface TrainArgs {
  circuit: string;
  season?: number;
  round?: number;
  driver?: string;
  steps?: number;
  seed?: number;
  outDir?: string;
  /** Where the training curve is appended as JSON lines when the tracking store is unavailable. */
  runsDir?: string;
  /** Log the run (params, curve, checkpoint) to the app's experiment-tracking store in this database. */
  trackingDbFile?: string;
  /** Stochastic races per checkpoint-selection evaluation (0: select on the deterministic race only). */
  selectionSeeds?: number;
  stochasticShare?: number;
}

/** The race a circuit's agent trains on: the given season (else the newest with lap data) at that circuit. */
export function trainingRace(db: Db, circuit: string, season?: number): { season: number; round: number; winner: string } {
  const row = db
    .prepare(
      `SELECT r.year AS season, r.round AS round,
              (SELECT d.driver_ref FROM results x JOIN drivers d ON d.driver_id = x.driver_id
                WHERE x.race_id = r.race_id ORDER BY x.position_order LIMIT 1) AS winner
       FROM races r JOIN circuits c ON c.circuit_id = r.circuit_id
       WHERE c.circuit_ref = ? AND (? IS NULL OR r.year = ?)
         AND EXISTS (SELECT 1 FROM laps l WHERE l.season = r.year AND l.round = r.round AND l.session = 'race')
       ORDER BY r.year DESC LIMIT 1`,
    )
    .get(circuit, season ?? null, season ?? null) as { season: number; round: number; winner: string } | undefined;
  if (!row) throw new DataError(`no race with lap data at circuit "${circuit}"${season ? ` in ${season}` : ''}`);
  return row;
}

export async function trainCircuit(db: Db, args: TrainArgs, onLog?: (p: CurvePoint) => void): Promise<{ checkpoint: Checkpoint; file: string }> {
  const race = args.round !== undefined && args.season !== undefined
    ? { season: args.season, round: args.round, winner: '' }
    : trainingRace(db, args.circuit, args.season);
  const m = await buildRaceModel(db, race.season, race.round);
  if (m.circuit !== args.circuit) throw new DataError(`${race.season} round ${race.round} is at ${m.circuit}, not ${args.circuit}`);
  const car = driverIndex(m, args.driver ?? (race.winner || m.drivers[0]!));
  const cfg: PpoConfig = { ...DEFAULT_PPO, steps: args.steps ?? DEFAULT_PPO.steps, seed: args.seed ?? DEFAULT_PPO.seed };
  const envs = Array.from({ length: cfg.envs }, () => new StrategyEnv(m, car, { stochasticShare: args.stochasticShare ?? 0.6 }));
  const evalEnv = new StrategyEnv(m, car, { mode: 'deterministic' });
  // checkpoint selection: greedy race time in deterministic mode + mean over a fixed set of stochastic races
  // (selection seeds 7,000,000+, disjoint from the evaluation seeds 1,000,000+)
  const selEnv = new StrategyEnv(m, car, { mode: 'stochastic' });
  const selSeeds = args.selectionSeeds ?? 64;
  let lastStoch = NaN;
  const res = await trainPpo(envs, (actor) => {
    const g = greedyRollout(evalEnv, actor);
    let sum = 0;
    for (let k = 0; k < selSeeds; k++) sum += greedyRollout(selEnv, actor, 7_000_000 + k).time;
    lastStoch = sum / Math.max(1, selSeeds);
    return { score: g.time + (selSeeds ? lastStoch : 0), time: g.time, position: g.position };
  }, cfg, onLog);
  void lastStoch;
  const cp: Checkpoint = {
    format: CHECKPOINT_FORMAT,
    circuit: m.circuit,
    season: m.season,
    round: m.round,
    driver: m.drivers[car]!,
    observationSize: evalEnv.observationSize,
    actions: [...evalEnv.actions],
    createdAt: new Date().toISOString(),
    config: cfg,
    steps: res.steps,
    seconds: res.seconds,
    best: { ...res.best, stochasticMean: res.best.score - res.best.time },
    curve: res.curve.filter((p, i) => i % 5 === 0 || i === res.curve.length - 1),
    calibration: calibrationOf(m),
    actor: res.actor,
    critic: res.critic,
  };
  const file = saveCheckpoint(cp, args.outDir ?? strategyModelsDir());
  const logged = args.trackingDbFile ? await logRun(db, args.trackingDbFile, cp, res.curve) : false;
  if (!logged && args.runsDir) {
    mkdirSync(args.runsDir, { recursive: true });
    const runId = `${m.circuit}-${cp.createdAt}`;
    const lines = res.curve.map((p) => JSON.stringify({ runId, experiment: 'strategy-ppo', circuit: m.circuit, ...p }));
    appendFileSync(join(args.runsDir, 'strategy-ppo-runs.jsonl'), lines.join('\n') + '\n');
  }
  return { checkpoint: cp, file };
}

/** Training curve → the tracking store (src/main/registry/tracking.ts), experiment "strategy-ppo". */
async function logRun(db: Db, dbFile: string, cp: Checkpoint, curve: CurvePoint[]): Promise<boolean> {
  const run = startRun(db, dbFile, 'strategy-ppo', `${cp.circuit} ${cp.season}-${cp.round} ${cp.driver}`);
  const { actor: _a, critic: _c, curve: _k, config, best, ...meta } = cp;
  void _a;
  void _c;
  void _k;
  run.logParams({ ...config, circuit: meta.circuit, season: meta.season, round: meta.round, driver: meta.driver });
  const rows: { key: string; value: number; step: number }[] = [];
  for (const p of curve) {
    rows.push({ key: 'mean_return', value: p.meanReturn, step: p.iteration + 1 });
    rows.push({ key: 'entropy', value: p.entropy, step: p.iteration + 1 });
    if (p.evalTime !== undefined) rows.push({ key: 'greedy_race_time', value: p.evalTime, step: p.iteration + 1 });
    if (p.evalScore !== undefined) rows.push({ key: 'selection_score', value: p.evalScore, step: p.iteration + 1 });
  }
  run.logMetricSteps(rows);
  run.logMetrics({ best_race_time: best.time, best_position: best.position, train_seconds: meta.seconds, steps: meta.steps });
  run.logArtifact('curve.json', JSON.stringify(curve));
  await run.end('FINISHED');
  return true;
}
