// A first import into an empty database, on two real races (2023 Bahrain and Saudi Arabia cut from the bundled files):
// what it writes and counts, the progress it reports, the derived columns, and the links it makes — laps to Ergast
// drivers (by code, else by car number) and race-named tables to race ids. Everything runs inside the tests.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERGAST_DIR, LAPS_DIR, plainCopy } from '../../../tests/helpers/data.js';
import { readTextFile } from './csv.js';
import { openDb, type Db } from './db.js';
import { findFile } from './ergast.js';
import { bestQualiMs, importData, raceStartUtc } from './importer.js';

const RACES = new Set(['1098', '1099']); // 2023 rounds 1 and 2
const NAMES = ['2023 Bahrain Grand Prix', '2023 Saudi Arabian Grand Prix'];

/** A data file's lines (plain or .gz), without the empty last one. */
const lines = (f: string) => readTextFile(f).split('\n').filter((l) => l !== '');
function keepRows(file: string, keep: (cells: string[]) => boolean): number {
  const [head, ...rows] = lines(file);
  const kept = rows.filter((r) => keep(r.split(',')));
  writeFileSync(file, [head, ...kept].join('\n') + '\n');
  return kept.length;
}

/** The two races' Ergast files (reference tables whole) and their laps, with two edits to the laps: Verstappen under
 *  an unknown code in round 2 (linked by his car number) and Hamilton carrying Verstappen's number in round 1
 *  (linked by his code, which wins), and one lap of a car nobody entered. */
function twoRaces() {
  const ergast = plainCopy(ERGAST_DIR);
  const counts: Record<string, number> = {};
  for (const f of readdirSync(ergast).filter((n) => n.endsWith('.csv'))) {
    const head = lines(join(ergast, f))[0]!.split(',');
    const at = head.indexOf('raceId');
    if (at >= 0) counts[f] = keepRows(join(ergast, f), (c) => RACES.has(c[at]!));
    else if (f === 'safety_cars.csv' || f === 'red_flags.csv') counts[f] = keepRows(join(ergast, f), (c) => c[0]!.startsWith('2023 '));
  }
  const vsc = { '2023 Bahrain Grand Prix': [4, 5], '2023 Australian Grand Prix': [7] }; // Australia is not imported
  writeFileSync(join(ergast, 'virtual_safety_car_estimates.json'), JSON.stringify(vsc));

  // the laps: the 2023 file alone (read, not the whole lap folder decompressed) and the compound selection
  const laps = mkdtempSync(join(tmpdir(), 'pitwall-laps-'));
  mkdirSync(join(laps, 'grand_prix'));
  writeFileSync(join(laps, 'compound_selection.toml'), readTextFile(findFile(LAPS_DIR, 'compound_selection.toml')!));
  const [head, ...rows] = lines(findFile(join(LAPS_DIR, 'grand_prix'), 'transformed_grand_prix_laps_2023.csv')!);
  const cols = head!.split(',');
  const [round, driver, number] = ['RoundNumber', 'Driver', 'DriverNumber'].map((c) => cols.indexOf(c));
  const kept = rows
    .map((r) => r.split(','))
    .filter((c) => ['1', '2'].includes(c[round!]!))
    .map((c) => {
      if (c[round!] === '2' && c[driver!] === 'VER') c[driver!] = 'MAX';
      if (c[round!] === '1' && c[driver!] === 'HAM') c[number!] = '1';
      return c.join(',');
    });
  // a car nobody entered: one lap under an unknown code and number stays unlinked
  const stray = kept[0]!.split(',');
  stray[driver!] = 'ZZZ';
  stray[number!] = '99';
  kept.push(stray.join(','));
  writeFileSync(join(laps, 'grand_prix', 'transformed_grand_prix_laps_2023.csv'), [head, ...kept].join('\n') + '\n');
  return { ergast, laps, counts, lapRows: kept.length };
}

const count = (db: Db, sql: string, ...args: unknown[]) => db.prepare(sql).pluck().get(...args) as number;

