// Benchmark: the strategist charts in headless Chromium against `pitwall serve`, on a 20-driver, 70-lap race
// (2023 Hungary, opened at its last lap, so every chart holds the whole race). Prints one JSON object:
//  <chart>Ms — median time from the tab click to the frame after the chart has drawn all its data (its lines, dots
//              or bars in the DOM), over RUNS mounts; <chart>MinMs / MaxMs the fastest / slowest; <chart>TaskMs the
//              median main-thread busy time over the same span (Chromium's TaskDuration). Target < 100 ms each.
//  allMs      — the same for the 2×2 view with all four charts. Each mount starts from the gap chart (the stints
//               chart for the gap), so it holds that light chart's unmount, not a heavier one's.
// usage: npm run bench:charts [-- --db FILE]   (default: PITWALL_DB or the app's database, bootstrapped first if new)
import { execFileSync } from 'node:child_process';
import { openBootstrapped } from '../out/main/data/bootstrap.js';
import { dbPath } from '../out/main/data/paths.js';
import { median } from '../out/main/util/stats.js';
import { startServe, stopServe } from './serve-child.mjs';
import { launchChromium, VIEWPORT } from '../scripts/chromium.mjs';

const argDb = process.argv.indexOf('--db');
const dbFile = dbPath(argDb > 0 ? process.argv[argDb + 1] : process.env.PITWALL_DB);
const RACE = { season: 2023, round: 11, laps: 70 };
const RUNS = 11; // the first of each is a warm-up, not counted
const TARGET_MS = 100;

// Untimed preparation: a built renderer and a bootstrapped database.
execFileSync(process.execPath, ['scripts/build.mjs', 'renderer'], { stdio: ['ignore', 'ignore', 'inherit'] });
openBootstrapped(dbFile).close();

const { child, url: listening } = startServe(dbFile);
const base = await listening;
const { page, errors, close } = await launchChromium();
await page.goto(`${base}?season=${RACE.season}&round=${RACE.round}&lap=${RACE.laps}`);
await page.waitForSelector('[data-app-state="ready"]', { timeout: 60_000 });
await page.getByRole('tab', { name: 'Charts' }).click();
await page.waitForSelector(`[data-testid="charts-view"][data-leader-laps="${RACE.laps}"]`, {
  timeout: 60_000,
});

// What "drawn" means per chart: every series element of its data is in the DOM.
const shape = await page.evaluate(() => ({
  drivers: document.querySelectorAll('[data-testid="chart-trace"] [data-testid="trace-line"]').length,
  stints: document.querySelectorAll('[data-testid="stint-bar"]').length,
  lapDots: document.querySelectorAll('[data-testid="lap-dot"]').length,
}));
const TABS = {
  trace: {
    name: 'Race trace',
    sel: '.chart-single [data-testid="chart-trace"] [data-testid="trace-line"]',
    n: shape.drivers,
  },
  gap: { name: 'Gap', sel: '.chart-single [data-testid="chart-gap"] .recharts-line-curve', n: 1 },
  laps: {
    name: 'Lap times',
    sel: '.chart-single [data-testid="chart-laps"] [data-testid="lap-dot"]',
    n: shape.lapDots,
  },
  stints: {
    name: 'Stints',
    sel: '.chart-single [data-testid="chart-stints"] [data-testid="stint-bar"]',
    n: shape.stints,
  },
  all: {
    name: 'All',
    sel: '.chart-grid [data-testid="stint-bar"], .chart-grid [data-testid="chart-trace"] [data-testid="trace-line"]',
    n: shape.stints + shape.drivers,
  },
};

/** Clicks a tab and resolves with the ms until the frame after its chart shows `n` elements of `sel`. */
const mount = (t) =>
  page.evaluate(
    ({ name, sel, n }) =>
      new Promise((resolve, reject) => {
        const btn = [...document.querySelectorAll('.chart-tabs [role="tab"]')].find(
          (b) => b.textContent === name,
        );
        if (!btn) return reject(new Error(`no tab ${name}`));
        const t0 = performance.now();
        btn.click();
        const check = () => {
          if (document.querySelectorAll(sel).length >= n)
            requestAnimationFrame(() => resolve(performance.now() - t0));
          else if (performance.now() - t0 > 10_000) reject(new Error(`${name}: ${sel} never reached ${n}`));
          else requestAnimationFrame(check);
        };
        queueMicrotask(check);
      }),
    t,
  );

// Main-thread busy time (Chromium's TaskDuration) beside the wall time: on a loaded machine the wall time also
// holds the waits for a core, the task time less so.
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');
const taskS = async () =>
  (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
const times = Object.fromEntries(Object.keys(TABS).map((k) => [k, []]));
const tasks = Object.fromEntries(Object.keys(TABS).map((k) => [k, []]));
for (let r = 0; r < RUNS; r++)
  for (const [k, t] of Object.entries(TABS)) {
    // from a light chart (the gap's one line; for the gap itself, the stints), so the time is this chart's mount
    // and not the unmount of a heavier one
    await mount(k === 'gap' ? TABS.stints : TABS.gap);
    await page.waitForTimeout(50);
    const t0 = await taskS();
    const ms = await mount(t);
    const busy = (await taskS()) - t0;
    if (r > 0) {
      times[k].push(ms);
      tasks[k].push(busy * 1000);
    }
  }
await close();
await stopServe(child);

const out = {
  race: `${RACE.season} round ${RACE.round}`,
  drivers: shape.drivers,
  laps: RACE.laps,
  stints: shape.stints,
  runs: RUNS - 1,
};
const r1 = (x) => Math.round(x * 10) / 10;
for (const [k, xs] of Object.entries(times)) {
  out[`${k}Ms`] = r1(median(xs));
  out[`${k}MinMs`] = r1(Math.min(...xs));
  out[`${k}MaxMs`] = r1(Math.max(...xs));
  out[`${k}TaskMs`] = r1(median(tasks[k]));
}
out.loadAverage = (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10);
out.targetMs = TARGET_MS;
out.withinTarget = ['trace', 'gap', 'laps', 'stints'].every((k) => out[`${k}Ms`] < TARGET_MS);
out.viewport = `${VIEWPORT.width}x${VIEWPORT.height}`;
out.pageErrors = errors.slice(0, 3);
console.log(JSON.stringify(out));
