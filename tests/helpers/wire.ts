// Raw HTTP and WebSocket clients for the server's security tests: any Host, Origin, Cookie or body, and the
// answer as it came (status, headers, text), without fetch's header rules.
import { request } from 'node:http';
import WebSocket from 'ws';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export function raw(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export const postJson = (port: number, method: string, body: unknown, headers: Record<string, string> = {}) =>
  raw(port, {
    method: 'POST',
    path: `/api/call/${method}`,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  });

/** Opens a WebSocket; resolves 'open' with the socket, or the refusal's HTTP status. */
export function openWs(port: number, headers: Record<string, string> = {}): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ status: -1 }));
  });
}

/** A WebSocket client that reads every reply: `send` raw text/binary and await the next message. */
export class WsClient {
  private readonly inbox: unknown[] = [];
  private waiters: ((m: unknown) => void)[] = [];
  closed: { code: number } | null = null;
  private closeWaiters: ((c: { code: number }) => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (d: Buffer) => {
      let m: unknown;
      try {
        m = JSON.parse(String(d));
      } catch {
        m = { unparsable: String(d).slice(0, 100) };
      }
      if ((m as { kind?: string }).kind === 'event') return;
      const w = this.waiters.shift();
      if (w) w(m);
      else this.inbox.push(m);
    });
    ws.on('close', (code) => {
      this.closed = { code };
      this.closeWaiters.forEach((f) => f({ code }));
      this.waiters.forEach((f) => f({ closed: code }));
      this.waiters = [];
    });
  }

  next(): Promise<unknown> {
    if (this.inbox.length) return Promise.resolve(this.inbox.shift());
    if (this.closed) return Promise.resolve({ closed: this.closed.code });
    return new Promise((r) => this.waiters.push(r));
  }

  whenClosed(): Promise<{ code: number }> {
    return this.closed ? Promise.resolve(this.closed) : new Promise((r) => this.closeWaiters.push(r));
  }

  send(data: string | Buffer, binary = false): Promise<unknown> {
    this.ws.send(data, { binary });
    return this.next();
  }

  call(id: number, method: string, args?: unknown): Promise<unknown> {
    return this.send(JSON.stringify({ kind: 'call', id, method, args }));
  }
}
