import { describe, expect, it } from 'vitest';
import { sharedDb } from '../../../tests/helpers/db.js';
import { curvesFromRaces, degradationCurves } from './curves.js';
import { loadRaces } from '../race/laps.js';

describe('degradation curves', () => {
  it('softer compounds lose more time with tyre age than harder ones at the same circuit, in aggregate', () => {
    const db = sharedDb();
    const curves = curvesFromRaces(loadRaces(db, [2018, 2024]));
    db.close();
    const at = (circuit: string, compound: string, age: number) =>
      curves.find((c) => c.circuit === circuit && c.compound === compound)?.points.find((p) => p.tyreAge === age)?.p50;
    const circuits = [...new Set(curves.map((c) => c.circuit))];
    let diffSum = 0;
    let pairs = 0;
    let softer = 0;
    for (const c of circuits)
      for (const [a, b] of [
        ['SOFT', 'MEDIUM'],
        ['MEDIUM', 'HARD'],
        ['SOFT', 'HARD'],
      ] as const) {
        const x = at(c, a, 12);
        const y = at(c, b, 12);
        if (x === undefined || y === undefined) continue;
        pairs++;
        diffSum += x - y;
        if (x > y) softer++;
      }
    expect(pairs).toBeGreaterThan(60);
    expect(diffSum / pairs).toBeGreaterThan(0.05);
    expect(softer / pairs).toBeGreaterThan(0.55);
    for (const c of curves)
      for (const p of c.points) {
        expect(p.p10).toBeLessThanOrEqual(p.p50);
        expect(p.p50).toBeLessThanOrEqual(p.p90);
      }
  });

  it('gives Bahrain curves for all three compounds with a parametric fit', () => {
    const db = sharedDb();
    const cs = degradationCurves(db, 'bahrain', { seasons: [2022, 2024] });
    db.close();
    expect(cs.map((c) => c.compound)).toEqual(['SOFT', 'MEDIUM', 'HARD']);
    const soft = cs[0]!;
    expect(soft.stints).toBeGreaterThan(10);
    expect(soft.points[0]!.tyreAge).toBeLessThanOrEqual(3);
    // the fit reproduces the curve's p50
    const p = soft.points.find((q) => q.tyreAge === 10)!;
    expect(soft.fit.linear * 9 + soft.fit.quadratic * 81).toBeCloseTo(p.p50, 2);
    // Bahrain is a high-degradation track: a soft loses time as it ages
    expect(p.p50).toBeGreaterThan(0.3);
    expect(soft.fit.base).toBeGreaterThan(85);
    expect(soft.fit.base).toBeLessThan(100);
  });
});
