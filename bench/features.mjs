// Feature-store benchmark: prints one JSON object (same code as `pitwall features bench --json`).
import { benchFeatures } from '../out/main/features/bench.js';
import { openBootstrapped } from '../out/main/data/bootstrap.js';
import { dbPath } from '../out/main/data/paths.js';

const file = dbPath(process.argv[2]);
const db = openBootstrapped(file, { quiet: true });
try {
  console.log(JSON.stringify(await benchFeatures(db, file, (l) => console.error(l))));
} finally {
  db.close();
}