describe('a first import of two real races into an empty database', () => {
  it('writes and counts every row, reports progress to the end, and records the import', () => {
    const d = twoRaces();
    const db = openDb(join(mkdtempSync(join(tmpdir(), 'pitwall-fresh-')), 'fresh.db'));
    const calls: [string, number, number][] = [];
    const r = importData(db, { ergast: d.ergast, laps: d.laps, onProgress: (p, done, total) => calls.push([p, done, total]) });

    expect(r.tables.races).toBe(2);
    expect(r.tables.results).toBe(d.counts['results.csv']);
    expect(r.tables.qualifying).toBe(d.counts['qualifying.csv']);
    expect(r.tables.pit_stops).toBe(d.counts['pit_stops.csv']);
    expect(r.tables.safety_cars).toBe(d.counts['safety_cars.csv']);
    expect(r.tables.laps).toBe(d.lapRows);
    expect(r.tables.vsc_laps).toBe(3);
    expect(r.tables.compound_selection).toBe(count(db, 'SELECT COUNT(*) FROM compound_selection'));
    expect(r.tables.compound_selection).toBeGreaterThan(100);
    for (const [t, n] of Object.entries(r.tables)) expect(count(db, `SELECT COUNT(*) FROM ${t}`), t).toBe(n);
    expect(r.rows).toBe(Object.values(r.tables).reduce((a, b) => a + b, 0));
    // every Ergast CSV, the VSC file, the lap file and the compound selection
    const ergastFiles = readdirSync(d.ergast).filter((f) => f.endsWith('.csv')).length;
    expect(r.files).toBe(ergastFiles + 1 + 1 + 1);
    expect(r.seconds).toBeGreaterThan(0);

    // progress: one read per data file, numbered in order; then writes growing to the total of table and lap rows
    const reads = calls.filter((c) => c[0] === 'read');
    // (the VSC file counts among the files but reports no read of its own: the lap file is read as file n + 2)
    expect(reads.map((c) => c[1])).toEqual([...Array.from({ length: ergastFiles }, (_, i) => i + 1), ergastFiles + 2]);
    expect(reads.every((c) => c[2] === 0)).toBe(true);
    const writes = calls.filter((c) => c[0] === 'write');
    const total = Object.entries(r.tables)
      .filter(([t]) => !['vsc_laps', 'compound_selection'].includes(t))
      .reduce((a, [, n]) => a + n, 0);
    expect(writes.every((c) => c[2] === total)).toBe(true);
    // one tick per table and lap file, each by its rows (a table with no rows for these races ticks by 0)
    expect(writes).toHaveLength(ergastFiles + 1);
    for (let i = 1; i < writes.length; i++) expect(writes[i]![1]).toBeGreaterThanOrEqual(writes[i - 1]![1]);
    expect(writes.at(-1)![1] - writes.at(-2)![1]).toBe(d.lapRows);
    expect(writes.find((w) => w[1] > 0)![1]).toBeGreaterThan(30); // the circuits, whole
    expect(writes.at(-1)![1]).toBe(total);
    expect(calls.indexOf(writes[0]!)).toBe(reads.length);

    const rec = db.prepare('SELECT kind, source, files, rows FROM imports').all();
    expect(rec).toEqual([{ kind: 'ergast+laps', source: `${d.ergast} ; ${d.laps}`, files: r.files, rows: r.rows }]);
    importData(db, { laps: d.laps });
    importData(db, { ergast: d.ergast });
    expect(db.prepare('SELECT kind, source FROM imports ORDER BY id').all().slice(1)).toEqual([
      { kind: 'laps', source: d.laps },
      { kind: 'ergast', source: d.ergast },
    ]);
    expect(() => importData(db, {})).toThrow(/nothing to import/);
    db.close();
  });

  it('links laps to drivers by code, else by car number; race-named tables to race ids; derives start and best times', () => {
    const d = twoRaces();
    const db = openDb(join(mkdtempSync(join(tmpdir(), 'pitwall-fresh-')), 'fresh.db'));
    importData(db, { ergast: d.ergast, laps: d.laps });
    expect(db.prepare('SELECT driver FROM laps WHERE driver_ref IS NULL').pluck().all()).toEqual(['ZZZ']);
    const ref = (round: number, code: string) =>
      db.prepare('SELECT DISTINCT driver_ref FROM laps WHERE season = 2023 AND round = ? AND driver = ?').pluck().all(round, code);
    expect(ref(2, 'MAX')).toEqual(['max_verstappen']); // unknown code: by car number
    expect(ref(1, 'HAM')).toEqual(['hamilton']); // the code wins over a car number that is another driver's
    expect(ref(1, 'VER')).toEqual(['max_verstappen']);
    expect(ref(2, 'LEC')).toEqual(['leclerc']);
    // every lap's driver is the Ergast driver of that code in that race (MAX aside)
    const mismatched = db
      .prepare(
        `SELECT COUNT(*) FROM laps l JOIN drivers d ON d.driver_ref = l.driver_ref WHERE l.driver <> 'MAX' AND d.code <> l.driver`,
      )
      .pluck()
      .get();
    expect(mismatched).toBe(0);

    // the whole 2023 safety-car table was imported: only the two races present get their ids
    const sc = db.prepare('SELECT race_name AS name, race_id AS id FROM safety_cars').all() as { name: string; id: number | null }[];
    expect(sc.length).toBeGreaterThan(5);
    for (const s of sc) expect(s.id, s.name).toBe(s.name === NAMES[1] ? 1099 : s.name === NAMES[0] ? 1098 : null);
    expect(sc.filter((s) => s.id === 1099)).toHaveLength(1);
    expect(db.prepare('SELECT race_name, lap, race_id FROM vsc_laps ORDER BY race_name, lap').all()).toEqual([
      { race_name: '2023 Australian Grand Prix', lap: 7, race_id: null },
      { race_name: NAMES[0], lap: 4, race_id: 1098 },
      { race_name: NAMES[0], lap: 5, race_id: 1098 },
    ]);
    expect(db.prepare('SELECT start_utc FROM races ORDER BY race_id').pluck().all()).toEqual(['2023-03-05T15:00:00Z', '2023-03-19T17:00:00Z']);
    // Verstappen's pole lap in Bahrain: Q3 1:29.708, his best of Q1 1:31.295, Q2 1:30.503 and Q3
    const best = db
      .prepare(`SELECT q.best_ms FROM qualifying q JOIN drivers d USING (driver_id) WHERE q.race_id = 1098 AND d.driver_ref = 'max_verstappen'`)
      .pluck()
      .get();
    expect(best).toBe(89_708);
    db.close();
  });
});

