// Benchmark: PitWall's GBDT side by side with XGBoost `hist` and scikit-learn HistGradientBoosting, on the same
// matrix (150,000 race laps × 12 features; the remaining laps are held out), the same parameters (300 rounds,
// 31 leaves, learning rate 0.1, 255 bins, 20 rows per leaf, no L2) and the same cores, 1 thread and 2 threads.
// The runs are interleaved (pitwall, xgboost, sklearn, each at 1 then 2 threads, BENCH_REPS times, default 2) and
// each figure is the fastest repetition: on a shared machine the other jobs only ever add time. The peers run when
// python3 (PITWALL_PYTHON) can import xgboost / sklearn; without them PitWall is measured alone.
// Last line: {"pitwall":{threads1_s,threads2_s,rmse,identical,…},"xgboost":{…}|null,"sklearn":{…}|null,
//             "ratios":{vs_xgboost_1t,vs_sklearn_1t,speedup_2t}}  (ratio = PitWall time / peer time)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openBootstrapped } from '../out/main/data/bootstrap.js';
import { dbPath } from '../out/main/data/paths.js';
import { closeHistThreads, trainGbdt, warmHistThreads } from '../out/main/models/gbdt/index.js';
import { lapMatrix } from './lap-matrix.mjs';

const TRAIN_ROWS = 150_000;
const P = { rounds: 300, leaves: 31, lr: 0.1, bins: 255, min_leaf: 20 };
const REPS = Math.max(1, Number(process.env.BENCH_REPS) || 2);
// the first python that has the peers (a virtualenv's python3 may lack the Debian packages /usr/bin/python3 has)
const PYS = process.env.PITWALL_PYTHON ? [process.env.PITWALL_PYTHON] : ['python3', '/usr/bin/python3'];

