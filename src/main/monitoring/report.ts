// `monitor report`: drift of a model's inputs (a season range or the served predictions vs the training reference),
// per window of races, with rolling performance and alerts. The latest snapshot is stored for /metrics.
import type { DriftAlert } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { FeatureStore } from '../features/index.js';
import { ensureMonitorTables, listAlerts, raiseAlert, type AlertSink } from './alerts.js';
import { detectDrift, windows, type FeatureDrift, type RaceSample } from './drift.js';
import { rollingMetrics, type RollingMetrics } from './log.js';
import { loggedSamples, monitoredRefs, storeSamples } from './source.js';

export const DEFAULT_REFERENCE: [number, number] = [2014, 2022];
export const DEFAULT_WINDOW = 10;

export interface ReportOptions {
  model: string;
  reference?: [number, number];
  /** Seasons to test; omitted: the predictions served (prediction log). */
  current?: [number, number];
  /** Races per rolling window. */
  window?: number;
  draws?: number;
  alpha?: number;
  seed?: number;
  refs?: string[];
  store?: FeatureStore;
  onAlert?: AlertSink;
}

export interface Span {
  from: string | null;
  to: string | null;
  seasons: [number, number] | null;
  races: number;
}

export interface MonitorReport {
  model: string;
  reference: Span;
  current: Span & { source: 'seasons' | 'prediction_log' };
  alpha: number;
  draws: number;
  /** The whole current span against the reference. */
  features: Record<string, FeatureDrift>;
  drifted: string[];
  /** Consecutive windows of `window` races. */
  windows: { from: string; to: string; races: number; drifted: string[]; psi: Record<string, number> }[];
  window: number;
  rolling: Record<string, RollingMetrics>;
  alerts: DriftAlert[];
  elapsed_ms: number;
}

const span = (races: RaceSample[], seasons: [number, number] | null): Span => ({
  from: races[0]?.race ?? null,
  to: races[races.length - 1]?.race ?? null,
  seasons,
  races: races.length,
});

export function latestSeason(db: Db): number {
  return (db.prepare('SELECT MAX(r.year) FROM races r WHERE EXISTS (SELECT 1 FROM results x WHERE x.race_id = r.race_id)').pluck().get() as number | null) ?? DEFAULT_REFERENCE[1];
}

export function monitorReport(db: Db, opts: ReportOptions): MonitorReport {
  const t0 = performance.now();
  ensureMonitorTables(db);
  const refs = opts.refs ?? monitoredRefs(opts.model);
  const store = opts.store ?? new FeatureStore(db);
  const refSeasons = opts.reference ?? DEFAULT_REFERENCE;
  const reference = storeSamples(db, refSeasons, refs, store);
  const current = opts.current ? storeSamples(db, opts.current, refs, store) : loggedSamples(db, opts.model, refs);
  const draws = opts.draws ?? 1000;
  const alpha = opts.alpha ?? 0.05;
  const size = opts.window ?? DEFAULT_WINDOW;
  const curName = opts.current ? opts.current.join('-') : 'prediction_log';
  const base = { model: opts.model, reference: span(reference, refSeasons), alpha, draws, window: size };
  let features: Record<string, FeatureDrift> = {};
  let drifted: string[] = [];
  const wins: MonitorReport['windows'] = [];
  if (reference.length > 1 && current.length) {
    const whole = detectDrift(reference, current, refs, { draws, alpha, seed: opts.seed });
    features = whole.features;
    drifted = whole.drifted;
    if (drifted.length) {
      raiseAlert(
        db,
        {
          model: opts.model,
          kind: 'drift',
          features: drifted,
          message: `${opts.model}: input drift in ${current[0]!.race}…${current[current.length - 1]!.race} vs ${refSeasons.join('–')}: ${drifted.join(', ')}`,
          key: `${opts.model}|drift|${refSeasons.join('-')}|${curName}|${current[0]!.race}|${current.length}|${drifted.join(',')}`,
        },
        opts.onAlert,
      );
    }
    const parts = current.length > size ? windows(current, size) : [];
    for (const w of parts) {
      const d = detectDrift(reference, w, refs, { draws: Math.min(draws, 500), alpha, seed: opts.seed });
      const from = w[0]!.race;
      const to = w[w.length - 1]!.race;
      wins.push({ from, to, races: w.length, drifted: d.drifted, psi: Object.fromEntries(refs.map((f) => [f, d.features[f]!.psi])) });
      if (d.drifted.length)
        raiseAlert(
          db,
          {
            model: opts.model,
            kind: 'drift',
            features: d.drifted,
            message: `${opts.model}: input drift in races ${from}…${to} (${w.length} races): ${d.drifted.join(', ')}`,
            key: `${opts.model}|drift|${refSeasons.join('-')}|window|${from}|${w.length}|${d.drifted.join(',')}`,
          },
          opts.onAlert,
        );
    }
    saveSnapshot(db, opts.model, features, refSeasons.join('-'), curName);
  }
  const rolling = Object.fromEntries(rollingMetrics(db).filter((r) => r.model === opts.model).map((r) => [r.version, r]));
  return {
    ...base,
    current: { ...span(current, opts.current ?? null), source: opts.current ? 'seasons' : 'prediction_log' },
    features,
    drifted,
    windows: wins,
    rolling,
    alerts: listAlerts(db, { model: opts.model, limit: 50 }),
    elapsed_ms: Math.round(performance.now() - t0),
  };
}

function saveSnapshot(db: Db, model: string, features: Record<string, FeatureDrift>, reference: string, current: string): void {
  const now = new Date().toISOString();
  const put = db.prepare(
    'INSERT OR REPLACE INTO monitor_drift (model, feature, psi, ks_p, drift, reference, current, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    db.prepare('DELETE FROM monitor_drift WHERE model = ?').run(model);
    for (const [f, d] of Object.entries(features)) put.run(model, f, d.psi, d.ks_p, d.drift ? 1 : 0, reference, current, now);
  })();
}

export interface DriftSnapshotRow {
  model: string;
  feature: string;
  psi: number;
  ks_p: number;
  drift: number;
}

export function driftSnapshot(db: Db): DriftSnapshotRow[] {
  ensureMonitorTables(db);
  return db.prepare('SELECT model, feature, psi, ks_p, drift FROM monitor_drift ORDER BY model, feature').all() as DriftSnapshotRow[];
}
