// Weekend features on the real data: the team's mechanical-DNF rate is shrunk toward the field's rate.
import { describe, expect, it } from 'vitest';
import { dbCopy, sharedDb } from '../../../../tests/helpers/db.js';
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

describe('weekend features on Jolpica statuses (real data, 2024 read as Jolpica serves it)', () => {
  // Jolpica writes every car laps down as "Lapped" (Ergast: "+1 Lap", "+2 Laps"); that must not read as a DNF.
  const base = weekendDataset(sharedDb(), 2024, 2024);
  const { db } = dbCopy();
  db.exec(`INSERT INTO status (status_id, status) SELECT MAX(status_id) + 1, 'Lapped' FROM status`);
  const lapped = db.prepare(`UPDATE results SET status_id = (SELECT status_id FROM status WHERE status = 'Lapped')
    WHERE status_id IN (SELECT status_id FROM status WHERE status LIKE '+% Lap%')
      AND race_id IN (SELECT race_id FROM races WHERE year IN (2023, 2024))`).run().changes;
  const jolpica = weekendDataset(db, 2024, 2024);

  it('gives every 2024 entry the same features as Ergast\'s statuses', () => {
    expect(lapped).toBe(208); // 2023: 70, 2024: 138
    expect(jolpica.entries.map((e) => `${e.race}/${e.driver}`)).toEqual(base.entries.map((e) => `${e.race}/${e.driver}`));
    const differ = base.features.filter((_, f) =>
      base.entries.some((_, i) => !Object.is(base.x[i * base.cols + f], jolpica.x[i * jolpica.cols + f])),
    );
    expect(differ).toEqual([]);
  });
});
