import { describe, expect, it } from 'vitest';
import type { Groups } from './metrics.js';
import { loglossPassOdds, top1PassOdds } from './pass-odds.js';

const bar = { margin: 0.03, seasonDeficit: 2 };

describe('pass odds under the model’s own probabilities', () => {
  it('a model that picks the baseline’s favourite never beats it by a margin, and never falls below it', () => {
    const p = [0.5, 0.3, 0.2, 0.6, 0.4];
    const groups: Groups = [[0, 3], [3, 5]];
    const o = top1PassOdds(p, [0.9, 0.05, 0.05, 0.7, 0.3], groups, [2022, 2023], bar, 1, 2000);
    expect(o.pooled_margin).toBe(0);
    expect(o.every_season).toBe(1);
    expect(o.season_fails).toEqual({ '2022': 0, '2023': 0 });
  });

  it('one race, the model’s favourite at 0.6 against the other car: the bar is passed as often as the favourite wins', () => {
    const o = top1PassOdds([0.6, 0.4], [0.1, 0.9], [[0, 2]], [2024], { margin: 0.03, seasonDeficit: 0 }, 7, 20_000);
    expect(o.pooled_margin).toBeGreaterThan(0.58);
    expect(o.pooled_margin).toBeLessThan(0.62);
    expect(o.season_fails['2024']).toBeCloseTo(1 - o.pooled_margin, 6);
    expect(o.both).toBe(o.pooled_margin);
  });

  it('a season four races long fails the two-race rule only when the baseline’s pick wins three more than the model’s', () => {
    // four races, the model's favourite 0.5 and the baseline's 0.5 (different cars): d per race ±1 with ½ each
    const p = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
    const base = [0.1, 0.9, 0.1, 0.9, 0.1, 0.9, 0.1, 0.9];
    const groups: Groups = [[0, 2], [2, 4], [4, 6], [6, 8]];
    const o = top1PassOdds(p, base, groups, [2024, 2024, 2024, 2024], bar, 3, 40_000);
    // total −4 (1/16) is the only outcome below −2: every_season ≈ 15/16
    expect(o.every_season).toBeGreaterThan(0.93);
    expect(o.every_season).toBeLessThan(0.945);
    // pooled margin ≥ 0.03 ⇔ total > 0: totals 2, 4 → 5/16
    expect(o.pooled_margin).toBeGreaterThan(0.29);
    expect(o.pooled_margin).toBeLessThan(0.335);
  });

  it('logloss odds: the model wins a race when its winner is likelier under it than under each baseline', () => {
    const p = [0.6, 0.4];
    const flat = [0.5, 0.5];
    const o = loglossPassOdds(p, [flat], [[[0, 2]], [[0, 2]]], 5, 20_000);
    expect(o.each[0]).toBeGreaterThan(0.58);
    expect(o.each[0]).toBeLessThan(0.62);
    // two independent sets: both ≈ 0.36
    expect(o.all).toBeGreaterThan(0.33);
    expect(o.all).toBeLessThan(0.39);
    // a second baseline that is sharper on the favourite: the model can no longer win that race
    expect(loglossPassOdds(p, [flat, [0.7, 0.3]], [[[0, 2]]], 5, 5000).each[0]).toBe(0);
  });
});
