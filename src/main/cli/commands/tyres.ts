import type { Command } from '../command.js';
import { DRY, dryCompound } from '../../race/compounds.js';
import { numberArg, parseSeasonRange, RACE_OPTIONS, raceArgs, seasonsArg, stringArg, UsageError } from '../command.js';
import { shippedModelsDir } from '../../data/paths.js';

const r3 = (v: number) => v.toFixed(3);

const curve: Command = {
  name: 'curve',
  summary: 'degradation curve(s) of a circuit: fuel-corrected lap-time loss vs tyre age, p10/p50/p90',
  usage: 'pitwall tyres curve --circuit bahrain [--compound SOFT] [--seasons 2018-2024] [--json]',
  options: [
    { name: 'circuit', type: 'string', description: 'circuit_ref, e.g. bahrain, monza, silverstone' },
    { name: 'compound', type: 'string', description: 'SOFT | MEDIUM | HARD (default: all three)' },
    { name: 'seasons', type: 'string', description: 'seasons to use, e.g. 2018-2024 (default: all)' },
  ],
  async run(ctx) {
    const circuit = stringArg(ctx, 'circuit', ' (e.g. bahrain)');
    const compound = typeof ctx.opts.compound === 'string' ? ctx.opts.compound.toUpperCase() : undefined;
    if (compound && !dryCompound(compound)) throw new UsageError(`--compound must be ${DRY.join(', ')}`);
    const { degradationCurves } = await import('../../tyres/curves.js');
    const seasons = seasonsArg(ctx, 'seasons');
    const all = degradationCurves(ctx.db(), circuit, seasons ? { seasons } : {});
    if (all.length === 0) throw new UsageError(`no dry stints at circuit "${circuit}" (use a circuit_ref such as bahrain)`);
    const curves = compound ? all.filter((c) => c.compound === compound) : all;
    if (curves.length === 0) throw new UsageError(`no ${compound} stints at ${circuit}`);
    const human = curves
      .map((c) =>
        [
          `${c.circuit} ${c.compound}: ${c.stints} stints, ${c.laps} laps; loss ≈ ${r3(c.fit.linear)}·(age−1) + ${c.fit.quadratic.toFixed(4)}·(age−1)² s`,
          '  age    p10     p50     p90',
          ...c.points.map((p) => `  ${String(p.tyreAge).padStart(3)} ${r3(p.p10).padStart(7)} ${r3(p.p50).padStart(7)} ${r3(p.p90).padStart(7)}`),
        ].join('\n'),
      )
      .join('\n\n');
    ctx.print(compound ? curves[0] : curves, human);
  },
};

const forecast: Command = {
  name: 'forecast',
  summary: 'forecast the next laps of a driver’s stint at the end of a lap (shipped tyre-deg model)',
  usage: 'pitwall tyres forecast --season 2024 --round 1 --driver VER --lap 20 [--json]',
  options: [
    ...RACE_OPTIONS,
    { name: 'lap', type: 'number', description: 'the last completed lap' },
  ],
  async run(ctx) {
    const { season, round, driver } = raceArgs(ctx);
    const lap = numberArg(ctx, 'lap');
    const { forecastFor, loadShippedTyreDeg, tyreDegDir } = await import('../../tyres/service.js');
    const model = await loadShippedTyreDeg();
    if (!model) throw new UsageError(`no shipped tyre-deg model in ${tyreDegDir()} (run \`pitwall tyres ship\`)`);
    const f = await forecastFor(ctx.db(), model, season, round, driver, lap);
    if (!f) {
      ctx.print(null, `no forecast: fewer than 3 clean laps in the stint at lap ${lap}`);
      return 1;
    }
    ctx.print(
      f,
      [
        `${f.driver} on ${f.compound}, observed ${f.observed.length} clean laps (last ${f.observed.at(-1)?.lapTime.toFixed(3)} s)`,
        '  age  forecast   p10      p90',
        ...f.forecast.map((p) => `  ${String(p.tyreAge).padStart(3)} ${r3(p.lapTime).padStart(8)} ${r3(p.p10 ?? NaN).padStart(8)} ${r3(p.p90 ?? NaN).padStart(8)}`),
      ].join('\n'),
    );
  },
};

const ship: Command = {
  name: 'ship',
  summary: 'train the lap-time and tyre-deg models and write them with their cards to models/',
  usage: 'pitwall tyres ship [--train-seasons 2018-2023] [--test-seasons 2024] [--only lap-time|tyre-deg] [--out DIR]',
  options: [
    { name: 'train-seasons', type: 'string', description: 'training seasons', default: '2018-2023' },
    { name: 'test-seasons', type: 'string', description: 'test seasons (for the cards)', default: '2024' },
    { name: 'only', type: 'string', description: 'lap-time or tyre-deg (default: both)' },
    { name: 'out', type: 'string', description: 'output folder (default: the shipped models folder)' },
  ],
  async run(ctx) {
    const train = parseSeasonRange(ctx.opts['train-seasons'], 'train-seasons');
    const test = parseSeasonRange(ctx.opts['test-seasons'], 'test-seasons');
    const out = typeof ctx.opts.out === 'string' ? ctx.opts.out : shippedModelsDir();
    const only = ctx.opts.only;
    const { shipLapTime, shipTyreDeg } = await import('../../training/ship-tyres.js');
    const res: Record<string, unknown> = {};
    if (only === undefined || only === 'lap-time') {
      const { model: _m, ...r } = await shipLapTime(ctx.db(), out, train, test, ctx.log);
      res['lap-time'] = r;
    }
    if (only === undefined || only === 'tyre-deg') {
      const { model, ...r } = await shipTyreDeg(ctx.db(), out, train, test, ctx.log);
      model.net.dispose();
      res['tyre-deg'] = r;
    }
    ctx.print(res, Object.entries(res).map(([k, v]) => `${k}: MAE ${(v as { mae: number }).mae} → ${out}/${k}`).join('\n'));
  },
};

export const command: Command = {
  name: 'tyres',
  summary: 'tyre degradation curves, stint forecasts, and building the shipped lap-time/tyre models',
  subcommands: [curve, forecast, ship],
};
