// The strategist charts on the Live screen in Chromium: a race recording (2024 Bahrain, synthesised from the bundled
// laps) replayed by `pitwall serve --live FILE --live-speed 100`; the charts grow with the feed, and once it ends the
// race trace, pit marks and stint bars drawn are the engine's `liveCharts` answer. Screenshot:
// test-results/e2e/charts-live.png.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { raceTrace } from '../../src/shared/charts.js';
import type { RaceCharts } from '../../src/shared/domain.js';
import { raceRecording } from '../helpers/live.js';
import { CHROMIUM, hoverLap, servedBrowser, shot } from './harness.js';

describe.skipIf(!existsSync(CHROMIUM))('the live strategist charts', () => {
  const ctx = servedBrowser({ args: () => ['--live', raceRecording(1), '--live-speed', '100'] });

  it('grow with the live laps, then draw the engine’s liveCharts answer: trace, pit marks, stint bars', async () => {
    const { page, errors } = ctx.b;
    await page.goto(ctx.srv.url);
    await page.waitForSelector('[data-app-state]', { timeout: 30_000 });
    await page.getByRole('tab', { name: 'Live', exact: true }).click();
    await page.getByRole('tab', { name: 'Live charts', exact: true }).click();
    const view = page.getByTestId('live-charts').getByTestId('charts-view');
    const leaderLaps = async () => Number((await view.getAttribute('data-leader-laps', { timeout: 60_000 })) ?? 0);
    await expect.poll(leaderLaps, { timeout: 60_000 }).toBeGreaterThan(0);
    const early = await leaderLaps();
    expect(early).toBeLessThan(57); // the charts were drawn while the race ran…
    await expect.poll(() => page.getByTestId('live-badge').textContent(), { timeout: 110_000 }).toBe('Feed ended');
    await expect.poll(leaderLaps, { timeout: 20_000 }).toBe(57); // …and followed it to the flag

    const res = await fetch(`${ctx.srv.url}api/call/liveCharts`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    const engine = (await res.json()) as RaceCharts;
    expect(engine.leaderLaps).toBe(57);
    // the page asked when the last lap was handed on; the feed's clock ran on after it (no lap since)
    expect(Number(await view.getAttribute('data-as-of'))).toBeLessThanOrEqual(engine.asOf);
    // stint bars: one per stint of the engine's answer, over its laps
    const bars = await page
      .getByTestId('stint-bar')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-driver')}|${e.getAttribute('data-compound')}|${e.getAttribute('data-from')}-${e.getAttribute('data-to')}`).sort());
    expect(bars).toEqual(engine.stints.map((s) => `${s.driver}|${s.compound}|${s.fromLap}-${s.toLap}`).sort());
    expect(bars.length).toBeGreaterThan(20);
    // race trace: a line per car with a vertex per lap (and the start), a pit mark per stop
    const trace = page.getByTestId('chart-trace');
    const vertices = await trace
      .getByTestId('trace-line')
      .evaluateAll((ps) => Object.fromEntries(ps.map((p) => [p.getAttribute('data-driver'), (p.getAttribute('d') ?? '').match(/[ML]/g)?.length ?? 0])));
    expect(vertices).toEqual(Object.fromEntries(engine.drivers.filter((d) => d.laps.length).map((d) => [d.driver, d.laps.length + 1])));
    expect(engine.stops.length).toBeGreaterThan(20);
    await expect.poll(() => trace.getByTestId('trace-pit').count()).toBe(engine.stops.length);
    // the tooltip at lap 30: every car's value, as the engine's series
    const tip = await hoverLap(page, trace, 'trace-tip', 30, 57);
    const shown = await tip.locator('[data-driver]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-driver'), Number(e.getAttribute('data-value'))] as const));
    const row = raceTrace(engine, { kind: 'leader' }).rows[30]!;
    const want = engine.drivers.filter((d) => row[d.driver] !== undefined).map((d) => [d.driver, row[d.driver]!] as const);
    expect(want.length).toBeGreaterThan(15);
    expect(Object.fromEntries(shown)).toEqual(Object.fromEntries(want));
    await shot(page, 'charts-live');
    expect(errors).toEqual([]);
  });
});
