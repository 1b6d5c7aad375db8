// Import on the real data: idempotent, and all-or-nothing on corrupted copies of real files and on a failing write.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dbCopy } from '../../../tests/helpers/db.js';
import { ERGAST_DIR, LAPS_DIR, plainCopy } from '../../../tests/helpers/data.js';
import { openDb, type Db } from './db.js';
import { importData } from './importer.js';
import { dbStatus } from './status.js';

function snapshot(db: Db) {
  const tables = ['races', 'results', 'laps', 'pit_stops', 'qualifying', 'drivers', 'safety_cars', 'imports'];
  return Object.fromEntries(
    tables.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n]),
  );
}

const ergastCopy = (): string => plainCopy(ERGAST_DIR);

/** Every table's content, order-free: a hash of its sorted rows. */
function fingerprint(db: Db): Record<string, string> {
  const tables = db
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('imports', 'schema_version') AND name NOT LIKE 'sqlite_%'`,
    )
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => {
      const rows = (db.prepare(`SELECT * FROM ${name}`).raw().all() as unknown[][])
        .map((r) => JSON.stringify(r))
        .sort();
      return [name, createHash('sha1').update(rows.join('\n')).digest('hex')];
    }),
  );
}

function editLine(file: string, line: number, edit: (l: string) => string): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines[line - 1] = edit(lines[line - 1]!);
  writeFileSync(file, lines.join('\n'));
}

describe('import of the real data', () => {
  let db: Db;
  beforeAll(() => {
    db = dbCopy().db;
  });

  it('has every season and links laps to Ergast drivers and races', () => {
    const s = dbStatus(db);
    expect(s.races).toBeGreaterThanOrEqual(1100);
    expect(s.results).toBeGreaterThanOrEqual(26000);
    expect(s.laps).toBeGreaterThanOrEqual(150000);
    expect(s.seasons).toEqual([1950, 2024]);
    const unlinked = db.prepare('SELECT COUNT(*) AS n FROM laps WHERE driver_ref IS NULL').get() as {
      n: number;
    };
    expect(unlinked.n).toBe(0);
    const ver = db
      .prepare(`SELECT driver_ref FROM laps WHERE season = 2023 AND round = 1 AND driver = 'VER' LIMIT 1`)
      .get() as { driver_ref: string };
    expect(ver.driver_ref).toBe('max_verstappen');
    const statuses = db.prepare(`SELECT DISTINCT track_status FROM laps WHERE track_status LIKE '%.%'`).all();
    expect(statuses).toEqual([]);
    const sc = db.prepare('SELECT COUNT(*) AS n FROM safety_cars WHERE race_id IS NULL').get() as {
      n: number;
    };
    expect(sc.n).toBe(0);
    // derived at import: best qualifying time in ms (the best of Q1–Q3 set), race start in UTC (noon when unknown)
    const best = (ref: string) =>
      (
        db
          .prepare(
            `SELECT q.best_ms AS ms FROM qualifying q JOIN races r USING (race_id) JOIN drivers d USING (driver_id)
           WHERE r.year = 2023 AND r.round = 1 AND d.driver_ref = ?`,
          )
          .get(ref) as { ms: number }
      ).ms;
    expect([best('max_verstappen'), best('sargeant')]).toEqual([89_708, 91_652]); // 1:29.708 in Q3; Q1 only
    const start = (y: number) =>
      (db.prepare('SELECT start_utc AS s FROM races WHERE year = ? AND round = 1').get(y) as { s: string }).s;
    expect([start(1950), start(2023)]).toEqual(['1950-05-13T12:00:00Z', '2023-03-05T15:00:00Z']);
    // VSC and red-flag periods imported and linked to their races
    const linked = (t: string) =>
      db.prepare(`SELECT COUNT(*) AS n, SUM(race_id IS NOT NULL) AS k FROM ${t}`).get() as {
        n: number;
        k: number;
      };
    expect(linked('vsc_laps').n).toBeGreaterThan(150);
    expect(linked('vsc_laps').k).toBeGreaterThan(0.95 * linked('vsc_laps').n);
    expect(linked('red_flags').n).toBeGreaterThan(50);
    expect(linked('red_flags').k).toBe(linked('red_flags').n);
  });

  it('merges sector times from the raw 2024 files into the transformed laps', () => {
    const r = db
      .prepare(
        `SELECT lap_time_s, sector1_s, sector2_s, sector3_s FROM laps
                WHERE season = 2024 AND round = 1 AND driver = 'VER' AND lap_number = 2`,
      )
      .get() as { lap_time_s: number; sector1_s: number; sector2_s: number; sector3_s: number };
    expect(r.lap_time_s).toBeCloseTo(96.296, 3);
    expect(r.sector1_s + r.sector2_s + r.sector3_s).toBeCloseTo(96.296, 2);
  });

  it('is idempotent: a second import replaces and never duplicates, value for value, and counts what it wrote', () => {
    const before = snapshot(db);
    const content = fingerprint(db);
    const summary = importData(db, { ergast: ERGAST_DIR, laps: LAPS_DIR });
    const after = snapshot(db);
    expect({ ...after, imports: 0 }).toEqual({ ...before, imports: 0 });
    expect(after.imports).toBe(before.imports! + 1);
    // every value as the first import wrote it (race start times, best qualifying times, links, VSC laps, tyres …)
    expect(fingerprint(db)).toEqual(content);
    // the summary: rows per table as written (laps count every write: raw sector files merge into the same rows),
    // their sum, and one import record naming both sources
    for (const t of ['races', 'results', 'qualifying', 'pit_stops'] as const)
      expect(summary.tables[t], t).toBe(after[t]);
    expect(summary.rows).toBe(Object.values(summary.tables).reduce((a, b) => a + b, 0));
    expect(summary.files).toBeGreaterThan(14);
    const rec = db
      .prepare('SELECT kind, source, files, rows FROM imports ORDER BY id DESC LIMIT 1')
      .get() as Record<string, unknown>;
    expect(rec).toEqual({
      kind: 'ergast+laps',
      source: `${ERGAST_DIR} ; ${LAPS_DIR}`,
      files: summary.files,
      rows: summary.rows,
    });
  });

  const corruptions: [string, (dir: string) => void, RegExp][] = [
    [
      'a letter in a number column',
      (d) => editLine(join(d, 'results.csv'), 5000, (l) => l.replace(/^(\d+),(\d+),/, '$1,x$2,')),
      /results\.csv, line 5000, column "raceId": "x\d+" is not an integer/,
    ],
    [
      'a truncated row',
      (d) => editLine(join(d, 'pit_stops.csv'), 300, (l) => l.split(',').slice(0, 3).join(',')),
      /pit_stops\.csv, line 300, column "lap": expected 7 fields, found 3/,
    ],
    [
      'a missing column',
      (d) => editLine(join(d, 'qualifying.csv'), 1, (l) => l.replace('driverId', 'driver')),
      /qualifying\.csv, line 1, column "driverId": missing required column/,
    ],
    [
      'an empty file',
      (d) => writeFileSync(join(d, 'drivers.csv'), ''),
      /drivers\.csv, line 1: file is empty/,
    ],
    [
      'a wrong encoding',
      (d) => {
        const f = join(d, 'circuits.csv');
        const buf = readFileSync(f);
        writeFileSync(f, Buffer.concat([buf, Buffer.from([0x80, 0x81, 0x0a])]));
      },
      /circuits\.csv, line \d+: not valid UTF-8/,
    ],
  ];
  for (const [name, corrupt, message] of corruptions) {
    it(`rejects ${name} with file, line and column, leaving the database unchanged`, () => {
      const dir = ergastCopy();
      corrupt(dir);
      const before = snapshot(db);
      expect(() => importData(db, { ergast: dir })).toThrow(message);
      expect(snapshot(db)).toEqual(before);
    });
  }

  it('rolls back everything when a lap file is bad, even after valid Ergast files', () => {
    const laps = plainCopy(LAPS_DIR);
    const f = join(laps, 'grand_prix', 'transformed_grand_prix_laps_2019.csv');
    editLine(f, 1234, (l) => l.replace(/^([^,]*),([A-Z]{3}),(\d+),/, '$1,$2,abc,'));
    const before = snapshot(db);
    expect(() => importData(db, { ergast: ergastCopy(), laps })).toThrow(
      /transformed_grand_prix_laps_2019\.csv, line 1234, column "DriverNumber"/,
    );
    expect(snapshot(db)).toEqual(before);
  });
});

describe('an import is one transaction', () => {
  /** A fresh database whose `table` refuses inserts (a write failing part-way, after every earlier write ran). */
  function failingDb(table: string): { db: Db; file: string } {
    const file = join(mkdtempSync(join(tmpdir(), 'pitwall-tx-')), 'tx.db');
    const db = openDb(file);
    db.exec(
      `CREATE TRIGGER fail_${table} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END`,
    );
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { db, file };
  }
  const bytes = (db: Db, file: string) => {
    db.pragma('wal_checkpoint(TRUNCATE)');
    return readFileSync(file);
  };

  it.each(['results', 'imports'])(
    'a write failing mid-import (into %s) leaves the database byte-identical',
    (table) => {
      const { db, file } = failingDb(table);
      try {
        const before = bytes(db, file);
        // results: after races, drivers and others were written; imports: the last write, after everything else
        expect(() => importData(db, { ergast: ERGAST_DIR })).toThrow(/disk I\/O error \(test\)/);
        const after = bytes(db, file);
        expect(after.equals(before)).toBe(true);
        expect((db.prepare('SELECT COUNT(*) AS n FROM races').get() as { n: number }).n).toBe(0);
      } finally {
        db.close();
      }
    },
  );
});
