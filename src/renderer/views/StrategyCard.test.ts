import { describe, expect, it } from 'vitest';
import type { TimingSnapshot } from '../../shared/domain.js';
import { noAdviceReason } from './StrategyCard.js';

const snap = (lap: number, retired: boolean): TimingSnapshot =>
  ({ lap, totalLaps: 57, rows: [{ driver: 'leclerc', code: 'LEC', retired }] }) as unknown as TimingSnapshot;

describe('strategy card: why there is no advice', () => {
  it('names a retired car and a finished race; none while the car runs', () => {
    expect(noAdviceReason(snap(41, true), 'leclerc')).toMatch(/LEC is out of the race/);
    expect(noAdviceReason(snap(57, false), 'leclerc')).toMatch(/Race finished \(lap 57 of 57\)/);
    expect(noAdviceReason(snap(30, false), 'leclerc')).toBeNull();
    expect(noAdviceReason(null, 'leclerc')).toBeNull();
  });

  it('says so when the race has no tyre data (Jolpica laps only), not for a known compound', () => {
    const s = (compound: string, tyreAge: number | null) =>
      ({ lap: 20, totalLaps: 62, rows: [{ driver: 'leclerc', code: 'LEC', retired: false, compound, tyreAge }] }) as unknown as TimingSnapshot;
    expect(noAdviceReason(s('UNKNOWN', null), 'leclerc')).toMatch(/No tyre data for this race/);
    expect(noAdviceReason(s('MEDIUM', 12), 'leclerc')).toBeNull();
  });
});
