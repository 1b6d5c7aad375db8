// Where things live: the project root (resources/, models/), and the user's data directory.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'resources'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

/** Root of the installed app (dev checkout or unpacked package). */
export const APP_ROOT = findRoot();
/** Bundled data and icons; the Electron shell overrides with PITWALL_RESOURCES when packaged. */
export const resourcesDir = (): string => process.env.PITWALL_RESOURCES ?? join(APP_ROOT, 'resources');
/** Shipped model files and cards. */
export const shippedModelsDir = (): string => process.env.PITWALL_MODELS ?? join(APP_ROOT, 'models');
export const bundledDataDir = (): string => join(resourcesDir(), 'data');

/** Per-user data directory (database, artifacts, caches), like Electron's app.getPath('userData'). */
export function dataDir(): string {
  if (process.env.PITWALL_HOME) return resolve(process.env.PITWALL_HOME);
  const home = homedir();
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'PitWall');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'PitWall');
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'pitwall');
}

/** The database file: --db, else PITWALL_DB, else <dataDir>/pitwall.db. */
export function dbPath(explicit?: string): string {
  if (explicit) return resolve(explicit);
  if (process.env.PITWALL_DB) return resolve(process.env.PITWALL_DB);
  return join(dataDir(), 'pitwall.db');
}

/** Artifacts (trained models, runs) live next to the database so a --db choice keeps them together. */
export function artifactsDir(dbFile: string): string {
  return join(dirname(dbFile), 'artifacts');
}
