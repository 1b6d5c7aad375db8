// The built preload (out/preload/index.cjs, as Electron loads it) run against a fake `electron` module.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { API_METHODS } from '../shared/api.js';
import { PROJECT_ROOT } from '../../tests/helpers/data.js';

function loadPreload() {
  const invoked: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  let exposed: Record<string, unknown> = {};
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: Record<string, unknown>) => {
        expect(key).toBe('pitwall');
        exposed = api;
      },
    },
    ipcRenderer: {
      invoke: (channel: string, ...args: unknown[]) => {
        invoked.push({ channel, args });
        return Promise.resolve(`answer:${channel}`);
      },
      on: (channel: string, fn: (event: unknown, ...args: unknown[]) => void) => listeners.set(channel, fn),
    },
  };
  const code = readFileSync(join(PROJECT_ROOT, 'out', 'preload', 'index.cjs'), 'utf8');
  const module = { exports: {} };
  const require = (name: string) => {
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  runInNewContext(code, { require, module, exports: module.exports });
  return { exposed, invoked, push: (...args: unknown[]) => listeners.get('pitwall:event')?.({}, ...args) };
}

describe('preload bridge', () => {
  it('exposes exactly the contract’s named methods plus `on`, each on its own channel', async () => {
    const { exposed, invoked } = loadPreload();
    expect(Object.keys(exposed).sort()).toEqual([...API_METHODS, 'on'].sort());
    expect(exposed).not.toHaveProperty('invoke');
    const listRaces = exposed.listRaces as (a: unknown) => Promise<unknown>;
    await expect(listRaces({ season: 2023 })).resolves.toBe('answer:pitwall:listRaces');
    await (exposed.replayPlay as () => Promise<unknown>)();
    expect(invoked).toEqual([
      { channel: 'pitwall:listRaces', args: [{ season: 2023 }] },
      { channel: 'pitwall:replayPlay', args: [undefined] },
    ]);
  });

  it('delivers only contract events to subscribers, until unsubscribed', () => {
    const { exposed, push } = loadPreload();
    const on = exposed.on as (name: string, fn: (p: unknown) => void) => () => void;
    const seen: unknown[] = [];
    const off = on('replay:snapshot', (p) => seen.push(p));
    push('replay:snapshot', { lap: 3 });
    push('not-an-event', { lap: 4 });
    push('commentary:line', { id: 'x' });
    off();
    push('replay:snapshot', { lap: 5 });
    expect(seen).toEqual([{ lap: 3 }]);
  });
});
