// Result status on both vocabularies: Ergast's causes and "+N Laps", and Jolpica's short list from 2024 on.
import { describe, expect, it } from 'vitest';
import { isCrash, isFinished, isIncident, isMechanicalDnf } from './result-status.js';

describe('result status', () => {
  it('a car laps down finished, in either vocabulary', () => {
    for (const s of ['Finished', '+1 Lap', '+2 Laps', '+7 Laps', 'Lapped'])
      expect(isFinished(s), s).toBe(true);
    for (const s of [
      'Retired',
      'Engine',
      'Disqualified',
      'Did not start',
      '+1 lap',
      'Lapped out',
      '',
      null,
      undefined,
    ])
      expect(isFinished(s), String(s)).toBe(false);
  });

  it('reliability failures are the retirements that are not incidents; a bare "Retired" counts', () => {
    for (const s of ['Engine', 'Gearbox', 'Hydraulics', 'Power Unit', 'Retired'])
      expect(isMechanicalDnf(s), s).toBe(true);
    for (const s of [
      'Accident',
      'Collision',
      'Collision damage',
      'Spun off',
      'Puncture',
      'Disqualified',
      'Did not start',
      'Did_not_start',
      'Withdrew',
      'Excluded',
    ])
      expect([isIncident(s), isMechanicalDnf(s)], s).toEqual([true, false]);
    for (const s of ['Finished', 'Lapped', '+3 Laps']) expect(isMechanicalDnf(s), s).toBe(false);
  });

  it('crash wording, for track incidents in the replay', () => {
    expect(['Accident', 'Collision damage', 'Spun off', 'Debris'].map(isCrash)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['Engine', 'Retired', 'Lapped'].map(isCrash)).toEqual([false, false, false]);
  });
});
