// The race state the recommender starts from, rebuilt at a lap from the laps table: checked car by car against the
// raw rows of 2023 Bahrain (Verstappen stopped at the end of laps 14 and 36; Leclerc retired on lap 40).
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDb } from '../../../tests/helpers/db.js';
import { compoundIndex, raceCompound } from '../race/compounds.js';
import { buildRaceModel, type RaceModel } from './race-model.js';
import { stateAt } from './recommend.js';

interface Row {
  lap: number;
  t: number | null;
  compound: string | null;
  age: number | null;
  stint: number | null;
  position: number | null;
}

describe('race state at a lap (stateAt)', () => {
  const db = sharedDb();
  let m: RaceModel;
  beforeAll(async () => {
    m = await buildRaceModel(db, 2023, 1);
  }, 120_000);
  const rowsOf = (code: string, upTo: number) =>
    db
      .prepare(
        `SELECT lap_number AS lap, time_s AS t, compound, tyre_life AS age, stint, position FROM laps
         WHERE season = 2023 AND round = 1 AND session = 'race' AND driver = ? AND lap_number <= ? ORDER BY lap_number`,
      )
      .all(code, upTo) as Row[];

  for (const lap of [14, 20, 36, 40, 45]) {
    it(`after lap ${lap}: every car's tyres, stops, stint laps, position, race time and retirement`, () => {
      const s = stateAt(db, m, lap);
      expect(s.lap).toBe(lap);
      let running = 0;
      const times: { code: string; raw: number; cum: number }[] = [];
      m.codes.forEach((code, i) => {
        const rows = rowsOf(code, lap + 1);
        const at = rows.find((r) => r.lap === lap);
        const next = rows.find((r) => r.lap === lap + 1);
        const out = m.actualPosition[i] === 0 && m.retireLap[i]! > 0 && lap > m.retireLap[i]!;
        expect(s.retired[i], `${code} retired`).toBe(at && !out ? 0 : 1);
        if (!at || out) return;
        running++;
        expect(s.position[i], `${code} position`).toBe(at.position ?? 0);
        if (at.t !== null) times.push({ code, raw: at.t, cum: s.cum[i]! });
        // the set it starts lap + 1 on: a stop at the end of `lap` is already made
        const last = next ?? at;
        const tyre = raceCompound(last.compound);
        if (tyre) expect(s.tyre[i], `${code} tyre`).toBe(tyre);
        const changed = next && next.stint !== null && at.stint !== null && next.stint !== at.stint;
        if (last.stint !== null) expect(s.stops[i], `${code} stops`).toBe(last.stint - 1);
        const c = compoundIndex(last.compound);
        if (c >= 0) expect(s.comp[i], `${code} compound index`).toBe(c);
        // every dry compound run so far is in the used set
        for (const r of rows)
          if (compoundIndex(r.compound) >= 0)
            expect(s.used[i]! & (1 << compoundIndex(r.compound)), `${code} used ${r.compound}`).not.toBe(0);
        if (changed) {
          expect(s.stintLaps[i], `${code} stint laps`).toBe(0);
          expect(s.age[i], `${code} tyre age`).toBe(Math.max(0, (next.age ?? 1) - 1));
        } else {
          if (at.age !== null) expect(s.age[i], `${code} tyre age`).toBe(at.age);
          const stintLaps =
            at.stint === null ? null : rows.filter((r) => r.lap <= lap && r.stint === at.stint).length;
          if (stintLaps !== null) expect(s.stintLaps[i], `${code} stint laps`).toBe(stintLaps);
        }
      });
      expect(running).toBeGreaterThan(15);
      // race times are rebased (only differences matter): every gap to the leader as at the line
      const lead = times.reduce((a, b) => (b.raw < a.raw ? b : a));
      for (const x of times) expect(x.cum - lead.cum, `${x.code} gap`).toBeCloseTo(x.raw - lead.raw, 6);
      const ver = m.codes.indexOf('VER');
      if (lap === 14) expect([s.stops[ver], s.stintLaps[ver]]).toEqual([1, 0]); // boxed at the end of lap 14
      if (lap === 20) expect([s.stops[ver], s.stintLaps[ver]]).toEqual([1, 6]);
      // Leclerc completed 39 laps: his unfinished lap 40 is in the timing data, yet he is out of the race
      if (lap === 40)
        expect([rowsOf('LEC', 40).some((r) => r.lap === 40), s.retired[m.codes.indexOf('LEC')]]).toEqual([
          true,
          1,
        ]);
      if (lap === 36) expect(s.retired[m.codes.indexOf('LEC')]).toBe(0);
    });
  }
});
