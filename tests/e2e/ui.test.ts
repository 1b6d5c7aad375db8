// Real Chromium against `pitwall serve` on the real data: 2023 Bahrain at 100×, every view screenshotted.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/main/data/db.js';
import { PROJECT_ROOT } from '../helpers/data.js';
import { CHROMIUM, servedBrowser, shot, shownLap, type Browser } from './harness.js';

const hasChromium = existsSync(CHROMIUM);

/** The degradation chart's p50 curves (solid recharts Line paths; a selected driver's forecast is dashed), as
 *  their vertex counts in ascending order. */
const lineVertices = (page: Browser['page']): Promise<number[]> =>
  page
    .locator('[data-testid="deg-chart"] path.recharts-line-curve:not([stroke-dasharray])')
    .evaluateAll((ps) => ps.map((p) => (p.getAttribute('d') ?? '').match(/[ML]/g)?.length ?? 0).sort((x, y) => x - y));
if (!hasChromium)
  console.warn(`[e2e] ${CHROMIUM} is missing (apt-get install -y chromium): browser tests are skipped`);

describe.skipIf(!hasChromium)('PitWall in Chromium (pitwall serve)', () => {
  const ctx = servedBrowser();

  it('the deep link opens 2023 Bahrain, plays at 100×: 20 rows, laps advance, commentary arrives', async () => {
    const { page } = ctx.b;
    await page.goto(`${ctx.srv.url}?season=2023&round=1&speed=100&play=1`);
    await page.waitForSelector('[data-app-state="ready"]', { timeout: 20_000 });
    await expect.poll(() => page.getByTestId('timing-row').count(), { timeout: 10_000 }).toBe(20);
    await expect.poll(() => shownLap(page), { timeout: 30_000 }).toBeGreaterThan(5);
    await expect
      .poll(() => page.getByTestId('commentary-line').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    // the tyre chart has data: a drawn line per compound, not only its axes and grid
    await expect.poll(async () => (await lineVertices(page)).filter((n) => n >= 10).length, { timeout: 10_000 }).toBe(3);
    const main = await shot(page, 'race-view');
    // The README screenshot of the main screen, refreshed on demand.
    if (process.env.PITWALL_UPDATE_SCREENSHOT === '1')
      copyFileSync(main, join(PROJECT_ROOT, 'docs', 'screenshot.png'));
    expect(ctx.b.errors).toEqual([]);
  });

  it('pausing and stepping to lap 10 shows the leader and podium of the data at lap 10', async () => {
    const { page } = ctx.b;
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByRole('button', { name: 'Play' }).count(), { timeout: 10_000 }).toBe(1);
    for (let i = 0; i < 80 && (await shownLap(page)) !== 10; i++) {
      const lap = await shownLap(page);
      await page.keyboard.press(lap > 10 ? 'ArrowLeft' : 'ArrowRight');
      await expect.poll(() => shownLap(page), { timeout: 10_000 }).not.toBe(lap);
    }
    expect(await shownLap(page)).toBe(10);
    const db = openDb(ctx.srv.dbFile);
    const expected = (
      db
        .prepare(
          "SELECT driver_ref AS d FROM laps WHERE season = 2023 AND round = 1 AND session = 'race' AND lap_number = 10 ORDER BY position LIMIT 3",
        )
        .all() as { d: string }[]
    ).map((r) => r.d);
    db.close();
    expect(expected[0]).toBe('max_verstappen');
    const shown = await page
      .getByTestId('timing-row')
      .evaluateAll((rows) => rows.slice(0, 3).map((r) => r.getAttribute('data-driver')));
    expect(shown).toEqual(expected);
    await shot(page, 'race-lap10-paused');
  });

  it('the degradation chart draws Bahrain’s curves from the data: a line per compound, a vertex per point', async () => {
    const { page } = ctx.b;
    const curves = (await (
      await fetch(new URL('api/call/tyreCurves', ctx.srv.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ circuit: 'bahrain' }),
      })
    ).json()) as { compound: string; points: unknown[] }[];
    expect(curves.map((c) => c.compound).sort()).toEqual(['HARD', 'MEDIUM', 'SOFT']);
    const chart = page.getByTestId('deg-chart');
    await expect
      .poll(() => chart.locator('[data-compound]').evaluateAll((els) => els.map((e) => e.getAttribute('data-compound')).sort()), { timeout: 10_000 })
      .toEqual(curves.map((c) => c.compound).sort());
    await expect.poll(() => lineVertices(page), { timeout: 10_000 }).toEqual(curves.map((c) => c.points.length).sort((x, y) => x - y));
    expect(await chart.textContent()).not.toContain('No degradation curves');
    await chart.screenshot({ path: join(PROJECT_ROOT, 'test-results', 'e2e', 'deg-chart.png') });
  });

  it('selecting a driver brings that driver’s pit recommendation; the style switcher changes commentary style', async () => {
    const { page } = ctx.b;
    const row = page.getByTestId('timing-row').nth(1);
    const driver = await row.getAttribute('data-driver');
    await row.click();
    await expect
      .poll(() => page.locator('.strategy h2 small').textContent(), { timeout: 10_000 })
      .toBe(await row.locator('.c-drv b').textContent());
    // The strategy engine answers for the selected driver (a recommendation, or its explicit empty state).
    const rec = page.getByTestId('pit-recommendation');
    await expect
      .poll(async () => ((await rec.count()) ? await rec.getAttribute('data-driver') : 'none'), {
        timeout: 20_000,
      })
      .toBe(driver);
    await page.getByRole('button', { name: 'dramatic' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: 'dramatic' }).getAttribute('class'), { timeout: 10_000 })
      .toBe('on');
    await shot(page, 'race-driver-selected');
    expect(ctx.b.errors).toEqual([]);
  });

  it('the Models view renders (models or an empty state) without errors', async () => {
    const { page } = ctx.b;
    await page.getByRole('tab', { name: 'Models' }).click();
    await page.getByTestId('drift-status').waitFor();
    await expect
      .poll(() => page.locator('.models-list').textContent(), { timeout: 15_000 })
      .not.toContain('Loading models');
    await shot(page, 'models-view');
    await page.getByRole('tab', { name: 'Race' }).click();
    expect(ctx.b.errors).toEqual([]);
  });

  it('the race picker opens another race without a deep link', async () => {
    const { page } = ctx.b;
    await page.goto(ctx.srv.url);
    await page.waitForSelector('[data-app-state="ready"]', { timeout: 20_000 });
    await page.getByLabel('Season').selectOption('2024');
    await page.getByLabel('Race').selectOption('1');
    await expect.poll(() => page.getByTestId('timing-row').count(), { timeout: 15_000 }).toBe(20);
    expect(await page.locator('.race-name').textContent()).toContain('2024');
    await shot(page, 'race-picker-2024-r1');
    expect(ctx.b.errors).toEqual([]);
  });
});
