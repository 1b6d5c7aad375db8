// Compute-backend benchmark: per workload and available backend, the median step time, and whether the auto choice
// (the calibration `pitwall doctor` shows) picked the fastest; the same workloads ×8 show how each backend scales.
// Prints one JSON object. Usage: node bench/devices.mjs [reps]
import { probe, calibration } from '../out/main/compute/index.js';
import { measure } from '../out/main/compute/calibrate.js';
import { choose, WORKLOADS } from '../out/main/compute/select.js';
import { machineInfo } from '../out/main/compute/cache.js';

const reps = Number(process.argv[2] ?? 7);
const t0 = performance.now();
const p = await probe();
const table = {};
const timings = [];
for (const w of WORKLOADS) {
  table[w.name] = {};
  for (const b of p.backends.filter((x) => x.runtime === w.runtime && x.available)) {
    const t = await measure(w.name, b.id, { reps, budgetMs: 8000 });
    timings.push(t);
    table[w.name][b.id] = t.median_ms ?? `failed: ${t.error}`;
    console.error(`${w.name} ${b.id}: ${t.median_ms} ms (${t.reps} reps)`);
  }
}
// large batches (×8: 8,192 PPO transitions, 160,000 inference rows, batch-256 LSTM) — where a GPU should win;
// backends more than 3× slower than the best at ×1 are skipped
const SCALE = 8;
const large = {};
for (const w of WORKLOADS) {
  large[w.name] = {};
  const ok = timings.filter((t) => t.workload === w.name && t.median_ms !== null);
  const best = Math.min(...ok.map((t) => t.median_ms));
  for (const t of ok) {
    if (t.median_ms > 3 * best) {
      large[w.name][t.backend] = 'skipped (>3× slower at ×1)';
      continue;
    }
    const r = await measure(w.name, t.backend, { reps: 3, budgetMs: 8000, scale: SCALE });
    large[w.name][t.backend] = r.median_ms ?? `failed: ${r.error}`;
    console.error(`${w.name} ×${SCALE} ${t.backend}: ${r.median_ms} ms`);
  }
}
const cal = await calibration();
const auto = {};
const fastest = {};
for (const w of WORKLOADS) {
  auto[w.name] = choose(w.name, p.backends, cal.timings, 'auto').backend;
  fastest[w.name] = choose(w.name, p.backends, timings, 'auto').backend;
}
console.log(
  JSON.stringify({
    bench: 'devices',
    machine: machineInfo(),
    adapters: p.adapters,
    backends: Object.fromEntries(p.backends.map((b) => [b.id, b.available ? 'available' : b.reason])),
    reps,
    median_ms: table,
    [`median_ms_x${SCALE}`]: large,
    auto_choice: auto,
    fastest_here: fastest,
    auto_picked_fastest: WORKLOADS.every((w) => auto[w.name] === fastest[w.name]),
    calibration_cached: cal.cached,
    elapsed_s: Math.round(performance.now() - t0) / 1000,
  }),
);
