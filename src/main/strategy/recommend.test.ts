import { describe, expect, it } from 'vitest';
import { sharedDb } from '../../../tests/helpers/db.js';
import { recommend } from './recommend.js';
import { strategyHandlers } from './api.js';
import { Engine, Session } from '../engine/kernel/session.js';

describe('live pit recommendation', () => {
  it('2023 Bahrain lap 20 for Verstappen: a headline, ranked plans with the DP remainder, counterfactuals', async () => {
    const r = (await recommend(sharedDb(), { season: 2023, round: 1, lap: 20, driver: 'max_verstappen', seeds: 40 }))!;
    expect(r.driver).toBe('max_verstappen');
    // six laps after his first stop (lap 14), leading: another stop now would only lose time
    expect(r.action).toBe('stay');
    expect(r.headline).toMatch(/^Stay out: \+\d+\.\d s expected, P1 → P\d+ with \d+ %$/);
    expect(r.headline).toContain(`+${r.gain.toFixed(1)} s`);
    expect(r.headline).toContain(`P${r.positionFrom} → P${r.positionTo} with ${Math.round(r.probability * 100)} %`);
    // the plans ranked by expected time; the best one is the recommendation (no stop this lap)
    for (let i = 1; i < r.plans.length; i++) expect(r.plans[i]!.expectedTime).toBeGreaterThanOrEqual(r.plans[i - 1]!.expectedTime);
    for (const p of r.plans) expect(p.deltaToBest).toBeCloseTo(p.expectedTime - r.plans[0]!.expectedTime, 9);
    expect(r.plans[0]!.stops.every((x) => x.lap > 20)).toBe(true);
    const boxNow = r.plans.filter((p) => p.stops[0]?.lap === 20 || p.stops[0]?.lap === 21);
    expect(boxNow.map((p) => p.stops[0]!.compound).sort()).toEqual(['HARD', 'MEDIUM', 'SOFT']);
    expect(r.gain).toBeCloseTo(Math.min(...boxNow.map((p) => p.deltaToBest)), 9);
    expect(r.positionFrom).toBe(1); // he led lap 19
    expect(r.probability).toBeGreaterThan(0);
    expect(r.probability).toBeLessThanOrEqual(1);
    expect(r.plans).toHaveLength(4);
    expect(r.plans[0]!.deltaToBest).toBe(0);
    for (const p of r.plans) expect(p.deltaToBest).toBeGreaterThanOrEqual(0);
    expect(r.plans.some((p) => Math.abs(p.deltaToBest - r.gain) < 1e-6 && p.deltaToBest > 0)).toBe(true);
    expect(r.counterfactuals.some((c) => /laps (earlier|later) \(lap \d+\) (costs|gains) \d+\.\d s/.test(c))).toBe(true);
  }, 60_000);

  it('gives no advice to a car that is out of the race by then (Leclerc, engine, lap 41), but does before', async () => {
    expect(await recommend(sharedDb(), { season: 2023, round: 1, lap: 45, driver: 'leclerc', seeds: 5 })).toBeNull();
    expect((await recommend(sharedDb(), { season: 2023, round: 1, lap: 30, driver: 'leclerc', seeds: 5 }))!.driver).toBe('leclerc');
  });

  it('rejects a lap outside the race', async () => {
    await expect(recommend(sharedDb(), { season: 2023, round: 1, lap: 80, driver: 'max_verstappen', seeds: 5 })).rejects.toThrow(/lap must be/);
  });

  it('is served by the strategyRecommend API handler (null for a driver who did not start)', async () => {
    const session = new Session(new Engine(sharedDb(), ':shared:'), () => undefined);
    const ok = await strategyHandlers.strategyRecommend(session, { season: 2023, round: 1, lap: 30, driver: 'VER' });
    expect(ok?.driver).toBe('max_verstappen');
    expect(await strategyHandlers.strategyRecommend(session, { season: 2023, round: 1, lap: 30, driver: 'nobody' })).toBeNull();
  }, 60_000);
});
