import { describe, expect, it } from 'vitest';
import { sharedDb } from '../../../../tests/helpers/db.js';
import { loadRaces } from '../../race/laps.js';
import { evaluateLapTime } from './evaluate.js';
import { lapRows, NF } from './features.js';
import { LapTimeModel } from './model.js';

describe('lap-time model', () => {
  it('builds next-lap rows from clean laps with an earlier clean lap in the stint', () => {
    const db = sharedDb();
    const races = loadRaces(db, [2024, 2024], { round: 1 });
    const r = lapRows(races);
    db.close();
    expect(r.rows).toBeGreaterThan(800);
    expect(r.x.length).toBe(r.rows * NF);
    for (let i = 0; i < r.rows; i++) {
      // target + base reproduces the actual lap; persistence is a real earlier lap
      expect(r.base[i]! + r.y[i]!).toBeCloseTo(r.actual[i]!, 6);
      expect(r.persistence[i]).toBeGreaterThan(60);
    }
  });

  it('evaluates on a small real split, beats persistence, and survives a JSON round trip', () => {
    const db = sharedDb();
    const r = evaluateLapTime(db, [2023, 2023], [2024, 2024], { params: { numRounds: 40, learningRate: 0.2 } });
    expect(r.laps).toBeGreaterThan(15000);
    expect(r.mae).toBeLessThan(r.baselines.persistence);
    expect(Object.keys(r.by_compound).sort()).toEqual(['HARD', 'MEDIUM', 'SOFT']);
    expect(Object.keys(r.by_circuit)).toContain('bahrain');
    const again = LapTimeModel.fromJSON(JSON.parse(JSON.stringify(r.model.toJSON())));
    const rows = lapRows(loadRaces(db, [2024, 2024], { round: 2 }));
    const a = r.model.predict(rows);
    const b = again.predict(rows);
    for (let i = 0; i < rows.rows; i++) expect(b[i]).toBeCloseTo(a[i]!, 9);
    db.close();
  });
});
