// Item 7 of the current-seasons issue, end to end on a synthetic 2025 (the bundled 2024 a year later) from a fake
// Jolpica: after the update, logged predictions join to their outcomes, the feature store in use materializes only
// the new races (incremental), and `pitwall evaluate … --test-seasons 2025` evaluates the models on the new season.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbCopy } from '../../../tests/helpers/db.js';
import { ERGAST_DIR, PROJECT_ROOT } from '../../../tests/helpers/data.js';
import { startFakeJolpica, type FakeJolpica } from '../../../tests/helpers/fake-jolpica.js';
import { syntheticSeasonDir } from '../../../tests/helpers/synthetic-season.js';
import type { Db } from '../data/db.js';
import { FeatureStore } from '../features/store.js';
import { logPredictions } from '../monitoring/log.js';
import { afterUpdate, type AfterUpdate } from './after.js';
import { updateFromJolpica } from './update.js';

describe('after an update with a new season', () => {
  let fake: FakeJolpica;
  let db: Db;
  let file: string;
  let after: AfterUpdate;
  let before: number;
  beforeAll(async () => {
    fake = await startFakeJolpica({ ergastDir: syntheticSeasonDir(ERGAST_DIR, { from: 2024, to: 2025 }), minSeason: 2025 });
    ({ db, file } = dbCopy());
    const store = new FeatureStore(db);
    store.materialize(); // the store is in use
    before = store.listViews().reduce((a, v) => a + v.rows, 0);
    logPredictions(db, {
      model: 'race-winner', version: 1,
      rows: [
        { race: '2025-1', driver: 'max_verstappen', features: {}, output: 0.6 },
        { race: '2025-1', driver: 'leclerc', features: {}, output: 0.1 },
        { race: '2025-2', driver: 'perez', features: {}, output: 0.2 },
      ],
    });
    const r = await updateFromJolpica(db, { seasons: [2025], baseUrl: fake.url, cacheDir: mkdtempSync(join(tmpdir(), 'pitwall-cache-')), http: { backoffMs: 1, retries: 1, limits: [] } });
    expect(r).toMatchObject({ races: 24, seasons: [2025] });
    after = await afterUpdate(db);
  }, 600_000);
  afterAll(async () => {
    db?.close();
    await fake?.close();
  });

  it('predictions logged before the races join to their outcomes', () => {
    expect(after.outcomes?.joined).toBe(3);
    const got = db.prepare(`SELECT season, round, driver, actual FROM monitor_predictions WHERE season = 2025 ORDER BY round, driver`).all();
    // the synthetic 2025 is 2024 again: Verstappen won rounds 1 and 2
    expect(got).toEqual([
      { season: 2025, round: 1, driver: 'leclerc', actual: 0 },
      { season: 2025, round: 1, driver: 'max_verstappen', actual: 1 },
      { season: 2025, round: 2, driver: 'perez', actual: 0 },
    ]);
  });

  it('the feature store materializes incrementally: only the new races are added', () => {
    const views = after.features!.views;
    expect(views.length).toBeGreaterThan(0);
    expect(views.every((v) => v.mode === 'incremental')).toBe(true);
    const entries = db.prepare(`SELECT COUNT(*) FROM results x JOIN races r USING (race_id) WHERE r.year = 2025`).pluck().get() as number;
    expect(entries).toBe(479);
    const inserted = views.reduce((a, v) => a + v.inserted, 0);
    expect(inserted).toBeGreaterThanOrEqual(entries);
    expect(new FeatureStore(db).listViews().reduce((a, v) => a + v.rows, 0)).toBe(before + inserted);
  });

  it('`pitwall evaluate race-winner --test-seasons 2025` evaluates on the new season', () => {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const out = execFileSync(process.execPath, ['bin/pitwall.mjs', 'evaluate', 'race-winner', '--train-seasons', '2014-2024', '--test-seasons', '2025', '--db', file, '--json'], {
      cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 500_000,
    });
    const rep = JSON.parse(out) as { test_seasons: number[]; races: number; top1: number; logloss: number; baselines: Record<string, { races: number }> };
    expect(rep).toMatchObject({ test_seasons: [2025, 2025], races: 24 });
    expect(rep.baselines.pole_sitter?.races).toBe(24);
    expect(rep.top1).toBeGreaterThan(0);
    expect(Number.isFinite(rep.logloss)).toBe(true);
  }, 600_000);
});
