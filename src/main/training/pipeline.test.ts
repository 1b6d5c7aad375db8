import { createServer, type IncomingMessage, type Server } from 'node:http';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../data/db.js';
import { dbCopy } from '../../../tests/helpers/db.js';
import type { ModelKind } from './kind.js';
import { getKind } from './kinds/index.js';
import { runPipeline, ValidationFailed } from './pipeline.js';
import { Registry } from '../registry/registry.js';
import { listRuns } from '../registry/tracking.js';

/** A tiny kind whose test metric is whatever `score` holds (lower is better). */
function fakeKind(score: { v: number }, ok = true, curvePoints = 0): ModelKind<number> {
  return {
    name: 'fake',
    summary: 'test kind',
    primaryMetric: 'loss',
    direction: 'min',
    card: { intendedUse: 'tests', data: 'none', limitations: ['fake'] },
    defaultSplit: () => ({ train: [2000, 2001], test: [2002, 2002] }),
    validate: () => [
      { name: 'rows', ok, detail: ok ? 'fine' : 'season 2002 has 0 races with results (need ≥ 5)' },
    ],
    features: () => 42,
    lineage: (_d, s) => ({
      featureViews: [{ name: 'v', version: 1 }],
      trainSeasons: s.train,
      testSeasons: s.test,
      trainRows: 1,
      testRows: 1,
    }),
    train: () => ({
      model: { v: score.v },
      params: { a: 1 },
      curves: Array.from({ length: curvePoints }, (_, i) => ({
        key: 'valid_loss',
        step: i,
        value: 1 / (i + 1),
      })),
    }),
    evaluate: (_c, t) => ({
      metrics: { loss: (t.model as { v: number }).v },
      baselines: { naive: { loss: 9 } },
      report: { loss: (t.model as { v: number }).v },
      importance: [{ feature: 'x', gain: 1, permutation: 0.1 }],
    }),
  };
}

function tempDb(): { db: Db; file: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'pitwall-pipe-')), 'p.db');
  return { db: openDb(file), file };
}

const split = { train: [2000, 2001] as [number, number], test: [2002, 2002] as [number, number] };

