// After the engine connection drops and returns, the screen is the one the user had: the same race, the driver
// they follow, and a race picked while the engine was away opens once it is back.
import { describe, expect, it } from 'vitest';
import { fakeClient } from '../testing/fake-client.js';
import { createStores } from './index.js';

const immediate = (fn: () => void) => fn();
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('reconnect', () => {
  it('keeps the followed driver and reopens the race on the new session', async () => {
    const client = fakeClient();
    const stores = createStores(client, { schedule: immediate, strategyGapMs: 0 });
    client.connection('open');
    await stores.replay.getState().openRace(2023, 1, { lap: 5 });
    const other = stores.replay.getState().snapshot!.rows[3]!.driver;
    stores.replay.getState().selectDriver(other);
    client.connection('closed');
    client.connection('open');
    await settle();
    expect(client.calls.filter((c) => c.method === 'replayOpen')).toHaveLength(2);
    expect(stores.replay.getState().info?.round).toBe(1);
    expect(stores.replay.getState().selectedDriver).toBe(other);
    stores.dispose();
  });

  it('a race picked while the engine was away opens when it is back', async () => {
    let down = true;
    const base = fakeClient();
    const client = fakeClient({
      replayOpen: (args: { season: number; round: number }) => {
        if (down) throw new Error('connection to the engine was lost');
        return base.api.replayOpen(args);
      },
    });
    const stores = createStores(client, { schedule: immediate, strategyGapMs: 0 });
    client.connection('open');
    client.connection('closed');
    await stores.replay.getState().openRace(2023, 1);
    expect(stores.replay.getState().error).toMatch(/lost/);
    down = false;
    client.connection('open');
    await settle();
    expect(stores.replay.getState().error).toBeNull();
    expect(stores.replay.getState().info?.round).toBe(1);
    stores.dispose();
  });
});
