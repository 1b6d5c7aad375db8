// Undercut / overcut on the real data: the fresh-tyre gain follows the tyre model, the neighbours' threats of a
// Bahrain 2023 car, and the race's threat events use only the state at the end of the previous lap (in the replay
// and the commentary: tests/strategist.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDb } from '../../../tests/helpers/db.js';
import type { Db } from '../data/db.js';
import { circuitPitLoss, loadPitHistory } from './pit-loss.js';
import { fieldGreen, loadRaceStates } from './race-state.js';
import { rejoinAt, tyreModelFor } from './rejoin-service.js';
import { EVENT_CHANCE, REPEAT_LAPS, THREAT_GAP, threatEvents } from './threat-events.js';
import { freshGain } from './threat.js';
import { tyreDelta } from './tyre-model.js';

let db: Db;
beforeAll(() => {
  db = sharedDb();
});
afterAll(() => db.close());

describe('undercut / overcut', () => {
  it('fresh-tyre gain: the current set one lap older minus the best other fresh compound, growing with age', () => {
    const tyre = tyreModelFor(db, 'bahrain', 2023, 57);
    const best = Math.min(tyreDelta(tyre, 1, 1), tyreDelta(tyre, 2, 1)); // MEDIUM, HARD fresh
    expect(freshGain(tyre, 'SOFT', 14)).toBeCloseTo(tyreDelta(tyre, 0, 15) - best, 9);
    expect(freshGain(tyre, 'SOFT', 20)).toBeGreaterThan(freshGain(tyre, 'SOFT', 5));
    expect(freshGain(tyre, 'INTERMEDIATE', 10)).toBe(0);
  });

  it('Russell at the end of lap 10, Bahrain 2023: Hamilton ahead and Alonso behind, each within 2 s, with chances in [0, 1]', () => {
    const r = rejoinAt(db, { season: 2023, round: 1, driver: 'RUS', lap: 11, others: 'none', threats: true });
    const ahead = r.threats!.find((t) => t.side === 'ahead')!;
    const behind = r.threats!.find((t) => t.side === 'behind')!;
    expect(ahead.rival).toBe('HAM');
    expect(behind.rival).toBe('ALO');
    for (const t of r.threats!) {
      expect(t.gap).toBeGreaterThan(0);
      expect(t.gap).toBeLessThan(2);
      expect(t.probability).toBeGreaterThanOrEqual(0);
      expect(t.probability).toBeLessThanOrEqual(1);
      expect(t.flag).toBe(t.probability >= 0.5 ? 'undercut' : t.freshGain < 0 ? 'overcut' : null);
    }
    // the closer the gap, the likelier the undercut (same tyre gain on both sides: both are against one set)
    if (ahead.freshGain === behind.freshGain) expect(behind.gap < ahead.gap).toBe(behind.probability > ahead.probability);
  });

  it("the race's threat events: after a green lap, neighbours within the gap, at least the event chance, no repeats", () => {
    const race = loadRaceStates(db, [2023, 2023], { round: 1 })[0]!;
    const pit = circuitPitLoss(loadPitHistory(db, 'bahrain'), 'bahrain', { season: 2023, round: 1 });
    const ev = threatEvents(race, pit, tyreModelFor(db, 'bahrain', 2023, 57), (c) => c.toLowerCase());
    expect(ev.length).toBeGreaterThan(5);
    const last = new Map<string, number>();
    for (const e of ev) {
      expect(e.type).toBe('undercut_threat');
      expect(fieldGreen(race, e.lap - 1)).toBe(true);
      const a = race.drivers.get(e.code!)![e.lap - 1]!;
      const b = race.drivers.get(e.otherCode!)![e.lap - 1]!;
      expect(a.position).toBe(b.position! + 1);
      expect(e.time).toBeCloseTo(a.end!, 3); // known at the end of the previous lap
      expect(e.details.gap as number).toBeLessThanOrEqual(THREAT_GAP);
      expect(e.details.probability as number).toBeGreaterThanOrEqual(EVENT_CHANCE);
      const k = `${e.code}>${e.otherCode}`;
      if (last.has(k)) expect(e.lap - last.get(k)!).toBeGreaterThanOrEqual(REPEAT_LAPS);
      last.set(k, e.lap);
    }
  });
});
