// `pitwall serve`: HTTP (renderer, REST) + WebSocket (the typed API and pushes) on 127.0.0.1.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiMethod, WireMessage } from '../../shared/api.js';
import { API_METHODS } from '../../shared/api.js';
import { APP_ROOT } from '../data/paths.js';
import { dispatch } from '../engine/host/handlers.js';
import { Session, type Engine } from '../engine/kernel/session.js';
import { metricsText } from '../monitoring/metrics.js';

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
  host?: string;
  rendererDir?: string;
}

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export function startServer(engine: Engine, opts: ServeOptions): Promise<RunningServer> {
  const rendererDir = opts.rendererDir ?? join(APP_ROOT, 'out', 'renderer');
  // One session for plain HTTP calls (stateless clients such as curl and scrapers).
  const httpSession = new Session(engine, () => {});

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname;
      if (path === '/api/health') return sendJson(res, 200, await dispatch(httpSession, 'health', undefined));
      if (path === '/api/status') return sendJson(res, 200, await dispatch(httpSession, 'status', undefined));
      if (path === '/api/commentary') {
        const since = url.searchParams.get('since') ?? undefined;
        return sendJson(res, 200, await dispatch(httpSession, 'commentarySince', { since }));
      }
      if (path === '/metrics') {
        const m = await metricsText(engine);
        res.writeHead(200, { 'content-type': m.contentType });
        return res.end(m.body);
      }
      if (path.startsWith('/api/call/') && req.method === 'POST') {
        const method = path.slice('/api/call/'.length);
        if (!(API_METHODS as readonly string[]).includes(method)) return sendJson(res, 404, { error: `unknown method ${method}` });
        return sendJson(res, 200, (await dispatch(httpSession, method, await readBody(req))) ?? null);
      }
      if (path.startsWith('/api/')) return sendJson(res, 404, { error: `no route ${path}` });
      return serveStatic(rendererDir, path, res);
    } catch (e) {
      sendJson(res, 500, { error: (e as Error).message });
    }
  });

  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (ws: WebSocket) => {
    const session = new Session(engine, (name, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ kind: 'event', name, payload } satisfies WireMessage));
    });
    ws.on('message', async (data) => {
      let msg: WireMessage;
      try {
        msg = JSON.parse(String(data)) as WireMessage;
      } catch {
        return;
      }
      if (msg.kind !== 'call') return;
      let reply: WireMessage;
      try {
        const value = await dispatch(session, msg.method as ApiMethod, msg.args);
        reply = { kind: 'result', id: msg.id, ok: true, value: value ?? null };
      } catch (e) {
        reply = { kind: 'result', id: msg.id, ok: false, error: (e as Error).message };
      }
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
    });
    ws.on('close', () => session.dispose());
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : opts.port;
      resolve({
        server,
        port,
        url: `http://127.0.0.1:${port}/`,
        // Drops every client (keep-alive and in-flight requests too), then terminates the engine's worker threads:
        // afterwards nothing of the server keeps the process alive.
        close: async () => {
          for (const c of wss.clients) c.terminate();
          wss.close();
          httpSession.dispose();
          await new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
          });
          await engine.services.releaseAll();
        },
      });
    });
  });
}

function serveStatic(root: string, path: string, res: ServerResponse): void {
  const rel = normalize(decodeURIComponent(path)).replace(/^([/\\])+/, '');
  let file = join(root, rel);
  if (!file.startsWith(root + sep) && file !== root) return sendJson(res, 403, { error: 'forbidden' });
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(503, { 'content-type': 'text/plain' });
    return void res.end('The renderer is not built. Run `npm run build`.');
  }
  res.writeHead(200, {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CSP,
    'cache-control': file.endsWith('index.html') ? 'no-cache' : 'max-age=3600',
  });
  createReadStream(file).pipe(res);
}
