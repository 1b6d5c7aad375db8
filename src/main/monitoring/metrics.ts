// Prometheus exposition (GET /metrics): one prom-client Registry per engine, values read from the monitoring
// tables at scrape time, so predictions logged or alerts raised by any process on the database are counted.
import type { Registry } from 'prom-client';
import type { Db } from '../data/db.js';
import { serviceKey } from '../engine/kernel/services.js';
import type { Engine } from '../engine/kernel/session.js';
import { ensureMonitorTables, hasMonitorTables } from './alerts.js';
import { DEFAULT_REFERENCE, driftSnapshot, latestSeason, monitorReport } from './report.js';
import { monitorService } from './service.js';
import { MONITORED_REFS } from './source.js';

interface Metrics {
  registry: Registry;
  /** Drift snapshot computed once when none is stored yet (first scrape of a fresh database). */
  snapshot: Promise<void> | null;
}

/** The champion version of a model in the registry, when the training capability has one. */
function championVersion(db: Db, model: string): string {
  const hasRegistry = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ml_aliases'").get();
  if (!hasRegistry) return 'none';
  const v = db.prepare("SELECT version FROM ml_aliases WHERE name = ? AND alias = 'champion'").pluck().get(model) as number | undefined;
  return v === undefined ? 'none' : String(v);
}

async function createMetrics(engine: Engine): Promise<Metrics> {
  const prom = await import('prom-client');
  const db = engine.db;
  const registry = new prom.Registry();
  prom.collectDefaultMetrics({ register: registry });
  const models = Object.keys(MONITORED_REFS);
  const q = <T>(sql: string): T[] => (hasMonitorTables(db) ? (db.prepare(sql).all() as T[]) : []);

  new prom.Counter({
    name: 'pitwall_predictions_total',
    help: 'Predictions served and logged, by model and version',
    labelNames: ['model', 'version'],
    registers: [registry],
    collect() {
      this.reset();
      const rows = q<{ model: string; version: string; n: number }>('SELECT model, version, COUNT(*) AS n FROM monitor_predictions GROUP BY model, version');
      for (const r of rows) this.inc({ model: r.model, version: r.version }, r.n);
      for (const m of models) if (!rows.some((r) => r.model === m)) this.inc({ model: m, version: championVersion(db, m) }, 0);
    },
  });
  new prom.Counter({
    name: 'pitwall_drift_alerts_total',
    help: 'Drift alerts raised, by model',
    labelNames: ['model'],
    registers: [registry],
    collect() {
      this.reset();
      const rows = q<{ model: string; n: number }>("SELECT model, COUNT(*) AS n FROM monitor_alerts WHERE kind = 'drift' GROUP BY model");
      for (const m of new Set([...models, ...rows.map((r) => r.model)])) this.inc({ model: m }, rows.find((r) => r.model === m)?.n ?? 0);
    },
  });
  new prom.Gauge({
    name: 'pitwall_rolling_accuracy',
    help: 'Rolling performance over the last N races with known outcomes (top1, top3, logloss; mae for regressions)',
    labelNames: ['model', 'version', 'metric'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of q<{ model: string; version: string; metric: string; value: number }>('SELECT model, version, metric, value FROM monitor_rolling'))
        this.set({ model: r.model, version: r.version, metric: r.metric }, r.value);
    },
  });
  const snapshot = () => (hasMonitorTables(db) ? driftSnapshot(db) : []);
  new prom.Gauge({
    name: 'pitwall_feature_psi',
    help: 'Population stability index of each monitored input vs the training reference (latest drift report)',
    labelNames: ['model', 'feature'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of snapshot()) this.set({ model: r.model, feature: r.feature }, r.psi);
    },
  });
  new prom.Gauge({
    name: 'pitwall_feature_drift',
    help: '1 when the latest drift report flagged the feature (window-calibrated PSI + KS test), else 0',
    labelNames: ['model', 'feature'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of snapshot()) this.set({ model: r.model, feature: r.feature }, r.drift);
    },
  });
  const metrics: Metrics = { registry, snapshot: null };
  return metrics;
}

/** Computes and stores a drift snapshot of the seasons after the reference, if none is stored. */
async function ensureSnapshot(engine: Engine, m: Metrics): Promise<void> {
  const db = engine.db;
  if (db.readonly) return;
  ensureMonitorTables(db);
  if (driftSnapshot(db).length) return;
  m.snapshot ??= (async () => {
    const last = latestSeason(db);
    const current: [number, number] | undefined = last > DEFAULT_REFERENCE[1] ? [DEFAULT_REFERENCE[1] + 1, last] : undefined;
    for (const model of Object.keys(MONITORED_REFS)) {
      try {
        monitorReport(db, { model, reference: DEFAULT_REFERENCE, current, draws: 500, onAlert: monitorService(engine).sink });
      } catch (e) {
        console.error(`monitoring: drift snapshot for ${model} failed: ${(e as Error).message}`);
      }
    }
  })();
  await m.snapshot;
}

const METRICS = serviceKey('metrics', createMetrics);

export async function metricsText(engine: Engine): Promise<{ contentType: string; body: string }> {
  const m = await engine.use(METRICS);
  monitorService(engine);
  await ensureSnapshot(engine, m);
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}
