// `pitwall serve` on the wire: what a refused WebSocket upgrade answers (status line, body, the reason counted),
// message errors and which refusal each counts, the heartbeat dropping dead peers, revocation closing only the
// revoked pairing's sockets, the address and URL it listens on, and what close() releases. Each test starts its own
// server, so the mutation run credits the startup code to the test that states it.
import { connect } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createEngine } from '../src/main/engine/host/engine.js';
import { Pairing } from '../src/main/server/pairing.js';
import { startServer, type RunningServer, type ServeOptions } from '../src/main/server/server.js';
import { dbCopy } from './helpers/db.js';
import { openWs, raw, WsClient } from './helpers/wire.js';

function engine() {
  const { db, file } = dbCopy();
  db.close();
  return createEngine({ db: file });
}
async function withServer(opts: Omit<ServeOptions, 'port'>, body: (srv: RunningServer) => Promise<void>): Promise<void> {
  const srv = await startServer(engine(), { port: 0, log: () => {}, ...opts });
  try {
    await body(srv);
  } finally {
    await srv.close();
  }
}
/** Every refusal counted so far, by reason (from /metrics' text). */
const refusals = (srv: RunningServer): Record<string, number> =>
  Object.fromEntries(
    [...srv.refusals.prometheus().matchAll(/reason="(\w+)"\} (\d+)/g)].filter((m) => m[2] !== '0').map((m) => [m[1]!, Number(m[2])]),
  );

