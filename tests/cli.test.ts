// The `pitwall` command as a user runs it: default database from the bundled data, help everywhere, clear errors.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers/data.js';
import { sharedDbPath } from './helpers/db.js';

const run = promisify(execFile);
const BIN = join(PROJECT_ROOT, 'bin', 'pitwall.mjs');

async function pitwall(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, cwd: PROJECT_ROOT });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('pitwall CLI', () => {
  it('builds the default database from the bundled data on first use, with no flag', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pitwall-home-'));
    const r = await pitwall(['status', '--json'], { PITWALL_DB: join(home, 'first.db') });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.races).toBeGreaterThanOrEqual(1100);
    expect(s.results).toBeGreaterThanOrEqual(26000);
    expect(s.laps).toBeGreaterThanOrEqual(150000);
    expect(s.seasons).toEqual([1950, 2024]);
    expect(s.schemaVersion).toBeGreaterThanOrEqual(1);
  });

  it('gives every command and subcommand a --help', async () => {
    const top = await pitwall(['--help']);
    expect(top.code).toBe(0);
    const names = [...top.stdout.matchAll(/^ {2}(\S+)\s{2,}/gm)].map((m) => m[1]!);
    expect(names).toEqual(expect.arrayContaining(['import', 'serve', 'status']));
    for (const name of names) {
      const r = await pitwall([name, '--help']);
      expect(r.code, name).toBe(0);
      expect(r.stdout).toContain(`pitwall ${name}`);
      expect(r.stdout).toContain('--json');
    }
  });

  it('explains unknown commands, unknown options and missing arguments', async () => {
    expect((await pitwall(['nope'])).stderr).toMatch(/unknown command "nope"/);
    const bad = await pitwall(['status', '--bogus', '--db', sharedDbPath()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown option --bogus/);
    const imp = await pitwall(['import', '--db', join(mkdtempSync(join(tmpdir(), 'pitwall-cli-')), 'x.db')]);
    expect(imp.code).toBe(2);
    expect(imp.stderr).toMatch(/--ergast DIR and\/or --laps DIR/);
  });

  it('reports a bad import with file, line and column and exit code 1', async () => {
    // a private database: a fixed path in the shared temp folder could hold anybody's file (a newer schema, say)
    const dir = mkdtempSync(join(tmpdir(), 'pitwall-cli-'));
    const r = await pitwall(['import', '--ergast', join(dir, 'no-such-dir'), '--db', join(dir, 'y.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Ergast folder not found/);
  });
});
