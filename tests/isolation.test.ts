// The suite never touches the user's data directory: HOME and the data directory are fresh temporary folders
// (tests/helpers/isolation.ts, applied by tests/global-setup.ts and per file by tests/isolated-file.ts). A used
// data directory with a poisoned calibration cache is simulated in a stand-in HOME; the real one is never written.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cacheFile } from '../src/main/compute/cache.js';
import { dataDir, dbPath } from '../src/main/data/paths.js';
import { PROJECT_ROOT } from './helpers/data.js';
import { HOME_VARS, isolate } from './helpers/isolation.js';

const run = promisify(execFile);
const inside = (dir: string, p: string) => !relative(resolve(dir), resolve(p)).startsWith('..');

/** In a child process (the built engine, like a CLI run): where the calibration cache is, whether it was read, and
 *  the backend 'auto' picks for tyre training from it (no measuring). */
async function calibrationSeen(env: NodeJS.ProcessEnv): Promise<{ file: string; fingerprint: string; cached: boolean; backend: string }> {
  const out = (f: string) => pathToFileURL(join(PROJECT_ROOT, 'out', 'main', 'compute', f)).href;
  const script = `
    const { calibration, probe } = await import(${JSON.stringify(out('index.js'))});
    const { choose } = await import(${JSON.stringify(out('select.js'))});
    const c = await calibration({ measure: false });
    const p = await probe();
    const backend = choose('tyre-train', p.backends, c.timings, 'auto').backend;
    console.log(JSON.stringify({ file: c.file, fingerprint: c.fingerprint, cached: c.cached, backend }));`;
  const r = await run(process.execPath, ['--input-type=module', '-e', script], { env, cwd: PROJECT_ROOT });
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

/** Every file under `dir` with its bytes, to compare a folder before and after. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files[relative(dir, p)] = readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return files;
}

describe('test isolation', () => {
  it('runs every test with HOME, its derived paths and the data directory in a temporary folder', () => {
    const root = process.env.PITWALL_TEST_ISOLATION_ROOT!;
    expect(root).toBeTruthy();
    // temporary files (database copies, fixtures) go inside the run's root too: removed with it at teardown
    expect(inside(root, tmpdir())).toBe(true);
    for (const k of [...HOME_VARS, 'PITWALL_HOME', 'TMPDIR', 'TMP', 'TEMP']) expect(inside(root, process.env[k]!), k).toBe(true);
    expect(inside(root, dataDir())).toBe(true);
    expect(inside(root, cacheFile())).toBe(true);
    expect(inside(root, dbPath())).toBe(true);
    expect(process.env.HOME).not.toBe(process.env.PITWALL_TEST_USER_HOME);
  });

  it('ignores a poisoned calibration cache in a used data directory and writes nothing there', async () => {
    // a user's environment: HOME only, the data directory derived from it as the app does
    const userHome = mkdtempSync(join(tmpdir(), 'pitwall-user-'));
    const userEnv: NodeJS.ProcessEnv = { ...process.env, HOME: userHome, USERPROFILE: userHome, APPDATA: join(userHome, 'AppData', 'Roaming') };
    for (const k of Object.keys(userEnv)) if (k.startsWith('XDG_') || (k.startsWith('PITWALL_') && !k.startsWith('PITWALL_TEST_'))) delete userEnv[k];
    const fresh = await calibrationSeen(userEnv);
    expect(inside(userHome, fresh.file)).toBe(true);
    expect(fresh.cached).toBe(false);
    // a valid cache for this machine, poisoned: tfjs:cpu "wins" tyre training by far
    const backends = ['tfjs:cpu', 'tfjs:wasm', 'tfjs:tensorflow', 'tfjs:webgpu'];
    const timings = backends.map((b) => ({ workload: 'tyre-train', backend: b, median_ms: b === 'tfjs:cpu' ? 1 : 500, reps: 3 }));
    mkdirSync(resolve(fresh.file, '..'), { recursive: true });
    writeFileSync(fresh.file, JSON.stringify({ fingerprint: fresh.fingerprint, measuredAt: '2026-01-01T00:00:00Z', timings }));
    // the poison works where the app looks ...
    const used = await calibrationSeen(userEnv);
    expect(used).toMatchObject({ file: fresh.file, cached: true, backend: 'tfjs:cpu' });
    const before = snapshot(userHome);
    // ... and the isolation the suite applies hides it
    const testEnv = { ...userEnv };
    const iso = isolate(testEnv);
    const seen = await calibrationSeen(testEnv);
    expect(inside(iso.root, seen.file)).toBe(true);
    expect(inside(userHome, seen.file)).toBe(false);
    expect(seen.cached).toBe(false);
    expect(seen.backend).toBe(fresh.backend);
    expect(seen.backend).not.toBe('tfjs:cpu');
    expect(snapshot(userHome)).toEqual(before);
  });
});
