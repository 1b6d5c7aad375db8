// Benchmark: GBDT training throughput on the real lap data (150k rows × 12 features × 300 rounds),
// and the race-winner training pipeline's time. Prints one JSON object.
import { performance } from 'node:perf_hooks';
import { openBootstrapped } from '../out/main/data/bootstrap.js';
import { dbPath } from '../out/main/data/paths.js';
import { trainGbdt } from '../out/main/models/gbdt/index.js';

const db = openBootstrapped(dbPath(process.env.PITWALL_DB));
const ROWS = 150_000;
const FEATS = [
  'lap_number',
  'tyre_life',
  'stint',
  'position',
  'fresh_tyre',
  'compound_code',
  'compound_name_code',
  'season',
  'round',
  'green',
  'is_accurate',
  'driver_number',
];
const laps = db
  .prepare(
    `SELECT lap_number, tyre_life, stint, position, fresh_tyre,
       CASE compound WHEN 'SOFT' THEN 0 WHEN 'MEDIUM' THEN 1 WHEN 'HARD' THEN 2 WHEN 'INTERMEDIATE' THEN 3 WHEN 'WET' THEN 4 END AS compound_code,
       CAST(substr(compound_name, 2) AS INTEGER) AS compound_name_code, season, round,
       track_status = '1' AS green, is_accurate, driver_number, lap_time_s
     FROM laps WHERE session = 'race' AND lap_time_s IS NOT NULL AND lap_time_s < 200 ORDER BY season, round, driver, lap_number`,
  )
  .raw()
  .all();
const rows = Math.min(ROWS, laps.length);
const x = new Float32Array(rows * FEATS.length);
const y = new Float64Array(rows);
for (let r = 0; r < rows; r++) {
  const l = laps[r];
  for (let f = 0; f < FEATS.length; f++) x[r * FEATS.length + f] = l[f] ?? NaN;
  y[r] = l[FEATS.length];
}
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
