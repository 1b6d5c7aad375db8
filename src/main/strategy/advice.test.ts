// What the pit advice may say on the real races (issue 15): nothing for a retired car or on the last lap, never a
// past box lap, no slicks while the field runs intermediates/wets, the Qatar 2023 stint limit, honest uncertainty.
import { afterAll, describe, expect, it } from 'vitest';
import type { PitRecommendation } from '../../shared/domain.js';
import { sharedDb } from '../../../tests/helpers/db.js';
import { recommend } from './recommend.js';

const db = sharedDb();
afterAll(() => db.close());
const SLICK = ['pit_soft', 'pit_medium', 'pit_hard'];
const WET = ['pit_inter', 'pit_wet'];

/** Laps where at least `share` of the cars ran intermediates or wets, with the top two of each. */
function wetLaps(season: number, round: number, share: number): { lap: number; top: string[] }[] {
  const rows = db
    .prepare(
      `SELECT lap_number AS lap, driver, compound, position FROM laps WHERE season = ? AND round = ? AND session = 'race'
       ORDER BY lap_number, position`,
    )
    .all(season, round) as { lap: number; driver: string; compound: string | null; position: number | null }[];
  const by = new Map<number, typeof rows>();
  for (const r of rows) (by.get(r.lap) ?? by.set(r.lap, []).get(r.lap)!).push(r);
  return [...by.entries()]
    .filter(([, ls]) => ls.filter((l) => l.compound === 'INTERMEDIATE' || l.compound === 'WET').length >= share * ls.length)
    .map(([lap, ls]) => ({ lap, top: ls.filter((l) => l.position !== null).slice(0, 2).map((l) => l.driver) }));
}

function expectNoPastStops(r: PitRecommendation, lap: number): void {
  expect(r.lap).toBe(lap);
  for (const p of r.plans) for (const s of p.stops) expect(s.lap).toBeGreaterThanOrEqual(lap);
}

