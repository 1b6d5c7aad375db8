// The engine goes away and comes back on the same address (a restart at the track): the screen keeps its race and
// the driver the user follows, and a race picked while the engine was away opens once it is back.
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { browser, CHROMIUM, serve, shownLap, type Served } from './harness.js';

describe.skipIf(!existsSync(CHROMIUM))('reconnecting to the engine', () => {
  let srv: Served | null = null;
  afterAll(async () => {
    await srv?.stop();
  });

  it('keeps the race and the followed driver over a restart; opens the race picked while the engine was down', async () => {
    srv = await serve();
    const { dbFile } = srv;
    const port = Number(new URL(srv.url).port);
    const b = await browser();
    try {
      const { page } = b;
      await page.goto(`${srv.url}?season=2023&round=1&lap=20`);
      await page.waitForSelector('[data-app-state="ready"]', { timeout: 30_000 });
      await expect.poll(() => shownLap(page), { timeout: 20_000 }).toBe(20);
      const row = page.getByTestId('timing-row').nth(4);
      const code = await row.locator('.c-drv b').textContent();
      await row.click();
      await expect.poll(() => page.locator('.strategy h2 small').textContent(), { timeout: 10_000 }).toBe(code);

      // a restart: the same race, lap and driver on the new engine session
      await srv.stop();
      await expect.poll(() => page.locator('.conn').count(), { timeout: 15_000 }).toBe(1);
      srv = await serve({ port, dbFile });
      await expect.poll(() => page.locator('.conn').count(), { timeout: 30_000 }).toBe(0);
      await expect.poll(() => page.getByTestId('timing-row').count(), { timeout: 20_000 }).toBe(20);
      await expect.poll(() => shownLap(page), { timeout: 20_000 }).toBe(20); // reopened where it was
      expect(await page.locator('.strategy h2 small').textContent()).toBe(code);

      await srv.stop();
      await expect.poll(() => page.locator('.conn').count(), { timeout: 15_000 }).toBe(1);
      // picked while the engine is away: the open fails for now
      await page.getByTestId('race-picker').selectOption('2');
      srv = await serve({ port, dbFile });
      await expect.poll(() => page.locator('.conn').count(), { timeout: 30_000 }).toBe(0);
      await expect.poll(() => page.locator('.race-name').textContent(), { timeout: 30_000 }).toContain('Saudi');
      await expect.poll(() => page.getByTestId('timing-row').count(), { timeout: 20_000 }).toBe(20);
      expect(await page.locator('body').innerText()).not.toMatch(/connection to the engine was lost/i);
    } finally {
      await b.close();
    }
  });
});
