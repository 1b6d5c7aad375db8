// Versioning, incremental materialization, bad input (clear errors, store unchanged), entity files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbCopy } from '../../../tests/helpers/db.js';
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { featureCsv, readEntityFile } from './entity-file.js';
import { ensureTables } from './registry.js';
import { FeatureStore } from './store.js';
import type { FeatureView } from './types.js';
import { driverForm } from './views/driver_form.js';
import { raceEntry } from './views/race_entry.js';

let db: Db;
beforeAll(() => {
  db = dbCopy().db;
  ensureTables(db);
});
afterAll(() => db.close());

const pointsView = (factor: number, extra = false): FeatureView => ({
  name: 'test_points',
  entity: 'driver',
  description: 'points per race (test)',
  fields: [{ name: 'pts', type: 'float' }, ...(extra ? [{ name: 'grid', type: 'int' as const }] : [])],
  source: {
    kind: 'sql',
    sql: `SELECT d.driver_ref AS driver, r.start_utc AS event_timestamp, x.points * ${factor} AS pts${extra ? ', x.grid AS grid' : ''}
          FROM results x JOIN races r USING (race_id) JOIN drivers d USING (driver_id) WHERE r.year = 2023 AND x.position_order <= 10`,
  },
});
const snapshot = () =>
  JSON.stringify(
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'fv_%' OR name LIKE 'feature_%') ORDER BY name",
      )
      .pluck()
      .all()
      .concat(db.prepare('SELECT kind, name, version FROM feature_registry ORDER BY 1, 2, 3').raw().all()),
  );
const row = { driver: 'max_verstappen', event_timestamp: '2023-12-31T00:00:00Z' };

describe('versioning', () => {
  it('a changed definition creates v2; v1 stays queryable with its old values; unversioned = current', () => {
    const s1 = new FeatureStore(db, { views: [pointsView(1)] });
    s1.materialize();
    const v1 = s1.getHistoricalFeatures([row], ['test_points:pts']).values[0]![0];
    expect(v1).toBe(26); // Abu Dhabi 2023: win + fastest lap

    const s2 = new FeatureStore(db, { views: [pointsView(2, true)] });
    const applied = s2.apply();
    expect(applied).toEqual([{ view: 'test_points', version: 2, created: true }]);
    s2.materialize();
    const r = s2.getHistoricalFeatures(
      [row],
      ['test_points:pts', 'test_points@v1:pts', 'test_points@v2:grid'],
    );
    expect(r.values[0]).toEqual([52, 26, 1]);
    expect(s2.resolveRefs(['test_points:pts', 'test_points@v1:pts']).map((x) => [x.view, x.version])).toEqual(
      [
        ['test_points', 2],
        ['test_points', 1],
      ],
    );
    // v1 has no grid field: a clear error
    expect(() => s2.getHistoricalFeatures([row], ['test_points@v1:grid'])).toThrow(
      /v1 has no feature "grid"/,
    );
    expect(s2.listViews().find((v) => v.name === 'test_points')!.versions).toEqual([1, 2]);

    // Going back to the v1 definition makes v1 current again, without a v3.
    const s3 = new FeatureStore(db, { views: [pointsView(1)] });
    expect(s3.apply()).toEqual([{ view: 'test_points', version: 1, created: false }]);
    expect(s3.getHistoricalFeatures([row], ['test_points:pts']).values[0]![0]).toBe(26);
  });

  it('changing a shipped transform (race_entry) creates v2 while v1 keeps answering', () => {
    const base = new FeatureStore(db, { views: [raceEntry] });
    base.materialize();
    const q = { race: '2020-1', driver: 'hamilton', event_timestamp: '2020-07-05T13:10:00Z' };
    const v1 = base.getHistoricalFeatures([q], ['race_entry:grid_position']).values[0]![0];
    expect(v1).toBe(5); // Austria 2020: Hamilton qualified 2nd, 3-place grid penalty
    if (raceEntry.source.kind !== 'transform') throw new Error('race_entry is a transform');
    const inner = raceEntry.source.run;
    const changed: FeatureView = {
      ...raceEntry,
      source: {
        ...raceEntry.source,
        revision: 1,
        run: (ctx) => [...inner(ctx)].map((r) => ({ ...r, grid_position: 1 })),
      },
    };
    const s = new FeatureStore(db, { views: [changed] });
    s.materialize();
    const r = s.getHistoricalFeatures([q], ['race_entry:grid_position', 'race_entry@v1:grid_position']);
    expect(r.values[0]).toEqual([1, v1]);
    expect(r.refs.map((x) => x.version)).toEqual([2, 1]);
    // Back to the shipped code: v1 current again.
    new FeatureStore(db, { views: [raceEntry] }).apply();
    expect(base.resolveRefs(['race_entry:grid_position'])[0]!.version).toBe(1);
  });
});

