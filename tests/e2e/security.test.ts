// A real Chromium page served by another origin on 127.0.0.1 tries to drive `pitwall serve`: its WebSocket and
// its POSTs (a "simple" text/plain one needing no preflight, and a JSON one) are refused, nothing is promoted,
// and the refusals are counted in /metrics. The app's own page on the server's origin still connects.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, CHROMIUM, serve, type Browser, type Served } from './harness.js';

const hasChromium = existsSync(CHROMIUM);

const EVIL_PAGE = (target: string) => `<!doctype html><meta charset="utf-8"><title>evil</title><script>
window.attack = async () => {
  const out = {};
  out.ws = await new Promise((resolve) => {
    const ws = new WebSocket('${target.replace('http', 'ws')}ws');
    ws.onopen = () => { ws.send(JSON.stringify({ kind: 'call', id: 1, method: 'modelPromote', args: { name: 'race-winner', version: 1 } })); resolve('open'); };
    ws.onerror = () => resolve('refused');
    setTimeout(() => resolve('timeout'), 5000);
  });
  try {
    await fetch('${target}api/call/modelPromote', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ name: 'race-winner', version: 1 }) });
    out.simplePost = 'sent';
  } catch (e) { out.simplePost = 'failed'; }
  try {
    const r = await fetch('${target}api/call/modelPromote', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'race-winner', version: 1 }) });
    out.jsonPost = 'answered ' + r.status;
  } catch (e) { out.jsonPost = 'blocked'; }
  return out;
};
</script>`;

const refused = async (srv: Served, reason: string): Promise<number> => {
  const text = await (await fetch(`${srv.url}metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`pitwall_server_refused_total{reason="${reason}"}`));
  return Number(line?.split(' ')[1] ?? NaN);
};

describe.skipIf(!hasChromium)('a page from another origin cannot drive pitwall serve (Chromium)', () => {
  let srv: Served;
  let b: Browser;
  let evil: Server;
  let evilUrl = '';
  beforeAll(async () => {
    srv = await serve();
    b = await browser();
    evil = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(EVIL_PAGE(srv.url));
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
    const addr = evil.address();
    evilUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
  });
  afterAll(async () => {
    await b?.close();
    await srv?.stop();
    await new Promise<void>((r) => (evil ? evil.close(() => r()) : r()));
  });

  it('refuses its WebSocket and POSTs; the models stay as they were', async () => {
    const models = async () => (await (await fetch(`${srv.url}api/call/modelsList`, { method: 'POST', headers: { 'content-type': 'application/json' } })).json()) as unknown;
    const before = await models();
    const originBefore = await refused(srv, 'origin');
    await b.page.goto(evilUrl);
    const out = (await b.page.evaluate('window.attack()')) as Record<string, string>;
    expect(out.ws).toBe('refused');
    expect(out.jsonPost).toBe('blocked'); // its preflight is refused, so the POST is never sent
    expect(await models()).toEqual(before);
    // the WebSocket, the text/plain POST (sent: it needs no preflight, but carries Origin) and the preflight
    expect((await refused(srv, 'origin')) - originBefore).toBeGreaterThanOrEqual(3);
  });

  it('the app on the server’s own origin still connects', async () => {
    await b.page.goto(srv.url);
    await b.page.waitForSelector('[data-app-state="ready"]', { timeout: 20_000 });
    expect(b.errors).toEqual([]);
  });
});
