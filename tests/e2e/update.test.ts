// "Update data" in Chromium: the engine (`pitwall serve`) points at a fake Jolpica on 127.0.0.1 serving a synthetic
// 2025 (three 2024 rounds a year later, round 1 with its lap-by-lap timings) that the database lacks. Click Update:
// the progress bar moves race by race, and the race picker then lists 2025 and its races; round 1 replays from
// Jolpica's laps alone, tyres unknown.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDb } from '../helpers/db.js';
import { ERGAST_DIR } from '../helpers/data.js';
import { startFakeJolpica, type FakeJolpica, type FakeLap } from '../helpers/fake-jolpica.js';
import { syntheticSeasonDir } from '../helpers/synthetic-season.js';
import { CHROMIUM, servedBrowser, shot } from './harness.js';

const fmt = (s: number) => `${Math.floor(s / 60)}:${(s % 60).toFixed(3).padStart(6, '0')}`;

describe.skipIf(!existsSync(CHROMIUM))('Update data', () => {
  let fake: FakeJolpica;
  beforeAll(async () => {
    const db = sharedDb();
    const laps = (db
      .prepare(`SELECT lap_number AS lap, driver_ref AS driverRef, position, lap_time_s AS t FROM laps WHERE season = 2024 AND round = 1
                AND session = 'race' AND position IS NOT NULL AND lap_time_s IS NOT NULL AND driver_ref IS NOT NULL`)
      .all() as { lap: number; driverRef: string; position: number; t: number }[]).map((l): FakeLap => ({ season: 2025, round: 1, lap: l.lap, driverRef: l.driverRef, position: l.position, time: fmt(l.t) }));
    db.close();
    fake = await startFakeJolpica({ ergastDir: syntheticSeasonDir(ERGAST_DIR, { from: 2024, to: 2025, rounds: [1, 2, 3] }), minSeason: 2025, laps });
    process.env.PITWALL_JOLPICA_URL = fake.url; // the served engine (spawned next) inherits it
  });
  const ctx = servedBrowser();
  afterAll(async () => {
    delete process.env.PITWALL_JOLPICA_URL;
    await fake?.close();
  });

  it('click Update: the bar moves race by race, then the picker lists the new season and its races', async () => {
    const { page } = ctx.b;
    await page.goto(ctx.srv.url);
    await page.waitForSelector('[data-app-state="ready"]', { timeout: 30_000 });
    expect(await page.getByTestId('season-picker').locator('option', { hasText: '2025' }).count()).toBe(0);
    // every value the bar shows, as the page renders it
    await page.evaluate(`(() => {
      const seen = (window.seen = []);
      new MutationObserver(() => {
        const p = document.querySelector('[data-testid="update-progress"]');
        if (p) seen.push(p.value + '/' + p.max);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    })()`);
    await page.getByTestId('update-button').click();
    await expect.poll(() => page.getByTestId('update-data').getAttribute('data-update-state'), { timeout: 60_000 }).toBe('done');
    const seen = (await page.evaluate('window.seen')) as string[];
    expect(seen).toContain('1/3');
    expect(seen).toContain('2/3');
    expect(await page.getByTestId('update-status').textContent()).toBe('3 new races');
    expect(fake.log.some((u) => u.includes('/2025/1/laps'))).toBe(true);

    await expect.poll(() => page.getByTestId('season-picker').locator('option', { hasText: '2025' }).count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('season-picker').selectOption('2025');
    await expect.poll(() => page.getByTestId('race-picker').locator('option').allTextContents(), { timeout: 10_000 }).toEqual(
      expect.arrayContaining(['R1 Bahrain Grand Prix', 'R2 Saudi Arabian Grand Prix (results)', 'R3 Australian Grand Prix (results)']),
    );
    // the new round 1 replays from Jolpica's laps: a full tower, tyres shown as unknown
    await page.getByTestId('race-picker').selectOption('1');
    await expect.poll(() => page.getByTestId('timing-row').count(), { timeout: 30_000 }).toBe(20);
    const tyres = await page.getByTestId('timing-row').first().innerText();
    expect(tyres).toContain('?');
    await expect.poll(() => page.getByTestId('pit-recommendation-empty').innerText(), { timeout: 20_000 }).toMatch(/No tyre data/);
    // the circuit's degradation curves still come from the FastF1 years (the new race adds no stints)
    const curves = page.locator('[data-testid="deg-chart"] path.recharts-line-curve:not([stroke-dasharray])');
    await expect.poll(() => curves.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    await shot(page, 'update-jolpica-laps');
  });
});
