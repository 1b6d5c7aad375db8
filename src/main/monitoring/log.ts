// The prediction log: every served prediction (model, version, entity, feature values, output, time), joined to
// its actual outcome once results are known, and the rolling performance computed from it.
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { ensureMonitorTables, raiseAlert, type AlertSink } from './alerts.js';

/** 'winner': output is a win probability, outcome 1/0 from results; 'regression': output is a lap time (s). */
export type PredictionKind = 'winner' | 'regression';

export interface PredictionRow {
  /** "<season>-<round>" or { season, round }. */
  race: string | { season: number; round: number };
  /** Ergast driverRef. */
  driver: string;
  /** Lap number (regression on lap time); omit for race-level predictions. */
  lap?: number;
  features: Record<string, number | string | boolean | null>;
  output: number;
}

export interface LogInput {
  model: string;
  version: string | number;
  kind?: PredictionKind;
  rows: PredictionRow[];
  /** Time of the prediction (default now). */
  at?: Date;
}

const raceKey = (r: PredictionRow['race']): { season: number; round: number } => {
  if (typeof r === 'object') return r;
  const m = /^(\d{4})-(\d{1,2})$/.exec(r);
  if (!m) throw new DataError(`prediction log: race "${r}" must look like 2023-1`);
  return { season: Number(m[1]), round: Number(m[2]) };
};

/** Default kind: race-winner style models predict a probability, the rest a lap time. */
export const kindOf = (model: string): PredictionKind => (/winner/.test(model) ? 'winner' : 'regression');

/** Appends predictions in one transaction; returns how many were logged. */
export function logPredictions(db: Db, input: LogInput): number {
  ensureMonitorTables(db);
  const kind = input.kind ?? kindOf(input.model);
  const at = (input.at ?? new Date()).toISOString();
  const ins = db.prepare(
    `INSERT INTO monitor_predictions (model, version, kind, season, round, driver, lap, features, output, predicted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    input.rows.forEach((r, i) => {
      if (!Number.isFinite(r.output)) throw new DataError(`prediction log: row ${i} (${r.driver}) has output ${r.output}`);
      const { season, round } = raceKey(r.race);
      ins.run(input.model, String(input.version), kind, season, round, r.driver, r.lap ?? null, JSON.stringify(r.features), r.output, at);
    });
  })();
  return input.rows.length;
}

export interface RollingMetrics {
  model: string;
  version: string;
  kind: PredictionKind;
  /** Window length asked for (races) and races in it. */
  window: number;
  races: number;
  lastRace: string | null;
  metrics: Record<string, number>;
  /** Same metrics over the version's earlier races (the baseline an accuracy drop is measured against). */
  baseline: Record<string, number> | null;
  baselineRaces: number;
}

export interface JoinResult {
  joined: number;
  rolling: RollingMetrics[];
  alerts: number;
}

/** Fills outcomes of logged predictions whose race has results, recomputes rolling metrics, raises drop alerts. */
export function joinOutcomes(db: Db, opts: { window?: number; onAlert?: AlertSink } = {}): JoinResult {
  ensureMonitorTables(db);
  const now = new Date().toISOString();
  const joined = db.transaction(() => {
    const w = db
      .prepare(
        `UPDATE monitor_predictions AS p SET joined_at = ?, actual = COALESCE((
           SELECT CASE WHEN x.position = 1 THEN 1.0 ELSE 0.0 END FROM results x
           JOIN races r ON r.race_id = x.race_id JOIN drivers d ON d.driver_id = x.driver_id
           WHERE r.year = p.season AND r.round = p.round AND d.driver_ref = p.driver), 0.0)
         WHERE p.actual IS NULL AND p.kind = 'winner' AND EXISTS (
           SELECT 1 FROM results x JOIN races r ON r.race_id = x.race_id
           WHERE r.year = p.season AND r.round = p.round AND x.position = 1)`,
      )
      .run(now).changes;
    const r = db
      .prepare(
        `UPDATE monitor_predictions AS p SET joined_at = ?, actual = (
           SELECT l.lap_time_s FROM laps l WHERE l.season = p.season AND l.round = p.round AND l.session = 'race'
             AND l.driver_ref = p.driver AND l.lap_number = p.lap AND l.lap_time_s IS NOT NULL)
         WHERE p.actual IS NULL AND p.kind = 'regression' AND p.lap IS NOT NULL AND EXISTS (
           SELECT 1 FROM laps l WHERE l.season = p.season AND l.round = p.round AND l.session = 'race'
             AND l.driver_ref = p.driver AND l.lap_number = p.lap AND l.lap_time_s IS NOT NULL)`,
      )
      .run(now).changes;
    return w + r;
  })();
  const rolling = rollingMetrics(db, opts.window);
  let alerts = 0;
  for (const r of rolling) {
    const a = accuracyDrop(r);
    if (a && raiseAlert(db, { model: r.model, kind: 'accuracy', features: [], message: a, key: `${r.model}|${r.version}|accuracy|${r.lastRace}`, details: r }, opts.onAlert)) alerts++;
  }
  const put = db.prepare(
    `INSERT OR REPLACE INTO monitor_rolling (model, version, metric, value, races, window_races, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const r of rolling) for (const [k, v] of Object.entries(r.metrics)) put.run(r.model, r.version, k, v, r.races, r.window, now);
  })();
  return { joined, rolling, alerts };
}

