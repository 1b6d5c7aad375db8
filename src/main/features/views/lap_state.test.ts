import { describe, expect, it } from 'vitest';
import { dbCopy } from '../../../../tests/helpers/db.js';
import { FeatureStore } from '../store.js';
import { raceTimeline } from '../races.js';
import { lapState } from './lap_state.js';
import { fuelCorrected } from '../../race/fuel.js';

describe('lap_state view', () => {
  it('gives each lap its tyre, fuel and recent-pace state, known only once the lap has ended', () => {
    const { db } = dbCopy();
    const store = new FeatureStore(db, { views: [lapState] });
    store.materialize({ full: true });
    const refs = [
      'lap_state:compound',
      'lap_state:tyre_age',
      'lap_state:stint_lap',
      'lap_state:lap_time_fc',
      'lap_state:recent_pace_fc',
    ];
    const key = { race: '2024-1', driver: 'max_verstappen', lap: '9' };
    const start = raceTimeline(db).find((r) => r.key === '2024-1')!.startMs;
    const hist = store.getHistoricalFeatures(
      [
        { ...key, event_timestamp: start + 5 * 60_000 }, // lap 9 has not been run 5 minutes in
        { ...key, event_timestamp: start + 4 * 3600_000 },
      ],
      refs,
    );
    expect(hist.values[0]!.every((v) => v === null)).toBe(true);
    const [compound, age, stintLap, fc, recent] = hist.values[1]!;
    // brute force from the raw laps: Verstappen's 2024 Bahrain lap 9 (clean) and the clean laps before it in the stint
    const raw = db
      .prepare(
        `SELECT lap_number AS lap, lap_time_s AS t, tyre_life AS age, compound, track_status AS ts, pit_in_s, pit_out_s, is_accurate
         FROM laps WHERE season = 2024 AND round = 1 AND session = 'race' AND driver = 'VER' AND lap_number <= 9 ORDER BY lap_number`,
      )
      .all() as {
      lap: number;
      t: number;
      age: number;
      compound: string;
      ts: string;
      pit_in_s: number | null;
      pit_out_s: number | null;
      is_accurate: number;
    }[];
    const total = (
      db
        .prepare(
          `SELECT MAX(laps) AS n FROM results WHERE race_id = (SELECT race_id FROM races WHERE year = 2024 AND round = 1)`,
        )
        .get() as { n: number }
    ).n;
    const clean = raw.filter(
      (r) => r.lap > 1 && r.ts === '1' && r.pit_in_s === null && r.pit_out_s === null && r.is_accurate === 1,
    );
    const last = raw[raw.length - 1]!;
    expect(clean[clean.length - 1]).toBe(last);
    expect(compound).toBe(last.compound);
    expect(age).toBe(last.age);
    expect(stintLap).toBe(9);
    expect(fc as number).toBeCloseTo(fuelCorrected(last.t, 9, total), 6);
    const three = clean
      .slice(-3)
      .map((r) => fuelCorrected(r.t, r.lap, total))
      .sort((a, b) => a - b);
    expect(recent as number).toBeCloseTo(three[1]!, 6);
    db.close();
  });
});