describe('TTL', () => {
  it('a value older than the TTL at query time comes back as null', () => {
    const s = new FeatureStore(db, {
      views: [{ ...pointsView(1), name: 'test_ttl', ttlSeconds: 3 * 86_400 }],
    });
    const q = (t: string) =>
      s.getHistoricalFeatures([{ driver: 'max_verstappen', event_timestamp: t }], ['test_ttl:pts'])
        .values[0]![0];
    expect(q('2023-11-27T00:00:00Z')).toBe(26); // a day after Abu Dhabi 2023
    expect(q('2023-12-31T00:00:00Z')).toBeNull();
  });
});

describe('incremental materialization', () => {
  it('adds only races newer than the last run and ends equal to a full build', () => {
    const { db: d2 } = dbCopy();
    try {
      const lastRace = d2
        .prepare('SELECT race_id FROM races ORDER BY start_utc DESC LIMIT 1')
        .pluck()
        .get() as number;
      const saved = d2.prepare('SELECT * FROM results WHERE race_id = ?').all(lastRace) as Record<
        string,
        unknown
      >[];
      const savedQ = d2.prepare('SELECT * FROM qualifying WHERE race_id = ?').all(lastRace) as Record<
        string,
        unknown
      >[];
      d2.prepare('DELETE FROM results WHERE race_id = ?').run(lastRace);
      d2.prepare('DELETE FROM qualifying WHERE race_id = ?').run(lastRace);
      const s = new FeatureStore(d2, { views: [driverForm, raceEntry] });
      const first = s.materialize();
      expect(first.views.every((v) => v.mode === 'full')).toBe(true);
      expect(s.materialize().views.every((v) => v.mode === 'up-to-date')).toBe(true);
      const put = (table: string, rows: Record<string, unknown>[]) => {
        for (const r of rows) {
          const cols = Object.keys(r);
          d2.prepare(
            `INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`,
          ).run(...cols.map((c) => r[c]));
        }
      };
      put('results', saved);
      put('qualifying', savedQ);
      d2.prepare(
        "INSERT INTO imports (kind, source, files, rows, finished_at) VALUES ('test', 'test', 1, 1, 'now')",
      ).run();
      const inc = s.materialize();
      const df = inc.views.find((v) => v.view === 'race_entry')!;
      expect(df.mode).toBe('incremental');
      expect(df.inserted).toBe(saved.length);
      expect(inc.views.every((v) => v.corrections === 0)).toBe(true);
      // Same content as a full rebuild of the complete data (no corrections needed).
      const full = s.materialize({ full: true });
      expect(full.views.map((v) => v.inserted + v.corrections)).toEqual(full.views.map(() => 0));
      expect(full.views.map((v) => v.rows)).toEqual(inc.views.map((v) => v.rows));
    } finally {
      d2.close();
    }
  });
});

