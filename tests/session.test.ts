// Sessions through their public entry points: clients of `pitwall serve` over a real WebSocket, and the Session API
// the transports use. Each client has its own replay and commentary; a client that goes away takes its session,
// its replay and its pushes with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EventName, WireMessage } from '../src/shared/api.js';
import type { CommentaryLine } from '../src/shared/domain.js';
import { closeEngine, createEngine } from '../src/main/engine/host/engine.js';
import { Session, type Engine } from '../src/main/engine/kernel/session.js';
import { dispatch } from '../src/main/engine/host/handlers.js';
import { startServer, type RunningServer } from '../src/main/server/server.js';
import { dbCopy } from './helpers/db.js';

/** Resolves once `cond` holds (checked every 20 ms); rejects after `ms` with `what`. */
async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A WebSocket client of the server: typed calls, and every pushed event kept. */
async function client(url: string) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}ws`);
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  const events: { name: EventName; payload: unknown }[] = [];
  const pending = new Map<number, (m: WireMessage) => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as WireMessage;
    if (m.kind === 'event') events.push({ name: m.name, payload: m.payload });
    else if (m.kind === 'result' && m.id !== null) pending.get(m.id)?.(m);
  });
  let id = 0;
  const call = async (method: string, args?: unknown): Promise<unknown> => {
    const n = ++id;
    const m = await new Promise<WireMessage>((resolve) => {
      pending.set(n, resolve);
      ws.send(JSON.stringify({ kind: 'call', id: n, method, args }));
    });
    if (m.kind !== 'result') throw new Error('not a result');
    if (!m.ok) throw new Error(m.error.message);
    return m.value;
  };
  const lines = () => events.filter((e) => e.name === 'commentary:line').map((e) => e.payload as CommentaryLine);
  const closed = new Promise((r) => ws.once('close', r));
  return { ws, call, events, lines, close: () => (ws.close(), closed) };
}

let srv: RunningServer;
let engine: Engine;
let base: number; // the server's own session for plain HTTP
const saved = process.env.ANTHROPIC_API_KEY;
beforeAll(async () => {
  delete process.env.ANTHROPIC_API_KEY; // offline commentary
  engine = createEngine({ db: dbCopy().file });
  srv = await startServer(engine, { port: 0 });
  base = engine.sessions.size;
});
afterAll(async () => {
  await srv?.close();
  await closeEngine(engine);
  if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
});

describe('sessions over the WebSocket', () => {
  it('two clients watch two races: each reads back only its own commentary', async () => {
    const a = await client(srv.url);
    const b = await client(srv.url);
    try {
      expect(await a.call('replayOpen', { season: 2023, round: 1 })).toMatchObject({ totalLaps: 57 });
      expect(await b.call('replayOpen', { season: 2023, round: 2 })).toMatchObject({ totalLaps: 50 });
      for (const c of [a, b]) {
        await c.call('replaySetSpeed', { speed: 0 }); // as fast as it goes
        await c.call('replayPlay');
      }
      await until(() => a.lines().length >= 5 && b.lines().length >= 5, 'commentary on both clients');
      for (const c of [a, b]) await c.call('replayPause');
      const mine = new Set(a.lines().map((l) => l.id));
      const theirs = new Set(b.lines().map((l) => l.id));
      expect([...mine].some((id) => theirs.has(id))).toBe(false);
      const readA = (await a.call('commentarySince', {})) as CommentaryLine[];
      const readB = (await b.call('commentarySince', {})) as CommentaryLine[];
      expect(readA.map((l) => l.id)).toEqual(a.lines().map((l) => l.id).slice(-200));
      expect(readB.map((l) => l.id)).toEqual(b.lines().map((l) => l.id).slice(-200));
      const since = (await a.call('commentarySince', { since: a.lines()[1]!.id })) as CommentaryLine[];
      expect(since.map((l) => l.id)).toEqual(a.lines().slice(2).map((l) => l.id));
      // a stateless reader (plain HTTP) sees the engine-wide log: both clients' lines
      const http = (await (await fetch(`${srv.url}api/commentary`)).json()) as CommentaryLine[];
      const all = new Set(http.map((l) => l.id));
      expect([...mine, ...theirs].every((id) => all.has(id))).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('closing the WebSocket ends its session', async () => {
    await until(() => engine.sessions.size === base, 'earlier clients to be gone');
    const c = await client(srv.url);
    await c.call('status');
    expect(engine.sessions.size).toBe(base + 1);
    await c.call('replayOpen', { season: 2023, round: 1 });
    await c.close();
    await until(() => engine.sessions.size === base, 'the session to end', 5000);
  });
});

describe('the Session API', () => {
  it('a disposed session’s replay stops: no pushes after dispose', async () => {
    const got: EventName[] = [];
    const s = new Session(engine, (name) => void got.push(name));
    await dispatch(s, 'replayOpen', { season: 2023, round: 1 });
    await dispatch(s, 'replaySetSpeed', { speed: 0 });
    await dispatch(s, 'replayPlay', undefined);
    await until(() => got.filter((n) => n === 'replay:snapshot').length >= 3, 'snapshots while playing');
    s.dispose();
    const after = got.length;
    await new Promise((r) => setTimeout(r, 400)); // several clock ticks
    expect(got.slice(after)).toEqual([]);
    expect(engine.sessions.has(s)).toBe(false);
  });
});
