// The HTTP client against a local server: retries, 429 + Retry-After, cache, offline, malformed JSON, User-Agent.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, retryAfterMs, TokenBucket, USER_AGENT } from './http.js';

let server: Server;
let base = '';
const seen: { url: string; ua: string | undefined }[] = [];
const plan = new Map<string, number[]>(); // path → status codes to answer in turn (then 200)

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    seen.push({ url: req.url ?? '', ua: req.headers['user-agent'] });
    const codes = plan.get(req.url ?? '');
    const code = codes?.shift() ?? 200;
    if (code === 429) res.writeHead(429, { 'retry-after': '0' }).end('{}');
    else if (code === 0) req.socket.destroy();
    else if (req.url?.startsWith('/bad')) res.writeHead(200).end('{"MRData": {');
    else res.writeHead(code).end(JSON.stringify({ path: req.url, code }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const client = (extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) =>
  new HttpClient({ source: 'test', cacheDir: mkdtempSync(join(tmpdir(), 'pitwall-http-')), backoffMs: 1, retries: 3, ...extra });

describe('HttpClient', () => {
  it('names PitWall in the User-Agent and caches: a second get makes no request', async () => {
    const c = client();
    const n = seen.length;
    expect(await c.getJson(`${base}/a`)).toEqual({ path: '/a', code: 200 });
    expect(await c.getJson(`${base}/a`)).toEqual({ path: '/a', code: 200 });
    expect(seen.length - n).toBe(1);
    expect(seen[seen.length - 1]!.ua).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^PitWall\//);
    expect(c.stats).toMatchObject({ requests: 1, cached: 1 });
  });

  it('retries 429 (honouring Retry-After), 5xx and dropped connections, then succeeds', async () => {
    plan.set('/flaky', [429, 503, 0]);
    const c = client();
    expect(await c.getJson(`${base}/flaky`)).toEqual({ path: '/flaky', code: 200 });
    expect(c.stats).toMatchObject({ requests: 4, retries: 3, throttled: 1 });
  });

  it('gives up after the retries with an error naming the URL; a 404 is not retried', async () => {
    plan.set('/down', [503, 503, 503, 503, 503]);
    await expect(client().getText(`${base}/down`)).rejects.toThrow(`test: failed after 4 attempts: HTTP 503 (${base}/down)`);
    const c = client();
    plan.set('/gone', [404]);
    await expect(c.getText(`${base}/gone`)).rejects.toThrow(/HTTP 404.*\/gone/);
    expect(c.stats.requests).toBe(1);
  });

  it('does not keep what `keep` refuses, refetches when reuse is off, and replays the cache offline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pitwall-http-'));
    const c = client({ cacheDir: dir });
    await c.getText(`${base}/empty`, { keep: () => false });
    await c.getText(`${base}/empty`, { keep: () => false });
    await c.getText(`${base}/sched`, { reuse: false });
    await c.getText(`${base}/sched`, { reuse: false });
    expect(c.stats).toMatchObject({ requests: 4, cached: 0 });
    const off = client({ cacheDir: dir, offline: true });
    expect(JSON.parse(await off.getText(`${base}/sched`, { reuse: false }))).toEqual({ path: '/sched', code: 200 });
    await expect(off.getText(`${base}/empty`)).rejects.toThrow(/offline and no cached response .*\/empty/);
    expect(off.stats).toMatchObject({ requests: 0, cached: 1 });
  });

  it('reports malformed JSON with the URL', async () => {
    await expect(client().getJson(`${base}/bad`)).rejects.toThrow(new RegExp(`malformed JSON .*${base}/bad`));
  });

  it('times out a request that never answers', async () => {
    const hang = createServer(() => {});
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hang.address() as { port: number }).port}/x`;
    await expect(client({ timeoutMs: 50, retries: 1 }).getText(url)).rejects.toThrow(/failed after 2 attempts: timed out/);
    hang.closeAllConnections();
    hang.close();
  });
});

describe('rate limits', () => {
  it('a token bucket allows its burst, then one request per 1/rate seconds', () => {
    let t = 0;
    const b = new TokenBucket({ burst: 4, perSecond: 4 }, () => t);
    expect([b.tryTake(), b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([0, 0, 0, 0]);
    expect(b.tryTake()).toBe(250);
    t = 250;
    expect(b.tryTake()).toBe(0);
    b.drain();
    expect(b.tryTake()).toBe(250);
  });
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
  });
  it('waits for the slowest bucket without losing the others’ tokens', async () => {
    const waits: number[] = [];
    const c = client({ limits: [{ burst: 2, perSecond: 1000 }, { burst: 1, perSecond: 10 }], sleep: (ms) => (waits.push(ms), new Promise((r) => setTimeout(r, ms))) });
    await c.getText(`${base}/r1`);
    await c.getText(`${base}/r2`);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]).toBeGreaterThan(50);
  });
});
