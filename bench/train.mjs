// Benchmark: GBDT training throughput on the real lap data (150k rows × 12 features × 300 rounds),
// and the race-winner training pipeline's time. Prints one JSON object.
import { performance } from 'node:perf_hooks';
import { openBootstrapped } from '../out/main/data/bootstrap.js';
import { dbPath } from '../out/main/data/paths.js';
import { trainGbdt } from '../out/main/models/gbdt/index.js';
import { FEATS, lapMatrix } from './lap-matrix.mjs';

const db = openBootstrapped(dbPath(process.env.PITWALL_DB));
const ROWS = 150_000;
const all = lapMatrix(db);
const rows = Math.min(ROWS, all.rows);
const x = all.x.subarray(0, rows * FEATS.length);
const y = all.y.subarray(0, rows);
const t0 = performance.now();
const c0 = process.cpuUsage();
const model = trainGbdt(
  { x, rows, cols: FEATS.length, y },
  { objective: 'regression', numRounds: 300, learningRate: 0.1, numLeaves: 31, seed: 1 },
);
const gbdtS = (performance.now() - t0) / 1000;
const c1 = process.cpuUsage(c0);
const cpuS = (c1.user + c1.system) / 1e6; // CPU time: robust when other jobs share the cores
const out = {
  gbdt: {
    rows,
    features: FEATS.length,
    rounds: model.trees.length,
    seconds: +gbdtS.toFixed(2),
    cpu_seconds: +cpuS.toFixed(2),
    rows_per_s: Math.round((rows * 300) / gbdtS),
    target_s: 20,
  },
};
let raceWinner;
try {
  const { runRaceWinnerBench } = await import('../out/main/training/bench.js');
  raceWinner = await runRaceWinnerBench(db);
} catch (e) {
  raceWinner = { error: String(e.message ?? e) };
}
out.race_winner = raceWinner;
db.close();
console.log(JSON.stringify(out));
