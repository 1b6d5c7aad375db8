// The live feeds' tokens over the API (the Settings dialog): an engineer stores them in the secret store and the
// engine's environment; a viewer is refused; no answer, push or log ever carries a value back.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretsFile } from '../src/main/data/secrets.js';
import { createEngine } from '../src/main/engine/host/engine.js';
import { Pairing } from '../src/main/server/pairing.js';
import { startServer, type RunningServer } from '../src/main/server/server.js';
import { dbCopy } from './helpers/db.js';
import { postJson, raw } from './helpers/wire.js';

function dbFile(): string {
  const { db, file } = dbCopy();
  db.close();
  return file;
}

describe('live tokens through the API', () => {
  let srv: RunningServer;
  const logs: string[] = [];
  const pairing = new Pairing({ tokenTtlMs: 60_000, sessionTtlMs: 3_600_000 });
  const TOKEN = 'f1tv-eyJhbGciOi.secret-value-123456';
  beforeAll(async () => {
    srv = await startServer(createEngine({ db: dbFile() }), { port: 0, pairing, log: (l: string) => logs.push(l) });
  });
  afterAll(() => srv.close());
  const as = async (role: 'viewer' | 'engineer') => {
    const r = await raw(srv.port, { path: `/pair?token=${pairing.issue(role).token}` });
    return { cookie: r.headers['set-cookie']![0]!.split(';')[0]! };
  };

  it('a viewer can neither read nor set them', async () => {
    const viewer = await as('viewer');
    for (const [m, a] of [['liveTokens', undefined], ['liveSetToken', { name: 'f1LiveToken', value: TOKEN }]] as const) {
      const r = await postJson(srv.port, m, a, viewer);
      expect(r.status).toBe(403);
      expect(JSON.parse(r.text)).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect(process.env.PITWALL_F1_LIVE_TOKEN).toBeUndefined();
  });

  it('an engineer stores one: the store and the engine have it, the answers say only that it is set', async () => {
    const eng = await as('engineer');
    const before = JSON.parse((await postJson(srv.port, 'liveTokens', undefined, eng)).text);
    expect(before).toEqual({ f1LiveToken: false, openf1Token: false });
    const set = await postJson(srv.port, 'liveSetToken', { name: 'f1LiveToken', value: `  ${TOKEN}\n` }, eng);
    expect(JSON.parse(set.text)).toEqual({ f1LiveToken: true, openf1Token: false });
    expect(set.text).not.toContain('secret-value');
    expect(JSON.parse(readFileSync(secretsFile(), 'utf8'))).toEqual({ f1LiveToken: TOKEN });
    expect(process.env.PITWALL_F1_LIVE_TOKEN).toBe(TOKEN); // the f1 source reads it at its next start
    expect((await postJson(srv.port, 'liveTokens', undefined, eng)).text).not.toContain('secret-value');
    // an empty value removes it
    const cleared = await postJson(srv.port, 'liveSetToken', { name: 'f1LiveToken', value: '' }, eng);
    expect(JSON.parse(cleared.text)).toEqual({ f1LiveToken: false, openf1Token: false });
    expect(process.env.PITWALL_F1_LIVE_TOKEN).toBeUndefined();
    expect(logs.join('\n')).not.toContain('secret-value');
  });
});