describe('bad input gives clear errors and leaves the store unchanged', () => {
  it('unknown refs and views', () => {
    const s = new FeatureStore(db, { views: [raceEntry] });
    s.ensureReady();
    const before = snapshot();
    expect(() => s.getHistoricalFeatures([row], ['race_entry:nope'])).toThrow(/has no feature "nope"/);
    expect(() => s.getHistoricalFeatures([row], ['nope:x'])).toThrow(/unknown feature view "nope"/);
    expect(() => s.getHistoricalFeatures([row], ['race_entry@v9:grid_position'])).toThrow(/not v9/);
    expect(() => s.getHistoricalFeatures([row], ['grid_position'])).toThrow(/not a feature ref/);
    expect(() => s.getFeatureService('nope')).toThrow(/unknown feature service/);
    expect(snapshot()).toBe(before);
  });

  it('entity rows: bad timestamps, missing key columns, times before any data', () => {
    const s = new FeatureStore(db, { views: [raceEntry] });
    const race = { ...row, race: '2023-1' };
    expect(() =>
      s.getHistoricalFeatures([{ ...race, event_timestamp: 'yesterday' }], ['race_entry:grid_position']),
    ).toThrow(/entity row 0: event_timestamp "yesterday"/);
    expect(() => s.getHistoricalFeatures([row], ['race_entry:grid_position'])).toThrow(
      /lack the column "race"/,
    );
    expect(() =>
      s.getHistoricalFeatures(
        [{ ...race, event_timestamp: '1900-01-01T00:00:00Z' }],
        ['race_entry:grid_position'],
      ),
    ).toThrow(/before any feature data/);
  });

  it('entity files name the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pitwall-ent-'));
    const f = (name: string, text: string) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    expect(() =>
      readEntityFile(
        f('a.csv', 'driver,event_timestamp\nhamilton,2020-01-01T00:00:00Z\nvettel,2020-13-45\n'),
      ),
    ).toThrow(/a\.csv, line 3, column "event_timestamp"/);
    expect(() => readEntityFile(f('b.csv', 'driver,when\nhamilton,2020-01-01\n'))).toThrow(
      /b\.csv, line 1: no "event_timestamp"/,
    );
    expect(() => readEntityFile(f('c.csv', 'driver,event_timestamp\nhamilton\n'))).toThrow(
      /c\.csv, line 2: has 1 fields/,
    );
    const ok = readEntityFile(
      f(
        'd.csv',
        'driver,event_timestamp\r\nhamilton,2023-07-05T13:10:00Z\r\nnobody,2023-07-05T13:10:00Z\r\n',
      ),
    );
    const s = new FeatureStore(db, { views: [pointsView(1)] });
    const r = s.getHistoricalFeatures(ok.rows, ['test_points:pts'], { file: ok.file, lines: ok.lines });
    const csv = featureCsv(ok.columns, ok.rows, r).split('\n');
    expect(csv[0]).toBe('driver,event_timestamp,test_points:pts');
    expect(csv[1]).toBe('hamilton,2023-07-05T13:10:00Z,4'); // Austria 2023: 8th
    expect(csv[2]).toBe('nobody,2023-07-05T13:10:00Z,');
    expect(() =>
      s.getHistoricalFeatures([{ driver: 'x', event_timestamp: '1800-01-01' }], ['test_points:pts'], {
        file: 'e.csv',
        lines: [7],
      }),
    ).toThrow(/e\.csv, line 7, column "event_timestamp"/);
  });

  it('on lazy use a broken view does not block the others; its refs report why', () => {
    const broken: FeatureView = {
      ...pointsView(1),
      name: 'test_broken',
      source: { kind: 'transform', run: () => [{ driver: 'x' }] },
    };
    const s = new FeatureStore(db, { views: [raceEntry, broken] });
    const q = { race: '2020-1', driver: 'hamilton', event_timestamp: '2020-07-05T13:10:00Z' };
    expect(s.getHistoricalFeatures([q], ['race_entry:grid_position']).values[0]).toEqual([5]);
    expect(() => s.getHistoricalFeatures([q], ['test_broken:pts'])).toThrow(
      /failed to materialize: .*event_timestamp/,
    );
    expect(() => s.materialize()).toThrow(/test_broken.*event_timestamp/); // explicit: all or nothing
  });

  it('invalid definitions and failing sources roll everything back', () => {
    const before = snapshot();
    const bad = (patch: Partial<FeatureView>) =>
      new FeatureStore(db, { views: [{ ...pointsView(3), ...patch }] });
    expect(() => bad({ name: 'Bad-Name' }).apply()).toThrow(DataError);
    expect(() => bad({ fields: [{ name: 'pts', type: 'decimal' as 'float' }] }).apply()).toThrow(
      /type "decimal"/,
    );
    expect(() =>
      bad({
        fields: [
          { name: 'pts', type: 'float' },
          { name: 'pts', type: 'int' },
        ],
      }).apply(),
    ).toThrow(/defined twice/);
    expect(() => bad({ entity: 'team' }).apply()).toThrow(/unknown entity "team"/);
    expect(() => bad({ source: { kind: 'sql', sql: 'DELETE FROM results' } }).apply()).toThrow(
      /must be a SELECT/,
    );
    // A source row with a wrong type: the new version (registry row, tables) is rolled back too.
    expect(() => bad({ fields: [{ name: 'pts', type: 'string' }] }).materialize()).toThrow(
      /row 1: field "pts" should be string/,
    );
    expect(() =>
      new FeatureStore(db, {
        views: [
          {
            ...pointsView(1),
            name: 'test_throws',
            source: {
              kind: 'transform',
              run: () => {
                throw new Error('boom');
              },
            },
          },
        ],
      }).materialize(),
    ).toThrow(/boom/);
    const twice = { driver: 'x', event_timestamp: '2020-01-01T00:00:00Z', pts: 1 };
    expect(() =>
      new FeatureStore(db, {
        views: [
          {
            ...pointsView(1),
            name: 'test_dup',
            source: { kind: 'transform', run: () => [twice, { ...twice }] },
          },
        ],
      }).materialize(),
    ).toThrow(/two rows for driver "x" at 2020-01-01T00:00:00.000Z/);
    expect(snapshot()).toBe(before);
  });
});
