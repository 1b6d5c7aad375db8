// End-to-end harness: `pitwall serve` on a free port over a copy of the test database, and Debian's Chromium
// driven by playwright-core (headless, no sandbox, fresh profile: scripts/chromium.mjs, shared with bench/ui.mjs).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchChromium, type Chromium as Browser } from '../../scripts/chromium.mjs';
import { dbCopy } from '../helpers/db.js';
import { PROJECT_ROOT } from '../helpers/data.js';

// browser(): a fresh headless Chromium with one page whose `errors` collects uncaught page errors.
export {
  CHROMIUM,
  VIEWPORT,
  launchChromium as browser,
  type Chromium as Browser,
} from '../../scripts/chromium.mjs';
export const ARTIFACTS = join(PROJECT_ROOT, 'test-results', 'e2e');

export interface Served {
  url: string;
  dbFile: string;
  stop(): Promise<void>;
}

/** Starts the built CLI's `serve` on a private database copy (or `opts.dbFile`), on a free port (or `opts.port`:
 *  a restart on the same address); resolves with its URL. */
export async function serve(opts: { port?: number; dbFile?: string; args?: string[] } = {}): Promise<Served> {
  let file = opts.dbFile;
  if (!file) {
    const copy = dbCopy();
    copy.db.close();
    file = copy.file;
  }
  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/pitwall.mjs', 'serve', '--port', String(opts.port ?? 0), '--db', file, '--json', ...(opts.args ?? [])],
    {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`pitwall serve did not start in 60 s: ${stderr}`)),
      60_000,
    );
    child.once('exit', (code) => reject(new Error(`pitwall serve exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (l) => {
      try {
        const v = JSON.parse(l) as { url?: string };
        if (v.url) {
          clearTimeout(timer);
          resolve(v.url);
        }
      } catch {
        /* not the JSON line */
      }
    });
  });
  return {
    url,
    dbFile: file,
    stop: () =>
      new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The lap number shown by the replay controls. */
export async function shownLap(page: Page): Promise<number> {
  const t = (await page.getByTestId('replay-lap').textContent()) ?? '';
  return parseInt(t.replace(/\D+/g, ' '), 10);
}

/** One `pitwall serve` and one Chromium for a describe block: started before its tests, stopped after. The
 *  returned object's fields are set once `beforeAll` has run. */
export function servedBrowser(opts: { args?: () => string[] } = {}): { srv: Served; b: Browser } {
  const ctx = {} as { srv: Served; b: Browser };
  beforeAll(async () => {
    ctx.srv = await serve({ args: opts.args?.() });
    ctx.b = await launchChromium();
  });
  afterAll(async () => {
    await ctx.b?.close();
    await ctx.srv?.stop();
  });
  return ctx;
}

/** Hovers the chart at lap `lap` (x axis 0 … `maxLap` across the grid) until its tooltip shows that lap. */
export async function hoverLap(
  page: Page,
  chart: Locator,
  tip: string,
  lap: number,
  maxLap: number,
): Promise<Locator> {
  const grid = await chart.locator('.recharts-cartesian-grid').boundingBox();
  if (!grid) throw new Error('no chart grid');
  const tooltip = page.getByTestId(tip);
  for (const dx of [0, -0.3, 0.3, -0.6, 0.6]) {
    const x = grid.x + ((lap + dx) / maxLap) * grid.width;
    await page.mouse.move(x, grid.y + grid.height * 0.6);
    try {
      await expect.poll(() => tooltip.getAttribute('data-lap'), { timeout: 1500 }).toBe(String(lap));
      return tooltip;
    } catch {
      /* a neighbouring lap: nudge */
    }
  }
  throw new Error(`the ${tip} tooltip never showed lap ${lap}`);
}
