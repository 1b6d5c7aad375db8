// The feature-store benchmark (shared by `pitwall features bench` and bench/features.mjs). Runs on a scratch copy
// of the database so the user's store is not touched: cold full materialization, online p50/p99 for 6 features ×
// 20 drivers, and a point-in-time join of 100,000 entity rows × 10 features.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../data/db.js';
import { raceEntryRows } from './races.js';
import { FeatureStore } from './store.js';
import type { EntityRow } from './types.js';

export interface FeatureBench {
  online_p50_ms: number;
  online_p99_ms: number;
  historical_rows_per_s: number;
  historical_s: number;
  historical_warm_rows_per_s: number;
  materialize_full_s: number;
  materialize_incremental_s: number;
  rows_materialized: number;
}

const ONLINE_REFS = [
  'driver_form:avg_finish_last_5',
  'driver_form:avg_quali_last_5',
  'driver_form:dnf_rate_last_10',
  'driver_form:championship_points_before',
  'team_form:constructor_position',
  'team_form:constructor_points_before',
];
const HISTORICAL_REFS = [
  'race_entry:grid_position',
  'race_entry:quali_position',
  'race_entry:quali_gap_pct',
  'driver_form:avg_finish_last_5',
  'driver_form:avg_quali_last_5',
  'driver_form:dnf_rate_last_10',
  'driver_form:wins_at_circuit',
  'driver_form:championship_points_before',
  'team_form:constructor_position',
  'team_form:constructor_points_before',
];

const round = (x: number, d = 4) => Number(x.toFixed(d));
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export async function benchFeatures(
  db: Db,
  _dbFile: string,
  log: (line: string) => void = () => {},
): Promise<FeatureBench> {
  const dir = mkdtempSync(join(tmpdir(), 'pitwall-fbench-'));
  const file = join(dir, 'bench.db');
  try {
    db.exec(`VACUUM INTO '${file.replace(/'/g, "''")}'`);
    const scratch = openDb(file);
    try {
      for (const t of scratch
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'fv\\_%' ESCAPE '\\' OR name LIKE 'feature\\_%' ESCAPE '\\')",
        )
        .pluck()
        .all() as string[])
        scratch.exec(`DROP TABLE "${t}"`);
      const store = new FeatureStore(scratch);
      log('materializing every view from the raw tables …');
      let t0 = performance.now();
      const rep = store.materialize({ full: true });
      const materialize_full_s = (performance.now() - t0) / 1000;
      t0 = performance.now();
      store.materialize();
      const materialize_incremental_s = (performance.now() - t0) / 1000;

      // Online: the 20 drivers of the latest race.
      const last = scratch
        .prepare('SELECT MAX(year) FROM races WHERE race_id IN (SELECT race_id FROM results)')
        .pluck()
        .get() as number;
      const entries = raceEntryRows(scratch, { from: last, to: last });
      const lastRace = entries[entries.length - 1]!.race;
      const drivers = [...new Set(entries.filter((e) => e.race === lastRace).map((e) => e.driver))].slice(
        0,
        20,
      );
      const keys = drivers.map((driver) => ({ driver }));
      log(`online: ${ONLINE_REFS.length} features × ${keys.length} drivers …`);
      for (let i = 0; i < 300; i++) store.getOnlineFeatures(ONLINE_REFS, keys);
      const lat: number[] = [];
      for (let i = 0; i < 3000; i++) {
        const s = performance.now();
        store.getOnlineFeatures(ONLINE_REFS, keys);
        lat.push(performance.now() - s);
      }
      lat.sort((a, b) => a - b);

      // Historical: 100,000 (race, driver) rows sampled from 2000+ entries, at the race start, as ISO strings.
      const pool = raceEntryRows(scratch, { from: 2000, to: 9999 });
      let seed = 7;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      const rows: EntityRow[] = [];
      for (let i = 0; i < 100_000; i++) {
        const e = pool[Math.floor(rand() * pool.length)]!;
        rows.push({ race: e.race, driver: e.driver, event_timestamp: e.event_timestamp });
      }
      log(`historical: ${rows.length} rows × ${HISTORICAL_REFS.length} features …`);
      t0 = performance.now();
      store.getHistoricalFeatures(rows, HISTORICAL_REFS);
      const historical_s = (performance.now() - t0) / 1000;
      t0 = performance.now();
      store.getHistoricalFeatures(rows, HISTORICAL_REFS);
      const warm = (performance.now() - t0) / 1000;
      return {
        online_p50_ms: round(pct(lat, 50)),
        online_p99_ms: round(pct(lat, 99)),
        historical_rows_per_s: Math.round(rows.length / historical_s),
        historical_s: round(historical_s, 3),
        historical_warm_rows_per_s: Math.round(rows.length / warm),
        materialize_full_s: round(materialize_full_s, 3),
        materialize_incremental_s: round(materialize_incremental_s, 3),
        rows_materialized: rep.views.reduce((s, v) => s + v.rows, 0),
      };
    } finally {
      scratch.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
