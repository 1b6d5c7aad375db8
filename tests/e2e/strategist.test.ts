// "If boxed now": the tower's ghost marker and the strategy card's rejoin line show exactly what the API answers
// for that car and lap (Chromium against `pitwall serve`, real data); a screenshot of the marker goes to
// test-results/e2e/.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RejoinPrediction } from '../../src/shared/domain.js';
import { rejoinLine, share } from '../../src/renderer/views/rejoin.js';
import { CHROMIUM, servedBrowser, shot, shownLap } from './harness.js';

describe.skipIf(!existsSync(CHROMIUM))('rejoin ghost marker', () => {
  const ctx = servedBrowser();

  it('Bahrain 2023 lap 10, Hamilton selected: the ghost and the card equal strategyRejoin for his next lap', async () => {
    const { page } = ctx.b;
    await page.goto(`${ctx.srv.url}?season=2023&round=1&lap=10`);
    await page.waitForSelector('[data-app-state="ready"]', { timeout: 30_000 });
    await expect.poll(() => shownLap(page), { timeout: 20_000 }).toBe(10);
    await page.locator('[data-testid="timing-row"][data-driver="hamilton"]').click();
    const ghost = page.getByTestId('rejoin-ghost');
    await ghost.waitFor({ timeout: 30_000 });
    const lap = Number(await ghost.getAttribute('data-lap'));
    expect(lap).toBeGreaterThanOrEqual(10);
    expect(lap).toBeLessThanOrEqual(11);
    const res = await fetch(`${ctx.srv.url}api/call/strategyRejoin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ season: 2023, round: 1, driver: 'hamilton', lap }),
    });
    expect(res.status).toBe(200);
    const api = (await res.json()) as RejoinPrediction;
    expect(api.driver).toBe('HAM');
    expect(await ghost.getAttribute('data-driver')).toBe('HAM');
    expect(Number(await ghost.getAttribute('data-position'))).toBe(api.position);
    expect(await ghost.getAttribute('data-car-ahead')).toBe(api.carAhead ?? '');
    expect(await ghost.getAttribute('data-gap-ahead')).toBe(api.gapAhead === null ? '' : String(api.gapAhead));
    expect(await ghost.textContent()).toContain(`HAM if boxed now → P${api.position}`);
    // the marker sits just below the car it would come out behind
    if (api.carAhead) {
      const ahead = await page.locator(`[data-testid="timing-row"]:has(b:text-is("${api.carAhead}"))`).boundingBox();
      const g = await ghost.boundingBox();
      expect(Math.abs(g!.y - (ahead!.y + ahead!.height))).toBeLessThan(3);
    }
    const line = page.getByTestId('rejoin-line');
    expect(Number(await line.getAttribute('data-position'))).toBe(api.position);
    expect(await line.textContent()).toContain(rejoinLine(api));
    expect(await page.getByTestId('pit-loss-table').getAttribute('data-circuit')).toBe('bahrain');
    // undercut / overcut: the neighbours' rows carry the API's flags, and the card lists both threats
    expect(api.threats?.length).toBeGreaterThan(0);
    for (const t of api.threats ?? []) {
      const row = page.locator(`[data-testid="timing-row"]:has(b:text-is("${t.rival}"))`);
      expect(await row.getAttribute('data-threat')).toBe(t.flag);
      expect(await page.locator(`[data-testid="threat-line"][data-rival="${t.rival}"]`).textContent()).toContain(share(t.probability));
    }
    await shot(page, 'rejoin-ghost-bahrain-2023-ham');
  });
});
