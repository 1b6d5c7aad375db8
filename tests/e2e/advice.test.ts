// Pit advice on screen is for this lap and this car: it names its lap, never offers slicks to a car in a wet field,
// and says why there is none for a retired car or a finished race (Chromium against `pitwall serve`, real data).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, servedBrowser, shot, shownLap } from './harness.js';

describe.skipIf(!existsSync(CHROMIUM))('pit advice in the strategy card', () => {
  const ctx = servedBrowser();
  const openAt = async (page: Page, season: number, round: number, lap: number) => {
    await page.goto(`${ctx.srv.url}?season=${season}&round=${round}&lap=${lap}`);
    await page.waitForSelector('[data-app-state="ready"]', { timeout: 30_000 });
    await expect.poll(() => shownLap(page), { timeout: 20_000 }).toBe(lap);
  };

  it('Monaco 2023 lap 63, the field on intermediates: advice for lap 63, and no slick tyre for the leader', async () => {
    const { page } = ctx.b;
    await openAt(page, 2023, 6, 63);
    await page.getByTestId('timing-row').first().click();
    const rec = page.getByTestId('pit-recommendation');
    await expect.poll(() => rec.getAttribute('data-lap').catch(() => null), { timeout: 60_000 }).toBe('63');
    expect(['pit_soft', 'pit_medium', 'pit_hard']).not.toContain(await rec.getAttribute('data-action'));
    expect(await page.getByTestId('rec-lap').textContent()).toMatch(/For lap 63/);
    // shares of outcomes are never shown as certainty (a note may still say 100 % of the field is on wets)
    expect(await page.getByTestId('rec-distribution').textContent()).not.toMatch(/100 %/);
    expect(await rec.locator('.headline').textContent()).not.toMatch(/with 100 %/);
    await shot(page, 'advice-monaco-lap63');
  });

  it('a retired car and a finished race get no advice, and the card says why', async () => {
    const { page } = ctx.b;
    await openAt(page, 2023, 1, 45);
    await page.locator('[data-testid="timing-row"][data-driver="leclerc"]').click();
    const empty = page.getByTestId('pit-recommendation-empty');
    await expect.poll(() => empty.textContent().catch(() => ''), { timeout: 30_000 }).toMatch(/LEC is out of the race/);
    expect(await page.getByTestId('pit-recommendation').count()).toBe(0);
    await openAt(page, 2023, 1, 57);
    await expect.poll(() => page.getByTestId('pit-recommendation-empty').textContent().catch(() => ''), { timeout: 30_000 }).toMatch(/Race finished/);
  });
});
