// Test isolation: every test run gets its own HOME and data directory in a fresh temporary folder, so nothing in
// the suite reads or writes the user's real data directory (database, artifacts, calibration cache). Applied by
// tests/global-setup.ts to the runner's environment before any worker, CLI or server child process starts; those
// inherit it.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Variables that place per-user files: HOME and what platforms derive from it. */
export const HOME_VARS = ['HOME', 'USERPROFILE', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME', 'APPDATA', 'LOCALAPPDATA'] as const;

export interface Isolation {
  /** The temporary folder holding everything below. */
  root: string;
  home: string;
  /** PITWALL_HOME: the data directory the app uses during the tests. */
  dataDir: string;
  /** TMPDIR (and TMP, TEMP): where os.tmpdir() points during the tests. */
  tmp: string;
}

/**
 * Points HOME, the HOME-derived variables and PITWALL_HOME of `env` into a fresh temporary folder, and removes the
 * user's own PITWALL_* settings (PITWALL_DB, PITWALL_DEVICE, ...) that would steer tests to their files or choices.
 * The variables the tests themselves set (PITWALL_TEST_*) are kept. The user's HOME is kept as PITWALL_TEST_USER_HOME
 * (read only by the isolation test, never written).
 */
export function isolate(env: NodeJS.ProcessEnv = process.env, parent: string = tmpdir()): Isolation {
  const root = mkdtempSync(join(parent, 'pitwall-isolated-'));
  const home = join(root, 'home');
  const dataDir = join(root, 'data');
  if (env.PITWALL_TEST_USER_HOME === undefined && env.HOME !== undefined) env.PITWALL_TEST_USER_HOME = env.HOME;
  for (const k of Object.keys(env)) if (k.startsWith('PITWALL_') && !k.startsWith('PITWALL_TEST_')) delete env[k];
  const dirs: Record<(typeof HOME_VARS)[number], string> = {
    HOME: home,
    USERPROFILE: home,
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    APPDATA: join(home, 'AppData', 'Roaming'),
    LOCALAPPDATA: join(home, 'AppData', 'Local'),
  };
  for (const [k, v] of Object.entries(dirs)) {
    mkdirSync(v, { recursive: true });
    env[k] = v;
  }
  mkdirSync(dataDir, { recursive: true });
  env.PITWALL_HOME = dataDir;
  // temporary files too (database copies, fixtures, child processes' scratch): removed with the root at teardown
  const tmp = join(root, 'tmp');
  mkdirSync(tmp, { recursive: true });
  for (const k of ['TMPDIR', 'TMP', 'TEMP']) env[k] = tmp;
  return { root, home, dataDir, tmp };
}
