// `pitwall serve`: HTTP (renderer, REST) + WebSocket (the typed API and pushes), on 127.0.0.1 unless told otherwise.
// Every request passes the Host/Origin guard (guard.ts); POST bodies are JSON only; calls are validated by
// `dispatch` against the contract's schemas; sizes, rates and connection counts are capped (limits.ts); in LAN
// mode every client pairs first (pairing.ts) and gets a role. Refusals are typed errors, counted in /metrics.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { WireMessage } from '../../shared/api.js';
import { clip, errResult, okResult, RpcError, toWire, type ErrorCode, type ResultMessage } from '../../shared/rpc.js';
import { CALL_ENVELOPE, type Role } from '../../shared/schemas/api.js';
import { parseOrThrow } from '../../shared/schemas/validate.js';
import { APP_ROOT } from '../data/paths.js';
import { dispatch, isApiMethod } from '../engine/host/handlers.js';
import { Session, type Engine } from '../engine/kernel/session.js';
import { metricsText } from '../monitoring/metrics.js';
import { Guard } from './guard.js';
import { DEFAULT_LIMITS, RateLimiter, RefusalCounter, type Limits, type RefusalReason } from './limits.js';
import { COOKIE, readCookie, sessionCookie, type Pairing } from './pairing.js';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export interface ServeOptions {
  port: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  rendererDir?: string;
  /** LAN mode: every client pairs first and gets the role of its pairing token. */
  pairing?: Pairing;
  /** Host names/addresses besides loopback this server answers to (the LAN name or address). */
  allowedHosts?: string[];
  /** Extra allowed browser Origins. */
  allowedOrigins?: string[];
  /** The name printed in URLs (default 127.0.0.1). */
  publicHost?: string;
  tls?: { cert: string | Buffer; key: string | Buffer };
  limits?: Partial<Limits>;
  /** Where internal errors are logged (default stderr). */
  log?: (line: string) => void;
  /** false: close() leaves the engine's services running (the desktop app's engine outlives its share). */
  ownsEngine?: boolean;
  /** Applied to every text sent to a client (secrets out: data/secrets.ts `redactor`). */
  redact?: (text: string) => string;
}

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  refusals: RefusalCounter;
  close(): Promise<void>;
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unknown_method: 404,
  unauthorized: 401,
  forbidden: 403,
  rate_limited: 429,
  too_large: 413,
  data_error: 422,
  failed: 422,
  cancelled: 503,
  internal: 500,
};

/** The redactor of the server that is answering each response. */
const REDACT = new WeakMap<ServerResponse, (text: string) => string>();

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  // Answering before the body was read (refusals): close the connection, or a keep-alive client reuses a socket
  // that Node then drops under its next request.
  const unread = !res.req.complete ? { connection: 'close' } : {};
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...unread, ...headers });
  const text = JSON.stringify(value) ?? 'null';
  const redact = REDACT.get(res);
  res.end(redact ? redact(text) : text);
}

/** A typed error as an HTTP answer: `{ error: { code, message, details } }` with the status that code means. */
function sendError(res: ServerResponse, e: RpcError | ReturnType<typeof toWire>, headers?: Record<string, string>): void {
  const w = e instanceof RpcError ? e.toWire() : e;
  sendJson(res, HTTP_STATUS[w.code], { error: w }, headers);
}

/** The body as JSON, refusing more than `max` bytes (too_large) and text that is not JSON (bad_request). */
async function readJsonBody(req: IncomingMessage, max: number): Promise<unknown> {
  const tooLarge = () => new RpcError('too_large', `the request body is over ${max / 1024} KiB`);
  // Far over the limit: drop the connection at once. Somewhat over: read and discard the rest, so that the client
  // (still sending) gets the 413 rather than a reset.
  const hardCap = 16 * max;
  if (Number(req.headers['content-length'] ?? 0) > hardCap) {
    req.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > hardCap) {
      req.destroy();
      throw tooLarge();
    }
    if (size <= max) chunks.push(c as Buffer);
  }
  if (size > max) throw tooLarge();
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new RpcError('bad_request', `the request body is not valid JSON (starts ${JSON.stringify(clip(text, 30))})`, [
      { path: '(body)', expected: 'JSON' },
    ]);
  }
}

