import type { Command } from '../command.js';
import { numberArg, parseSeasonRange, RACE_OPTIONS, raceArgs, stringArg } from '../command.js';
import { artifactsDir } from '../../data/paths.js';

const fmt = (s: { time: number; position: number; plan: string; timeCi95?: number; positionCi95?: number }): string =>
  `${s.time.toFixed(2)} s${s.timeCi95 !== undefined ? ` ±${s.timeCi95.toFixed(2)}` : ''}  P${s.position.toFixed(s.positionCi95 !== undefined ? 2 : 0)}` +
  `${s.positionCi95 !== undefined ? ` ±${s.positionCi95.toFixed(2)}` : ''}  ${s.plan}`;

const train: Command = {
  name: 'train',
  summary: 'train the PPO pit-strategy agent for one circuit (writes models/strategy/<circuit>.json)',
  usage: 'pitwall strategy train --circuit bahrain [--season 2023] [--driver max_verstappen] [--steps N] [--seed N]',
  options: [
    { name: 'circuit', type: 'string', description: 'circuit_ref (bahrain, monza, …)' },
    { name: 'season', type: 'number', description: 'train on this season’s race at the circuit (default: newest)' },
    { name: 'driver', type: 'string', description: 'the car the agent drives (default: the winner)' },
    { name: 'steps', type: 'number', description: 'environment steps', default: 300000 },
    { name: 'seed', type: 'number', description: 'seed', default: 1 },
    { name: 'out', type: 'string', description: 'checkpoint folder (default: models/strategy)' },
  ],
  async run(ctx) {
    const { trainCircuit } = await import('../../strategy/train.js');
    const circuit = stringArg(ctx, 'circuit');
    let last = 0;
    const { checkpoint: cp, file } = await trainCircuit(
      ctx.db(),
      {
        circuit,
        season: ctx.opts.season !== undefined ? Number(ctx.opts.season) : undefined,
        driver: ctx.opts.driver as string | undefined,
        steps: Number(ctx.opts.steps ?? 300000),
        seed: Number(ctx.opts.seed ?? 1),
        outDir: ctx.opts.out as string | undefined,
        runsDir: artifactsDir(ctx.dbFile),
        trackingDbFile: ctx.dbFile,
      },
      (p) => {
        if (!ctx.json && p.evalTime !== undefined && p.seconds - last > 5) {
          last = p.seconds;
          ctx.log(`iter ${p.iteration}  steps ${p.steps}  ${p.seconds.toFixed(0)} s  return ${p.meanReturn.toFixed(2)}  greedy ${p.evalTime.toFixed(2)} s P${p.evalPosition}`);
        }
      },
    );
    const { curve: _c, ...meta } = cp;
    void _c;
    ctx.print(
      { file, circuit: meta.circuit, season: meta.season, round: meta.round, driver: meta.driver, steps: meta.steps, seconds: meta.seconds, best: meta.best },
      `trained ${meta.circuit} (${meta.season} round ${meta.round}, ${meta.driver}) in ${meta.seconds.toFixed(1)} s, ${meta.steps} steps; ` +
        `best greedy race time ${meta.best.time.toFixed(2)} s (P${meta.best.position}) → ${file}`,
    );
  },
};

