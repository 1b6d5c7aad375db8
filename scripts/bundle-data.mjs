// Maintainer tool (not run by the app): refreshes resources/data from a checkout of the source data.
// usage: node scripts/bundle-data.mjs ../shared/data
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const src = process.argv[2];
if (!src) throw new Error('usage: node scripts/bundle-data.mjs SOURCE_DATA_DIR');
const dst = 'resources/data';
const walk = (rel) => {
  for (const name of readdirSync(join(src, rel))) {
    const r = join(rel, name);
    if (statSync(join(src, r)).isDirectory()) walk(r);
    else {
      mkdirSync(join(dst, rel), { recursive: true });
      if (/\.(csv|json|ini)$/.test(name)) writeFileSync(join(dst, r + '.gz'), gzipSync(readFileSync(join(src, r)), { level: 9 }));
      else copyFileSync(join(src, r), join(dst, r));
    }
  }
};
walk('.');
console.log('bundled', src, '→', dst);
