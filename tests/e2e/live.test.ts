// The Live screen in Chromium: a race recording (2024 Bahrain, synthesised from the bundled laps) replayed by
// `pitwall serve --live FILE --live-speed 20` moves the tower several times per lap, and a screen's broadcast
// delay shows it the race as it was that long ago while another screen stays live.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { raceRecording } from '../helpers/live.js';
import { browser, CHROMIUM, servedBrowser, shot } from './harness.js';

/** Every change of the tower's data-seq, with the lap shown, recorded in the page. */
async function watchTower(page: Page): Promise<void> {
  // runs in the page (a string: this file is typed for Node, without the DOM)
  await page.evaluate(`(() => {
    window.__tower = [];
    const el = document.querySelector('[data-testid="live-tower"]');
    new MutationObserver(() => window.__tower.push({ seq: Number(el.getAttribute('data-seq')), lap: Number(el.getAttribute('data-lap')), at: Date.now() }))
      .observe(el, { attributes: true, attributeFilter: ['data-seq'] });
  })()`);
}
const seen = (page: Page) => page.evaluate('window.__tower') as Promise<{ seq: number; lap: number; at: number }[]>;
const shownSeq = async (page: Page) => Number(await page.getByTestId('live-tower').getAttribute('data-seq'));
const shownLap = async (page: Page) => Number(await page.getByTestId('live-tower').getAttribute('data-lap'));

async function openLive(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('[data-app-state]', { timeout: 30_000 });
  // the header shows the shared feed's state on every screen, before the Live tab is opened
  await expect.poll(() => page.getByTestId('live-badge').textContent(), { timeout: 30_000 }).toBe('Recording');
  await page.getByRole('tab', { name: 'Live' }).click();
  await expect.poll(() => page.getByTestId('live-row').count(), { timeout: 30_000 }).toBe(20);
}

describe.skipIf(!existsSync(CHROMIUM))('the Live screen', () => {
  const ctx = servedBrowser({ args: () => ['--live', raceRecording(1), '--live-speed', '20'] });

  it('moves the tower several times per lap at 20×, with the banner, race control, badge and clock', async () => {
    const { page, errors } = ctx.b;
    await openLive(page, ctx.srv.url);
    expect(await page.getByTestId('live-badge').textContent()).toBe('Recording');
    await watchTower(page);
    const lap0 = await shownLap(page);
    await expect.poll(() => shownLap(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(lap0 + 3);
    const updates = await seen(page);
    // laps seen from start to end: each had several tower updates
    const perLap = new Map<number, number>();
    for (const u of updates) perLap.set(u.lap, (perLap.get(u.lap) ?? 0) + 1);
    const whole = [...perLap.entries()].filter(([lap]) => lap > lap0 && lap < Math.max(...perLap.keys()));
    expect(whole.length).toBeGreaterThanOrEqual(1);
    for (const [lap, n] of whole) expect(n, `updates during lap ${lap}`).toBeGreaterThanOrEqual(5);
    expect(await page.getByTestId('live-banner').getAttribute('data-state')).toMatch(/green|yellow|sc|vsc|red/);
    expect(await page.getByTestId('live-lap').textContent()).toMatch(/^Lap \d+\/57$/);
    expect(await page.getByTestId('live-clock').textContent()).toMatch(/left$/);
    const leader = page.getByTestId('live-row').first();
    expect(await leader.locator('.c-gap').textContent()).toBe('LEADER');
    expect(await page.getByTestId('live-row').nth(5).locator('.c-gap').textContent()).toMatch(/^\+\d+\.\d{3}$|LAP/);
    await leader.click();
    await expect.poll(() => page.getByTestId('live-stint').locator('li').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // the newest lap first: the car's lap before the one it is on (laps are handed on as they complete)
    const carLaps = Number(await leader.getAttribute('data-laps'));
    await expect.poll(async () => Number(((await page.getByTestId('live-stint').locator('li').first().textContent()) ?? '').replace(/^Lap (\d+).*$/s, '$1')), { timeout: 30_000 }).toBeGreaterThanOrEqual(carLaps - 1);
    // the tyre model's forecast of the stint, from the live laps
    await expect.poll(() => page.getByTestId('live-forecast').locator('li').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('live-forecast').locator('li').first().textContent()).toMatch(/^Tyre age \d+: 1:\d\d\.\d{3}/);
    // race events from the replay's detector on the live laps
    await expect.poll(() => page.getByTestId('live-event').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('live-commentary').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await shot(page, 'live-tower');
    expect(errors).toEqual([]);
  });

  it('a broadcast delay shows that screen the race as it was; another screen stays live', async () => {
    const { page } = ctx.b;
    const other = await browser();
    try {
      await openLive(other.page, ctx.srv.url);
      await page.getByTestId('live-delay').fill('10');
      await page.getByTestId('live-delay').press('Enter');
      await expect.poll(() => page.getByTestId('live-badge').textContent(), { timeout: 10_000 }).toBe('Recording · delayed by 10 s');
      expect(await other.page.getByTestId('live-badge').textContent()).toBe('Recording');
      // while the delay holds, the delayed screen shows towers the live screen showed about 10 s earlier
      await watchTower(page);
      await watchTower(other.page);
      await new Promise((r) => setTimeout(r, 4000));
      const late = await seen(page);
      const live = await seen(other.page);
      expect(late.length).toBeGreaterThan(3);
      const firstLive = new Map(live.map((u) => [u.seq, u.at]));
      const both = late.filter((u) => firstLive.has(u.seq));
      // nothing the delayed screen shows in these 4 s was shown on the live screen in the same 4 s… (it is older)
      expect(both).toEqual([]);
      expect(Math.max(...late.map((u) => u.seq))).toBeLessThan(Math.min(...live.map((u) => u.seq)));
      // …and back to live: 0 s shows the newest tower again
      await page.getByTestId('live-delay').fill('0');
      await page.getByTestId('live-delay').press('Enter');
      await expect.poll(() => page.getByTestId('live-badge').textContent(), { timeout: 10_000 }).toBe('Recording');
      await expect.poll(async () => (await shownSeq(other.page)) - (await shownSeq(page)), { timeout: 10_000 }).toBeLessThan(40);
    } finally {
      await other.close();
    }
  });
});