const evaluate: Command = {
  name: 'evaluate',
  summary: 'PPO vs DP optimum, best fixed 1-/2-stop plan and the actual strategy on a real race',
  usage: 'pitwall strategy evaluate --season 2023 --round 1 --driver max_verstappen [--stochastic --seeds 1000] [--json]',
  options: [
    ...RACE_OPTIONS,
    { name: 'stochastic', type: 'boolean', description: 'Monte-Carlo comparison with random SC/VSC/red flags and noise' },
    { name: 'seeds', type: 'number', description: 'seeds for --stochastic', default: 1000 },
    { name: 'model', type: 'string', description: 'checkpoint file (default: models/strategy/<circuit>.json)' },
  ],
  async run(ctx) {
    const { evaluateStrategy } = await import('../../strategy/evaluate.js');
    const { readCheckpointFile } = await import('../../strategy/checkpoint.js');
    const r = await evaluateStrategy(ctx.db(), {
      ...raceArgs(ctx),
      stochastic: ctx.opts.stochastic === true,
      seeds: Number(ctx.opts.seeds ?? 1000),
      checkpoint: typeof ctx.opts.model === 'string' ? readCheckpointFile(ctx.opts.model) : undefined,
    });
    const lines = [
      `${r.season} round ${r.round} (${r.circuit}), ${r.driver}, ${r.mode}${r.mode === 'stochastic' ? `, ${r.seeds} seeds` : ''}`,
      `  ppo         ${fmt(r.ppo)}`,
      `  dp_optimum  ${fmt(r.dp_optimum)}`,
      `  best_fixed  ${fmt(r.best_fixed)}`,
      `  actual      ${fmt(r.actual)}`,
    ];
    if (r.checkpoint.stale) lines.push(`  note: the simulator's calibration changed since this agent was trained: retrain with \`pitwall strategy train --circuit ${r.circuit}\``);
    if (r.ppoMinusBestFixed) {
      const d = r.ppoMinusBestFixed;
      lines.push(`  ppo − best fixed: ${d.time.toFixed(2)} ± ${d.timeCi95.toFixed(2)} s, ${d.position.toFixed(3)} ± ${d.positionCi95.toFixed(3)} places`);
    }
    ctx.print(r, lines.join('\n'));
  },
};

const recommendCmd: Command = {
  name: 'recommend',
  summary: 'pit recommendation for a driver at a lap: action, expected gain, plans, counterfactuals',
  usage: 'pitwall strategy recommend --season 2023 --round 1 --lap 20 --driver max_verstappen [--seeds 200] [--json]',
  options: [
    ...RACE_OPTIONS,
    { name: 'lap', type: 'number', description: 'the lap being driven (box at its end)' },
    { name: 'seeds', type: 'number', description: 'Monte-Carlo runs per option', default: 200 },
  ],
  async run(ctx) {
    const { recommend } = await import('../../strategy/recommend.js');
    const r = await recommend(ctx.db(), {
      ...raceArgs(ctx),
      lap: numberArg(ctx, 'lap'),
      seeds: Number(ctx.opts.seeds ?? 200),
    });
    if (!r) {
      ctx.print(null, 'No advice: the car is out of the race by then, or it is the last lap');
      return;
    }
    ctx.print(
      r,
      [
        r.headline,
        `  gain p10–p90 ${r.gainRange.p10.toFixed(1)} to ${r.gainRange.p90.toFixed(1)} s; position P${r.position.expected.toFixed(1)} (p10–p90 P${r.position.p10}–P${r.position.p90}); ${r.basis}`,
        ...r.notes.map((n) => `  ! ${n}`),
        ...r.plans.map((p) => `  ${p.deltaToBest === 0 ? '*' : ' '} ${p.label.padEnd(48)} +${p.deltaToBest.toFixed(1)} s  P${p.expectedPosition.toFixed(1)}`),
        ...r.counterfactuals.map((c) => `  · ${c}`),
      ].join('\n'),
    );
  },
};

const validate: Command = {
  name: 'validate',
  summary: 'simulator vs real races (actual strategies): MAE of race time and position per circuit; writes a report',
  usage: 'pitwall strategy validate [--from 2018] [--to 2024] [--out docs/strategy-validation.md]',
  options: [
    { name: 'from', type: 'number', description: 'first season', default: 2018 },
    { name: 'to', type: 'number', description: 'last season', default: 2024 },
    { name: 'out', type: 'string', description: 'write the Markdown report here' },
  ],
  async run(ctx) {
    const { validateSimulator, validationMarkdown } = await import('../../strategy/validate.js');
    const { writeFileSync } = await import('node:fs');
    const v = await validateSimulator(ctx.db(), Number(ctx.opts.from ?? 2018), Number(ctx.opts.to ?? 2024));
    const md = validationMarkdown(v);
    if (typeof ctx.opts.out === 'string') writeFileSync(ctx.opts.out, md);
    ctx.print(v, md);
  },
};

