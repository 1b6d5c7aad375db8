// Imports the real data once per test run into a temp database shared (read-only) by the tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../src/main/data/db.js';
import { importData } from '../src/main/data/importer.js';
import { ERGAST_DIR, LAPS_DIR, PROJECT_ROOT } from './helpers/data.js';

export default function setup(): () => void {
  // CLI and server tests run the built engine; rebuilding takes a fraction of a second.
  execFileSync(process.execPath, ['scripts/build.mjs', 'engine', '--no-clean'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'pitwall-tests-'));
  const file = join(dir, 'test.db');
  const db = openDb(file);
  importData(db, { ergast: ERGAST_DIR, laps: LAPS_DIR });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  process.env.PITWALL_TEST_DB = file;
  return () => rmSync(dir, { recursive: true, force: true });
}