/** A raw WebSocket upgrade request; resolves with everything the server sent until it closed the socket. */
function upgrade(port: number, path = '/ws', headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let text = '';
    s.on('data', (d) => (text += String(d)));
    s.on('close', () => resolve(text));
    s.on('error', reject);
    const h = { host: `127.0.0.1:${port}`, upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13', ...headers };
    s.write(`GET ${path} HTTP/1.1\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
  });
}

describe('refused WebSocket upgrades', () => {
  it('answer a status line, text/plain and a message; each reason counted, a wrong path not', async () => {
    await withServer({ limits: { maxSessions: 1 } }, async (srv) => {
      const host = await upgrade(srv.port, '/ws', { host: `evil.example:${srv.port}` });
      expect(host).toMatch(/^HTTP\/1\.1 403 Forbidden\r\ncontent-type: text\/plain\r\nconnection: close\r\n\r\n.*evil\.example/);
      expect(await upgrade(srv.port, '/socket')).toBe('HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nthe WebSocket is at /ws\n');
      expect(refusals(srv)).toEqual({ host: 1 });
      const first = await openWs(srv.port);
      if (!('ws' in first)) throw new Error(`refused ${first.status}`);
      expect(await upgrade(srv.port)).toBe(
        'HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nthe server is at its limit of 1 connections\n',
      );
      expect(refusals(srv)).toEqual({ host: 1, sessions_full: 1 });
      first.ws.close();
    });
  });

  it('in LAN mode, before pairing: 401 Unauthorized and how to pair', async () => {
    await withServer({ pairing: new Pairing({}) }, async (srv) => {
      expect(await upgrade(srv.port)).toBe(
        'HTTP/1.1 401 Unauthorized\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\npair first: open the pairing link printed by `pitwall serve --lan`\n',
      );
      expect(refusals(srv)).toEqual({ unauthorized: 1 });
    });
  });
});

describe('message errors', () => {
  it('invalid JSON names the message; bad arguments and rates are refused and counted; an unknown method is not a refusal', async () => {
    await withServer({ limits: { callsPerSecond: 0.5, burst: 4 } }, async (srv) => {
      const o = await openWs(srv.port);
      if (!('ws' in o)) throw new Error(`refused ${o.status}`);
      const c = new WsClient(o.ws);
      expect(await c.send('{"id": 7, not json')).toEqual({
        kind: 'result',
        id: 7,
        ok: false,
        error: { code: 'bad_request', message: 'the message is not valid JSON', details: [{ path: '(message)', expected: 'JSON' }] },
      });
      expect(refusals(srv)).toEqual({ bad_request: 1 });
      // the local server's caller is an engineer: past the role check to the schema (version 0 is not a version)
      expect(await c.call(8, 'modelPromote', { name: 'race-winner', version: 0 })).toMatchObject({ id: 8, ok: false, error: { code: 'bad_request', details: [{ path: 'version' }] } });
      expect(refusals(srv)).toEqual({ bad_request: 2 });
      expect(await c.call(9, 'noSuchMethod')).toMatchObject({ id: 9, ok: false, error: { code: 'unknown_method' } });
      expect(refusals(srv)).toEqual({ bad_request: 2 });
      expect(await c.call(10, 'health')).toMatchObject({ id: 10, ok: true });
      expect(await c.call(11, 'health')).toEqual({
        kind: 'result',
        id: 11,
        ok: false,
        error: { code: 'rate_limited', message: 'over 0.5 calls per second on this connection: slow down' },
      });
      expect(refusals(srv)).toEqual({ bad_request: 2, rate_limited: 1 });
      o.ws.close();
    });
  });
});

describe('heartbeat', () => {
  it('drops a peer that never answers a ping; a live client stays connected', async () => {
    await withServer({ limits: { heartbeatMs: 60 } }, async (srv) => {
      const live = await openWs(srv.port); // the ws client answers pings
      if (!('ws' in live)) throw new Error(`refused ${live.status}`);
      const dead = connect(srv.port, '127.0.0.1'); // completes the handshake, then ignores everything
      const handshake = new Promise<string>((r) => dead.once('data', (d) => r(String(d))));
      const closed = new Promise<true>((r) => dead.on('close', () => r(true)));
      dead.write(`GET /ws HTTP/1.1\r\nhost: 127.0.0.1:${srv.port}\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n`);
      expect(await handshake).toMatch(/^HTTP\/1\.1 101 /);
      // dropped after two heartbeats without a pong (a generous wait: this is no timing check)
      const gone = await Promise.race([closed, new Promise<null>((r) => setTimeout(() => r(null), 5_000))]);
      expect(gone).not.toBeNull();
      await new Promise((r) => setTimeout(r, 300)); // five more heartbeats
      expect(live.ws.readyState).toBe(WebSocket.OPEN);
      expect(await new WsClient(live.ws).call(1, 'health')).toMatchObject({ ok: true });
      live.ws.close();
    });
  });
});

describe('revocation', () => {
  it("closes the revoked pairing's sockets with 4401 and its reason, and no other", async () => {
    const pairing = new Pairing({});
    await withServer({ pairing }, async (srv) => {
      const socketFor = async (token: string) => {
        const cookie = (await raw(srv.port, { path: `/pair?token=${token}` })).headers['set-cookie']![0]!.split(';')[0]!;
        const o = await openWs(srv.port, { cookie });
        if (!('ws' in o)) throw new Error(`refused ${o.status}`);
        const closed = new Promise<[number, string]>((r) => o.ws.on('close', (code, why) => r([code, String(why)])));
        return { ws: o.ws, closed };
      };
      const kept = pairing.issue('viewer');
      const gone = pairing.issue('viewer');
      const a = await socketFor(kept.token);
      const b = await socketFor(gone.token);
      pairing.revoke(gone.token);
      expect(await b.closed).toEqual([4401, 'pairing revoked']);
      await new Promise((r) => setTimeout(r, 100));
      expect(a.ws.readyState).toBe(WebSocket.OPEN);
      expect(await new WsClient(a.ws).call(1, 'health')).toMatchObject({ ok: true });
      a.ws.close();
    });
  });
});

describe('listening and closing', () => {
  it('binds 127.0.0.1 by default and names itself in its URL (IPv6 in brackets); a busy port is an error', async () => {
    await withServer({}, async (srv) => {
      const addr = srv.server.address();
      expect(addr).toMatchObject({ address: '127.0.0.1', port: srv.port });
      expect(srv.port).toBeGreaterThan(0);
      expect(srv.url).toBe(`http://127.0.0.1:${srv.port}/`);
      await expect(startServer(engine(), { port: srv.port, log: () => {} })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    });
    await withServer({ publicHost: '::1' }, async (srv) => expect(srv.url).toBe(`http://[::1]:${srv.port}/`));
    await withServer({ publicHost: 'pitwall.lan', allowedHosts: ['pitwall.lan'] }, async (srv) => expect(srv.url).toBe(`http://pitwall.lan:${srv.port}/`));
  });

  it("close() stops listening and releases the engine's services unless the engine is shared", async () => {
    for (const ownsEngine of [undefined, true, false]) {
      const e = engine();
      const release = vi.spyOn(e.services, 'releaseAll');
      const srv = await startServer(e, { port: 0, log: () => {}, ...(ownsEngine === undefined ? {} : { ownsEngine }) });
      expect((await raw(srv.port, { path: '/api/health' })).status).toBe(200);
      await srv.close();
      expect(release).toHaveBeenCalledTimes(ownsEngine === false ? 0 : 1);
      const refused = await new Promise<string>((r) => connect(srv.port, '127.0.0.1').on('connect', () => r('connected')).on('error', (err: NodeJS.ErrnoException) => r(err.code ?? '')));
      expect(refused).toBe('ECONNREFUSED');
      if (ownsEngine === false) await e.services.releaseAll();
    }
  });
});
