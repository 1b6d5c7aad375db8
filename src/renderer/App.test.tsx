// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from './App.js';
import { createStores } from './stores/index.js';
import { fakeClient, immediate, line, snapshotAt, type FakeClient } from './testing/fake-client.js';

afterEach(cleanup);

function mount(client: FakeClient, search = '?season=2023&round=1&speed=100&play=1') {
  const stores = createStores(client, { schedule: immediate, strategyGapMs: 0 });
  const link = { ...parse(search) };
  const utils = render(<App stores={stores} link={link} />);
  return { ...utils, stores };
}
function parse(search: string) {
  const q = new URLSearchParams(search);
  const n = (k: string) => (q.get(k) ? Number(q.get(k)) : undefined);
  return { season: n('season'), round: n('round'), speed: n('speed'), play: q.get('play') === '1' };
}
const root = (c: HTMLElement) => c.querySelector('[data-app-state]')!;

describe('App', () => {
  it('deep link opens the race, sets the speed, plays, and marks itself ready with 20 timing rows', async () => {
    const client = fakeClient();
    const { container } = mount(client);
    await waitFor(() => expect(root(container).getAttribute('data-app-state')).toBe('ready'));
    expect(screen.getAllByTestId('timing-row')).toHaveLength(20);
    const methods = client.calls.map((c) => c.method);
    expect(methods.indexOf('replayOpen')).toBeGreaterThan(-1);
    expect(methods.indexOf('replaySetSpeed')).toBeGreaterThan(methods.indexOf('replayOpen'));
    expect(methods.indexOf('replayPlay')).toBeGreaterThan(methods.indexOf('replaySetSpeed'));
    expect(client.calls.find((c) => c.method === 'replaySetSpeed')?.args).toEqual({ speed: 100 });
    // Secondary loads wait until the replay runs, so they never delay start-up on the engine.
    await waitFor(() => expect(client.calls.some((c) => c.method === 'tyreCurves')).toBe(true));
    const after = client.calls.map((c) => c.method);
    for (const m of ['tyreCurves', 'commentarySince', 'strategyRecommend'] as const)
      expect(after.indexOf(m)).toBeGreaterThan(after.indexOf('replayPlay'));
    expect(screen.getByTestId('replay-lap').textContent).toMatch(/Lap\s*1\/57/);
    // The deg chart keeps an svg with paths even with no curves, and says why it is empty.
    expect(screen.getByTestId('deg-chart').querySelectorAll('svg path').length).toBeGreaterThan(0);
    expect(screen.getByTestId('deg-chart').textContent).toContain('No degradation curves for bahrain');
    expect(screen.getByTestId('pit-recommendation-empty').textContent).toContain('No recommendation yet');
    await waitFor(() => expect(screen.getAllByTestId('commentary-line')).toHaveLength(1));
  });

  it('streams snapshots and commentary pushes into the tower, lap counter and feed', async () => {
    const client = fakeClient();
    mount(client);
    await screen.findAllByTestId('timing-row');
    act(() => {
      client.emit('replay:event', {
        id: 'sc1',
        type: 'safety_car',
        priority: 'CRITICAL',
        lap: 11,
        time: 1,
        details: {},
      });
      client.emit('replay:snapshot', snapshotAt(12, { playing: true, speed: 100, trackState: 'sc' }));
      client.emit('commentary:line', line(2, 12));
      client.emit('commentary:line', line(2, 12)); // duplicate id: shown once
    });
    expect(screen.getByTestId('replay-lap').textContent).toMatch(/Lap\s*12\/57/);
    expect(screen.getByRole('status').textContent).toBe('Safety car · since lap 11');
    const lines = screen.getAllByTestId('commentary-line');
    expect(lines).toHaveLength(2);
    expect(lines[0]!.textContent).toContain('Line 2'); // newest first
    // Seeking back drops lines about laps still to come.
    act(() => client.emit('replay:snapshot', snapshotAt(5, { playing: false, speed: 100 })));
    expect(screen.getAllByTestId('commentary-line')).toHaveLength(1);
    // A new lap asks forecast and strategy for the selected driver (the leader by default) at that lap.
    await waitFor(() =>
      expect(
        client.calls.some((c) => c.method === 'strategyRecommend' && (c.args as { lap: number }).lap === 12),
      ).toBe(true),
    );
    expect(
      client.calls.find((c) => c.method === 'stintForecast' && (c.args as { lap: number }).lap === 12)?.args,
    ).toMatchObject({ driver: 'ver', season: 2023, round: 1 });
  });

  it('after a lost connection it reopens the race at the lap it showed, still playing', async () => {
    const client = fakeClient();
    mount(client);
    await screen.findAllByTestId('timing-row');
    act(() => {
      client.connection('open');
      client.emit('replay:snapshot', snapshotAt(23, { playing: true, speed: 100 }));
      client.connection('closed');
    });
    expect(screen.getByRole('alert').textContent).toContain('Engine connection lost');
    act(() => {
      client.connection('connecting');
      client.connection('open');
    });
    expect(screen.queryByRole('alert')).toBeNull();
    await waitFor(() => expect(client.calls.filter((c) => c.method === 'replayOpen')).toHaveLength(2));
    await waitFor(() =>
      expect(client.calls.find((c) => c.method === 'replaySeek')?.args).toEqual({ lap: 23 }),
    );
    await waitFor(() => expect(client.calls.filter((c) => c.method === 'replayPlay')).toHaveLength(2));
  });

  it('keyboard: space pauses, → seeks one lap, 3 sets 5×', async () => {
    const client = fakeClient();
    mount(client);
    await screen.findAllByTestId('timing-row');
    fireEvent.keyDown(window, { key: ' ' });
    await waitFor(() => expect(client.calls.some((c) => c.method === 'replayPause')).toBe(true));
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    await waitFor(() =>
      expect(client.calls.find((c) => c.method === 'replaySeek')?.args).toEqual({ lap: 2 }),
    );
    fireEvent.keyDown(window, { key: '3' });
    await waitFor(() =>
      expect(client.calls.filter((c) => c.method === 'replaySetSpeed').at(-1)?.args).toEqual({ speed: 5 }),
    );
  });

  it('shows real curves, the forecast and the recommendation when the engines answer', async () => {
    const client = fakeClient({
      tyreCurves: () => [
        {
          circuit: 'bahrain',
          compound: 'SOFT',
          stints: 12,
          points: [0, 5, 10].map((a) => ({ tyreAge: a, p10: a * 0.05, p50: a * 0.08, p90: a * 0.1 })),
        },
        {
          circuit: 'bahrain',
          compound: 'HARD',
          stints: 9,
          points: [0, 5, 10].map((a) => ({ tyreAge: a, p10: a * 0.02, p50: a * 0.03, p90: a * 0.05 })),
        },
      ],
      strategyRecommend: () => ({
        driver: 'ver',
        lap: 1,
        state: { completedLaps: 0, position: 4, compound: 'MEDIUM', tyreAge: 0, stintLaps: 0, stops: 0, trackState: 'green', fieldOnWet: 0 },
        action: 'pit_hard',
        headline: 'Box now for HARD: +1.8 s',
        basis: 'race-sim',
        gain: 1.8,
        gainRange: { p10: 0.4, p90: 3.1 },
        positionFrom: 4,
        positionTo: 3,
        probability: 0.62,
        position: { expected: 3.4, p10: 3, p90: 4, distribution: [{ position: 3, share: 0.62 }, { position: 4, share: 0.38 }] },
        notes: [],
        plans: [
          {
            label: 'Box lap 2 → HARD',
            stops: [{ lap: 2, compound: 'HARD' }],
            expectedTime: 3000,
            deltaToBest: 0,
            expectedPosition: 3,
          },
        ],
        counterfactuals: [],
      }),
    });
    mount(client);
    expect((await screen.findByTestId('pit-recommendation')).textContent).toContain('Box now for HARD');
    const chart = screen.getByTestId('deg-chart');
    await waitFor(() => expect(chart.querySelectorAll('[data-compound]')).toHaveLength(2));
    expect(chart.textContent).toContain('SOFT');
    expect(chart.textContent).not.toContain('No degradation curves');
  });

  it('a failing replay engine leaves a clear error state and no crash', async () => {
    const client = fakeClient({
      replayOpen: () => {
        throw new Error('replay is not available yet');
      },
    });
    const { container } = mount(client);
    await waitFor(() => expect(root(container).getAttribute('data-app-state')).toBe('error'));
    expect(screen.queryAllByTestId('timing-row')).toHaveLength(0);
    expect(container.textContent).toContain('replay is not available yet');
    expect(screen.getByTestId('replay-lap').textContent).toMatch(/Lap\s*–/);
  });

  it('without a deep link it is ready with the race picker and asks to pick a race', async () => {
    const client = fakeClient();
    const { container } = mount(client, '');
    await waitFor(() => expect(root(container).getAttribute('data-app-state')).toBe('ready'));
    expect(client.calls.some((c) => c.method === 'replayOpen')).toBe(false);
    expect(container.textContent).toContain('Pick a race to replay');
    fireEvent.change(screen.getByLabelText('Race'), { target: { value: '1' } });
    expect(await screen.findAllByTestId('timing-row')).toHaveLength(20);
  });

  it('commentary style switcher calls the engine and reverts when it fails', async () => {
    let fail = false;
    const client = fakeClient({
      commentarySetStyle: () => {
        if (fail) throw new Error('nope');
      },
    });
    mount(client);
    await screen.findAllByTestId('timing-row');
    fireEvent.click(screen.getByRole('button', { name: 'dramatic' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'dramatic' }).className).toBe('on'));
    expect(client.calls.find((c) => c.method === 'commentarySetStyle')?.args).toEqual({ style: 'dramatic' });
    fail = true;
    fireEvent.click(screen.getByRole('button', { name: 'casual' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'dramatic' }).className).toBe('on'));
  });

  it('models tab: lists models with metrics vs baselines, card, promote, drift alerts', async () => {
    const model = {
      name: 'race-winner',
      version: 2,
      aliases: [] as string[],
      createdAt: '2026-01-01',
      metrics: { logloss: 0.41 },
      baselines: { grid: { logloss: 0.55 } },
    };
    const client = fakeClient({
      modelsList: () => [model],
      modelCard: () => ({
        markdown: '# Race winner\n\nTrained on **2018–2022**.\n\n| a | b |\n|---|---|\n| 1 | 2 |',
        importance: [{ feature: 'grid', gain: 3 }],
      }),
      modelPromote: () => [{ ...model, aliases: ['production'] }],
      monitorAlerts: () => [
        { id: 1, model: 'lap-time', kind: 'drift', features: ['x'], message: 'PSI 0.3', createdAt: '' },
      ],
    });
    mount(client, '');
    fireEvent.click(await screen.findByRole('tab', { name: 'Models' }));
    expect(await screen.findByRole('heading', { name: 'Race winner' })).toBeTruthy();
    expect(screen.getByText('0.550')).toBeTruthy();
    expect(screen.getByTestId('drift-status').textContent).toBe('1 drift alert');
    fireEvent.click(screen.getByRole('button', { name: 'Promote to production' }));
    expect(await screen.findByRole('button', { name: 'In production' })).toBeTruthy();
    expect(client.calls.find((c) => c.method === 'modelPromote')?.args).toEqual({
      name: 'race-winner',
      version: 2,
    });
  });

  it('models tab with no models shows an empty state', async () => {
    mount(fakeClient(), '');
    fireEvent.click(await screen.findByRole('tab', { name: 'Models' }));
    expect(await screen.findByText('No models yet')).toBeTruthy();
    expect(screen.getByTestId('drift-status').textContent).toBe('No drift alerts');
  });
});
