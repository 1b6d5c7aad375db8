// A stand-in for F1's SignalR Core live-timing hub on 127.0.0.1, replaying a recording with compressed time:
// OPTIONS /signalrcore/negotiate sets a cookie, POST …/negotiate?negotiateVersion=1 (cookie required) answers a
// connectionToken, the WebSocket (cookie + token required) speaks the JSON hub protocol: `\x1e`-terminated records,
// handshake, Subscribe → completion (type 3) with the full state so far, then type 1 `feed` messages and type 6 pings.
// The session runs on the server's clock from the first Subscribe: a client that reconnects gets the state as it is
// then and the updates after it. Switches: drop the socket after n messages, interleave malformed frames.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { TimingState } from '../../src/main/timing/state.js';
import type { LiveMessage } from '../../src/main/live/feed.js';

const RS = '\x1e';
export interface FakeSignalROptions {
  /** Recorded updates, in order; `initial` is the recording's first full state (merged under them). */
  messages: LiveMessage[];
  initial?: Record<string, unknown>;
  /** Session milliseconds per wall millisecond. */
  speed: number;
  /** Terminate the socket (no close frame) after this many feed messages were sent on it — once per listed count. */
  dropAfter?: number[];
  /** Every n-th message is preceded by a burst of malformed frames and unknown topics. */
  garbageEvery?: number;
  pingMs?: number;
  /** Answer negotiate with this status (e.g. 401: a refused token). */
  refuseNegotiate?: number;
}

export interface FakeSignalR {
  url: string;
  /** Requests seen: method + path, cookie and authorization per step. */
  log: { step: string; cookie: boolean; auth?: string }[];
  /** Garbage frames sent (each should be counted as skipped by the client). */
  garbageSent: number;
  connections: number;
  close(): Promise<void>;
}

const feedFrame = (m: LiveMessage) => JSON.stringify({ type: 1, target: 'feed', arguments: [m.topic, m.data, m.utc] }) + RS;
const GARBAGE = (utc: string): string[] => [
  'this is not json',
  JSON.stringify({ type: 1, target: 'feed', arguments: ['NoSuchTopic', { x: 1 }, utc] }),
  JSON.stringify({ type: 1, target: 'otherMethod', arguments: [] }),
  JSON.stringify({ type: 1, target: 'feed', arguments: [42] }),
  JSON.stringify({ type: 1, target: 'feed', arguments: ['CarData.z', 'bm90IGRlZmxhdGU=', utc] }),
  '{"type":1,"target":"feed","arguments":["TimingData",{"Lines":',
];

