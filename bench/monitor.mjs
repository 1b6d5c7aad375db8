// Monitoring benchmark on a temporary copy of the database: drift-test latency per window, false-alarm rate of
// unchanged 10-race windows and detection rate of a planted shift (real features), prediction-log throughput,
// outcome join and /metrics scrape latency. Prints one JSON object. Usage: node bench/monitor.mjs [db]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBootstrapped } from '../out/main/data/bootstrap.js';
import { openDb } from '../out/main/data/db.js';
import { dbPath } from '../out/main/data/paths.js';
import { detectDrift } from '../out/main/monitoring/drift.js';
import { joinOutcomes, logPredictions } from '../out/main/monitoring/log.js';
import { metricsText } from '../out/main/monitoring/metrics.js';
import { monitorReport } from '../out/main/monitoring/report.js';
import { monitoredRefs, storeSamples } from '../out/main/monitoring/source.js';
import { rng } from '../out/main/monitoring/stats.js';

const src = openBootstrapped(dbPath(process.argv[2]), { quiet: true });
const dir = mkdtempSync(join(tmpdir(), 'pitwall-bench-monitor-'));
const file = join(dir, 'bench.db');
await src.backup(file);
src.close();
const db = openDb(file);
const refs = monitoredRefs('race-winner');
const time = (f) => {
  const t = performance.now();
  const v = f();
  return [v, performance.now() - t];
};
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const shuffle = (xs, seed) => {
  const r = rng(seed);
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};

try {
  const [reference, featuresMs] = time(() => storeSamples(db, [2014, 2022], refs));
  const current = storeSamples(db, [2023, 2024], refs);
  const [, win10Ms] = time(() => detectDrift(reference, current.slice(0, 10), refs, { draws: 1000 }));
  const [whole, wholeMs] = time(() => detectDrift(reference, current, refs, { draws: 1000 }));
  const [report, reportMs] = time(() => monitorReport(db, { model: 'race-winner', reference: [2014, 2022], current: [2023, 2024] }));

  // unchanged windows: random 10-race windows from races held out of the reference (same seasons)
  const order = shuffle(reference, 5);
  const ref = order.slice(0, 100);
  const holdout = order.slice(100);
  let alarms = 0;
  let naive = 0;
  let detected = 0;
  const trials = 200;
  for (let t = 0; t < trials; t++) {
    const w = shuffle(holdout, 1000 + t).slice(0, 10);
    const d = detectDrift(ref, w, refs, { draws: 300, seed: t });
    if (d.drifted.length) alarms++;
    if (refs.some((f) => d.features[f].psi > 0.1)) naive++;
    const planted = w.map((r) => ({ race: r.race, values: { ...r.values, 'race_entry:quali_gap_pct': r.values['race_entry:quali_gap_pct'].map((v) => v * 1.5) } }));
    if (detectDrift(ref, planted, refs, { draws: 300, seed: t }).drifted.includes('race_entry:quali_gap_pct')) detected++;
  }

  // prediction log and outcome join: 2023–2024 races, 20 rows each, logged 10 times (200 "serves" per race)
  const rows = current.flatMap((r) => r.values[refs[0]].map((_, i) => ({ race: r.race, driver: `d${i}`, features: Object.fromEntries(refs.map((f) => [f, r.values[f][i]])), output: Math.exp(-(r.values[refs[0]][i] ?? 20)) })));
  const [, logMs] = time(() => {
    for (let k = 0; k < 10; k++) logPredictions(db, { model: 'race-winner', version: 'bench', rows });
  });
  const [join, joinMs] = time(() => joinOutcomes(db));
  const engine = { db, dbFile: file, services: new Map(), sessions: new Set(), broadcast() {} };
  const scrapes = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await metricsText(engine);
    scrapes.push(performance.now() - t);
  }
  engine.services.get('monitoring')?.stop();
  const body = (await metricsText(engine)).body;
  console.log(
    JSON.stringify({
      bench: 'monitor',
      reference_races: reference.length,
      current_races: current.length,
      features: refs.length,
      feature_load_ms: Math.round(featuresMs),
      drift_window10_ms: Math.round(win10Ms),
      drift_46races_ms: Math.round(wholeMs),
      report_ms: Math.round(reportMs),
      drifted_2023_2024: whole.drifted,
      report_windows: report.windows.length,
      false_alarm_rate_10race_windows: alarms / trials,
      naive_psi_gt_0_1_rate: naive / trials,
      planted_quali_gap_x1_5_detection_rate: detected / trials,
      trials,
      log_rows_per_s: Math.round((rows.length * 10) / (logMs / 1000)),
      join_ms: Math.round(joinMs),
      joined: join.joined,
      metrics_scrape_p50_ms: Math.round(median(scrapes) * 10) / 10,
      metrics_pitwall_samples: body.split('\n').filter((l) => l.startsWith('pitwall_')).length,
    }),
  );
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
