// Newer Ergast-format exports: trailing optional columns omitted, fields unquoted; still strict on required columns.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dbCopy } from '../../../tests/helpers/db.js';
import { ERGAST_DIR, plainCopy } from '../../../tests/helpers/data.js';
import { parseCsv } from './csv.js';
import { typedRows } from './columns.js';
import type { Db } from './db.js';
import { ERGAST_TABLES } from './ergast.js';
import { importData } from './importer.js';

const RACES = ERGAST_TABLES.find((t) => t.table === 'races')!.columns;
const HEAD =
  'raceId,year,round,circuitId,name,date,time,url,fp1_date,fp1_time,fp2_date,fp2_time,fp3_date,fp3_time,quali_date,quali_time,sprint_date,sprint_time';

function counts(db: Db) {
  const tables = ['races', 'results', 'qualifying', 'pit_stops', 'drivers', 'sprint_results', 'driver_standings'];
  return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n]));
}

/** Rewrites a CSV as a newer export does: rows of `year` cut to `keep` fields, nothing quoted unless it must be. */
function newerStyle(file: string, yearCol: number, year: string, keep: number): void {
  const t = parseCsv(readFileSync(file, 'utf8'), 'x.csv');
  const q = (f: string) => (/[",\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
  const lines = [t.header.join(','), ...t.rows.map((r) => (r[yearCol] === year ? r.slice(0, keep) : r).map(q).join(','))];
  writeFileSync(file, lines.join('\n') + '\n');
}

describe('tolerant, still strict, CSV rows', () => {
  it('reads omitted trailing optional columns as null, quoted or not', () => {
    const quoted = typedRows(
      parseCsv(`${HEAD}\n"1200","2025","1","1","Australian Grand Prix","2025-03-16","04:00:00","http://x"\n`, 'races.csv'),
      RACES,
    );
    const plain = typedRows(parseCsv(`${HEAD}\n1200,2025,1,1,Australian Grand Prix,2025-03-16,04:00:00,http://x\n`, 'races.csv'), RACES);
    expect(plain).toEqual(quoted);
    const row = Object.fromEntries(plain.columns.map((c, i) => [c, plain.rows[0]![i]]));
    expect(row).toMatchObject({ race_id: 1200, year: 2025, name: 'Australian Grand Prix', time: '04:00:00', fp1_date: null, sprint_time: null });
  });
  it('refuses a row that stops before a required column, naming file, line and the column', () => {
    expect(() => typedRows(parseCsv(`${HEAD}\n1200,2025,1,1,Australian Grand Prix\n`, 'races.csv'), RACES)).toThrow(
      /races\.csv, line 2, column "date": expected 18 fields, found 5/,
    );
    expect(() => typedRows(parseCsv(`${HEAD}\n1200,2025,1,1,A,2025-03-16,04:00:00,u,a,b,c,d,e,f,g,h,i,j,k\n`, 'races.csv'), RACES)).toThrow(
      /races\.csv, line 2.*expected 18 fields, found 19/,
    );
  });
});

describe('a newer export on top of the bundled data', () => {
  let db: Db;
  let dir: string;
  beforeAll(() => {
    db = dbCopy().db;
    dir = plainCopy(ERGAST_DIR);
    newerStyle(join(dir, 'races.csv'), 1, '2024', 8);
    // A season the bundled data lacks: 2024 round 1 again as "2025" round 1, in the newer style.
    const r1 = parseCsv(readFileSync(join(dir, 'races.csv'), 'utf8'), 'races.csv').rows.find((r) => r[1] === '2024' && r[2] === '1')!;
    appendFileSync(join(dir, 'races.csv'), `5001,2025,1,${r1[3]},${r1[4]},2025-03-16,04:00:00,http://example/2025\n`);
    const res = parseCsv(readFileSync(join(dir, 'results.csv'), 'utf8'), 'results.csv').rows.filter((r) => r[1] === r1[0]);
    appendFileSync(join(dir, 'results.csv'), res.map((r, i) => [900000 + i, 5001, ...r.slice(2)].join(',')).join('\n') + '\n');
  });

  it('imports, reads the omitted session dates as null, and a second import changes nothing', () => {
    const before = counts(db);
    importData(db, { ergast: dir });
    const once = counts(db);
    expect(once.races).toBe(before.races! + 1);
    expect(once.results).toBe(before.results! + 20);
    expect({ ...once, races: 0, results: 0 }).toEqual({ ...before, races: 0, results: 0 });
    const r = db.prepare('SELECT name, time, fp1_date, start_utc FROM races WHERE year = 2024 AND round = 24').get();
    expect(r).toEqual({ name: 'Abu Dhabi Grand Prix', time: '13:00:00', fp1_date: null, start_utc: '2024-12-08T13:00:00Z' });
    const win = db
      .prepare(`SELECT d.driver_ref AS ref FROM results x JOIN races r ON r.race_id = x.race_id JOIN drivers d ON d.driver_id = x.driver_id
                WHERE r.year = 2025 AND x.position_order = 1`)
      .get() as { ref: string };
    expect(win.ref).toBe('max_verstappen');
    importData(db, { ergast: dir });
    expect(counts(db)).toEqual(once);
  });

  it('still refuses a results row missing required columns, and writes nothing', () => {
    const bad = plainCopy(ERGAST_DIR);
    appendFileSync(join(bad, 'results.csv'), '99999,1144,1\n');
    const lines = readFileSync(join(bad, 'results.csv'), 'utf8').trimEnd().split('\n').length;
    const before = counts(db);
    expect(() => importData(db, { ergast: bad })).toThrow(
      new RegExp(`results\\.csv, line ${lines}, column "constructorId": expected 18 fields, found 3`),
    );
    expect(counts(db)).toEqual(before);
  });
});