const isJson = (ct: string | undefined): boolean => /^application\/json\s*(;|$)/i.test(ct ?? '');

export function startServer(engine: Engine, opts: ServeOptions): Promise<RunningServer> {
  const rendererDir = opts.rendererDir ?? join(APP_ROOT, 'out', 'renderer');
  const limits: Limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const guard = new Guard(opts.port, { hosts: opts.allowedHosts, origins: opts.allowedOrigins });
  const refusals = new RefusalCounter();
  const pairing = opts.pairing;
  const secure = !!opts.tls;
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const onInternal = (method: string) => (e: unknown) =>
    log(`pitwall serve: internal error in ${clip(method, 60)}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  // One session for plain HTTP calls (stateless clients such as curl and scrapers).
  const httpSession = new Session(engine, () => {});
  const httpRates = new WeakMap<Socket, RateLimiter>();
  const refuse = (reason: RefusalReason) => refusals.inc(reason);

  /** The caller's role: everyone is `engineer` on a local server; in LAN mode the paired session's role. */
  const roleOf = (req: IncomingMessage): { role: Role; sessionId?: string } | null => {
    if (!pairing) return { role: 'engineer' };
    const sessionId = readCookie(req.headers.cookie, COOKIE);
    const role = pairing.roleOf(sessionId);
    return role ? { role, sessionId } : null;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const refusal = guard.check(req);
    if (refusal) {
      refuse(refusal.reason);
      return sendError(res, new RpcError('forbidden', refusal.message));
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (pairing && path === '/pair') return pair(url, res);
    if (path === '/api/health') return sendJson(res, 200, await dispatch(httpSession, 'health', undefined, 'viewer'));
    const who = roleOf(req);
    if (!who) {
      refuse('unauthorized');
      if (!path.startsWith('/api/') && path !== '/metrics') {
        res.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP, 'cache-control': 'no-store' });
        return void res.end(
          '<!doctype html><title>PitWall: pair this screen</title><h1>Pair this screen first</h1>' +
            '<p>Scan the QR code or open the pairing link shown by <code>pitwall serve --lan</code> (or the desktop app\'s “Share with the garage”).</p>',
        );
      }
      return sendError(res, new RpcError('unauthorized', 'pair first: open the pairing link printed by `pitwall serve --lan` (or scan its QR code)'));
    }
    if (path.startsWith('/api/') || path === '/metrics') {
      let rate = httpRates.get(req.socket);
      if (!rate) httpRates.set(req.socket, (rate = new RateLimiter(limits.callsPerSecond, limits.burst)));
      if (!rate.take()) {
        refuse('rate_limited');
        return sendError(res, new RpcError('rate_limited', `over ${limits.callsPerSecond} calls per second on this connection: slow down`), { 'retry-after': '1' });
      }
    }
    if (path === '/api/status') return sendJson(res, 200, await dispatch(httpSession, 'status', undefined, who.role));
    if (path === '/api/commentary') {
      const since = url.searchParams.get('since') ?? undefined;
      return sendJson(res, 200, await dispatch(httpSession, 'commentarySince', { since }, who.role));
    }
    if (path === '/metrics') {
      const m = await metricsText(engine);
      res.writeHead(200, { 'content-type': m.contentType });
      return void res.end(m.body + refusals.prometheus());
    }
    if (path.startsWith('/api/call/')) {
      const method = path.slice('/api/call/'.length);
      if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'bad_request', message: 'use POST with a JSON body' } }, { allow: 'POST' });
      if (!isJson(req.headers['content-type'])) {
        refuse('content_type');
        return sendJson(res, 415, {
          error: { code: 'bad_request', message: 'POST /api/call/<method> takes Content-Type: application/json', details: [{ path: '(content-type)', expected: 'application/json' }] },
        });
      }
      if (!isApiMethod(method)) return sendError(res, new RpcError('unknown_method', `unknown API method "${clip(method, 60)}"`));
      const args = await readJsonBody(req, limits.maxMessageBytes);
      return sendJson(res, 200, (await dispatch(httpSession, method, args, who.role)) ?? null);
    }
    if (pairing && path.startsWith('/api/pairing/')) return pairingAdmin(req, res, path, who.role);
    if (path.startsWith('/api/')) return sendJson(res, 404, { error: { code: 'unknown_method', message: `no route ${clip(path, 60)}` } });
    return serveStatic(rendererDir, path, res);
  };

  /** GET /pair?token=…: a live token becomes a session cookie and a redirect to the app. */
  const pair = (url: URL, res: ServerResponse): void => {
    const got = pairing!.exchange(url.searchParams.get('token') ?? '');
    if (!got) {
      refuse('unauthorized');
      res.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': CSP });
      return void res.end('<!doctype html><title>PitWall: pairing failed</title><h1>This pairing link has expired or was revoked</h1><p>Ask the pit wall for a new code.</p>');
    }
    res.writeHead(302, { location: '/', 'set-cookie': sessionCookie(got.sessionId, got.maxAgeS, secure), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    res.end();
  };

  /** LAN mode, engineers only: POST /api/pairing/issue {role, minutes?} and POST /api/pairing/revoke {token?}. */
  const pairingAdmin = async (req: IncomingMessage, res: ServerResponse, path: string, role: Role): Promise<void> => {
    if (role !== 'engineer') {
      refuse('forbidden_role');
      return sendError(res, new RpcError('forbidden', 'managing pairings needs the engineer role'));
    }
    if (req.method !== 'POST' || !isJson(req.headers['content-type'])) {
      refuse('content_type');
      return sendJson(res, 415, { error: { code: 'bad_request', message: 'POST with Content-Type: application/json' } });
    }
    const body = await readJsonBody(req, limits.maxMessageBytes);
    if (path === '/api/pairing/issue') {
      const { role: r, minutes } = parseOrThrow(PAIR_ISSUE, body ?? {}, 'pairing/issue');
      const t = pairing!.issue(r, minutes === undefined ? undefined : minutes * 60_000);
      return sendJson(res, 200, { token: t.token, role: t.role, expiresAt: new Date(t.expiresAt).toISOString() });
    }
    if (path === '/api/pairing/revoke') {
      const { token } = parseOrThrow(PAIR_REVOKE, body ?? {}, 'pairing/revoke');
      return sendJson(res, 200, token ? { revoked: pairing!.revoke(token) } : { revokedSessions: pairing!.revokeAll() });
    }
    return sendJson(res, 404, { error: { code: 'unknown_method', message: `no route ${clip(path, 60)}` } });
  };

  const redact = opts.redact;
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (redact) REDACT.set(res, redact);
    handle(req, res).catch((e: unknown) => {
      const w = toWire(e, onInternal(req.url ?? ''));
      if (w.code === 'bad_request') refuse('bad_request');
      if (w.code === 'forbidden') refuse('forbidden_role');
      if (w.code === 'too_large') {
        refuse('too_large');
        res.setHeader('connection', 'close');
      }
      sendError(res, w);
    });
  };
  const server: Server = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest) : createServer(onRequest);
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;

  // WebSocket: the upgrade is checked (host, origin, pairing, session count) before the handshake completes.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
  const alive = new WeakSet<WebSocket>();
  const socketsOf = new Map<WebSocket, string | undefined>();
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const deny = (status: number, reason: RefusalReason | null, message: string) => {
      if (reason) refuse(reason);
      socket.end(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Service Unavailable'}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${message}\n`);
    };
    const refusal = guard.check(req);
    if (refusal) return deny(403, refusal.reason, refusal.message);
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/ws') return deny(404, null, 'the WebSocket is at /ws');
    const who = roleOf(req);
    if (!who) return deny(401, 'unauthorized', 'pair first: open the pairing link printed by `pitwall serve --lan`');
    if (wss.clients.size >= limits.maxSessions) return deny(503, 'sessions_full', `the server is at its limit of ${limits.maxSessions} connections`);
    wss.handleUpgrade(req, socket, head, (ws) => connected(ws, who.role, who.sessionId));
  });

  const out = redact ?? ((t: string) => t);
  const connected = (ws: WebSocket, role: Role, sessionId: string | undefined): void => {
    alive.add(ws);
    socketsOf.set(ws, sessionId);
    ws.on('pong', () => alive.add(ws));
    const rate = new RateLimiter(limits.callsPerSecond, limits.burst);
    const session = new Session(engine, (name, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(out(JSON.stringify({ kind: 'event', name, payload } satisfies WireMessage)));
    });
    const reply = (m: ResultMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(out(JSON.stringify(m)));
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        refuse('binary_frame');
        return reply(errResult(null, new RpcError('bad_request', 'binary frames are refused: send JSON text')));
      }
      if (!rate.take()) {
        refuse('rate_limited');
        return reply(errResult(idOf(data), new RpcError('rate_limited', `over ${limits.callsPerSecond} calls per second on this connection: slow down`)));
      }
      let call: { id: number; method: string; args?: unknown };
      try {
        let raw: unknown;
        try {
          raw = JSON.parse(String(data));
        } catch {
          throw new RpcError('bad_request', 'the message is not valid JSON', [{ path: '(message)', expected: 'JSON' }]);
        }
        call = parseOrThrow(CALL_ENVELOPE, raw, 'message');
      } catch (e) {
        refuse('bad_request');
        return reply(errResult(idOf(data), e));
      }
      dispatch(session, call.method, call.args, role).then(
        (value) => reply(okResult(call.id, value)),
        (e: unknown) => {
          if (e instanceof RpcError && e.code === 'bad_request') refuse('bad_request');
          if (e instanceof RpcError && e.code === 'forbidden') refuse('forbidden_role');
          reply(errResult(call.id, e, onInternal(call.method)));
        },
      );
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      socketsOf.delete(ws);
      session.dispose();
    });
  };

  // Dead peers (no pong within a heartbeat) are dropped; their sessions end with them.
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, limits.heartbeatMs);
  heartbeat.unref();
  // Revoked pairings end their open connections at once.
  const offRevoke = pairing?.onRevoke((ids) => {
    for (const [ws, id] of socketsOf) if (id && ids.has(id)) ws.close(4401, 'pairing revoked');
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : opts.port;
      guard.setPort(port);
      const name = opts.publicHost ?? '127.0.0.1';
      resolve({
        server,
        port,
        url: `${secure ? 'https' : 'http'}://${name.includes(':') ? `[${name}]` : name}:${port}/`,
        refusals,
        // Drops every client (keep-alive and in-flight requests too), then terminates the engine's worker threads:
        // afterwards nothing of the server keeps the process alive.
        close: async () => {
          clearInterval(heartbeat);
          offRevoke?.();
          for (const c of wss.clients) c.terminate();
          wss.close();
          httpSession.dispose();
          await new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
          });
          if (opts.ownsEngine !== false) await engine.services.releaseAll();
        },
      });
    });
  });
}

/** The id of a call that failed before its envelope was read, when one can be found cheaply. */
function idOf(data: unknown): number | null {
  const m = /"id"\s*:\s*(\d{1,15})\b/.exec(String(data).slice(0, 200));
  return m ? Number(m[1]) : null;
}

const PAIR_ISSUE = z.strictObject({ role: z.enum(['viewer', 'engineer']), minutes: z.number().int().min(1).max(24 * 60).optional() });
const PAIR_REVOKE = z.strictObject({ token: z.string().max(64).optional() });

function serveStatic(root: string, path: string, res: ServerResponse): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return sendJson(res, 400, { error: { code: 'bad_request', message: 'malformed URL' } });
  }
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  let file = join(root, rel);
  if (!file.startsWith(root + sep) && file !== root) return sendJson(res, 403, { error: { code: 'forbidden', message: 'forbidden' } });
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(503, { 'content-type': 'text/plain' });
    return void res.end('The renderer is not built. Run `npm run build`.');
  }
  res.writeHead(200, {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CSP,
    'cache-control': file.endsWith('index.html') ? 'no-cache' : 'max-age=3600',
    'x-content-type-options': 'nosniff',
  });
  createReadStream(file).pipe(res);
}
