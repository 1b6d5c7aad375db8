import { describe, expect, it } from 'vitest';
import { sharedDb } from '../../../tests/helpers/db.js';
import { recommend } from './recommend.js';
import { strategyHandlers } from './api.js';
import { Engine, Session } from '../engine/kernel/session.js';

describe('live pit recommendation', () => {
  it('2023 Bahrain lap 20 for Verstappen: a headline, ranked plans with the DP remainder, counterfactuals', async () => {
    const r = (await recommend(sharedDb(), { season: 2023, round: 1, lap: 20, driver: 'max_verstappen', seeds: 40 }))!;
    expect(r.driver).toBe('max_verstappen');
    expect(['stay', 'pit_soft', 'pit_medium', 'pit_hard']).toContain(r.action);
    expect(r.headline).toMatch(/^(Stay out|Box now for (SOFT|MEDIUM|HARD)): \+\d+\.\d s expected, P\d+ → P\d+ with \d+ %$/);
    expect(r.positionFrom).toBe(1); // he led lap 19
    expect(r.probability).toBeGreaterThan(0);
    expect(r.probability).toBeLessThanOrEqual(1);
    expect(r.plans).toHaveLength(4);
    expect(r.plans[0]!.deltaToBest).toBe(0);
    for (const p of r.plans) expect(p.deltaToBest).toBeGreaterThanOrEqual(0);
    expect(r.plans.some((p) => Math.abs(p.deltaToBest - r.gain) < 1e-6 && p.deltaToBest > 0)).toBe(true);
    expect(r.counterfactuals.some((c) => /laps (earlier|later) \(lap \d+\) (costs|gains) \d+\.\d s/.test(c))).toBe(true);
  }, 60_000);

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
