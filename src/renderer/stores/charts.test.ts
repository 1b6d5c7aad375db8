// The charts store fetches only while the Charts view is shown, keeps one request in flight, always ends on the
// newest progress, and drops an answer that arrives after the race changed.
import { describe, expect, it } from 'vitest';
import type { RaceCharts } from '../../shared/domain.js';
import { createChartsStore } from './charts.js';

const charts = (leaderLaps: number): RaceCharts => ({
  season: 2023,
  round: 1,
  totalLaps: 57,
  asOf: leaderLaps * 95,
  leaderLaps,
  drivers: [],
  stints: [],
  stops: [],
  bands: [],
});

function fakeSource() {
  const pending: ((c: RaceCharts) => void)[] = [];
  const source = () => new Promise<RaceCharts>((r) => pending.push(r));
  return { source, pending };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('charts store', () => {
  it('refreshes at most every minGapMs, then on the newest progress', async () => {
    const { source, pending } = fakeSource();
    const store = createChartsStore(source, 40);
    store.getState().setActive(true);
    store.getState().progress('r|1');
    pending[0]!(charts(1));
    await settle();
    store.getState().progress('r|2');
    store.getState().progress('r|3');
    expect(pending).toHaveLength(1); // too soon after the last answer
    await new Promise((r) => setTimeout(r, 60));
    expect(pending).toHaveLength(2);
    pending[1]!(charts(3));
    await settle();
    expect(store.getState().data?.leaderLaps).toBe(3);
  });

  it('fetches only while shown, one call at a time, and finishes on the newest progress', async () => {
    const { source, pending } = fakeSource();
    const store = createChartsStore(source, 0);
    store.getState().progress('r|10');
    expect(pending).toHaveLength(0); // the view is not shown
    store.getState().setActive(true);
    expect(pending).toHaveLength(1);
    store.getState().progress('r|11');
    store.getState().progress('r|12');
    expect(pending).toHaveLength(1); // still the first in flight
    pending[0]!(charts(10));
    await settle();
    expect(store.getState().data?.leaderLaps).toBe(10);
    expect(pending).toHaveLength(2); // one more, for the newest progress only
    pending[1]!(charts(12));
    await settle();
    expect(store.getState().data?.leaderLaps).toBe(12);
    expect(pending).toHaveLength(2);
    store.getState().progress('r|12');
    expect(pending).toHaveLength(2); // nothing new
  });

  it('drops the answer for the race before a reset', async () => {
    const { source, pending } = fakeSource();
    const store = createChartsStore(source, 0);
    store.getState().setActive(true);
    store.getState().progress('a|5');
    store.getState().reset();
    pending[0]!(charts(5));
    await settle();
    expect(store.getState().data).toBeNull();
    store.getState().progress('b|1');
    expect(pending).toHaveLength(2);
    pending[1]!(charts(1));
    await settle();
    expect(store.getState().data?.leaderLaps).toBe(1);
  });
});