interface Joined {
  model: string;
  version: string;
  kind: PredictionKind;
  season: number;
  round: number;
  driver: string;
  output: number;
  actual: number;
}

/** Rolling metrics per model version over its last `window` races with outcomes (latest prediction per entity). */
export function rollingMetrics(db: Db, window = 20): RollingMetrics[] {
  ensureMonitorTables(db);
  const rows = db
    .prepare(
      `SELECT model, version, kind, season, round, driver, output, actual FROM monitor_predictions
       WHERE id IN (SELECT MAX(id) FROM monitor_predictions WHERE actual IS NOT NULL
                    GROUP BY model, version, season, round, driver, COALESCE(lap, -1))
       ORDER BY model, version, season, round`,
    )
    .all() as Joined[];
  const byVersion = new Map<string, Joined[]>();
  for (const r of rows) {
    const k = `${r.model}\u0000${r.version}`;
    let a = byVersion.get(k);
    if (!a) byVersion.set(k, (a = []));
    a.push(r);
  }
  const out: RollingMetrics[] = [];
  for (const list of byVersion.values()) {
    const first = list[0]!;
    const races = groupRaces(list);
    const recent = races.slice(-window);
    const earlier = races.slice(0, -window);
    const score = first.kind === 'winner' ? winnerScores : regressionScores;
    out.push({
      model: first.model,
      version: first.version,
      kind: first.kind,
      window,
      races: recent.length,
      lastRace: recent.length ? recent[recent.length - 1]![0]!.season + '-' + recent[recent.length - 1]![0]!.round : null,
      metrics: score(recent),
      baseline: earlier.length ? score(earlier) : null,
      baselineRaces: earlier.length,
    });
  }
  return out;
}

function groupRaces(rows: Joined[]): Joined[][] {
  const out: Joined[][] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last && last[0]!.season === r.season && last[0]!.round === r.round) last.push(r);
    else out.push([r]);
  }
  return out;
}

/** top1, top3, logloss over races: probabilities normalised over each race's logged drivers. */
export function winnerScores(races: readonly (readonly Pick<Joined, 'output' | 'actual'>[])[]): Record<string, number> {
  let top1 = 0;
  let top3 = 0;
  let ll = 0;
  for (const race of races) {
    const sum = race.reduce((s, r) => s + Math.max(r.output, 0), 0) || 1;
    const ranked = [...race].sort((a, b) => b.output - a.output);
    const winnerRank = ranked.findIndex((r) => r.actual === 1);
    if (winnerRank === 0) top1++;
    if (winnerRank >= 0 && winnerRank < 3) top3++;
    const pw = winnerRank >= 0 ? Math.max(ranked[winnerRank]!.output, 0) / sum : 0;
    ll += -Math.log(Math.max(pw, 1e-6));
  }
  const n = races.length || 1;
  return { top1: top1 / n, top3: top3 / n, logloss: ll / n };
}

export function regressionScores(races: readonly (readonly Pick<Joined, 'output' | 'actual'>[])[]): Record<string, number> {
  const errs = races.flat().map((r) => Math.abs(r.output - r.actual));
  const n = errs.length || 1;
  const mae = errs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(errs.reduce((a, e) => a + (e - mae) ** 2, 0) / Math.max(n - 1, 1));
  return { mae, mae_sd: sd, n: errs.length };
}

/**
 * One-sided test of the recent window against the version's earlier races: top1 below the baseline by more than
 * 1.645 binomial standard errors (5 %), or MAE above it by more than 1.645 standard errors of the window's mean.
 */
export function accuracyDrop(r: RollingMetrics): string | null {
  if (!r.baseline || r.races < Math.min(r.window, 5) || r.baselineRaces < 5) return null;
  if (r.kind === 'winner') {
    const p = r.baseline.top1!;
    const se = Math.sqrt(Math.max(p * (1 - p), 0.01) / r.races);
    if (p - r.metrics.top1! > 1.645 * se)
      return `${r.model} v${r.version}: top1 over the last ${r.races} races fell to ${fmt(r.metrics.top1!)} from ${fmt(p)} (${r.baselineRaces} earlier races)`;
    return null;
  }
  const se = r.metrics.mae_sd! / Math.sqrt(Math.max(r.metrics.n!, 1));
  if (r.metrics.mae! - r.baseline.mae! > 1.645 * se && se > 0)
    return `${r.model} v${r.version}: MAE over the last ${r.races} races rose to ${r.metrics.mae!.toFixed(3)} s from ${r.baseline.mae!.toFixed(3)} s`;
  return null;
}

const fmt = (x: number): string => `${(100 * x).toFixed(0)} %`;