describe('pit advice is true for this race and this lap', () => {
  it('says nothing for a car that has retired (Leclerc, 2023 Bahrain) and nothing on the last lap', async () => {
    const lec = db
      .prepare(
        `SELECT r.laps AS laps FROM results r JOIN races ra ON ra.race_id = r.race_id JOIN drivers d ON d.driver_id = r.driver_id
         WHERE ra.year = 2023 AND ra.round = 1 AND d.driver_ref = 'leclerc'`,
      )
      .get() as { laps: number };
    expect(lec.laps).toBeLessThan(50);
    expect(await recommend(db, { season: 2023, round: 1, driver: 'leclerc', lap: lec.laps + 2, seeds: 5 })).toBeNull();
    expect(await recommend(db, { season: 2023, round: 1, driver: 'LEC', lap: lec.laps - 5, seeds: 5 })).not.toBeNull();
    expect(await recommend(db, { season: 2023, round: 1, driver: 'max_verstappen', lap: 57, seeds: 5 })).toBeNull();
    await expect(recommend(db, { season: 2023, round: 1, driver: 'max_verstappen', lap: 58, seeds: 5 })).rejects.toThrow(/lap must be/);
  }, 120_000);

  it('carries the lap asked and never boxes on a past lap (2023 Bahrain, a sample of laps and drivers)', async () => {
    for (const [driver, lap] of [['max_verstappen', 12], ['hamilton', 33], ['alonso', 44], ['sainz', 55], ['RUS', 1]] as const) {
      const r = (await recommend(db, { season: 2023, round: 1, driver, lap, seeds: 20 }))!;
      expectNoPastStops(r, lap);
      expect(r.state.completedLaps).toBe(lap - 1);
      expect(r.basis).toBe('race-sim');
      expect(WET).not.toContain(r.action); // a dry race: no wet tyres
      for (const p of r.plans) for (const s of p.stops) expect(['SOFT', 'MEDIUM', 'HARD']).toContain(s.compound);
    }
  }, 240_000);

  it('the lap after a stop sees the new set and does not advise another stop (2023 Japan, lap 17)', async () => {
    const stopped = db
      .prepare(
        `SELECT driver FROM laps WHERE season = 2023 AND round = 16 AND session = 'race' AND lap_number = 16 AND pit_in_s IS NOT NULL`,
      )
      .all() as { driver: string }[];
    expect(stopped.length).toBeGreaterThan(0);
    for (const { driver } of stopped.slice(0, 3)) {
      const r = (await recommend(db, { season: 2023, round: 16, driver, lap: 17, seeds: 30 }))!;
      expect(r.state.stintLaps).toBe(0);
      expect(r.state.tyreAge).toBeLessThanOrEqual(3);
      expect(r.action).toBe('stay');
      expectNoPastStops(r, 17);
    }
  }, 240_000);

  it('offers no slicks while most of the field runs intermediates (2023 Monaco) or wets (2023 Zandvoort)', async () => {
    const monaco = wetLaps(2023, 6, 0.6);
    const zandvoort = wetLaps(2023, 13, 0.6);
    expect(monaco.length).toBeGreaterThan(10);
    expect(zandvoort.map((w) => w.lap)).toContain(64);
    const asked: [number, number, string][] = [
      ...monaco.filter((_, k) => k % 8 === 0).flatMap((w) => w.top.map((d) => [6, w.lap, d] as [number, number, string])),
      ...zandvoort.filter((w) => w.lap >= 62 && w.lap <= 64).flatMap((w) => w.top.map((d) => [13, w.lap, d] as [number, number, string])),
    ];
    expect(asked.length).toBeGreaterThanOrEqual(8);
    for (const [round, lap, driver] of asked) {
      const r = (await recommend(db, { season: 2023, round, driver, lap, seeds: 100 }))!;
      expect(SLICK, `2023-${round} lap ${lap} ${driver}: ${r.headline}`).not.toContain(r.action);
      expect(r.basis).toBe('field-pace');
      expectNoPastStops(r, lap);
      for (const p of r.plans) for (const s of p.stops) expect(['INTERMEDIATE', 'WET']).toContain(s.compound);
      expect(r.state.fieldOnWet).toBeGreaterThanOrEqual(0.5);
    }
    // Verstappen on worn mediums as the rain came (Monaco lap 55, he boxed for inters at its end): the choice is
    // between staying out and wet tyres
    const ver = (await recommend(db, { season: 2023, round: 6, driver: 'VER', lap: 55, seeds: 100 }))!;
    expect(ver.state.compound).toBe('MEDIUM');
    expect(ver.plans.map((p) => p.stops[0]?.compound ?? 'stay')).toContain('INTERMEDIATE');
    expect(['stay', 'pit_inter', 'pit_wet']).toContain(ver.action);
  }, 300_000);

  it('keeps every set within the 18-lap limit of 2023 Qatar', async () => {
    for (const [driver, lap] of [['max_verstappen', 10], ['piastri', 3], ['norris', 30]] as const) {
      const r = (await recommend(db, { season: 2023, round: 17, driver, lap, seeds: 20 }))!;
      expect(r.notes.join(' ')).toMatch(/18 laps per set/);
      for (const p of r.plans) {
        let last = r.state.completedLaps;
        let stint = r.state.stintLaps;
        for (const s of p.stops) {
          expect(stint + (s.lap - last), `${driver} lap ${lap}: ${p.label}`).toBeLessThanOrEqual(18);
          last = s.lap;
          stint = 0;
        }
        expect(stint + (57 - last), `${driver} lap ${lap}: ${p.label}`).toBeLessThanOrEqual(18);
      }
    }
  }, 240_000);

  it('reports its uncertainty: p10–p90 of the gain, the position as a distribution, never certainty', async () => {
    const r = (await recommend(db, { season: 2023, round: 1, driver: 'max_verstappen', lap: 20, seeds: 60 }))!;
    expect(r.gainRange.p10).toBeLessThanOrEqual(r.gainRange.p90);
    expect(r.probability).toBeLessThan(1);
    expect(r.headline).not.toMatch(/100 %/);
    const shares = r.position.distribution.reduce((a, d) => a + d.share, 0);
    expect(shares).toBeCloseTo(1, 9);
    const mean = r.position.distribution.reduce((a, d) => a + d.position * d.share, 0);
    expect(r.position.expected).toBeCloseTo(mean, 9);
    // "Box now" only when boxing beats staying out in at least 90 % of the runs
    if (r.action !== 'stay') expect(r.gainRange.p10).toBeGreaterThan(0);
    else expect(r.headline).toMatch(/^Stay out/);
  }, 120_000);
});
