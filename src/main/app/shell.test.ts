// Smoke test of the built Electron shell under plain Node, with a recording stand-in for `electron`: start-up
// arguments, window security, IPC channels, the app:// protocol with its CSP, and a real engine child process.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_METHODS } from '../../shared/api.js';
import { fromIpcError } from '../../shared/rpc.js';
import { dbCopy } from '../../../tests/helpers/db.js';
import { PROJECT_ROOT } from '../../../tests/helpers/data.js';

describe('Electron shell (built main.js with a stand-in electron module)', () => {
  it('opens the deep-linked window securely and routes IPC to a real engine process', () => {
    const { db, file } = dbCopy();
    db.close();
    const out = execFileSync(
      process.execPath,
      [
        join(PROJECT_ROOT, 'src', 'main', 'app', 'testing', 'run-shell.mjs'),
        '--season=2023',
        '--round=1',
        '--speed=100',
        '--play',
      ],
      {
        env: {
          ...process.env,
          PITWALL_ROOT: PROJECT_ROOT,
          PITWALL_DB: file,
          PITWALL_NODE: process.execPath,
          FAKE_USER_DATA: mkdtempSync(join(tmpdir(), 'pitwall-userdata-')),
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(r.url).toBe('app://pitwall/index.html?season=2023&round=1&speed=100&play=1');
    expect(r.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: true,
    });
    expect(r.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(r.channels).toEqual(API_METHODS.map((m) => `pitwall:${m}`).sort());
    expect(r).toMatchObject({
      races: 22,
      firstRace: 'Bahrain Grand Prix',
      servesRoot: true,
      permission: false,
    });
    expect(r.traversal).toEqual({ status: 403, leaks: false });
    expect(r.foreign).toMatch(/unknown frame/);
    expect(r.pushed).toContain('pitwall:event replay:snapshot');
    expect(r.csp).toMatch(/script-src 'self'/);
    expect(r.csp).toMatch(/connect-src 'none'/);
    expect(r.popup).toEqual({ action: 'deny' });
    expect(r.navigationBlocked).toEqual({ away: true, inside: false });
    // engine errors cross IPC as typed errors: the renderer rebuilds the code and the message
    expect(fromIpcError(new Error(String(r.badArgs)))).toMatchObject({ code: 'bad_request', message: 'listRaces: (arguments) must be object (got null)' });
    expect(r.menu).toEqual(expect.arrayContaining(['File', 'View', 'help']));
  });
});
