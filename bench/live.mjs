// Benchmark: live timing. Prints one JSON object:
//  throughput — a whole race recording (2024 Bahrain, synthesised from the bundled laps: mini-sectors, sectors, lap
//               counts, gaps, pits, tyres) through the merge (state) and through merge + a full tower per message, at
//               maximum speed (messages/s)
//  latency    — a message arriving at the engine's live service → the tower's DOM update in headless Chromium
//               (`pitwall serve` in this process, a MutationObserver on the tower), per message, at 1× and 10× the
//               race's own pace early in the race, and at 1× late in it (target p99 ≤ 50 ms)
// usage: npm run bench:live [-- --db FILE]   (default: PITWALL_DB or the app's database, bootstrapped first if new)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openBootstrapped } from '../out/main/data/bootstrap.js';
import { bundledDataDir, dbPath } from '../out/main/data/paths.js';
import { closeEngine, createEngine } from '../out/main/engine/host/engine.js';
import { LiveTiming } from '../out/main/live/live-timing.js';
import { liveService, PUSH_MS } from '../out/main/live/service.js';
import { synthRace } from '../out/main/live/synth.js';
import { startServer } from '../out/main/server/server.js';
import { launchChromium } from '../scripts/chromium.mjs';

const argDb = process.argv.indexOf('--db');
const dbFile = dbPath(argDb > 0 ? process.argv[argDb + 1] : process.env.PITWALL_DB);
// each phase: the race up to `fromMin` arrives in one burst (then 3 s to settle), then `seconds` at `speed`
const PHASES = [
  { name: 'early1x', fromMin: 20, speed: 1, seconds: 30 },
  { name: 'early10x', fromMin: 0, speed: 10, seconds: 15 },
  { name: 'late1x', fromMin: 80, speed: 1, seconds: 30 }, // the whole-race derivations are largest here
];

const csv = join(bundledDataDir(), 'fastf1', 'grand_prix', 'all_grand_prix_laps_2024.csv');
const race = synthRace(existsSync(csv) ? csv : `${csv}.gz`, 1);
const events = [race.initial, ...race.messages.map((message) => ({ kind: 'message', message }))];

// 1. Throughput (best of 3 each).
function timeIt(fn) {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
const mergeMs = timeIt(() => {
  const t = new LiveTiming();
  for (const e of events) t.apply(e);
});
const towerMs = timeIt(() => {
  const t = new LiveTiming();
  for (const e of events) {
    t.apply(e);
    t.tower();
  }
});
const lapsMs = timeIt(() => {
  const t = new LiveTiming();
  for (const e of events) t.apply(e);
  t.laps();
});

// 2. Latency in the browser.
execFileSync(process.execPath, ['scripts/build.mjs', 'renderer'], { stdio: ['ignore', 'ignore', 'inherit'] });
openBootstrapped(dbFile).close();
const engine = createEngine({ db: dbFile });
const srv = await startServer(engine, { port: 0, log: () => {} });
const live = liveService(engine);
const arrived = new Map(); // seq → ms
live.onApplied = (seq) => arrived.set(seq, Date.now());
const phaseSeqs = PHASES.map(() => ({ from: Infinity, to: 0 }));
let release;
const go = new Promise((r) => (release = r));
const sleep = (ms, signal) =>
  new Promise((r) => {
    const stop = () => (clearTimeout(t), r());
    const t = setTimeout(() => (signal.removeEventListener('abort', stop), r()), ms);
    signal.addEventListener('abort', stop, { once: true });
  });
const source = {
  name: 'bench',
  async run(sink, signal) {
    sink({ kind: 'status', connection: 'live' });
    let i = 0;
    let seq = 0;
    for (const [p, { speed, seconds, fromMin }] of PHASES.entries()) {
      for (; i < events.length && (events[i].kind === 'initial' || events[i].message.offsetMs <= fromMin * 60_000); i++) {
        sink(events[i]);
        seq++;
      }
      if (p === 0) await go; // the browser is watching
      await sleep(3000, signal);
      const wall0 = Date.now();
      const off0 = events[i].message.offsetMs;
      phaseSeqs[p].from = seq + 1;
      for (; i < events.length && Date.now() - wall0 < seconds * 1000; i++) {
        const wait = wall0 + (events[i].message.offsetMs - off0) / speed - Date.now();
        if (wait > 1) await sleep(wait, signal);
        if (signal.aborted) return;
        sink(events[i]);
        seq++;
      }
      phaseSeqs[p].to = seq;
    }
    await sleep(500, signal);
  },
};
const running = live.start(source);

const { page, errors, close } = await launchChromium();
await page.goto(srv.url);
await page.waitForSelector('[data-app-state]', { timeout: 30_000 });
await page.getByRole('tab', { name: 'Live' }).click();
await page.waitForSelector('[data-testid="live-row"]', { timeout: 30_000 });
await page.evaluate(() => {
  window.__seen = [];
  const el = document.querySelector('[data-testid="live-tower"]');
  new window.MutationObserver(() => window.__seen.push([Number(el.getAttribute('data-seq')), Date.now()])).observe(el, { attributes: true, attributeFilter: ['data-seq'] });
});
release();
await running;
await new Promise((r) => setTimeout(r, 300));
const seen = await page.evaluate(() => window.__seen);
await close();
await srv.close();
await closeEngine(engine);

const q = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const latency = {};
for (const [p, { name }] of PHASES.entries()) {
  const { from, to } = phaseSeqs[p];
  const lat = [];
  let k = 0;
  for (let s = from; s <= to; s++) {
    while (k < seen.length && seen[k][0] < s) k++;
    if (k < seen.length && arrived.has(s)) lat.push(seen[k][1] - arrived.get(s));
  }
  lat.sort((a, b) => a - b);
  const domUpdates = seen.filter(([s]) => s >= from && s <= to).length;
  latency[name] = {
    raceMinute: Math.round(events[from]?.message?.offsetMs / 60_000),
    speed: PHASES[p].speed,
    messages: to - from + 1,
    messagesPerS: Math.round(((to - from + 1) / PHASES[p].seconds) * 10) / 10,
    domUpdates,
    measured: lat.length,
    p50Ms: q(lat, 0.5) ?? null,
    p99Ms: q(lat, 0.99) ?? null,
    maxMs: lat[lat.length - 1] ?? null,
  };
}
const perS = (ms) => Math.round(race.messages.length / (ms / 1000));
console.log(
  JSON.stringify({
    race: `2024 ${race.event} (synthesised, ${race.totalLaps} laps)`,
    messages: race.messages.length,
    throughput: {
      mergeMsgsPerS: perS(mergeMs),
      mergePlusTowerPerMessageMsgsPerS: perS(towerMs),
      wholeRaceMergeMs: Math.round(mergeMs),
      wholeRaceMergePlusTowerMs: Math.round(towerMs),
      wholeRaceLapDerivationMs: Math.round(lapsMs - mergeMs),
    },
    latency,
    latencyTargetP99Ms: 50,
    pushEveryMs: PUSH_MS,
    pageErrors: errors.slice(0, 3),
  }),
);
