// Where tests find the real data: ../shared/data when present (the source), else the bundled copy.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SHARED = resolve(ROOT, '..', 'shared', 'data');
export const DATA_DIR = existsSync(join(SHARED, 'ergast', 'races.csv')) ? SHARED : join(ROOT, 'resources', 'data');
export const ERGAST_DIR = join(DATA_DIR, 'ergast');
export const LAPS_DIR = join(DATA_DIR, 'fastf1');
export const PROJECT_ROOT = ROOT;
