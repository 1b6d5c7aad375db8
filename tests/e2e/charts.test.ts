// The Charts tab in Chromium against `pitwall serve` on the real data (2023 Bahrain, paused at lap 30): each chart
// draws the engine's numbers for the laps completed at the replay clock — the tooltips' values against the series
// of replay/charts.ts + shared/charts.ts, one stint bar per stint, one dot per lap, one pit mark per stop — and
// follows the clock when the replay steps on. Screenshots of each chart go to test-results/e2e/charts-*.png.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lapTimeSeries, pairGap, raceTrace } from '../../src/shared/charts.js';
import type { RaceCharts } from '../../src/shared/domain.js';
import { openDb } from '../../src/main/data/db.js';
import { raceChartsAt } from '../../src/main/replay/charts.js';
import { loadRace } from '../../src/main/replay/race.js';
import { CHROMIUM, hoverLap, servedBrowser, shot, shownLap } from './harness.js';

const hasChromium = existsSync(CHROMIUM);

/** The engine's charts data of 2023 Bahrain at the leader's lap n (what a seek to lap n shows). */
function engineAt(dbFile: string, n: number): RaceCharts {
  const db = openDb(dbFile);
  try {
    const race = loadRace(db, 2023, 1);
    return raceChartsAt(race.tl, race.tl.leaderTimes[n - 1]!);
  } finally {
    db.close();
  }
}

