// A database with the full real data, imported once per test run by tests/global-setup.ts.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../src/main/data/db.js';

export function sharedDbPath(): string {
  const p = process.env.PITWALL_TEST_DB;
  if (!p) throw new Error('PITWALL_TEST_DB is not set: run tests through vitest (tests/global-setup.ts)');
  return p;
}

/** Opens the shared imported database. Treat it as read-only; use `dbCopy()` to write. */
export function sharedDb(): Db {
  return openDb(sharedDbPath());
}

/** A private writable copy of the imported database. */
export function dbCopy(): { db: Db; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pitwall-test-'));
  const file = join(dir, 'copy.db');
  const src = openDb(sharedDbPath());
  src.pragma('wal_checkpoint(TRUNCATE)');
  src.close();
  copyFileSync(sharedDbPath(), file);
  return { db: openDb(file), file };
}
