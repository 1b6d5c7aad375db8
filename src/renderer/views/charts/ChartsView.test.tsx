// @vitest-environment happy-dom
// The Charts tab asks the engine for its data only while it is shown, refetches as cars complete laps, says how far
// the data goes, and says why when the engine fails.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RaceCharts } from '../../../shared/domain.js';
import { App } from '../../App.js';
import { createStores } from '../../stores/index.js';
import { CODES, fakeClient, immediate, snapshotAt, type FakeClient } from '../../testing/fake-client.js';

afterEach(cleanup);

/** A canned RaceCharts: every car has completed `laps` laps of 95 s (the leader first by 1 s a car). */
const canned = (laps: number): RaceCharts => ({
  season: 2023,
  round: 1,
  totalLaps: 57,
  asOf: laps * 95,
  leaderLaps: laps,
  drivers: CODES.map((c, i) => ({
    driver: c.toLowerCase(),
    code: c,
    team: `T${i >> 1}`,
    teamColor: '3671C6',
    laps: Array.from({ length: laps }, (_, k) => ({
      lap: k + 1,
      raceTime: (k + 1) * 95 + i,
      lapTime: 95,
      position: i + 1,
      compound: 'MEDIUM' as const,
      tyreAge: k + 1,
      stint: 1,
      pit: null,
      trackState: 'green' as const,
    })),
  })),
  stints: CODES.map((c) => ({
    driver: c.toLowerCase(),
    stint: 1,
    compound: 'MEDIUM' as const,
    fresh: true,
    startAge: 1,
    fromLap: 1,
    toLap: laps,
  })),
  stops: [],
  bands: [],
});

function mount(client: FakeClient) {
  const stores = createStores(client, { schedule: immediate, strategyGapMs: 0 });
  render(<App stores={stores} link={{ season: 2023, round: 1, play: false }} />);
  return stores;
}
const chartCalls = (c: FakeClient) => c.calls.filter((x) => x.method === 'replayCharts').length;

describe('Charts tab', () => {
  it('fetches only when shown, then as cars complete laps, and says how far the data goes', async () => {
    let laps = 3;
    const client = fakeClient({ replayCharts: () => canned(laps) });
    mount(client);
    await screen.findAllByTestId('timing-row');
    act(() => client.emit('replay:snapshot', snapshotAt(3)));
    expect(chartCalls(client)).toBe(0); // the Race tab is shown
    fireEvent.click(screen.getByRole('tab', { name: 'Charts' }));
    await waitFor(() => expect(screen.getByTestId('charts-view').getAttribute('data-leader-laps')).toBe('3'));
    expect(screen.getByTestId('charts-view').textContent).toContain('as of lap 3 of 57');
    const before = chartCalls(client);
    laps = 4;
    act(() => client.emit('replay:snapshot', snapshotAt(4)));
    await waitFor(
      () => expect(screen.getByTestId('charts-view').getAttribute('data-leader-laps')).toBe('4'),
      { timeout: 3000 },
    );
    expect(chartCalls(client)).toBeGreaterThan(before);
    const tabs = { 'Race trace': 'trace', Gap: 'gap', 'Lap times': 'laps', Stints: 'stints' } as const;
    for (const [name, id] of Object.entries(tabs)) {
      fireEvent.click(screen.getByRole('tab', { name }));
      expect(screen.getByTestId('charts-view').getAttribute('data-tab')).toBe(id);
      expect(screen.getByTestId(`chart-${id}`)).toBeTruthy();
      expect(screen.queryAllByRole('region').filter((r) => r.classList.contains('chart-panel'))).toHaveLength(
        1,
      );
    }
  });

  it('says why when the engine cannot give the charts', async () => {
    const client = fakeClient({
      replayCharts: () => {
        throw new Error('no replay open: call replayOpen first');
      },
    });
    mount(client);
    await screen.findAllByTestId('timing-row');
    fireEvent.click(screen.getByRole('tab', { name: 'Charts' }));
    await waitFor(() =>
      expect(screen.getByTestId('charts-empty').textContent).toContain('Charts unavailable: no replay open'),
    );
  });
});
