// Model registry in SQLite: versions (with metrics, baselines, lineage, card, importance), aliases (champion,
// challenger) and promotion history. Version files live under <artifacts>/models/<name>/v<N>/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureImportance, ModelSummary } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { artifactsDir } from '../data/paths.js';

/** Which data a model saw: the feature-view versions and the season ranges (recorded by the registry). */
export interface Lineage {
  /** Feature-view versions the model was trained on, e.g. {name: 'driver_form', version: 2}. */
  featureViews: { name: string; version: number }[];
  /** Data range the model saw (training seasons) and row counts. */
  trainSeasons: [number, number];
  testSeasons: [number, number];
  trainRows: number;
  testRows: number;
}

export function ensureRegistryTables(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ml_models (name TEXT PRIMARY KEY, created_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS ml_model_versions (name TEXT NOT NULL, version INTEGER NOT NULL, run_id TEXT,
      created_at TEXT NOT NULL, dir TEXT NOT NULL, primary_metric TEXT NOT NULL, direction TEXT NOT NULL,
      metrics TEXT NOT NULL, baselines TEXT NOT NULL, lineage TEXT NOT NULL, importance TEXT NOT NULL, card TEXT NOT NULL,
      mlflow_version TEXT, PRIMARY KEY (name, version));
    CREATE TABLE IF NOT EXISTS ml_aliases (name TEXT NOT NULL, alias TEXT NOT NULL, version INTEGER NOT NULL,
      PRIMARY KEY (name, alias));
    CREATE TABLE IF NOT EXISTS ml_promotions (id INTEGER PRIMARY KEY, name TEXT NOT NULL, alias TEXT NOT NULL,
      version INTEGER NOT NULL, previous INTEGER, reason TEXT NOT NULL, at TEXT NOT NULL);
  `);
}

export interface VersionRecord {
  name: string;
  version: number;
  runId: string | null;
  createdAt: string;
  dir: string;
  primaryMetric: string;
  direction: 'min' | 'max';
  metrics: Record<string, number>;
  baselines: Record<string, Record<string, number>>;
  lineage: Lineage;
  importance: FeatureImportance[];
  card: string;
  aliases: string[];
}

interface VersionRow {
  name: string;
  version: number;
  run_id: string | null;
  created_at: string;
  dir: string;
  primary_metric: string;
  direction: 'min' | 'max';
  metrics: string;
  baselines: string;
  lineage: string;
  importance: string;
  card: string;
}

export type NewVersion = Omit<VersionRecord, 'version' | 'createdAt' | 'dir' | 'aliases'> & {
  /** Card Markdown; `{{version}}` is replaced by the assigned version. */
  card: string;
  files: Record<string, string | Uint8Array>;
};

export class Registry {
  constructor(
    private readonly db: Db,
    private readonly dbFile: string,
  ) {
    ensureRegistryTables(db);
  }

  /** Writes the files, then records the version (one transaction); returns it. */
  register(v: NewVersion): VersionRecord {
    const next =
      ((
        this.db.prepare('SELECT MAX(version) AS v FROM ml_model_versions WHERE name = ?').get(v.name) as {
          v: number | null;
        }
      ).v ?? 0) + 1;
    const dir = join(artifactsDir(this.dbFile), 'models', v.name, `v${next}`);
    mkdirSync(dir, { recursive: true });
    const card = v.card.replaceAll('{{version}}', String(next));
    for (const [f, data] of Object.entries({ ...v.files, 'card.md': card }))
      writeFileSync(join(dir, f), data);
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO ml_models (name, created_at) VALUES (?, ?)').run(v.name, now);
      this.db
        .prepare(
          `INSERT INTO ml_model_versions (name, version, run_id, created_at, dir, primary_metric, direction, metrics, baselines,
             lineage, importance, card) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          v.name,
          next,
          v.runId,
          now,
          dir,
          v.primaryMetric,
          v.direction,
          JSON.stringify(v.metrics),
          JSON.stringify(v.baselines),
          JSON.stringify(v.lineage),
          JSON.stringify(v.importance),
          card,
        );
    })();
    return this.get(v.name, next)!;
  }

  setMlflowVersion(name: string, version: number, mlflowVersion: string): void {
    this.db
      .prepare('UPDATE ml_model_versions SET mlflow_version = ? WHERE name = ? AND version = ?')
      .run(mlflowVersion, name, version);
  }

  private aliasesOf(name: string, version: number): string[] {
    return (
      this.db
        .prepare('SELECT alias FROM ml_aliases WHERE name = ? AND version = ? ORDER BY alias')
        .all(name, version) as { alias: string }[]
    ).map((r) => r.alias);
  }

  private toRecord(r: VersionRow): VersionRecord {
    return {
      name: r.name,
      version: r.version,
      runId: r.run_id,
      createdAt: r.created_at,
      dir: r.dir,
      primaryMetric: r.primary_metric,
      direction: r.direction,
      metrics: JSON.parse(r.metrics) as Record<string, number>,
      baselines: JSON.parse(r.baselines) as Record<string, Record<string, number>>,
      lineage: JSON.parse(r.lineage) as Lineage,
      importance: JSON.parse(r.importance) as FeatureImportance[],
      card: r.card,
      aliases: this.aliasesOf(r.name, r.version),
    };
  }

  get(name: string, version: number): VersionRecord | null {
    const r = this.db
      .prepare('SELECT * FROM ml_model_versions WHERE name = ? AND version = ?')
      .get(name, version) as VersionRow | undefined;
    return r ? this.toRecord(r) : null;
  }

  byAlias(name: string, alias: string): VersionRecord | null {
    const a = this.db
      .prepare('SELECT version FROM ml_aliases WHERE name = ? AND alias = ?')
      .get(name, alias) as { version: number } | undefined;
    return a ? this.get(name, a.version) : null;
  }

  list(name?: string): VersionRecord[] {
    const rows = (
      name
        ? this.db.prepare('SELECT * FROM ml_model_versions WHERE name = ? ORDER BY name, version').all(name)
        : this.db.prepare('SELECT * FROM ml_model_versions ORDER BY name, version').all()
    ) as VersionRow[];
    return rows.map((r) => this.toRecord(r));
  }

  /** Points `alias` at the version and records the promotion. */
  setAlias(name: string, alias: string, version: number, reason: string): void {
    if (!this.get(name, version)) throw new Error(`model ${name} has no version ${version}`);
    this.db.transaction(() => {
      const prev = this.db
        .prepare('SELECT version FROM ml_aliases WHERE name = ? AND alias = ?')
        .get(name, alias) as { version: number } | undefined;
      this.db
        .prepare('INSERT OR REPLACE INTO ml_aliases (name, alias, version) VALUES (?, ?, ?)')
        .run(name, alias, version);
      this.db
        .prepare(
          'INSERT INTO ml_promotions (name, alias, version, previous, reason, at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(name, alias, version, prev?.version ?? null, reason, new Date().toISOString());
    })();
  }

  history(
    name: string,
  ): { alias: string; version: number; previous: number | null; reason: string; at: string }[] {
    return this.db
      .prepare('SELECT alias, version, previous, reason, at FROM ml_promotions WHERE name = ? ORDER BY id')
      .all(name) as {
      alias: string;
      version: number;
      previous: number | null;
      reason: string;
      at: string;
    }[];
  }

  readFile(rec: VersionRecord, file: string): Buffer | null {
    const p = join(rec.dir, file);
    return existsSync(p) ? readFileSync(p) : null;
  }
}

export function summary(v: VersionRecord): ModelSummary {
  return {
    name: v.name,
    version: v.version,
    aliases: v.aliases,
    createdAt: v.createdAt,
    metrics: v.metrics,
    baselines: v.baselines,
    trainSeasons: v.lineage.trainSeasons,
    testSeasons: v.lineage.testSeasons,
  };
}

/** Is `cand` better than `champ` on the primary metric? */
export function isBetter(direction: 'min' | 'max', cand: number, champ: number): boolean {
  return direction === 'min' ? cand < champ : cand > champ;
}
