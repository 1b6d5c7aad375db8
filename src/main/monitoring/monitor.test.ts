// Monitoring on the real data: planted drift raises an alert naming the shifted inputs, unchanged windows stay
// quiet, the outcome join drives rolling accuracy (and a drop alert), and /metrics + the WebSocket carry it all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DriftAlert } from '../../shared/domain.js';
import type { WireMessage } from '../../shared/api.js';
import { dbCopy } from '../../../tests/helpers/db.js';
import type { Db } from '../data/db.js';
import { createEngine } from '../engine/host/engine.js';
import type { Engine } from '../engine/kernel/session.js';
import { startServer, type RunningServer } from '../server/server.js';
import { listAlerts, raiseAlert } from './alerts.js';
import { detectDrift, type RaceSample } from './drift.js';
import { joinOutcomes, logPredictions, rollingMetrics } from './log.js';
import { monitorReport } from './report.js';
import { monitorService } from './service.js';
import { monitoredRefs, storeSamples } from './source.js';
import { binomialQuantile, rng } from './stats.js';

const MODEL = 'race-winner';
const refs = monitoredRefs(MODEL);
let db: Db;
let dbFile: string;
let samples: RaceSample[];

beforeAll(() => {
  ({ db, file: dbFile } = dbCopy());
  samples = storeSamples(db, [2014, 2022], refs); // materializes the feature store once
});
afterAll(() => db.close());

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const r = rng(seed);
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Logs the races' feature rows as served predictions (output ∝ e^(−grid), a pole-sitter-like model). */
function logRaces(races: RaceSample[], version: string, transform: (f: string, v: number) => number = (_, v) => v): void {
  for (const s of races) {
    const n = s.values[refs[0]!]!.length;
    const rows = Array.from({ length: n }, (_, i) => {
      const features = Object.fromEntries(refs.map((f) => [f, transform(f, s.values[f]![i]!)]));
      return { race: s.race, driver: `d${i}`, features, output: Math.exp(-(features['race_entry:grid_position'] ?? 20)) };
    });
    logPredictions(db, { model: MODEL, version, rows });
  }
}

describe('drift on the real features', () => {
  it('names the planted shift: qualifying gaps scaled ×1.5 and form shifted by 2 places', () => {
    const window = shuffled(samples, 11).slice(0, 10);
    logRaces(window, 'planted', (f, v) =>
      f === 'race_entry:quali_gap_pct' ? v * 1.5 : f === 'driver_form:avg_finish_last_5' ? v + 2 : v,
    );
    const seen: DriftAlert[] = [];
    const r = monitorReport(db, { model: MODEL, reference: [2014, 2022], draws: 500, onAlert: (a) => seen.push(a) });
    expect(r.current.source).toBe('prediction_log');
    expect(r.current.races).toBe(10);
    expect(r.drifted).toContain('race_entry:quali_gap_pct');
    expect(r.drifted).toContain('driver_form:avg_finish_last_5');
    expect(r.drifted.length).toBe(2);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ kind: 'drift', model: MODEL });
    expect([...seen[0]!.features].sort()).toEqual(['driver_form:avg_finish_last_5', 'race_entry:quali_gap_pct']);
    expect(listAlerts(db, { model: MODEL })[0]!.id).toBe(seen[0]!.id);
    // the same report again raises nothing new
    monitorReport(db, { model: MODEL, reference: [2014, 2022], draws: 500, onAlert: (a) => seen.push(a) });
    expect(seen).toHaveLength(1);
    db.prepare("DELETE FROM monitor_predictions WHERE version = 'planted'").run();
  });

  it('alarms on at most 5 % of unchanged 10-race windows (races held out from the reference)', () => {
    const order = shuffled(samples, 5);
    const reference = order.slice(0, 100);
    const holdout = order.slice(100);
    let alarms = 0;
    let naive = 0;
    const trials = 80;
    for (let t = 0; t < trials; t++) {
      const w = shuffled(holdout, 1000 + t).slice(0, 10);
      const d = detectDrift(reference, w, refs, { draws: 200, seed: t });
      if (d.drifted.length) alarms++;
      if (refs.some((f) => d.features[f]!.psi > 0.1)) naive++;
    }
    // within the one-sided 99 % binomial bound of a 5 % rate (bench:monitor measures the rate over 200 windows)
    expect(alarms).toBeLessThanOrEqual(binomialQuantile(trials, 0.05, 0.99));
    expect(naive / trials).toBeGreaterThan(0.5); // what a fixed PSI > 0.1 rule would do at this window size
  });
});

