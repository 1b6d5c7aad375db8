// First start: build the database from the bundled offline data, without any flag.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDb, type Db } from './db.js';
import { importData, type ImportOptions, type OnProgress } from './importer.js';
import { bundledDataDir } from './paths.js';

export function bundledSources(): Pick<ImportOptions, 'ergast' | 'laps'> {
  const root = bundledDataDir();
  const ergast = join(root, 'ergast');
  const laps = join(root, 'fastf1');
  return { ergast: existsSync(ergast) ? ergast : undefined, laps: existsSync(laps) ? laps : undefined };
}

export interface BootstrapOptions {
  /** Progress of a first-start import; the CLI draws a bar, the desktop app shows it in the window. */
  onProgress?: OnProgress;
}

/** Opens the database; if it has no races yet, imports the bundled data (one writer wins; others wait). */
export function openBootstrapped(file: string, opts: BootstrapOptions = {}): Db {
  const db = openDb(file);
  db.pragma('busy_timeout = 120000');
  const empty = () => (db.prepare('SELECT COUNT(*) AS n FROM races').get() as { n: number }).n === 0;
  if (!empty()) return db;
  const src = bundledSources();
  if (!src.ergast && !src.laps) return db;
  db.transaction(() => {
    if (!empty()) return;
    importData(db, { ...src, onProgress: opts.onProgress });
  }).immediate();
  return db;
}
