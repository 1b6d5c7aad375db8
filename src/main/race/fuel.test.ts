import { describe, expect, it } from 'vitest';
import { sharedDb } from '../../../tests/helpers/db.js';
import { FUEL_S_PER_KG, fuelCorrected, fuelKg, START_FUEL_KG, withFuel } from './fuel.js';
import { loadRaces } from './laps.js';

describe('fuel correction', () => {
  it('burns the start fuel evenly over the race distance', () => {
    expect(fuelKg(1, 57)).toBeCloseTo(START_FUEL_KG);
    expect(fuelKg(29.5, 57)).toBeCloseTo(START_FUEL_KG / 2);
    expect(fuelKg(58, 57)).toBeCloseTo(0);
    expect(withFuel(fuelCorrected(95.123, 30, 57), 30, 57)).toBeCloseTo(95.123, 9);
    // a lap at full tanks carries 3.3 s of fuel
    expect(95 - fuelCorrected(95, 1, 57)).toBeCloseTo(START_FUEL_KG * FUEL_S_PER_KG);
  });

  it('matches FastF1 FuelAdjLapTime (same 110 kg / 0.03 s/kg prior) on real 2022 laps up to a constant', () => {
    const db = sharedDb();
    const [race] = loadRaces(db, [2022, 2022], { round: 1 });
    const rows = db
      .prepare(`SELECT driver, lap_number, fuel_adj_lap_time AS adj FROM laps WHERE season = 2022 AND round = 1 AND session = 'race' AND lap_time_s IS NOT NULL`)
      .all() as { driver: string; lap_number: number; adj: number }[];
    const byKey = new Map(race!.laps.map((l) => [`${l.driver}/${l.lap}`, l]));
    let n = 0;
    for (const r of rows) {
      const l = byKey.get(`${r.driver}/${r.lap_number}`)!;
      // FuelAdjLapTime normalises to the start load; fuelCorrected to an empty tank
      expect(l.fc + START_FUEL_KG * FUEL_S_PER_KG).toBeCloseTo(r.adj, 2);
      n++;
    }
    expect(n).toBeGreaterThan(1000);
    db.close();
  });
});