describe('outcome join and rolling accuracy', () => {
  it('fills outcomes from results and computes top1 / top3 / logloss', () => {
    const races2023 = storeSamples(db, [2023, 2023], refs).slice(0, 12);
    // real drivers: rows from results, output ∝ e^(−grid)
    const entries = db
      .prepare(
        `SELECT r.round, d.driver_ref AS driver, x.grid, x.position FROM results x JOIN races r ON r.race_id = x.race_id
         JOIN drivers d ON d.driver_id = x.driver_id WHERE r.year = 2023 AND r.round <= 12 ORDER BY r.round`,
      )
      .all() as { round: number; driver: string; grid: number; position: number | null }[];
    expect(races2023.length).toBe(12);
    for (let round = 1; round <= 12; round++) {
      const rows = entries
        .filter((e) => e.round === round)
        .map((e) => ({ race: `2023-${round}`, driver: e.driver, features: { grid_position: e.grid }, output: Math.exp(-(e.grid || 25)) }));
      logPredictions(db, { model: MODEL, version: '1', rows });
    }
    expect(rollingMetrics(db).find((r) => r.version === '1')).toBeUndefined();
    const res = joinOutcomes(db, { window: 12 });
    expect(res.joined).toBe(entries.length);
    const v1 = res.rolling.find((r) => r.model === MODEL && r.version === '1')!;
    // brute force: the model picks the pole-sitter (grid 1)
    const poleWins = new Set(entries.filter((e) => e.grid === 1 && e.position === 1).map((e) => e.round)).size;
    expect(v1.races).toBe(12);
    expect(v1.metrics.top1).toBeCloseTo(poleWins / 12, 10);
    let ll = 0;
    for (let round = 1; round <= 12; round++) {
      const es = entries.filter((e) => e.round === round);
      const sum = es.reduce((s, e) => s + Math.exp(-(e.grid || 25)), 0);
      ll -= Math.log(Math.exp(-(es.find((e) => e.position === 1)!.grid || 25)) / sum);
    }
    expect(v1.metrics.logloss).toBeCloseTo(ll / 12, 8);
    const stored = db.prepare("SELECT value FROM monitor_rolling WHERE model = ? AND version = '1' AND metric = 'top1'").pluck().get(MODEL);
    expect(stored).toBeCloseTo(poleWins / 12, 10);
  });

  it('joins lap-time forecasts to the laps and tracks their MAE', () => {
    const laps = db
      .prepare(
        `SELECT lap_number, lap_time_s FROM laps WHERE season = 2023 AND round = 1 AND session = 'race'
         AND driver_ref = 'max_verstappen' AND lap_time_s IS NOT NULL AND lap_number BETWEEN 5 AND 24 ORDER BY lap_number`,
      )
      .all() as { lap_number: number; lap_time_s: number }[];
    expect(laps.length).toBe(20);
    logPredictions(db, {
      model: 'lap-time',
      version: 3,
      rows: laps.map((l, i) => ({ race: '2023-1', driver: 'max_verstappen', lap: l.lap_number, features: { tyre_age: i }, output: l.lap_time_s + (i % 2 ? 0.4 : -0.6) })),
    });
    logPredictions(db, { model: 'lap-time', version: 3, rows: [{ race: '2023-1', driver: 'max_verstappen', lap: 999, features: {}, output: 90 }] });
    const r = joinOutcomes(db).rolling.find((x) => x.model === 'lap-time')!;
    expect(r.kind).toBe('regression');
    expect(r.metrics.n).toBe(20); // the lap that does not exist stays pending
    expect(r.metrics.mae).toBeCloseTo(0.5, 9);
    expect(db.prepare("SELECT COUNT(*) FROM monitor_predictions WHERE model = 'lap-time' AND actual IS NULL").pluck().get()).toBe(1);
  });

  it('raises an accuracy alert when a version starts picking the back of the grid', () => {
    const entries = db
      .prepare(
        `SELECT r.round, d.driver_ref AS driver, x.grid FROM results x JOIN races r ON r.race_id = x.race_id
         JOIN drivers d ON d.driver_id = x.driver_id WHERE r.year = 2024 AND r.round <= 18 ORDER BY r.round`,
      )
      .all() as { round: number; driver: string; grid: number }[];
    for (let round = 1; round <= 18; round++) {
      const broken = round > 12;
      const rows = entries
        .filter((e) => e.round === round)
        .map((e) => ({ race: `2024-${round}`, driver: e.driver, features: {}, output: Math.exp((broken ? 1 : -1) * (e.grid || 25)) }));
      logPredictions(db, { model: MODEL, version: '2', rows });
    }
    const seen: DriftAlert[] = [];
    const res = joinOutcomes(db, { window: 6, onAlert: (a) => seen.push(a) });
    const v2 = res.rolling.find((r) => r.version === '2')!;
    expect(v2.baselineRaces).toBe(12);
    expect(v2.metrics.top1).toBe(0);
    expect(seen.some((a) => a.kind === 'accuracy' && /v2: top1/.test(a.message))).toBe(true);
    // version 1 (12 races, window 6) did not drop
    expect(seen.some((a) => /v1:/.test(a.message))).toBe(false);
  });
});

