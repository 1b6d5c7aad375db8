// Chooses the rejoin model's constants on the tuning seasons (2019–2022 by default; never the 2023–2024 test
// seasons): a small grid over lap-time noise, follow distance and pace window, scored by exact then within-one.
// Prints one JSON object. Usage: node bench/rejoin-tune.mjs [2019-2022]
import { openBootstrapped } from '../out/main/data/bootstrap.js';
import { dbPath } from '../out/main/data/paths.js';
import { prepareEval, runEval } from '../out/main/strategy/rejoin-eval.js';

const [a, b] = (process.argv[2] ?? '2019-2022').split('-').map(Number);
const db = openBootstrapped(dbPath());
const data = prepareEval(db, [a, b ?? a]);
const grid = [];
for (const sigma of [0.2, 0.35, 0.5, 0.8])
  for (const follow of [0, 0.25, 0.5])
    for (const window of [3, 5, 8]) {
      const r = runEval(data, { sigma, follow, window });
      grid.push({ sigma, follow, window, exact: r.exact, within1: r.within1, mae: r.mae });
      console.error(JSON.stringify(grid.at(-1)));
    }
grid.sort((x, y) => y.exact - x.exact || y.within1 - x.within1);
console.log(JSON.stringify({ seasons: [a, b ?? a], stops: runEval(data).stops, best: grid[0], grid }));