describe.skipIf(!hasChromium)('the strategist charts in Chromium (pitwall serve)', () => {
  const ctx = servedBrowser();
  let expected: RaceCharts;
  const tab = async (name: string) => {
    await ctx.b.page.getByRole('tab', { name, exact: true }).click();
  };

  it('opens at lap 30 of 2023 Bahrain: the Charts tab shows the laps completed by then, nothing later', async () => {
    const { page } = ctx.b;
    await page.goto(`${ctx.srv.url}?season=2023&round=1&lap=30`);
    await page.waitForSelector('[data-app-state="ready"]', { timeout: 30_000 });
    await expect.poll(() => shownLap(page), { timeout: 20_000 }).toBe(30);
    await tab('Charts');
    const view = page.getByTestId('charts-view');
    await expect.poll(() => view.getAttribute('data-leader-laps'), { timeout: 20_000 }).toBe('30');
    expected = engineAt(ctx.srv.dbFile, 30);
    expect(Number(await view.getAttribute('data-as-of'))).toBeCloseTo(expected.asOf, 3);
    expect(Math.max(...expected.drivers.flatMap((d) => d.laps.map((l) => l.lap)))).toBe(30);
    // the stint bars: one per stint of the data, each over the laps the data says
    const bars = await page
      .getByTestId('stint-bar')
      .evaluateAll((els) =>
        els
          .map(
            (e) =>
              `${e.getAttribute('data-driver')}|${e.getAttribute('data-compound')}|${e.getAttribute('data-from')}-${e.getAttribute('data-to')}|${e.getAttribute('data-fresh')}`,
          )
          .sort(),
      );
    expect(bars).toEqual(
      expected.stints
        .map(
          (s) =>
            `${s.driver}|${s.compound}|${s.fromLap}-${s.toLap}|${s.fresh === null ? 'unknown' : String(s.fresh)}`,
        )
        .sort(),
    );
    expect(bars.length).toBeGreaterThan(20);
    expect(Math.max(...bars.map((b) => Number(b.split('|')[2]!.split('-')[1])))).toBe(30);
    // a pit mark per stop so far
    await expect.poll(() => page.getByTestId('trace-pit').count()).toBe(expected.stops.length);
    await shot(page, 'charts-all');
    expect(ctx.b.errors).toEqual([]);
  });

  it('race trace: the tooltip at lap 20 shows every car’s engine value, against the leader and against HAM', async () => {
    const { page } = ctx.b;
    await tab('Race trace');
    const chart = page.getByTestId('chart-trace');
    for (const ref of [{ kind: 'leader' } as const, { kind: 'driver', driver: 'hamilton' } as const]) {
      await chart.getByLabel('Reference pace').selectOption(ref.kind === 'leader' ? '' : ref.driver);
      const tip = await hoverLap(page, chart, 'trace-tip', 20, 30);
      const shown = await tip
        .locator('[data-driver]')
        .evaluateAll((els) =>
          els.map((e) => [e.getAttribute('data-driver'), Number(e.getAttribute('data-value'))] as const),
        );
      const row = raceTrace(expected, ref).rows[20]!;
      const want = expected.drivers
        .filter((d) => row[d.driver] !== undefined)
        .map((d) => [d.driver, row[d.driver]!] as const);
      expect(shown.length).toBe(want.length);
      expect(Object.fromEntries(shown)).toEqual(Object.fromEntries(want));
      if (ref.kind === 'driver') await shot(page, 'charts-trace');
    }
    // a line per car with a vertex per lap it completed (and the start), a pit mark per stop
    const vertices = await chart
      .getByTestId('trace-line')
      .evaluateAll((ps) =>
        Object.fromEntries(
          ps.map((p) => [
            p.getAttribute('data-driver'),
            (p.getAttribute('d') ?? '').match(/[ML]/g)?.length ?? 0,
          ]),
        ),
      );
    expect(vertices).toEqual(
      Object.fromEntries(
        expected.drivers.filter((d) => d.laps.length).map((d) => [d.driver, d.laps.length + 1]),
      ),
    );
    await expect.poll(() => chart.getByTestId('trace-pit').count()).toBe(expected.stops.length);
    // the last lap drawn is the replay's lap 30, at the engine's values
    const last = await hoverLap(page, chart, 'trace-tip', 30, 30);
    const row30 = raceTrace(expected, { kind: 'driver', driver: 'hamilton' }).rows[30]!;
    const at30 = await last
      .locator('[data-driver]')
      .evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-driver'), Number(e.getAttribute('data-value'))] as const),
      );
    expect(Object.fromEntries(at30)).toEqual(
      Object.fromEntries(
        expected.drivers
          .filter((d) => row30[d.driver] !== undefined)
          .map((d) => [d.driver, row30[d.driver]!]),
      ),
    );
  });

  it('gap: VER vs PER at lap 20 is the engine’s gap, signed for who is ahead', async () => {
    const { page } = ctx.b;
    await tab('Gap');
    const chart = page.getByTestId('chart-gap');
    await chart.getByLabel('Gap car A').selectOption('max_verstappen');
    await chart.getByLabel('Gap car B').selectOption('perez');
    const tip = await hoverLap(page, chart, 'gap-tip', 20, 30);
    const want = pairGap(expected, 'max_verstappen', 'perez').find((g) => g.lap === 20)!.gap;
    expect(want).toBeGreaterThan(0);
    expect(Number(await tip.locator('[data-gap]').getAttribute('data-gap'))).toBe(want);
    expect(await tip.textContent()).toMatch(new RegExp(`VER ahead of PER by\\s*${want.toFixed(3)} s`));
    await shot(page, 'charts-gap');
  });

  it('lap times: a dot per timed lap of HAM at its lap time and compound; hover shows the lap', async () => {
    const { page } = ctx.b;
    await tab('Lap times');
    const chart = page.getByTestId('chart-laps');
    await chart.getByLabel('Lap times car').selectOption('hamilton');
    const series = lapTimeSeries(expected.drivers.find((d) => d.driver === 'hamilton')!);
    const dots = chart.getByTestId('lap-dot');
    await expect.poll(() => dots.count()).toBe(series.points.length);
    const drawn = await dots.evaluateAll((els) =>
      els.map(
        (e) =>
          `${e.getAttribute('data-lap')}|${e.getAttribute('data-time')}|${e.getAttribute('data-compound')}`,
      ),
    );
    expect(drawn.sort()).toEqual(series.points.map((p) => `${p.lap}|${p.lapTime}|${p.compound}`).sort());
    expect(new Set(series.points.map((p) => p.compound)).size).toBeGreaterThan(1); // two compounds by lap 30
    const dot = dots.nth(15);
    const lap = await dot.getAttribute('data-lap');
    await dot.hover({ force: true });
    await expect.poll(() => page.getByTestId('lap-tip').getAttribute('data-lap')).toBe(lap);
    await shot(page, 'charts-laps');
  });

  it('stints: hovering a row lists that car’s sets; stepping the replay a lap on grows the bars with the clock', async () => {
    const { page } = ctx.b;
    await tab('Stints');
    const bar = page.locator('[data-testid="stint-bar"][data-driver="max_verstappen"]').first();
    await bar.hover({ force: true });
    await expect.poll(() => page.getByTestId('stint-tip').getAttribute('data-driver')).toBe('max_verstappen');
    await shot(page, 'charts-stints');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => shownLap(page), { timeout: 10_000 }).toBe(31);
    await expect
      .poll(() => page.getByTestId('charts-view').getAttribute('data-leader-laps'), { timeout: 10_000 })
      .toBe('31');
    const later = engineAt(ctx.srv.dbFile, 31);
    await expect.poll(() => page.getByTestId('stint-bar').count()).toBe(later.stints.length);
    const ends = await page
      .getByTestId('stint-bar')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-to'))));
    expect(Math.max(...ends)).toBe(31);
    expect(ctx.b.errors).toEqual([]);
  });
});
