// `pitwall serve` security: Host and Origin allow-lists, JSON-only POST, validated calls with typed errors,
// limits, LAN pairing with roles (expiry, revocation), refusals counted in /metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../src/main/engine/host/engine.js';
import { Pairing } from '../src/main/server/pairing.js';
import { startServer, type RunningServer } from '../src/main/server/server.js';
import { dbCopy } from './helpers/db.js';
import { openWs, postJson, raw, WsClient } from './helpers/wire.js';

function dbFile(): string {
  const { db, file } = dbCopy();
  db.close();
  return file;
}

const metric = async (port: number, reason: string): Promise<number> => {
  const m = await raw(port, { path: '/metrics' });
  const line = m.text.split('\n').find((l) => l.startsWith(`pitwall_server_refused_total{reason="${reason}"}`));
  return Number(line?.split(' ')[1] ?? NaN);
};

describe('pitwall serve on 127.0.0.1 (no pairing)', () => {
  let srv: RunningServer;
  const file = dbFile();
  beforeAll(async () => {
    srv = await startServer(createEngine({ db: file }), { port: 0, log: () => {} });
  });
  afterAll(() => srv.close());

  it('refuses a rebinding Host with a clear 403, counted in /metrics', async () => {
    const r = await raw(srv.port, { path: '/api/status', headers: { host: `evil.example:${srv.port}` } });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text)).toMatchObject({ error: { code: 'forbidden', message: expect.stringMatching(/not Host "evil\.example/) } });
    for (const host of [`localhost:${srv.port}`, `127.0.0.1:${srv.port}`, `[::1]:${srv.port}`])
      expect((await raw(srv.port, { path: '/api/status', headers: { host } })).status).toBe(200);
    expect(await metric(srv.port, 'host')).toBe(1);
  });

  it('refuses cross-origin WebSockets and POSTs; accepts its own pages and the desktop app', async () => {
    expect(await openWs(srv.port, { Origin: 'https://evil.example' })).toEqual({ status: 403 });
    expect(await openWs(srv.port, { Origin: 'null' })).toEqual({ status: 403 });
    expect(await openWs(srv.port, { Origin: `http://127.0.0.1:${srv.port + 1}` })).toEqual({ status: 403 }); // another port is another origin
    for (const Origin of [`http://127.0.0.1:${srv.port}`, `http://localhost:${srv.port}`, 'app://pitwall']) {
      const o = await openWs(srv.port, { Origin });
      expect('ws' in o).toBe(true);
      if ('ws' in o) o.ws.close();
    }
    const evil = await postJson(srv.port, 'modelPromote', { name: 'race-winner', version: 1 }, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(await metric(srv.port, 'origin')).toBe(4);
  });

  it('takes POST bodies as JSON only (a "simple" text/plain request is 415)', async () => {
    const r = await raw(srv.port, {
      method: 'POST',
      path: '/api/call/modelPromote',
      headers: { 'content-type': 'text/plain' },
      body: '{"name":"race-winner","version":1}',
    });
    expect(r.status).toBe(415);
    expect(JSON.parse(r.text)).toMatchObject({ error: { code: 'bad_request', message: expect.stringMatching(/application\/json/) } });
    expect((await raw(srv.port, { method: 'POST', path: '/api/call/listSeasons', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' })).status).toBe(415);
    expect(await metric(srv.port, 'content_type')).toBe(2);
  });

  it('validates arguments before any handler: typed bad_request naming the field, never echoing the input', async () => {
    const nul = await postJson(srv.port, 'listRaces', null);
    expect(nul.status).toBe(400);
    expect(JSON.parse(nul.text)).toEqual({
      error: { code: 'bad_request', message: 'listRaces: (arguments) must be object (got null)', details: [{ path: '(arguments)', expected: 'object' }] },
    });
    const big = await postJson(srv.port, 'stintForecast', { season: 2023, round: 1, driver: 'x'.repeat(60_000), lap: 3 });
    expect(big.status).toBe(400);
    expect(big.text.length).toBeLessThan(400);
    expect(JSON.parse(big.text)).toMatchObject({ error: { details: [{ path: 'driver', expected: 'string <= 64 characters' }] } });
    const extra = await postJson(srv.port, 'listRaces', { season: 2023, __proto__: 1, constructor: 'x' });
    expect(JSON.parse(extra.text)).toMatchObject({ error: { code: 'bad_request', details: [{ path: '(arguments)', expected: expect.stringMatching(/no field "constructor"/) }] } });
    const wrong = await postJson(srv.port, 'replayOpen', { season: '2023', round: 1.5 });
    expect(JSON.parse(wrong.text).error.details).toEqual([
      { path: 'season', expected: 'number' },
      { path: 'round', expected: 'int' },
    ]);
    const tooBig = await postJson(srv.port, 'listRaces', { season: 2023, pad: 'y'.repeat(70_000) });
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.text)).toMatchObject({ error: { code: 'too_large' } });
    const good = await postJson(srv.port, 'listRaces', { season: 2023 });
    expect((JSON.parse(good.text) as unknown[]).length).toBe(22);
  });

  it('survives `null`, invalid JSON and binary frames on the WebSocket, answering each with a typed error', async () => {
    const o = await openWs(srv.port);
    if (!('ws' in o)) throw new Error(`refused ${o.status}`);
    const c = new WsClient(o.ws);
    expect(await c.send('null')).toMatchObject({ kind: 'result', id: null, ok: false, error: { code: 'bad_request' } });
    expect(await c.send('{"kind":"call","id":7,')).toMatchObject({ id: 7, ok: false, error: { code: 'bad_request', message: 'the message is not valid JSON' } });
    expect(await c.send(Buffer.from([1, 2, 3]), true)).toMatchObject({ id: null, ok: false, error: { code: 'bad_request', message: expect.stringMatching(/binary frames/) } });
    expect(await c.call(8, 'listRaces', null)).toMatchObject({ id: 8, ok: false, error: { code: 'bad_request' } });
    expect(await c.call(9, 'nope')).toMatchObject({ id: 9, ok: false, error: { code: 'unknown_method' } });
    expect(await c.call(10, 'listSeasons')).toMatchObject({ id: 10, ok: true });
    // a frame over 64 KiB closes that connection (1009); the server keeps serving others
    o.ws.send('x'.repeat(65 * 1024));
    expect((await c.whenClosed()).code).toBe(1009);
    expect((await raw(srv.port, { path: '/api/health' })).status).toBe(200);
    expect(await metric(srv.port, 'binary_frame')).toBe(1);
  });
});

describe('limits', () => {
  it('rate-limits each connection and caps the number of WebSocket sessions', async () => {
    const srv = await startServer(createEngine({ db: dbFile() }), {
      port: 0,
      limits: { callsPerSecond: 0.001, burst: 3, maxSessions: 2 },
    });
    try {
      const a = await openWs(srv.port);
      const b = await openWs(srv.port);
      expect(await openWs(srv.port)).toEqual({ status: 503 });
      if (!('ws' in a) || !('ws' in b)) throw new Error('refused');
      const c = new WsClient(a.ws);
      const codes = [];
      for (let i = 1; i <= 5; i++) codes.push(((await c.call(i, 'health')) as { ok: boolean; error?: { code: string } }).error?.code ?? 'ok');
      expect(codes).toEqual(['ok', 'ok', 'ok', 'rate_limited', 'rate_limited']);
      expect(srv.refusals.get('rate_limited')).toBe(2);
      expect(srv.refusals.get('sessions_full')).toBe(1);
      a.ws.close();
      b.ws.close();
    } finally {
      await srv.close();
    }
  });
});

describe('LAN mode: pairing and roles', () => {
  let srv: RunningServer;
  let clock = 1_000_000;
  const pairing = new Pairing({ tokenTtlMs: 60_000, sessionTtlMs: 3_600_000, now: () => clock });
  beforeAll(async () => {
    srv = await startServer(createEngine({ db: dbFile() }), { port: 0, pairing, allowedHosts: ['pitwall.lan'], log: () => {} });
  });
  afterAll(() => srv.close());

  const pairWith = async (token: string): Promise<{ status: number; cookie?: string; setCookie?: string }> => {
    const r = await raw(srv.port, { path: `/pair?token=${token}` });
    const set = r.headers['set-cookie']?.[0];
    return { status: r.status, setCookie: set, cookie: set?.split(';')[0] };
  };

  it('answers nothing but health and /pair before pairing', async () => {
    expect((await raw(srv.port, { path: '/api/status' })).status).toBe(401);
    expect((await raw(srv.port, { path: '/' })).status).toBe(401);
    expect(await openWs(srv.port)).toEqual({ status: 401 });
    expect((await raw(srv.port, { path: '/api/health' })).status).toBe(200);
    expect((await pairWith('not-a-token')).status).toBe(401);
    // the configured LAN name is a valid Host; anything else is still refused
    expect((await raw(srv.port, { path: '/api/status', headers: { host: `pitwall.lan:${srv.port}` } })).status).toBe(401);
    expect((await raw(srv.port, { path: '/api/status', headers: { host: `evil.example:${srv.port}` } })).status).toBe(403);
  });

  it('exchanges a token for an HttpOnly SameSite=Strict cookie; a viewer cannot call an engineer method', async () => {
    const t = pairing.issue('viewer');
    expect(Buffer.from(t.token, 'base64url')).toHaveLength(16); // 128 bits
    const p = await pairWith(t.token);
    expect(p.status).toBe(302);
    expect(p.setCookie).toMatch(/^pitwall_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=3600$/);
    const viewer = { cookie: p.cookie! };
    expect((await raw(srv.port, { path: '/api/status', headers: viewer })).status).toBe(200);
    const promote = await postJson(srv.port, 'modelPromote', { name: 'race-winner', version: 1 }, viewer);
    expect(promote.status).toBe(403);
    expect(JSON.parse(promote.text)).toMatchObject({ error: { code: 'forbidden', message: expect.stringMatching(/needs the engineer role/) } });
    const o = await openWs(srv.port, viewer);
    if (!('ws' in o)) throw new Error(`refused ${o.status}`);
    const c = new WsClient(o.ws);
    expect(await c.call(1, 'modelPromote', { name: 'race-winner', version: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await c.call(2, 'listSeasons')).toMatchObject({ ok: true });
    o.ws.close();
    // an engineer gets past the role check (here to the schema: version 0 is not a version)
    const e = await pairWith(pairing.issue('engineer').token);
    const asEngineer = await postJson(srv.port, 'modelPromote', { name: 'race-winner', version: 0 }, { cookie: e.cookie! });
    expect(JSON.parse(asEngineer.text)).toMatchObject({ error: { code: 'bad_request', details: [{ path: 'version' }] } });
    expect(srv.refusals.get('forbidden_role')).toBe(2);
  });

  it('tokens expire; sessions expire; revoking a token ends its sessions and their open sockets', async () => {
    const t = pairing.issue('viewer');
    const p = await pairWith(t.token);
    const headers = { cookie: p.cookie! };
    const o = await openWs(srv.port, headers);
    if (!('ws' in o)) throw new Error(`refused ${o.status}`);
    const c = new WsClient(o.ws);
    expect(pairing.revoke(t.token)).toBe(true);
    expect((await c.whenClosed()).code).toBe(4401);
    expect((await raw(srv.port, { path: '/api/status', headers })).status).toBe(401);
    expect((await pairWith(t.token)).status).toBe(401);

    const late = pairing.issue('viewer');
    clock += 60_001;
    expect((await pairWith(late.token)).status).toBe(401); // expired token

    const s = await pairWith(pairing.issue('viewer').token);
    expect((await raw(srv.port, { path: '/api/status', headers: { cookie: s.cookie! } })).status).toBe(200);
    clock += 3_600_001;
    expect((await raw(srv.port, { path: '/api/status', headers: { cookie: s.cookie! } })).status).toBe(401); // expired session

    const all = await pairWith(pairing.issue('engineer').token);
    expect(pairing.revokeAll()).toBeGreaterThanOrEqual(1);
    expect((await raw(srv.port, { path: '/api/status', headers: { cookie: all.cookie! } })).status).toBe(401);
  });
});
