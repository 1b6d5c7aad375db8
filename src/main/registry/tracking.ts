// Experiment tracking in the app's SQLite (experiments, runs, params, metrics with steps, tags, artifacts on disk under
// artifactsDir). When MLFLOW_TRACKING_URI is set, a finished run is mirrored to that MLflow server.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunSummary } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { artifactsDir } from '../data/paths.js';
import { MlflowClient } from './mlflow.js';

export function ensureTrackingTables(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ml_experiments (experiment_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS ml_runs (run_id TEXT PRIMARY KEY, experiment_id INTEGER NOT NULL, name TEXT, status TEXT NOT NULL,
      started_at TEXT NOT NULL, ended_at TEXT, artifact_dir TEXT NOT NULL, mlflow_run_id TEXT);
    CREATE TABLE IF NOT EXISTS ml_params (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT, PRIMARY KEY (run_id, key));
    CREATE TABLE IF NOT EXISTS ml_metrics (run_id TEXT NOT NULL, key TEXT NOT NULL, value REAL, step INTEGER NOT NULL DEFAULT 0,
      ts INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS ml_metrics_run ON ml_metrics (run_id, key);
    CREATE TABLE IF NOT EXISTS ml_tags (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT, PRIMARY KEY (run_id, key));
    CREATE TABLE IF NOT EXISTS ml_artifacts (run_id TEXT NOT NULL, path TEXT NOT NULL, bytes INTEGER, PRIMARY KEY (run_id, path));
  `);
}

export class Run {
  readonly startedAt = Date.now();
  private readonly metrics: { key: string; value: number; step: number; timestamp: number }[] = [];
  private readonly params: Record<string, string> = {};
  private readonly tags: Record<string, string> = {};
  private readonly artifacts: { path: string; data: Uint8Array }[] = [];
  mlflowRunId: string | null = null;

  constructor(
    private readonly db: Db,
    readonly runId: string,
    readonly experiment: string,
    readonly name: string,
    readonly artifactDir: string,
  ) {}

  logParams(p: Record<string, string | number | boolean>): void {
    const st = this.db.prepare('INSERT OR REPLACE INTO ml_params (run_id, key, value) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(p)) {
        st.run(this.runId, k, String(v));
        this.params[k] = String(v);
      }
    })();
  }

  logMetrics(m: Record<string, number>, step = 0): void {
    this.logMetricSteps(Object.entries(m).map(([key, value]) => ({ key, value, step })));
  }

  logMetricSteps(rows: { key: string; value: number; step: number }[]): void {
    const st = this.db.prepare(
      'INSERT INTO ml_metrics (run_id, key, value, step, ts) VALUES (?, ?, ?, ?, ?)',
    );
    const ts = Date.now();
    this.db.transaction(() => {
      for (const r of rows) {
        if (!Number.isFinite(r.value)) continue;
        st.run(this.runId, r.key, r.value, r.step, ts);
        this.metrics.push({ ...r, timestamp: ts });
      }
    })();
  }

  setTags(t: Record<string, string>): void {
    const st = this.db.prepare('INSERT OR REPLACE INTO ml_tags (run_id, key, value) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(t)) {
        st.run(this.runId, k, v);
        this.tags[k] = v;
      }
    })();
  }

  /** Writes an artifact file under the run's directory and records it. */
  logArtifact(path: string, data: string | Uint8Array): string {
    const file = join(this.artifactDir, path);
    mkdirSync(dirname(file), { recursive: true });
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    writeFileSync(file, bytes);
    this.db
      .prepare('INSERT OR REPLACE INTO ml_artifacts (run_id, path, bytes) VALUES (?, ?, ?)')
      .run(this.runId, path, bytes.length);
    this.artifacts.push({ path, data: bytes });
    return file;
  }

  /** Closes the run; mirrors it to MLflow when configured (a mirror failure is reported, the local run stays). */
  async end(status: 'FINISHED' | 'FAILED', log?: (line: string) => void): Promise<void> {
    const endedAt = Date.now();
    this.db
      .prepare('UPDATE ml_runs SET status = ?, ended_at = ? WHERE run_id = ?')
      .run(status, new Date(endedAt).toISOString(), this.runId);
    const client = MlflowClient.fromEnv();
    if (!client) return;
    try {
      this.mlflowRunId = await client.mirrorRun({
        experiment: this.experiment,
        runName: this.name,
        startTime: this.startedAt,
        endTime: endedAt,
        status,
        params: this.params,
        metrics: this.metrics,
        tags: { ...this.tags, 'pitwall.run_id': this.runId },
        artifacts: this.artifacts,
      });
      this.db
        .prepare('UPDATE ml_runs SET mlflow_run_id = ? WHERE run_id = ?')
        .run(this.mlflowRunId, this.runId);
    } catch (e) {
      log?.(`mlflow: mirror failed: ${(e as Error).message}`);
    }
  }
}

export function startRun(db: Db, dbFile: string, experiment: string, name: string): Run {
  ensureTrackingTables(db);
  const runId = randomUUID().replace(/-/g, '');
  const dir = join(artifactsDir(dbFile), 'runs', runId);
  db.transaction(() => {
    db.prepare('INSERT OR IGNORE INTO ml_experiments (name, created_at) VALUES (?, ?)').run(
      experiment,
      new Date().toISOString(),
    );
    const exp = db.prepare('SELECT experiment_id FROM ml_experiments WHERE name = ?').get(experiment) as {
      experiment_id: number;
    };
    db.prepare(
      'INSERT INTO ml_runs (run_id, experiment_id, name, status, started_at, artifact_dir) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(runId, exp.experiment_id, name, 'RUNNING', new Date().toISOString(), dir);
  })();
  return new Run(db, runId, experiment, name, dir);
}

/** A tracked run as the API reports it. */
export type RunRow = RunSummary;

/** Runs of an experiment, newest first, with params and the last value of each step-0 metric. */
export function listRuns(db: Db, experiment: string): RunRow[] {
  ensureTrackingTables(db);
  const runs = db
    .prepare(
      `SELECT r.run_id AS runId, e.name AS experiment, r.status, r.started_at AS startedAt FROM ml_runs r
       JOIN ml_experiments e ON e.experiment_id = r.experiment_id WHERE e.name = ? ORDER BY r.started_at DESC, r.rowid DESC`,
    )
    .all(experiment) as Omit<RunRow, 'params' | 'metrics'>[];
  const ps = db.prepare('SELECT key, value FROM ml_params WHERE run_id = ?');
  const ms = db.prepare('SELECT key, value FROM ml_metrics WHERE run_id = ? AND step = 0 ORDER BY rowid');
  return runs.map((r) => ({
    ...r,
    params: Object.fromEntries(
      (ps.all(r.runId) as { key: string; value: string }[]).map((p) => [p.key, p.value]),
    ),
    metrics: Object.fromEntries(
      (ms.all(r.runId) as { key: string; value: number }[]).map((m) => [m.key, m.value]),
    ),
  }));
}
