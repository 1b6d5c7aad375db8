import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { exportModel, listModels, modelCard, modelRuns, promoteModel } from '../../models/service.js';

export const command: Command = {
  name: 'models',
  summary: 'model registry: list versions and aliases, promote a version to champion',
  subcommands: [
    {
      name: 'list',
      summary: 'registered model versions (plus shipped models) with aliases and metrics',
      run(ctx) {
        const list = listModels(ctx.db(), ctx.dbFile);
        ctx.print(
          list,
          list.length
            ? list
                .map(
                  (m) =>
                    `${m.name} v${m.version} ${m.aliases.length ? `[${m.aliases.join(', ')}]` : ''} ` +
                    `${Object.entries(m.metrics)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(' ')}`,
                )
                .join('\n')
            : '(no models)',
        );
      },
    },
    {
      name: 'promote',
      summary: 'make NAME VERSION the champion (recorded in the promotion history)',
      usage: 'pitwall models promote NAME VERSION',
      run(ctx) {
        const [name, v] = ctx.positionals;
        const version = Number(v);
        if (!name || !Number.isInteger(version))
          throw new UsageError('usage: pitwall models promote NAME VERSION');
        const list = promoteModel(ctx.db(), ctx.dbFile, name, version);
        ctx.print(list, `${name} v${version} is now champion`);
      },
    },
    {
      name: 'runs',
      summary: 'tracked training/evaluation runs of a model kind, newest first',
      usage: 'pitwall models runs NAME',
      run(ctx) {
        const name = ctx.positionals[0];
        if (!name) throw new UsageError('usage: pitwall models runs NAME');
        const runs = modelRuns(ctx.db(), name);
        ctx.print(
          runs,
          runs
            .map(
              (r) =>
                `${r.startedAt} ${r.runId} ${r.status} ${Object.entries(r.metrics)
                  .filter(([k]) => !k.startsWith('step_'))
                  .map(([k, v]) => `${k}=${v}`)
                  .join(' ')}`,
            )
            .join('\n') || '(no runs)',
        );
      },
    },
    {
      name: 'card',
      summary: 'the Markdown model card of a version (default: the champion, else the shipped model)',
      usage: 'pitwall models card NAME [VERSION]',
      run(ctx) {
        const [name, v] = ctx.positionals;
        if (!name) throw new UsageError('usage: pitwall models card NAME [VERSION]');
        const card = modelCard(ctx.db(), ctx.dbFile, name, v === undefined ? undefined : Number(v));
        if (!card) throw new UsageError(`no model card for ${name}${v ? ` v${v}` : ''}`);
        ctx.print(card, card.markdown);
      },
    },
    {
      name: 'export',
      summary:
        'copy a version (default: the champion) to a folder as a shippable model (model.json, model.onnx, card.md, meta.json)',
      usage: 'pitwall models export NAME [VERSION] --out DIR',
      options: [{ name: 'out', type: 'string', description: 'target folder, e.g. models/race-winner' }],
      run(ctx) {
        const [name, v] = ctx.positionals;
        const out = ctx.opts.out;
        if (!name || typeof out !== 'string')
          throw new UsageError('usage: pitwall models export NAME [VERSION] --out DIR');
        const files = exportModel(ctx.db(), ctx.dbFile, name, v === undefined ? undefined : Number(v), out);
        ctx.print({ out, files }, `wrote ${files.join(', ')} to ${out}`);
      },
    },
  ],
};
