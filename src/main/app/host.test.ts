// The desktop IPC path without Electron: main-side client ↔ engine host, on the real imported database.
import { afterAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/api.js';
import { Engine } from '../engine/kernel/session.js';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { dbCopy, sharedDb } from '../../../tests/helpers/db.js';
import { PROJECT_ROOT } from '../../../tests/helpers/data.js';
import { createEngineClient } from './engine-client.js';
import { redactor } from '../data/secrets.js';
import { createEngineHost } from './host.js';
import type { FromEngine } from './protocol.js';

const db = sharedDb();
afterAll(() => db.close());

function wire() {
  const engine = new Engine(db, ':shared:');
  const events: { window: number; name: EventName; payload: unknown }[] = [];
  // Structured clone, like the utility-process message port.
  let host: ReturnType<typeof createEngineHost> | null = null;
  const client = createEngineClient(
    (m) => void host!.handle(structuredClone(m)),
    (window, name, payload) => events.push({ window, name, payload }),
  );
  host = createEngineHost(engine, (m: FromEngine) => client.receive(structuredClone(m)));
  return { engine, client, host, events };
}

describe('engine host (Electron IPC path)', () => {
  it('"Share with the garage" starts a paired LAN server, answers fresh links, revokes, and stops with the host', async () => {
    const engine = new Engine(db, ':shared:');
    const posted: FromEngine[] = [];
    const host = createEngineHost(engine, (m) => posted.push(m), null);
    await host.handle({ kind: 'share', host: '127.0.0.1', port: 0 });
    const shared = posted.at(-1)!;
    if (shared.kind !== 'shared' || !shared.ok) throw new Error(`no share: ${JSON.stringify(shared)}`);
    expect(shared.viewerPairUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pair\?token=[\w-]{22}$/);
    expect((await fetch(`${shared.url}api/status`)).status).toBe(401);
    const pair = await fetch(shared.viewerPairUrl, { redirect: 'manual' });
    const cookie = pair.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(`${shared.url}api/status`, { headers: { cookie } })).status).toBe(200);
    await host.handle({ kind: 'share', host: '127.0.0.1', port: 0 }); // again: the same server, new codes
    const again = posted.at(-1) as typeof shared;
    expect(again.url).toBe(shared.url);
    expect(again.viewerPairUrl).not.toBe(shared.viewerPairUrl);
    await host.handle({ kind: 'revoke' });
    expect((await fetch(`${shared.url}api/status`, { headers: { cookie } })).status).toBe(401);
    host.dispose();
    await new Promise((r) => setTimeout(r, 100));
    await expect(fetch(`${shared.url}api/health`)).rejects.toThrow();
  });

  it('removes secret values from everything it posts towards a window', async () => {
    const engine = new Engine(db, ':shared:');
    const posted: FromEngine[] = [];
    const host = createEngineHost(engine, (m) => posted.push(m), redactor(['sk-ant-secret-value-1234']));
    await host.handle({ kind: 'call', id: 1, window: 1, method: 'health' });
    engine.broadcast('monitor:alert', { id: 1, model: 'm', kind: 'drift', features: [], message: 'upstream said: bad key sk-ant-secret-value-1234', createdAt: '' });
    expect(JSON.stringify(posted)).not.toContain('sk-ant-secret-value-1234');
    expect(posted.at(-1)).toMatchObject({ kind: 'event', payload: { message: 'upstream said: bad key [redacted]' } });
    host.dispose();
  });

  it('answers contract calls with the same handlers as the server', async () => {
    const { client } = wire();
    const seasons = (await client.call(1, 'listSeasons', undefined)) as number[];
    expect(seasons[0]).toBe(2024);
    expect(seasons).toContain(1950);
    const races = (await client.call(1, 'listRaces', { season: 2023 })) as {
      round: number;
      circuitRef: string;
      hasLaps: boolean;
    }[];
    expect(races[0]).toMatchObject({ round: 1, circuitRef: 'bahrain', hasLaps: true });
  });

  it('turns engine errors and unknown methods into rejections', async () => {
    const { client } = wire();
    await expect(client.call(1, 'nope' as 'health', undefined)).rejects.toThrow('unknown API method "nope"');
  });

  it('keeps one session per window, routes its pushes to that window, and disposes it on close', async () => {
    const { client, engine, events } = wire();
    await client.call(7, 'health', undefined);
    await client.call(8, 'health', undefined);
    expect(engine.sessions.size).toBe(2);
    engine.broadcast('monitor:alert', {
      id: 1,
      model: 'm',
      kind: 'drift',
      features: [],
      message: 'x',
      createdAt: '',
    });
    expect(events.map((e) => e.window).sort()).toEqual([7, 8]);
    client.closeWindow(7);
    await new Promise((r) => setTimeout(r, 0));
    expect(engine.sessions.size).toBe(1);
  });

  it('fails calls in flight when the engine process dies', async () => {
    const client = createEngineClient(
      () => {},
      () => {},
    );
    const p = client.call(1, 'health', undefined);
    client.fail('the engine process exited (code 1)');
    await expect(p).rejects.toThrow('exited');
  });
});

describe('engine process (the desktop app’s development path: a system-Node child)', () => {
  it('starts on a database, answers calls over child-process IPC, and stops when disconnected', async () => {
    const { db: copy, file } = dbCopy();
    copy.close();
    const child = fork(join(PROJECT_ROOT, 'out', 'main', 'app', 'engine-process.js'), [], {
      env: { ...process.env, PITWALL_DB: file },
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const client = createEngineClient(
      (m) => void child.send(m),
      () => {},
    );
    const ready = new Promise<FromEngine>((resolve) => {
      child.on('message', (m) => {
        const msg = m as FromEngine;
        if (msg.kind === 'ready' || msg.kind === 'fatal') resolve(msg);
        else client.receive(msg);
      });
    });
    try {
      expect(await ready).toEqual({ kind: 'ready' });
      const races = (await client.call(1, 'listRaces', { season: 2021 })) as {
        round: number;
        name: string;
      }[];
      expect(races).toHaveLength(22);
      expect(races[0]).toMatchObject({ round: 1, name: 'Bahrain Grand Prix' });
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.disconnect();
      expect(await exited).toBe(0);
    }
  });
});
