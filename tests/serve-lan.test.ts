// The built CLI's `serve --lan --json`: one JSON line with url, port, pairUrl and expiresAt; following pairUrl (with
// a cookie) is all a browser needs. Without --lan a non-loopback --host is refused.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers/data.js';
import { dbCopy } from './helpers/db.js';

function dbFile(): string {
  const { db, file } = dbCopy();
  db.close();
  return file;
}

describe('pitwall serve --lan', () => {
  it('prints the pairing JSON; the pair URL sets the session cookie and redirects to the app', async () => {
    const child = spawn(process.execPath, ['bin/pitwall.mjs', 'serve', '--lan', '--host', '127.0.0.1', '--port', '0', '--db', dbFile(), '--json'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((ok) => child.once('exit', (c) => ok(c)));
    try {
      const out = await new Promise<Record<string, unknown>>((ok) =>
        createInterface({ input: child.stdout! }).on('line', (l) => l.startsWith('{') && ok(JSON.parse(l) as Record<string, unknown>)),
      );
      expect(Object.keys(out)).toEqual(expect.arrayContaining(['url', 'port', 'pairUrl', 'expiresAt', 'engineerPairUrl']));
      const url = String(out.url);
      expect(url).toBe(`http://127.0.0.1:${Number(out.port)}/`);
      expect(String(out.pairUrl)).toMatch(new RegExp(`^${url}pair\\?token=[\\w-]{22}$`));
      const ttl = Date.parse(String(out.expiresAt)) - Date.now();
      expect(ttl).toBeGreaterThan(14 * 60_000);
      expect(ttl).toBeLessThanOrEqual(15 * 60_000);
      expect((await fetch(`${url}api/status`)).status).toBe(401);
      const pair = await fetch(String(out.pairUrl), { redirect: 'manual' });
      expect(pair.status).toBe(302);
      expect(pair.headers.get('location')).toBe('/');
      const cookie = pair.headers.get('set-cookie')!.split(';')[0]!;
      expect((await fetch(`${url}api/status`, { headers: { cookie } })).status).toBe(200);
      // the viewer code cannot promote; the engineer code's session gets past the role check
      const promote = (c: string) =>
        fetch(`${url}api/call/modelPromote`, { method: 'POST', headers: { cookie: c, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'race-winner', version: 0 }) });
      expect((await promote(cookie)).status).toBe(403);
      const eng = (await fetch(String(out.engineerPairUrl), { redirect: 'manual' })).headers.get('set-cookie')!.split(';')[0]!;
      expect((await promote(eng)).status).toBe(400);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('refuses to serve a non-loopback address without pairing', () => {
    const r = spawnSync(process.execPath, ['bin/pitwall.mjs', 'serve', '--host', '0.0.0.0', '--port', '0', '--db', dbFile()], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/--host 0\.0\.0\.0 would serve the engine to the network without pairing: add --lan/);
  });
});