describe('a second import over the first', () => {
  it('replaces a race’s VSC laps, takes changed lap values (keeping those the new file leaves empty), and times itself', () => {
    const d = twoRaces();
    const db = openDb(join(mkdtempSync(join(tmpdir(), 'pitwall-fresh-')), 'fresh.db'));
    const t0 = performance.now();
    const first = importData(db, { ergast: d.ergast, laps: d.laps });
    expect(first.seconds).toBeGreaterThan(0);
    expect(first.seconds).toBeLessThanOrEqual((performance.now() - t0) / 1000);

    writeFileSync(join(d.ergast, 'virtual_safety_car_estimates.json'), JSON.stringify({ '2023 Bahrain Grand Prix': [9] }));
    const file = join(d.laps, 'grand_prix', 'transformed_grand_prix_laps_2023.csv');
    const [head, ...rows] = lines(file);
    const cols = head!.split(',');
    const [drv, lapNo, lapTime, compound] = ['Driver', 'LapNumber', 'LapTime', 'Compound'].map((c) => cols.indexOf(c));
    const edited = rows.map((r) => {
      const c = r.split(',');
      if (c[drv!] === 'VER' && c[lapNo!] === '2.0') {
        c[lapTime!] = '99.999';
        c[compound!] = ''; // empty in the new file: the stored compound stays
      }
      return c.join(',');
    });
    writeFileSync(file, [head, ...edited].join('\n') + '\n');
    const before = db.prepare(`SELECT compound FROM laps WHERE season = 2023 AND round = 1 AND driver = 'VER' AND lap_number = 2`).pluck().get();
    expect(before).toBe('SOFT');
    importData(db, { ergast: d.ergast, laps: d.laps });
    expect(db.prepare('SELECT race_name, lap FROM vsc_laps ORDER BY race_name, lap').all()).toEqual([
      { race_name: '2023 Australian Grand Prix', lap: 7 }, // not in the new file: kept
      { race_name: '2023 Bahrain Grand Prix', lap: 9 },
    ]);
    const lap2 = db
      .prepare(`SELECT lap_time_s AS t, compound FROM laps WHERE season = 2023 AND round = 1 AND driver = 'VER' AND lap_number = 2`)
      .get();
    expect(lap2).toEqual({ t: 99.999, compound: 'SOFT' });
    expect(count(db, `SELECT COUNT(*) FROM laps WHERE season = 2023 AND round = 1`)).toBe(d.lapRows - count(db, `SELECT COUNT(*) FROM laps WHERE round = 2`));
    db.close();
  });
});

describe('derived columns', () => {
  it('race start in UTC: the given time, else noon', () => {
    expect(raceStartUtc('2023-03-05', '15:00:00')).toBe('2023-03-05T15:00:00Z');
    expect(raceStartUtc('1950-05-13', null)).toBe('1950-05-13T12:00:00Z');
    for (const bad of ['', '15:00', '\\N', '15:00:00.000', 'x15:00:00']) expect(raceStartUtc('1999-01-01', bad), bad).toBe('1999-01-01T12:00:00Z');
  });

  it('best qualifying time: the fastest valid "m:ss.sss" of Q1–Q3, in ms; null when none', () => {
    expect(bestQualiMs(['1:31.295', '1:30.503', '1:29.708'])).toBe(89_708);
    expect(bestQualiMs(['1:29.708', '1:30.503', '1:31.295'])).toBe(89_708);
    expect(bestQualiMs(['1:30.000', null, null])).toBe(90_000);
    expect(bestQualiMs([null, '2:01.5', 'DNF'])).toBe(121_500);
    expect(bestQualiMs(['10:00.001'])).toBe(600_001);
    expect(bestQualiMs([null, '', '\\N', '1:30', ' 1:30.000', '1:30.000x'])).toBeNull();
    expect(bestQualiMs([])).toBeNull();
  });
});
