// Full import of the bundled offline data into a fresh database: rows/s. Target: under 15 s on 2 cores.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../out/main/data/db.js';
import { importData } from '../out/main/data/importer.js';
import { bundledSources } from '../out/main/data/bootstrap.js';

const runs = [];
for (let i = 0; i < 3; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'pitwall-bench-'));
  const db = openDb(join(dir, 'bench.db'));
  const t0 = performance.now();
  const report = importData(db, bundledSources());
  runs.push({ seconds: (performance.now() - t0) / 1000, rows: report.rows, files: report.files });
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
runs.sort((a, b) => a.seconds - b.seconds);
const med = runs[1];
console.log(
  JSON.stringify({
    bench: 'import',
    source: 'bundled resources/data (gzip)',
    rows: med.rows,
    files: med.files,
    seconds_median: +med.seconds.toFixed(3),
    seconds_min: +runs[0].seconds.toFixed(3),
    rows_per_s: Math.round(med.rows / med.seconds),
    target_s: 15,
    cores: (await import('node:os')).cpus().length,
  }),
);