describe('training pipeline', () => {
  it('promotes only when better than the champion on the same test split', async () => {
    const { db, file } = tempDb();
    const score = { v: 1.0 };
    const kind = fakeKind(score);
    const r1 = await runPipeline(kind, db, file, { split, register: true });
    expect(r1.promoted).toBe(true);
    score.v = 1.2; // worse
    const r2 = await runPipeline(kind, db, file, { split, register: true });
    expect(r2.promoted).toBe(false);
    expect(r2.promotion).toMatch(/not better/);
    score.v = 0.8; // better
    const r3 = await runPipeline(kind, db, file, { split, register: true });
    expect(r3.promoted).toBe(true);
    const reg = new Registry(db, file);
    expect(reg.byAlias('fake', 'champion')!.version).toBe(3);
    expect(reg.byAlias('fake', 'challenger')!.version).toBe(2);
    expect(reg.history('fake').map((h) => [h.alias, h.version])).toEqual([
      ['champion', 1],
      ['challenger', 2],
      ['champion', 3],
    ]);
    const v3 = reg.get('fake', 3)!;
    expect(v3.card).toContain('# Model card: fake v3');
    expect(v3.card).toContain('| naive |');
    expect(existsSync(join(v3.dir, 'model.json'))).toBe(true);
    // every step timed and tracked
    expect(r3.steps.map((s) => s.step)).toEqual([
      'validate',
      'features',
      'train',
      'evaluate',
      'register',
      'promote',
    ]);
    const runs = listRuns(db, 'fake');
    expect(runs).toHaveLength(3);
    expect(runs[0]!.metrics.step_train_s).toBeGreaterThanOrEqual(0);
    expect(runs[0]!.params.a).toBe('1');
    db.close();
  });

  it('a champion the kind cannot evaluate on a new test split (an earlier format) is replaced, not a crash', async () => {
    const { db, file } = tempDb();
    const score = { v: 1.0 };
    const kind = fakeKind(score);
    expect((await runPipeline(kind, db, file, { split, register: true })).promoted).toBe(true);
    const evaluate = kind.evaluate;
    kind.evaluate = (c, t, d, s) => {
      if ((t.model as { v: number }).v === 1.0) throw new Error('model format 1 is not 2');
      return evaluate(c, t, d, s);
    };
    score.v = 5; // worse than the champion's stored metric, but that was on another test split
    const r = await runPipeline(kind, db, file, { split: { ...split, test: [2003, 2003] }, register: true });
    expect(r.promoted).toBe(true);
    expect(r.promotion).toMatch(
      /^replaces champion v1 \(the champion cannot be evaluated on test 2003-2003: model format 1 is not 2\)$/,
    );
    expect(new Registry(db, file).byAlias('fake', 'champion')!.version).toBe(2);
    db.close();
  });

  it('a failed validation stops with a readable reason and registers nothing', async () => {
    const { db, file } = tempDb();
    const err = await runPipeline(fakeKind({ v: 1 }, false), db, file, { split, register: true }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ValidationFailed);
    expect((err as Error).message).toMatch(/validation failed.*\n.*season 2002 has 0 races/);
    expect(new Registry(db, file).list()).toHaveLength(0);
    expect(listRuns(db, 'fake')[0]!.status).toBe('FAILED');
    db.close();
  });

  it('race-winner on the real data: a season without winners fails validation, nothing registered', async () => {
    const { db, file } = dbCopy();
    db.prepare(
      'UPDATE results SET position_order = 2 WHERE position_order = 1 AND race_id IN (SELECT race_id FROM races WHERE year = 2016)',
    ).run();
    const kind = await getKind('race-winner');
    const err = await runPipeline(kind, db, file, {
      split: { train: [2014, 2017], test: [2018, 2018] },
      register: true,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationFailed);
    expect((err as Error).message).toMatch(/target 2016: 21 races, 0 with a winner/);
    expect(new Registry(db, file).list()).toHaveLength(0);
    db.close();
  });
});

describe('MLflow mirroring', () => {
  let server: Server;
  const calls: { path: string; body: Record<string, unknown> }[] = [];
  const experiments = new Map<string, string>();
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const path = url.pathname.replace('/api/2.0/', '');
        const raw = Buffer.concat(chunks);
        const body = (
          req.headers['content-type'] === 'application/json' && raw.length ? JSON.parse(raw.toString()) : {}
        ) as Record<string, unknown>;
        calls.push({ path, body: path.startsWith('mlflow-artifacts') ? { bytes: raw.length } : body });
        const send = (code: number, v: unknown) => {
          res.writeHead(code, { 'content-type': 'application/json' });
          res.end(JSON.stringify(v));
        };
        if (path === 'mlflow/experiments/get-by-name') {
          const id = experiments.get(url.searchParams.get('experiment_name') ?? '');
          return id
            ? send(200, { experiment: { experiment_id: id } })
            : send(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no' });
        }
        if (path === 'mlflow/experiments/create') {
          experiments.set(String(body.name), String(experiments.size + 1));
          return send(200, { experiment_id: String(experiments.size) });
        }
        if (path === 'mlflow/runs/create')
          return send(200, { run: { info: { run_id: `r${calls.length}` } } });
        if (path === 'mlflow/runs/log-batch') {
          const m = (body.metrics as unknown[]).length;
          const p = (body.params as unknown[]).length;
          const t = (body.tags as unknown[]).length;
          if (m > 1000 || p > 100 || t > 100 || m + p + t > 1000)
            return send(400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'limits' });
          return send(200, {});
        }
        if (path === 'mlflow/registered-models/create')
          return send(200, { registered_model: { name: body.name } });
        if (path === 'mlflow/model-versions/create') return send(200, { model_version: { version: '1' } });
        if (
          path === 'mlflow/registered-models/alias' ||
          path === 'mlflow/runs/update' ||
          path.startsWith('mlflow-artifacts')
        )
          return send(200, {});
        send(404, { error_code: 'ENDPOINT_NOT_FOUND', message: path });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address() as { port: number };
    process.env.MLFLOW_TRACKING_URI = `http://127.0.0.1:${addr.port}`;
  });
  afterAll(() => {
    delete process.env.MLFLOW_TRACKING_URI;
    server.close();
  });

  it('mirrors runs (batched within limits), artifacts, model versions and aliases', async () => {
    const { db, file } = tempDb();
    const r = await runPipeline(fakeKind({ v: 1 }, true, 2500), db, file, { split, register: true });
    const paths = calls.map((c) => c.path);
    expect(paths.slice(0, 3)).toEqual([
      'mlflow/experiments/get-by-name',
      'mlflow/experiments/create',
      'mlflow/runs/create',
    ]);
    const batches = calls.filter((c) => c.path === 'mlflow/runs/log-batch');
    const sent = batches.reduce((s, b) => s + (b.body.metrics as unknown[]).length, 0);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(sent).toBeGreaterThan(2500); // curve points + step timings + test metrics
    expect(paths.filter((p) => p.startsWith('mlflow-artifacts')).length).toBeGreaterThanOrEqual(3); // model.json, evaluation.json, card.md …
    expect(paths).toContain('mlflow/runs/update');
    expect(calls.find((c) => c.path === 'mlflow/model-versions/create')!.body).toMatchObject({
      name: 'fake',
    });
    expect(calls.find((c) => c.path === 'mlflow/registered-models/alias')!.body).toMatchObject({
      name: 'fake',
      alias: 'champion',
      version: '1',
    });
    expect(r.registered?.version).toBe(1);
    const run = db.prepare('SELECT mlflow_run_id FROM ml_runs WHERE run_id = ?').get(r.runId) as {
      mlflow_run_id: string;
    };
    expect(run.mlflow_run_id).toMatch(/^r\d+$/);
    db.close();
  });
});
