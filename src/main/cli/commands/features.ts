// `pitwall features …`: list, materialize, historical (point-in-time CSV), online, bench.
import { resolve } from 'node:path';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../command.js';

const store = async (ctx: CommandContext) => {
  const { FeatureStore } = await import('../../features/store.js');
  return new FeatureStore(ctx.db());
};

const refsOpt = (ctx: CommandContext): string[] => {
  const v = ctx.opts.features;
  if (typeof v !== 'string' || !v.trim())
    throw new UsageError('--features REF,REF is required (e.g. driver_form:avg_finish_last_5)');
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
};

const list: Command = {
  name: 'list',
  summary: 'feature views (current version, fields, rows) and feature services',
  async run(ctx) {
    const s = await store(ctx);
    const views = s.listViews();
    const services = s.services.map((x) => s.getFeatureService(x.name));
    const human = [
      ...views.map(
        (v) =>
          `${v.name}@v${v.version}  entity ${v.entity} (${v.keys.join(', ')})  ${v.rows} rows  versions ${v.versions.map((x) => `v${x}`).join(',')}\n` +
          v.fields
            .map((f) => `    ${f.name.padEnd(34)} ${f.type.padEnd(6)} ${f.description ?? ''}`)
            .join('\n'),
      ),
      ...services.map((x) => `service ${x.name}: ${x.features.length} features — ${x.description}`),
    ].join('\n');
    ctx.print({ views, services }, human);
  },
};

const materialize: Command = {
  name: 'materialize',
  summary: 'compute the feature views into their tables (incremental: only races newer than the last run)',
  options: [{ name: 'full', type: 'boolean', description: 'recompute every view from all the raw data' }],
  async run(ctx) {
    const s = await store(ctx);
    const r = s.materialize({ full: Boolean(ctx.opts.full) });
    ctx.print(
      r,
      [
        ...r.views.map(
          (v) =>
            `${`${v.view}@v${v.version}`.padEnd(22)} ${v.mode.padEnd(11)} +${v.inserted} rows, ${v.corrections} corrections, ${v.rows} total (${v.seconds.toFixed(2)} s)`,
        ),
        `done in ${r.seconds.toFixed(2)} s`,
      ].join('\n'),
    );
  },
};

const historical: Command = {
  name: 'historical',
  summary: 'point-in-time feature values for each row of an entity CSV (keys + event_timestamp)',
  usage: 'pitwall features historical --entities FILE.csv --features REF,REF --out FILE.csv',
  options: [
    {
      name: 'entities',
      type: 'string',
      description: 'CSV with entity key columns (driver, race, …) and event_timestamp',
    },
    {
      name: 'features',
      type: 'string',
      description: 'comma-separated refs: view:feature or view@v2:feature',
    },
    { name: 'out', type: 'string', description: 'output CSV (default: stdout)' },
  ],
  async run(ctx) {
    if (typeof ctx.opts.entities !== 'string') throw new UsageError('--entities FILE.csv is required');
    const refs = refsOpt(ctx);
    const { readEntityFile, featureCsv } = await import('../../features/entity-file.js');
    const file = readEntityFile(resolve(ctx.opts.entities));
    const s = await store(ctx);
    const t0 = performance.now();
    const result = s.getHistoricalFeatures(file.rows, refs, { file: file.file, lines: file.lines });
    const csv = featureCsv(file.columns, file.rows, result);
    const seconds = (performance.now() - t0) / 1000;
    if (typeof ctx.opts.out === 'string') {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(resolve(ctx.opts.out), csv);
      const summary = { rows: file.rows.length, refs: result.refs, out: resolve(ctx.opts.out), seconds };
      ctx.print(
        summary,
        `${file.rows.length} rows × ${refs.length} features → ${ctx.opts.out} (${seconds.toFixed(2)} s); versions: ${result.refs
          .map((r) => `${r.view}@v${r.version}`)
          .filter((x, i, a) => a.indexOf(x) === i)
          .join(', ')}`,
      );
    } else process.stdout.write(csv);
  },
};

const online: Command = {
  name: 'online',
  summary: 'latest feature values for one or more entities',
  usage: 'pitwall features online --features REF,REF --entity driver=max_verstappen [--entity …]',
  options: [
    { name: 'features', type: 'string', description: 'comma-separated refs' },
    {
      name: 'entity',
      type: 'string',
      description:
        'key=value[,key=value] (e.g. driver=max_verstappen or race=2024-1,driver=norris); several separated by ;',
    },
  ],
  async run(ctx) {
    const refs = refsOpt(ctx);
    const spec = [ctx.opts.entity, ...ctx.positionals].filter(
      (x): x is string => typeof x === 'string' && x.includes('='),
    );
    if (!spec.length)
      throw new UsageError('--entity key=value is required (e.g. --entity driver=max_verstappen)');
    const entities = spec
      .flatMap((s) => s.split(';'))
      .map((e) => {
        const o: Record<string, string> = {};
        for (const kv of e.split(',')) {
          const [k, ...v] = kv.split('=');
          if (!k || !v.length) throw new UsageError(`--entity: "${kv}" is not key=value`);
          o[k.trim()] = v.join('=').trim();
        }
        return o;
      });
    const s = await store(ctx);
    const r = s.getOnlineFeatures(refs, entities);
    const out = entities.map((e, i) => ({
      entity: e,
      features: Object.fromEntries(refs.map((ref, j) => [ref, r.values[i]![j]])),
    }));
    ctx.print(
      out.length === 1
        ? { ...out[0], versions: r.refs.map(({ ref, view, version }) => ({ ref, view, version })) }
        : out,
      out
        .map(
          (o) =>
            `${Object.entries(o.entity)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ')}\n${Object.entries(o.features)
              .map(([k, v]) => `  ${k.padEnd(44)} ${v ?? '—'}`)
              .join('\n')}`,
        )
        .join('\n'),
    );
  },
};

const bench: Command = {
  name: 'bench',
  summary: 'online latency (p50/p99), point-in-time join rows/s, full materialization time',
  async run(ctx) {
    const { benchFeatures } = await import('../../features/bench.js');
    const r = await benchFeatures(ctx.db(), ctx.dbFile, (l) => ctx.log(l));
    ctx.print(
      r,
      Object.entries(r)
        .map(([k, v]) => `${k.padEnd(24)} ${v}`)
        .join('\n'),
    );
  },
};

export const command: Command = {
  name: 'features',
  summary: 'feature store: list, materialize, historical (point-in-time), online, bench',
  subcommands: [list, materialize, historical, online, bench],
};
