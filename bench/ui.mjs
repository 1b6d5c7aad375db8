// Benchmark: the app in headless Chromium against `pitwall serve`. Prints one JSON object:
//  readyMs — `pitwall serve` process start → data-app-state="ready" on the 2023 Bahrain deep link (target < 2000; median of 3)
//  fps     — requestAnimationFrame rate while the replay streams at 100× (target ≥ 55, headless)
// usage: npm run bench:ui [-- --db FILE]   (default: PITWALL_DB or the app's database, bootstrapped first if new)
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { openBootstrapped } from '../out/main/data/bootstrap.js';
import { dbPath } from '../out/main/data/paths.js';
import { startServe, stopServe } from './serve-child.mjs';
import { launchChromium, VIEWPORT } from '../scripts/chromium.mjs';

const argDb = process.argv.indexOf('--db');
const dbFile = dbPath(argDb > 0 ? process.argv[argDb + 1] : process.env.PITWALL_DB);
const RUNS = 3;
const FPS_MS = 6000;
const LINK = '?season=2023&round=1&speed=100&play=1';

// Untimed preparation: a built renderer and a bootstrapped database.
execFileSync(process.execPath, ['scripts/build.mjs', 'renderer'], { stdio: ['ignore', 'ignore', 'inherit'] });
openBootstrapped(dbFile).close();

const { page, errors, close } = await launchChromium();

const ready = [];
const listening = [];
let fps = null;
let frames = null;
let lapsAdvanced = null;
for (let i = 0; i < RUNS; i++) {
  await page.goto('about:blank');
  const { t0, child, url } = startServe(dbFile);
  const base = await url;
  listening.push(performance.now() - t0);
  await page.goto(base + LINK);
  await page.waitForSelector('[data-app-state="ready"]', { timeout: 30_000 });
  ready.push(performance.now() - t0);
  if (i === RUNS - 1) {
    // Frame rate while the tower, seek bar and feed stream at 100×.
    const lap0 = await page.evaluate(
      () => document.querySelector('[data-testid="replay-lap"] b')?.textContent ?? '0',
    );
    const r = await page.evaluate(
      (ms) =>
        new Promise((resolve) => {
          const times = [];
          const start = performance.now();
          const tick = (t) => {
            times.push(t);
            if (t - start < ms) requestAnimationFrame(tick);
            else {
              const gaps = times
                .slice(1)
                .map((x, k) => x - times[k])
                .sort((a, b) => a - b);
              resolve({
                frames: times.length,
                seconds: (t - start) / 1000,
                p95FrameMs: gaps[Math.floor(gaps.length * 0.95)] ?? null,
              });
            }
          };
          requestAnimationFrame(tick);
        }),
      FPS_MS,
    );
    const lap1 = await page.evaluate(
      () => document.querySelector('[data-testid="replay-lap"] b')?.textContent ?? '0',
    );
    fps = r.frames / r.seconds;
    frames = r;
    lapsAdvanced = Number(lap1) - Number(lap0);
  }
  await stopServe(child);
}
await close();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  JSON.stringify({
    readyMs: Math.round(median(ready)),
    readyRunsMs: ready.map(Math.round),
    listeningMs: Math.round(median(listening)),
    readyTargetMs: 2000,
    fps: Math.round(fps * 10) / 10,
    fpsTarget: 55,
    p95FrameMs: frames?.p95FrameMs === null ? null : Math.round(frames.p95FrameMs * 10) / 10,
    fpsWindowS: frames?.seconds,
    lapsAdvancedDuringFpsWindow: lapsAdvanced,
    speed: 100,
    viewport: `${VIEWPORT.width}x${VIEWPORT.height}`,
    pageErrors: errors.slice(0, 3),
  }),
);
