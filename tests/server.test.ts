// `pitwall serve` transports: HTTP health + renderer page, and the typed API over the WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WireMessage } from '../src/shared/api.js';
import { createEngine } from '../src/main/engine/host/engine.js';
import { startServer, type RunningServer } from '../src/main/server/server.js';
import { dbCopy } from './helpers/db.js';
import { SCHEMA_VERSION } from '../src/main/data/schema.js';

let srv: RunningServer;
beforeAll(async () => {
  const { file } = dbCopy();
  srv = await startServer(createEngine({ db: file }), { port: 0 });
});
afterAll(() => srv.close());

describe('pitwall serve', () => {
  it('answers /api/health and serves the renderer page with a CSP', async () => {
    const h = await fetch(`${srv.url}api/health`);
    expect(h.status).toBe(200);
    expect(await h.json()).toMatchObject({ ok: true, schemaVersion: SCHEMA_VERSION });
    const page = await fetch(srv.url);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await page.text()).toMatch(/<div id="root">/);
  });

  it('carries API calls over the WebSocket, and errors as errors', async () => {
    const ws = new WebSocket(`${srv.url.replace('http', 'ws')}ws`);
    await new Promise((r) => ws.once('open', r));
    const call = (id: number, method: string, args?: unknown) =>
      new Promise<WireMessage>((resolve) => {
        ws.on('message', (d) => {
          const m = JSON.parse(String(d)) as WireMessage;
          if (m.kind === 'result' && m.id === id) resolve(m);
        });
        ws.send(JSON.stringify({ kind: 'call', id, method, args }));
      });
    const status = await call(1, 'status');
    expect(status).toMatchObject({ ok: true, value: { seasons: [1950, 2024] } });
    const races = await call(2, 'listRaces', { season: 2023 });
    expect(races.kind === 'result' && races.ok && (races.value as unknown[]).length).toBe(22);
    const bad = await call(3, 'noSuchMethod');
    expect(bad).toMatchObject({ ok: false, error: { code: 'unknown_method', message: expect.stringMatching(/unknown API method/) } });
    ws.close();
  });

  it('offers the same API over plain HTTP for scripts', async () => {
    const r = await fetch(`${srv.url}api/call/listSeasons`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    const seasons = (await r.json()) as number[];
    expect(seasons[0]).toBe(2024);
    expect((await fetch(`${srv.url}api/call/nope`, { method: 'POST', headers: { 'content-type': 'application/json' } })).status).toBe(404);
  });
});
