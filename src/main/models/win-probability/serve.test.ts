// Serving the shipped win-probability model on a real race: lap 0 is the pre-race model, every lap's field sums to
// one, and the winner's probability ends high.
import { describe, expect, it } from 'vitest';
import { dbCopy } from '../../../../tests/helpers/db.js';
import { loadWinProb, winProbabilityTrace } from './serve.js';

describe('win-probability serving', () => {
  it('traces the 2023 Bahrain GP from the pre-race values to the flag', () => {
    const { db, file } = dbCopy();
    const w = loadWinProb(db, file);
    expect(w?.source).toBe('shipped');
    const t = winProbabilityTrace(db, w!, 2023, 1);
    expect(t.laps[0]!.lap).toBe(0);
    expect(t.laps[0]!.cars[0]!.podium).toBeNull();
    expect(t.laps.length).toBeGreaterThan(50);
    for (const l of t.laps) expect(l.cars.reduce((a, c) => a + c.win, 0)).toBeCloseTo(1, 2);
    const last = t.laps[t.laps.length - 1]!;
    const ver = last.cars.find((c) => c.code === 'VER')!;
    expect(ver.win).toBeGreaterThan(0.9);
    expect(ver.podium!).toBeGreaterThanOrEqual(ver.win);
    // a race without lap data still gets its pre-race values
    const old = winProbabilityTrace(db, w!, 2010, 1);
    expect(old.laps).toHaveLength(1);
    expect(old.laps[0]!.cars.reduce((a, c) => a + c.win, 0)).toBeCloseTo(1, 2);
    db.close();
  });
});
