// Isolates the run (HOME and the data directory in a fresh temporary folder: tests/helpers/isolation.ts), then
// imports the real data once per test run into a temp database shared (read-only) by the tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../src/main/data/db.js';
import { importData } from '../src/main/data/importer.js';
import { ERGAST_DIR, LAPS_DIR, PROJECT_ROOT } from './helpers/data.js';
import { isolate } from './helpers/isolation.js';

export default function setup(): () => void {
  // first, before anything can read HOME or the data directory: workers and child processes inherit process.env
  const isolated = isolate(process.env);
  process.env.PITWALL_TEST_ISOLATION_ROOT = isolated.root; // tests/isolated-file.ts: a fresh HOME per test file
  // CLI and server tests run the built engine; rebuilding takes a fraction of a second.
  execFileSync(process.execPath, ['scripts/build.mjs', 'engine', '--no-clean'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'pitwall-tests-'));
  const file = join(dir, 'test.db');
  const db = openDb(file);
  importData(db, { ergast: ERGAST_DIR, laps: LAPS_DIR });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  process.env.PITWALL_TEST_DB = file;
  return () => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(isolated.root, { recursive: true, force: true });
  };
}