const db = openBootstrapped(dbPath(process.env.PITWALL_DB));
const m = lapMatrix(db);
db.close();
const n = Math.min(TRAIN_ROWS, m.rows);
const { cols } = m;
const train = { x: m.x.subarray(0, n * cols), rows: n, cols, y: m.y.subarray(0, n) };
const hold = { x: m.x.subarray(n * cols), rows: m.rows - n, y: m.y.subarray(n) };
const log = (s) => process.stderr.write(s + '\n');
log(`bench:gbdt ${n} training rows × ${cols} features, ${hold.rows} held out; ${availableParallelism()} cores, load ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);

function pitwall(threads) {
  const t0 = performance.now();
  const model = trainGbdt(
    train,
    { objective: 'regression', numRounds: P.rounds, learningRate: P.lr, numLeaves: P.leaves, maxBins: P.bins, minDataInLeaf: P.min_leaf, seed: 1 },
    undefined,
    { threads },
  );
  return { seconds: (performance.now() - t0) / 1000, model };
}

function errors(model) {
  const pt = model.predict(train.x, train.rows);
  let se = 0;
  for (let i = 0; i < train.rows; i++) se += (pt[i] - train.y[i]) ** 2;
  const pv = model.predict(hold.x, hold.rows);
  let ae = 0;
  for (let i = 0; i < hold.rows; i++) ae += Math.abs(pv[i] - hold.y[i]);
  return { rmse: Math.sqrt(se / train.rows), mae: hold.rows ? ae / hold.rows : null };
}

// python peers: is each library importable?
const here = fileURLToPath(new URL('.', import.meta.url));
const imports = (py, lib) => spawnSync(py, ['-c', `import ${lib}`], { stdio: 'ignore' }).status === 0;
const PY = PYS.find((py) => imports(py, 'xgboost') && imports(py, 'sklearn')) ?? PYS.find((py) => imports(py, 'xgboost') || imports(py, 'sklearn')) ?? PYS[0];
const has = (lib) => imports(PY, lib);
const peers = ['xgboost', 'sklearn'].filter(has);
for (const lib of ['xgboost', 'sklearn'].filter((l) => !peers.includes(l)))
  log(`${lib}: not available to ${PY} (Debian: apt-get install python3-xgboost python3-sklearn); measured without it`);
let dir = null;
if (peers.length) {
  dir = mkdtempSync(join(tmpdir(), 'pitwall-bench-gbdt-'));
  writeFileSync(join(dir, 'x.f32'), m.x);
  writeFileSync(join(dir, 'y.f64'), m.y);
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ rows: m.rows, cols, train_rows: n, ...P }));
}
function peer(lib, threads) {
  const r = spawnSync(PY, [join(here, 'gbdt_peers.py'), dir, lib, String(threads)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${lib} (${threads} threads) failed: ${(r.stderr || '').trim().split('\n').pop()}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const best = {}; // `${lib}:${threads}` → fastest result
const keep = (key, res) => {
  if (!best[key] || res.seconds < best[key].seconds) best[key] = res;
};
let models = {};
await warmHistThreads(1); // the pool is started once per process; a warm one is what later trainings get
for (let rep = 0; rep < REPS; rep++) {
  for (const threads of [1, 2]) {
    const r = pitwall(threads);
    models[threads] ??= r.model;
    keep(`pitwall:${threads}`, r);
    log(`  rep ${rep + 1} pitwall  ${threads}t ${r.seconds.toFixed(2)} s (load ${loadavg()[0].toFixed(2)})`);
    for (const lib of peers) {
      const p = peer(lib, threads);
      keep(`${lib}:${threads}`, p);
      log(`  rep ${rep + 1} ${lib.padEnd(8)} ${threads}t ${p.seconds.toFixed(2)} s`);
    }
  }
}
await closeHistThreads();
if (dir) rmSync(dir, { recursive: true, force: true });

const a = models[1].toJSON();
const b = models[2].toJSON();
const pa = models[1].predict(m.x, m.rows);
const pb = models[2].predict(m.x, m.rows);
const identical = JSON.stringify(a.trees) === JSON.stringify(b.trees) && pa.every((v, i) => Object.is(v, pb[i]));
const err = errors(models[1]);
const r3 = (v) => (v == null ? null : +v.toFixed(3));
const pw = {
  threads1_s: r3(best['pitwall:1'].seconds),
  threads2_s: r3(best['pitwall:2'].seconds),
  rmse: +err.rmse.toFixed(4),
  mae: err.mae == null ? null : +err.mae.toFixed(4),
  identical,
};
const peerOut = (lib) =>
  peers.includes(lib)
    ? {
        threads1_s: r3(best[`${lib}:1`].seconds),
        threads2_s: r3(best[`${lib}:2`].seconds),
        rmse: +best[`${lib}:1`].rmse.toFixed(4),
        mae: best[`${lib}:1`].mae == null ? null : +best[`${lib}:1`].mae.toFixed(4),
        version: best[`${lib}:1`].version,
      }
    : null;
const xgb = peerOut('xgboost');
const skl = peerOut('sklearn');
const ratio = (x, y) => (x == null || y == null ? null : +(x / y).toFixed(2));
const out = {
  pitwall: pw,
  xgboost: xgb,
  sklearn: skl,
  ratios: {
    vs_xgboost_1t: ratio(pw.threads1_s, xgb?.threads1_s),
    vs_sklearn_1t: ratio(pw.threads1_s, skl?.threads1_s),
    speedup_2t: ratio(pw.threads1_s, pw.threads2_s),
  },
};
log(
  `pitwall 1t ${pw.threads1_s} s, 2t ${pw.threads2_s} s (×${out.ratios.speedup_2t}), rmse ${pw.rmse}, held-out MAE ${pw.mae}, identical ${identical}` +
    (xgb ? `; xgboost ${xgb.version} 1t ${xgb.threads1_s} s (pitwall/xgboost ×${out.ratios.vs_xgboost_1t}), rmse ${xgb.rmse}, MAE ${xgb.mae}` : '; xgboost absent') +
    (skl ? `; sklearn ${skl.version} 1t ${skl.threads1_s} s (pitwall/sklearn ×${out.ratios.vs_sklearn_1t}), rmse ${skl.rmse}, MAE ${skl.mae}` : '; sklearn absent') +
    `; load after ${loadavg()[0].toFixed(2)}`,
);
console.log(JSON.stringify(out));
