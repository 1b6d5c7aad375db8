// Strategy benchmark: whole-field simulated races per second on one core, and PPO training time for one circuit.
// Prints one JSON object. Usage: npm run bench:strategy [-- --steps N --races N]
import { performance } from 'node:perf_hooks';
import { openDb } from '../out/main/data/db.js';
import { dbPath } from '../out/main/data/paths.js';
import { buildRaceModel, driverIndex } from '../out/main/strategy/race-model.js';
import { RaceSim, STOCHASTIC, DETERMINISTIC } from '../out/main/strategy/sim.js';
import { trainCircuit } from '../out/main/strategy/train.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const db = openDb(arg('db', dbPath()), { readonly: true });
const season = Number(arg('season', 2023)), round = Number(arg('round', 1));
const races = Number(arg('races', 5000));
const steps = Number(arg('steps', 300000));

const m = await buildRaceModel(db, season, round);
const sim = new RaceSim(m);
const rate = (opts) => {
  for (let s = 0; s < 200; s++) {
    sim.reset(s, opts); // warm-up
    sim.run();
  }
  const t0 = performance.now();
  for (let s = 0; s < races; s++) {
    sim.reset(s, opts);
    sim.run();
  }
  return races / ((performance.now() - t0) / 1000);
};
const stochastic = rate(STOCHASTIC);
const deterministic = rate(DETERMINISTIC);

const out = mkdtempSync(join(tmpdir(), 'pitwall-bench-strategy-'));
const t0 = performance.now();
const { checkpoint } = await trainCircuit(db, { circuit: m.circuit, season, driver: arg('driver', 'max_verstappen'), steps, outDir: out });
const trainSeconds = (performance.now() - t0) / 1000;
const curve = checkpoint.curve;
// "converged": first evaluation within 0.1 % of the best greedy race time
const conv = curve.find((p) => p.evalTime !== undefined && p.evalTime <= checkpoint.best.time * 1.001);
console.log(
  JSON.stringify({
    race: `${season}-${round} ${m.circuit}`,
    cars: m.nCars,
    laps: m.nLaps,
    racesPerSecondStochastic: Math.round(stochastic),
    racesPerSecondDeterministic: Math.round(deterministic),
    targetRacesPerSecond: 2000,
    ppo: {
      steps: checkpoint.steps,
      trainSeconds: Number(trainSeconds.toFixed(1)),
      secondsToConverge: conv ? Number(conv.seconds.toFixed(1)) : null,
      bestGreedyTime: Number(checkpoint.best.time.toFixed(2)),
      targetSeconds: 600,
      driver: checkpoint.driver,
    },
  }),
);
void driverIndex;