describe('/metrics and the monitor:alert push', () => {
  let engine: Engine;
  let srv: RunningServer;
  beforeAll(async () => {
    // same database file: the feature store is materialized and a drift snapshot stored by the tests above
    // (run alone, the first scrape computes the snapshot)
    engine = createEngine({ db: dbFile });
    srv = await startServer(engine, { port: 0 });
  });
  afterAll(async () => {
    await srv.close();
    monitorService(engine).stop();
    engine.db.close();
  });

  it('exposes the pitwall_* series after a few logged predictions', async () => {
    logPredictions(engine.db, {
      model: MODEL,
      version: 7,
      rows: [1, 2, 3].map((g) => ({ race: '2024-1', driver: `x${g}`, features: { grid_position: g }, output: 1 / g })),
    });
    joinOutcomes(engine.db);
    const res = await fetch(`${srv.url}metrics`);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^pitwall_predictions_total\{model="race-winner",version="7"\} 3$/m);
    expect(text).toMatch(/^pitwall_feature_psi\{model="race-winner",feature="race_entry:quali_gap_pct"\} [0-9.e-]+$/m);
    expect(text).toMatch(/^pitwall_drift_alerts_total\{model="race-winner"\} \d+$/m);
    expect(text).toMatch(/^pitwall_rolling_accuracy\{model="race-winner",version="7",metric="top1"\} 0$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('pushes alerts stored by another process to the WebSocket sessions', async () => {
    const ws = new WebSocket(`${srv.url.replace('http', 'ws')}ws`);
    await new Promise((r) => ws.once('open', r));
    const got = new Promise<DriftAlert>((resolve) =>
      ws.on('message', (d) => {
        const m = JSON.parse(String(d)) as WireMessage;
        if (m.kind === 'event' && m.name === 'monitor:alert') resolve(m.payload as DriftAlert);
      }),
    );
    raiseAlert(engine.db, { model: MODEL, kind: 'drift', features: ['race_entry:grid_position'], message: 'test', key: 'ws-test' });
    monitorService(engine).poll();
    expect(await got).toMatchObject({ kind: 'drift', features: ['race_entry:grid_position'], message: 'test' });
    ws.close();
  });
});
