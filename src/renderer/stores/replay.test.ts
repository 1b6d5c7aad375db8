import { describe, expect, it } from 'vitest';
import { createReplayStore } from './replay.js';
import { fakeClient, immediate, snapshotAt } from '../testing/fake-client.js';

describe('replay store', () => {
  it('init without a deep link picks the newest season and lists its races', async () => {
    const c = fakeClient();
    const s = createReplayStore(c.api, immediate);
    await s.getState().init({ play: false });
    expect(s.getState()).toMatchObject({ boot: 'ready', season: 2024, info: null });
    expect(s.getState().races.map((r) => r.round)).toEqual([1]);
  });

  it('seek clamps to the race and ignores pushes from another race', async () => {
    const c = fakeClient();
    const s = createReplayStore(c.api, immediate);
    await s.getState().openRace(2023, 1);
    await s.getState().seek(99);
    expect(c.calls.filter((x) => x.method === 'replaySeek').at(-1)?.args).toEqual({ lap: 57 });
    await s.getState().step(-100);
    expect(c.calls.filter((x) => x.method === 'replaySeek').at(-1)?.args).toEqual({ lap: 1 });
    s.getState().applySnapshot({ ...snapshotAt(30), round: 2 });
    expect(s.getState().snapshot?.lap).toBe(1);
    s.getState().applySnapshot(snapshotAt(30, { playing: true, speed: 20 }));
    expect(s.getState()).toMatchObject({ playing: true, speed: 20 });
  });

  it('speed is clamped to 1×–100×; a failing play leaves it paused with the message', async () => {
    const c = fakeClient({
      replayPlay: () => {
        throw new Error('engine busy');
      },
    });
    const s = createReplayStore(c.api, immediate);
    await s.getState().openRace(2023, 1);
    await s.getState().setSpeed(400);
    expect(s.getState().speed).toBe(100);
    await s.getState().setSpeed(0);
    expect(s.getState().speed).toBe(1);
    await s.getState().play();
    expect(s.getState()).toMatchObject({ playing: false, error: 'engine busy' });
  });
});
