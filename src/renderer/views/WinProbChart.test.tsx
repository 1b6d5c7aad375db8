// @vitest-environment happy-dom
// The win-probability trace in the race view: the tower shows each car's P(win)·P(podium) at the lap on screen
// (lap 0 = pre-race), the chart panel names its source; without a model both say so quietly.
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { WinProbabilityTrace } from '../../shared/domain.js';
import { App } from '../App.js';
import { createStores } from '../stores/index.js';
import { carsAtLap } from '../stores/winprob.js';
import { CODES, fakeClient, immediate } from '../testing/fake-client.js';

afterEach(cleanup);

const TRACE: WinProbabilityTrace = {
  season: 2023,
  round: 1,
  source: 'shipped',
  laps: [
    { lap: 0, cars: CODES.map((code, i) => ({ code, win: i === 0 ? 0.6 : 0.4 / 19, podium: null, points: null })) },
    { lap: 1, cars: CODES.map((code, i) => ({ code, win: i === 0 ? 0.72 : 0.28 / 19, podium: i === 0 ? 0.95 : 0.1, points: 0.5 })) },
  ],
};

describe('win probability in the race view', () => {
  it('picks the latest lap at or before the one shown', () => {
    expect(carsAtLap(TRACE, 0).get('VER')?.win).toBe(0.6);
    expect(carsAtLap(TRACE, 30).get('VER')?.podium).toBe(0.95);
    expect(carsAtLap(null, 3).size).toBe(0);
  });

  it('shows P(win)·P(podium) in the tower and the chart panel once the trace loads', async () => {
    const client = fakeClient({ winProbability: () => TRACE });
    const stores = createStores(client, { schedule: immediate, strategyGapMs: 0 });
    render(<App stores={stores} link={{ season: 2023, round: 1, speed: 100, play: true }} />);
    await waitFor(() => expect(client.calls.some((c) => c.method === 'winProbability')).toBe(true));
    expect(client.calls.find((c) => c.method === 'winProbability')?.args).toEqual({ season: 2023, round: 1 });
    await waitFor(() => expect(screen.getAllByTestId('timing-row')[0]!.querySelector('.c-wp')?.textContent).toBe('72 · 95'));
    expect(screen.getByLabelText('Win probability').textContent).toContain('shipped');
  });

  it('says when no model is loaded', async () => {
    const client = fakeClient();
    const stores = createStores(client, { schedule: immediate, strategyGapMs: 0 });
    render(<App stores={stores} link={{ season: 2023, round: 1, speed: 100, play: true }} />);
    await waitFor(() => expect(screen.getByLabelText('Win probability').textContent).toContain('No win-probability model'));
    expect(screen.getAllByTestId('timing-row')[0]!.querySelector('.c-wp')?.textContent).toBe('');
  });
});