const pitLoss: Command = {
  name: 'pit-loss',
  summary: 'pit loss at a circuit from history (in-lap + out-lap over green pace): green, SC, VSC p10/p50/p90 + stops',
  usage: 'pitwall strategy pit-loss --circuit bahrain [--json]',
  options: [{ name: 'circuit', type: 'string', description: 'circuit_ref (bahrain, monza, …)' }],
  async run(ctx) {
    const { pitLossAt } = await import('../../strategy/rejoin-service.js');
    const t = pitLossAt(ctx.db(), stringArg(ctx, 'circuit'));
    const row = (k: string, s: { n: number; p10: number; p50: number; p90: number }): string =>
      `  ${k.padEnd(6)} p10 ${s.p10.toFixed(1)}  p50 ${s.p50.toFixed(1)}  p90 ${s.p90.toFixed(1)} s  (${s.n} stops)`;
    ctx.print(t, [`${t.circuit} (${t.basis})`, row('green', t.green), row('sc', t.sc), row('vsc', t.vsc), row('lane', t.lane)].join('\n'));
  },
};

const rejoin: Command = {
  name: 'rejoin',
  summary: 'where a car rejoins if it boxes on lap L (state at the end of L−1, after the out-lap L+1)',
  usage: 'pitwall strategy rejoin --season 2023 --round 1 --driver VER --lap 15 [--json]',
  options: [...RACE_OPTIONS, { name: 'lap', type: 'number', description: 'the in-lap L' }],
  async run(ctx) {
    const { rejoinAt } = await import('../../strategy/rejoin-service.js');
    const r = rejoinAt(ctx.db(), { ...raceArgs(ctx), lap: numberArg(ctx, 'lap'), others: 'known' });
    const probs = Object.entries(r.probabilities).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([p, x]) => `P${p} ${Math.round(x * 100)} %`);
    ctx.print(
      r,
      `Box on lap ${r.lap} → P${r.position}` +
        (r.carAhead ? `, ${r.gapAhead?.toFixed(1)} s behind ${r.carAhead}` : '') +
        (r.carBehind ? `, ${r.gapBehind?.toFixed(1)} s ahead of ${r.carBehind}` : '') +
        ` (${probs.join(', ')}); pit loss p10/p50/p90 ${r.pitLoss.p10}/${r.pitLoss.p50}/${r.pitLoss.p90} s`,
    );
  },
};

const rejoinEvalCmd: Command = {
  name: 'rejoin-eval',
  summary: 'rejoin prediction vs the official positions on every green-flag stop of the seasons (and the naive baseline)',
  usage: 'pitwall strategy rejoin-eval --seasons 2023-2024 [--json]',
  options: [{ name: 'seasons', type: 'string', description: 'test seasons, e.g. 2023-2024' }],
  async run(ctx) {
    const { rejoinEval } = await import('../../strategy/rejoin-eval.js');
    const e = rejoinEval(ctx.db(), parseSeasonRange(ctx.opts.seasons, 'seasons'));
    const f = (s: { exact: number; within1: number; mae: number }): string => `exact ${s.exact}  within one ${s.within1}  MAE ${s.mae}`;
    ctx.print(
      { stops: e.stops, exact: e.exact, within1: e.within1, mae: e.mae, baseline: e.baseline, seasons: e.seasons },
      `${e.stops} green-flag stops ${e.seasons.join('–')}\n  rejoin    ${f(e)}\n  baseline  ${f(e.baseline)}`,
    );
  },
};

export const command: Command = {
  name: 'strategy',
  summary: 'race strategy: simulator validation, PPO training/evaluation, live pit recommendations, pit loss and rejoin',
  subcommands: [train, evaluate, recommendCmd, validate, pitLoss, rejoin, rejoinEvalCmd],
};
