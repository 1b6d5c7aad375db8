// The whole desktop path without Electron: renderer client → IPC transport → built preload bridge → (fake
// ipcRenderer/ipcMain) → main-side engine client → engine host → real handlers on the real database.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiMethod } from '../../shared/api.js';
import type { TimingSnapshot } from '../../shared/domain.js';
import { clientOver } from '../../renderer/api/client.js';
import { ipcTransport } from '../../renderer/api/ipc.js';
import type { PitwallBridge } from '../../renderer/api/transport.js';
import { Engine } from '../engine/kernel/session.js';
import { dbCopy } from '../../../tests/helpers/db.js';
import { PROJECT_ROOT } from '../../../tests/helpers/data.js';
import { createEngineClient } from './engine-client.js';
import { createEngineHost } from './host.js';

const { db } = dbCopy();
const engine = new Engine(db, ':copy:');
afterAll(() => {
  host.dispose();
  db.close();
});

const WINDOW = 3;
const listeners: ((event: unknown, ...args: unknown[]) => void)[] = [];
const main = createEngineClient(
  (m) => void host.handle(structuredClone(m)),
  (window, name, payload) =>
    window === WINDOW && listeners.forEach((l) => l({}, name, structuredClone(payload))),
);
const host = createEngineHost(engine, (m) => main.receive(structuredClone(m)));

let bridge: PitwallBridge | null = null;
const electron = {
  contextBridge: { exposeInMainWorld: (_k: string, api: PitwallBridge) => (bridge = api) },
  ipcRenderer: {
    // What main.ts's ipcMain.handle(`pitwall:${method}`) does for a window.
    invoke: (channel: string, args: unknown) =>
      main.call(WINDOW, channel.replace(/^pitwall:/, '') as ApiMethod, args),
    on: (_c: string, fn: (event: unknown, ...args: unknown[]) => void) => listeners.push(fn),
  },
};
runInNewContext(readFileSync(join(PROJECT_ROOT, 'out', 'preload', 'index.cjs'), 'utf8'), {
  require: () => electron,
  module: { exports: {} },
});

describe('desktop path (renderer ↔ preload ↔ main ↔ engine process), on the real data', () => {
  it('answers the renderer client and streams the replay pushes of its window', async () => {
    const client = clientOver(ipcTransport(bridge!));
    const races = await client.api.listRaces({ season: 2023 });
    expect(races.find((r) => r.round === 1)?.circuitRef).toBe('bahrain');
    const snaps: TimingSnapshot[] = [];
    client.on('replay:snapshot', (s) => snaps.push(s));
    const info = await client.api.replayOpen({ season: 2023, round: 1 });
    expect(info).toMatchObject({ season: 2023, round: 1, totalLaps: 57 });
    expect(info.drivers).toHaveLength(20);
    const at10 = await client.api.replaySeek({ lap: 10 });
    expect(at10.rows[0]?.driver).toBe('max_verstappen');
    expect(snaps.length).toBeGreaterThan(0);
    await expect(client.api.commentarySetStyle({ style: 'loud' as 'casual' })).rejects.toThrow(/style/);
  });
});
