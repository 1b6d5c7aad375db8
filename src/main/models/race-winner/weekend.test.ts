// Weekend features on the real data: the team's mechanical-DNF rate is shrunk toward the field's rate.
import { describe, expect, it } from 'vitest';
import { sharedDb } from '../../../../tests/helpers/db.js';
import { weekendDataset } from './dataset.js';

describe('weekend features: team mechanical-DNF rate (real data, 2022)', () => {
  const d = weekendDataset(sharedDb(), 2022, 2022);
  const f = d.features.indexOf('team_mech_dnf_rate');
  const rate = (race: string, driver: string) => {
    const i = d.entries.findIndex((e) => e.race === race && e.driver === driver);
    if (i < 0) throw new Error(`no entry ${race} ${driver}`);
    return d.x[i * d.cols + f]!;
  };
  const field = (race: string) => d.entries.flatMap((e, i) => (e.race === race ? [d.x[i * d.cols + f]!] : []));

  it('three failed Red Bulls in three races (Bahrain ×2, Australia) make the worst rate at Imola, but not a 40 % one', () => {
    const rb = rate('2022-4', 'max_verstappen');
    expect(rb).toBe(Math.max(...field('2022-4')));
    expect(rb).toBeGreaterThan(0.2);
    // unshrunk (k = 0) the recency-weighted rate reads 0.49
    expect(rb).toBeLessThan(0.35);
  });

  it('no team reads 0 or 1: a clean start is pulled up toward the field, every rate is a plausible one', () => {
    for (const race of ['2022-1', '2022-4', '2022-12']) {
      const xs = field(race);
      expect(xs.length).toBeGreaterThanOrEqual(20);
      for (const x of xs) {
        expect(x).toBeGreaterThan(0.03);
        expect(x).toBeLessThan(0.35);
      }
    }
    // Ferrari had no mechanical DNF in Bahrain–Australia: below the field's start-of-season level, above zero
    expect(rate('2022-4', 'leclerc')).toBeLessThan(rate('2022-1', 'leclerc'));
  });
});
