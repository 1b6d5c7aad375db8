import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAnalysisStore } from './analysis.js';
import { fakeClient } from '../testing/fake-client.js';

afterEach(() => vi.useRealTimers());
const key = (lap: number, driver = 'ver') => ({ season: 2023, round: 1, driver, lap });

describe('analysis store', () => {
  it('while playing, strategy refreshes at most once per gap (latest lap wins); a new driver goes at once; paused steps settle first', async () => {
    vi.useFakeTimers();
    const c = fakeClient();
    const s = createAnalysisStore(c.api, 8000);
    const laps = () =>
      c.calls
        .filter((x) => x.method === 'strategyRecommend')
        .map((x) => (x.args as { lap: number; driver: string }).lap);
    s.getState().refresh(key(2), true);
    await vi.advanceTimersByTimeAsync(1000);
    s.getState().refresh(key(3), true);
    s.getState().refresh(key(4), true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(laps()).toEqual([2]);
    await vi.advanceTimersByTimeAsync(6500);
    expect(laps()).toEqual([2, 4]);
    s.getState().refresh(key(5, 'leclerc'), true);
    await vi.advanceTimersByTimeAsync(0);
    expect(laps()).toEqual([2, 4, 5]);
    s.getState().refresh(key(6, 'leclerc'), false);
    s.getState().refresh(key(7, 'leclerc'), false);
    await vi.advanceTimersByTimeAsync(100);
    expect(laps()).toEqual([2, 4, 5]);
    await vi.advanceTimersByTimeAsync(400);
    expect(laps()).toEqual([2, 4, 5, 7]);
    // The forecast is cheap: asked for every lap.
    expect(c.calls.filter((x) => x.method === 'stintForecast')).toHaveLength(6);
  });

  it('while playing, a change of the car’s state (a stop, a flag) asks for new advice at once, not after the gap', async () => {
    vi.useFakeTimers();
    const c = fakeClient();
    const s = createAnalysisStore(c.api, 8000);
    const laps = () => c.calls.filter((x) => x.method === 'strategyRecommend').map((x) => (x.args as { lap: number }).lap);
    s.getState().refresh(key(15), true, 'MEDIUM|0|false|green');
    await vi.advanceTimersByTimeAsync(1000);
    s.getState().refresh(key(16), true, 'MEDIUM|0|false|green');
    await vi.advanceTimersByTimeAsync(1000);
    expect(laps()).toEqual([15]); // same state: throttled
    s.getState().refresh(key(17), true, 'HARD|1|false|green');
    await vi.advanceTimersByTimeAsync(0);
    expect(laps()).toEqual([15, 17]); // the stop on lap 16: at once
  });

  it('an engine error becomes the panel’s message, not an exception', async () => {
    const c = fakeClient({
      tyreCurves: () => {
        throw new Error('tyre model not trained');
      },
    });
    const s = createAnalysisStore(c.api);
    await s.getState().loadCurves('bahrain');
    expect(s.getState()).toMatchObject({ curves: [], curvesError: 'tyre model not trained' });
  });
});
