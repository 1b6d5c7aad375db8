// Where tests find the real data: ../shared/data when present (the source), else the bundled copy.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SHARED = resolve(ROOT, '..', 'shared', 'data');
export const DATA_DIR = existsSync(join(SHARED, 'ergast', 'races.csv')) ? SHARED : join(ROOT, 'resources', 'data');
export const ERGAST_DIR = join(DATA_DIR, 'ergast');
export const LAPS_DIR = join(DATA_DIR, 'fastf1');
export const PROJECT_ROOT = ROOT;

/** A writable copy of a data folder with plain (decompressed) files, for tests that corrupt real files. */
export function plainCopy(src: string): string {
  const dst = mkdtempSync(join(tmpdir(), 'pitwall-data-'));
  const walk = (rel: string) => {
    for (const name of readdirSync(join(src, rel))) {
      const r = join(rel, name);
      if (statSync(join(src, r)).isDirectory()) {
        mkdirSync(join(dst, r), { recursive: true });
        walk(r);
      } else if (name.endsWith('.gz')) writeFileSync(join(dst, r.slice(0, -3)), gunzipSync(readFileSync(join(src, r))));
      else copyFileSync(join(src, r), join(dst, r));
    }
  };
  walk('.');
  return dst;
}