export async function startFakeSignalR(o: FakeSignalROptions): Promise<FakeSignalR> {
  const cookie = `AWSALBCORS=${randomBytes(8).toString('hex')}`;
  const tokens = new Set<string>();
  const log: FakeSignalR['log'] = [];
  const hasCookie = (req: IncomingMessage) => (req.headers.cookie ?? '').includes(cookie);
  const drops = [...(o.dropAfter ?? [])];
  const state = new TimingState();
  for (const [t, v] of Object.entries(o.initial ?? {})) state.apply(t, v);
  let cursor = 0; // messages[0..cursor) are "in the past"
  let clock0: number | null = null;
  let pausedAt: number | null = null;
  const t0 = o.messages.length ? Date.parse(o.messages[0]!.utc) : 0;
  const subscribers = new Set<{ ws: WebSocket; sent: number }>();
  const fake: FakeSignalR = { url: '', log, garbageSent: 0, connections: 0, close: async () => {} };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/signalrcore/negotiate' && req.method === 'OPTIONS') {
      log.push({ step: 'options', cookie: hasCookie(req) });
      return void res.writeHead(204, { 'set-cookie': `${cookie}; Path=/` }).end();
    }
    if (url.pathname === '/signalrcore/negotiate' && req.method === 'POST') {
      log.push({ step: 'negotiate', cookie: hasCookie(req), auth: req.headers.authorization });
      if (o.refuseNegotiate) return void res.writeHead(o.refuseNegotiate).end('Unauthorized');
      if (!hasCookie(req) || url.searchParams.get('negotiateVersion') !== '1') return void res.writeHead(400).end('cookie or version missing');
      const token = randomBytes(12).toString('base64url');
      tokens.add(token);
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ negotiateVersion: 1, connectionId: token.slice(0, 8), connectionToken: token, availableTransports: [{ transport: 'WebSockets', transferFormats: ['Text', 'Binary'] }] }),
      );
    }
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    log.push({ step: 'websocket', cookie: hasCookie(req), auth: req.headers.authorization });
    const id = url.searchParams.get('id') ?? '';
    if (url.pathname !== '/signalrcore' || !tokens.has(id) || !hasCookie(req) || !req.headers['user-agent']) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    tokens.delete(id);
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
  });

  function onSocket(ws: WebSocket): void {
    fake.connections++;
    let handshake = false;
    const sub = { ws, sent: 0 };
    const ping = setInterval(() => ws.send(JSON.stringify({ type: 6 }) + RS), o.pingMs ?? 50);
    ws.on('close', () => {
      clearInterval(ping);
      subscribers.delete(sub);
    });
    ws.on('message', (raw) => {
      for (const rec of raw.toString().split(RS)) {
        if (!rec) continue;
        const m = JSON.parse(rec) as { protocol?: string; version?: number; type?: number; target?: string; invocationId?: string };
        if (!handshake) {
          handshake = true;
          ws.send(m.protocol === 'json' && m.version === 1 ? `{}${RS}` : JSON.stringify({ error: 'protocol json version 1 only' }) + RS);
          continue;
        }
        if (m.type === 1 && m.target === 'Subscribe') {
          // The first subscriber starts the session clock; a later one gets the state as it is now. The next update
          // rides in the same WebSocket frame as the completion (legal in the hub protocol, and what a busy hub does):
          // the client must apply it after the initial state, not before.
          if (clock0 === null) clock0 = Date.now();
          else advance();
          const completion = JSON.stringify({ type: 3, invocationId: m.invocationId, result: JSON.parse(JSON.stringify(state.topics)) }) + RS;
          const next = o.messages[cursor];
          if (next) {
            cursor++;
            state.apply(next.topic, JSON.parse(JSON.stringify(next.data)));
            for (const s of subscribers) s.ws.send(feedFrame(next));
            sub.sent++;
          }
          ws.send(completion + (next ? feedFrame(next) : ''));
          subscribers.add(sub);
        }
      }
    });
  }

  /** Moves the session clock: every message now due goes to every subscriber (and into the server's state). The
   *  clock stands still while nobody is subscribed (a reconnect then never misses the rest of the session, however
   *  slow the machine), except for what was due in the tick the socket dropped in. */
  function advance(): void {
    if (clock0 === null) return;
    if (!subscribers.size) {
      pausedAt ??= Date.now();
      return;
    }
    if (pausedAt !== null) {
      clock0 += Date.now() - pausedAt;
      pausedAt = null;
    }
    const due = t0 + (Date.now() - clock0) * o.speed;
    while (cursor < o.messages.length && Date.parse(o.messages[cursor]!.utc) <= due) {
      const m = o.messages[cursor++]!;
      state.apply(m.topic, JSON.parse(JSON.stringify(m.data)));
      const frame = feedFrame(m);
      for (const s of subscribers) {
        if (o.garbageEvery && cursor % o.garbageEvery === 0) {
          const g = GARBAGE(m.utc);
          fake.garbageSent += g.length;
          // all in one WebSocket frame with the real message, and one on its own
          s.ws.send(g.slice(0, -1).join(RS) + RS + frame);
          s.ws.send(g[g.length - 1]! + RS);
        } else s.ws.send(frame);
        s.sent++;
        if (drops.length && s.sent === drops[0]) {
          drops.shift();
          subscribers.delete(s);
          s.ws.terminate();
        }
      }
    }
  }
  const tick = setInterval(advance, 5);

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/signalrcore`;
  fake.close = () =>
    new Promise<void>((r) => {
      clearInterval(tick);
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.close(() => r());
    });
  return fake;
}
