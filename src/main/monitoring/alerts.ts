// Monitoring tables and alerts: stored once (deduplicated by a key), handed to a sink (the engine's broadcast).
import type { DriftAlert } from '../../shared/domain.js';
import type { Db } from '../data/db.js';

export type AlertSink = (alert: DriftAlert) => void;

const ready = new WeakSet<Db>();

export function ensureMonitorTables(db: Db): void {
  if (ready.has(db)) return;
  if (!db.readonly) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS monitor_predictions (id INTEGER PRIMARY KEY, model TEXT NOT NULL, version TEXT NOT NULL,
        kind TEXT NOT NULL, season INTEGER NOT NULL, round INTEGER NOT NULL, driver TEXT NOT NULL, lap INTEGER,
        features TEXT NOT NULL, output REAL NOT NULL, predicted_at TEXT NOT NULL, actual REAL, joined_at TEXT);
      CREATE INDEX IF NOT EXISTS monitor_predictions_race ON monitor_predictions (model, version, season, round);
      CREATE INDEX IF NOT EXISTS monitor_predictions_pending ON monitor_predictions (kind) WHERE actual IS NULL;
      CREATE TABLE IF NOT EXISTS monitor_alerts (id INTEGER PRIMARY KEY, model TEXT NOT NULL, kind TEXT NOT NULL,
        features TEXT NOT NULL, message TEXT NOT NULL, created_at TEXT NOT NULL, dedupe TEXT UNIQUE, details TEXT);
      CREATE TABLE IF NOT EXISTS monitor_rolling (model TEXT NOT NULL, version TEXT NOT NULL, metric TEXT NOT NULL,
        value REAL NOT NULL, races INTEGER NOT NULL, window_races INTEGER NOT NULL, computed_at TEXT NOT NULL,
        PRIMARY KEY (model, version, metric));
      CREATE TABLE IF NOT EXISTS monitor_drift (model TEXT NOT NULL, feature TEXT NOT NULL, psi REAL NOT NULL,
        ks_p REAL NOT NULL, drift INTEGER NOT NULL, reference TEXT NOT NULL, current TEXT NOT NULL,
        computed_at TEXT NOT NULL, PRIMARY KEY (model, feature));`);
  }
  ready.add(db);
}

export function hasMonitorTables(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'monitor_alerts'").get() !== undefined;
}

interface AlertRow {
  id: number;
  model: string;
  kind: string;
  features: string;
  message: string;
  created_at: string;
}

const toAlert = (r: AlertRow): DriftAlert => ({
  id: r.id,
  model: r.model,
  kind: r.kind === 'accuracy' ? 'accuracy' : 'drift',
  features: JSON.parse(r.features) as string[],
  message: r.message,
  createdAt: r.created_at,
});

/** Stores an alert unless one with the same key exists; returns it when new (and hands it to the sink). */
export function raiseAlert(
  db: Db,
  a: { model: string; kind: 'drift' | 'accuracy'; features: string[]; message: string; key: string; details?: unknown },
  sink?: AlertSink,
): DriftAlert | null {
  ensureMonitorTables(db);
  const res = db
    .prepare(
      `INSERT OR IGNORE INTO monitor_alerts (model, kind, features, message, created_at, dedupe, details) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(a.model, a.kind, JSON.stringify(a.features), a.message, new Date().toISOString(), a.key, a.details === undefined ? null : JSON.stringify(a.details));
  if (!res.changes) return null;
  const alert = toAlert(db.prepare('SELECT * FROM monitor_alerts WHERE id = ?').get(res.lastInsertRowid) as AlertRow);
  sink?.(alert);
  return alert;
}

/** Alerts, newest first (optionally only those after an id, oldest first, for polling). */
export function listAlerts(db: Db, opts: { model?: string; afterId?: number; limit?: number } = {}): DriftAlert[] {
  if (!hasMonitorTables(db)) return [];
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (opts.model) {
    where.push('model = ?');
    args.push(opts.model);
  }
  if (opts.afterId !== undefined) {
    where.push('id > ?');
    args.push(opts.afterId);
  }
  const sql = `SELECT id, model, kind, features, message, created_at FROM monitor_alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY id ${opts.afterId !== undefined ? 'ASC' : 'DESC'} LIMIT ?`;
  return (db.prepare(sql).all(...args, opts.limit ?? 200) as AlertRow[]).map(toAlert);
}
