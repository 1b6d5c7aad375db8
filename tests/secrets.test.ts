// Secrets in serve mode: stored 0600 under the data directory, set from standard input, used by the engine (the
// Anthropic key reaches a stand-in Anthropic API), and never written to the logs nor sent to a client — even when
// the upstream API echoes the key back in an error.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FileSecretStore, redactor, redactStream, secretsToEnv } from '../src/main/data/secrets.js';
import { PROJECT_ROOT } from './helpers/data.js';
import { dbCopy } from './helpers/db.js';

const SECRETS = {
  anthropicApiKey: 'sk-ant-test-0123456789abcdefSECRET',
  f1LiveToken: 'f1-live-token-9876543210SECRET',
  openf1Token: 'openf1-token-55555555SECRET',
};

describe('the serve-mode secret store', () => {
  it('writes a 0600 file, refuses one others can read, and copies values into the environment', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pitwall-secrets-')), 'sub', 'secrets.json');
    const store = new FileSecretStore(file);
    store.set('anthropicApiKey', SECRETS.anthropicApiKey);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(store.names()).toEqual(['anthropicApiKey']);
    const env: NodeJS.ProcessEnv = { PITWALL_OPENF1_TOKEN: 'from-the-environment' };
    store.set('openf1Token', 'stored-but-env-wins');
    expect(secretsToEnv(store, env).sort()).toEqual([SECRETS.anthropicApiKey, 'from-the-environment'].sort());
    expect(env.ANTHROPIC_API_KEY).toBe(SECRETS.anthropicApiKey);
    chmodSync(file, 0o644);
    expect(() => store.names()).toThrow(/readable by others \(mode 644\); run: chmod 600/);
  });

  it('redacts every secret from what a stream is given', () => {
    const seen: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        seen.push(chunk.toString());
        cb();
      },
    }) as unknown as NodeJS.WriteStream;
    redactStream(sink, redactor(Object.values(SECRETS)));
    sink.write(`key=${SECRETS.anthropicApiKey} token=${SECRETS.f1LiveToken}\n`);
    sink.write(Buffer.from(`x ${SECRETS.openf1Token}`));
    expect(seen.join('')).toBe('key=[redacted] token=[redacted]\nx [redacted]');
  });
});

describe('pitwall serve with secrets', () => {
  it('uses the Anthropic key upstream; no secret reaches its logs or a client, even when echoed back', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pitwall-home-'));
    const { db, file } = dbCopy();
    db.close();
    for (const [name, value] of Object.entries(SECRETS)) {
      const r = spawnSync(process.execPath, ['bin/pitwall.mjs', 'secrets', 'set', name], { cwd: PROJECT_ROOT, input: value, env: { ...process.env, PITWALL_HOME: home }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(value);
    }
    expect(statSync(join(home, 'secrets.json')).mode & 0o777).toBe(0o600);

    // A stand-in Anthropic API that records the key and answers 401, echoing the key in its error.
    const keys: string[] = [];
    const fake = createServer((req, res) => {
      const key = String(req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '') ?? '');
      keys.push(key);
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${key}` } }));
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()));
    const fakePort = (fake.address() as { port: number }).port;

    const env: NodeJS.ProcessEnv = { ...process.env, PITWALL_HOME: home, ANTHROPIC_BASE_URL: `http://127.0.0.1:${fakePort}` };
    delete env.ANTHROPIC_API_KEY;
    delete env.PITWALL_F1_LIVE_TOKEN;
    delete env.PITWALL_OPENF1_TOKEN;
    const child = spawn(process.execPath, ['bin/pitwall.mjs', 'serve', '--port', '0', '--db', file, '--json'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const url = await new Promise<string>((ok) =>
      createInterface({ input: child.stdout! }).on('line', (l) => l.startsWith('{') && ok((JSON.parse(l) as { url: string }).url)),
    );
    const received: string[] = [];
    try {
      const ws = new WebSocket(`${url.replace('http', 'ws')}ws`);
      await new Promise((r) => ws.once('open', r));
      ws.on('message', (d: Buffer) => received.push(d.toString()));
      ws.send(JSON.stringify({ kind: 'call', id: 1, method: 'replayOpen', args: { season: 2023, round: 1 } }));
      ws.send(JSON.stringify({ kind: 'call', id: 2, method: 'replaySetSpeed', args: { speed: 100 } }));
      ws.send(JSON.stringify({ kind: 'call', id: 3, method: 'replayPlay' }));
      await expect.poll(() => keys.length, { timeout: 60_000, interval: 200 }).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 1500)); // let the failure travel through commentary and the logs
      ws.close();
    } finally {
      child.kill('SIGTERM');
      await exited;
      await new Promise<void>((r) => fake.close(() => r()));
    }
    expect(keys[0]).toBe(SECRETS.anthropicApiKey); // the stored key was used
    expect(received.some((m) => m.includes('"commentary:line"') || m.includes('"replay:snapshot"'))).toBe(true);
    for (const value of Object.values(SECRETS)) {
      expect(out).not.toContain(value);
      for (const m of received) expect(m).not.toContain(value);
    }
    writeFileSync(join(home, 'log.txt'), out); // for a human looking at a failure
  });
});
