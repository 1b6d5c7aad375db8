import { describe, expect, it } from 'vitest';
import { dbCopy } from '../../../../tests/helpers/db.js';
import { FeatureStore } from '../store.js';
import { raceTimeline } from '../races.js';
import { stintDegradation } from './stint_degradation.js';

describe('stint_degradation view', () => {
  it('materializes every dry stint, known only once the stint has ended', () => {
    const { db } = dbCopy();
    const store = new FeatureStore(db, { views: [stintDegradation] });
    store.materialize({ full: true });
    const refs = [
      'stint_degradation:compound',
      'stint_degradation:clean_laps',
      'stint_degradation:deg_slope',
      'stint_degradation:start_lap',
    ];
    const on = store.getOnlineFeatures(refs, [{ race: '2024-1', driver: 'max_verstappen', stint: '1' }]);
    expect(on.values[0]![0]).toBe('SOFT');
    const start = raceTimeline(db).find((r) => r.key === '2024-1')!.startMs;
    const hist = store.getHistoricalFeatures(
      [
        { race: '2024-1', driver: 'max_verstappen', stint: '1', event_timestamp: start },
        { race: '2024-1', driver: 'max_verstappen', stint: '1', event_timestamp: start + 4 * 3600_000 },
      ],
      refs,
    );
    // before the race: unknown; after it: the soft first stint from lap 1 with a dozen clean laps
    expect(hist.values[0]!.every((v) => v === null)).toBe(true);
    const [compound, clean, slope, startLap] = hist.values[1]!;
    expect(compound).toBe('SOFT');
    expect(clean as number).toBeGreaterThan(10);
    expect(startLap).toBe(1);
    expect(Number.isFinite(slope as number)).toBe(true);
    db.close();
  });
});
