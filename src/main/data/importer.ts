// The import service: read and validate every file first, then write everything in one transaction.
import { readCsv, readTextFile } from './csv.js';
import { typedRows } from './columns.js';
import type { Db } from './db.js';
import { readErgastFolder, findFile, type ParsedSet } from './ergast.js';
import { findLapFiles, LAP_COLUMNS, parseCompoundSelection } from './laps.js';
import { DataError } from './errors.js';

/** Progress of long work, reported by the engine; adapters draw it (a terminal bar, the window). */
export type OnProgress = (phase: string, done: number, total: number) => void;

export interface ImportOptions {
  ergast?: string;
  laps?: string;
  onProgress?: OnProgress;
}

export interface ImportReport {
  files: number;
  rows: number;
  tables: Record<string, number>;
  seconds: number;
}

interface LapSet {
  file: string;
  season: number;
  session: string;
  columns: string[];
  rows: unknown[][];
}

const KEY = ['season', 'session', 'driver', 'lap_number', 'round'];

export function importData(db: Db, opts: ImportOptions): ImportReport {
  if (!opts.ergast && !opts.laps) throw new DataError('nothing to import: give --ergast DIR and/or --laps DIR');
  const t0 = performance.now();
  const progress = opts.onProgress ?? (() => {});

  // 1. Parse and validate (no writes yet).
  let files = 0;
  const ergast = opts.ergast
    ? readErgastFolder(opts.ergast, (f, spec) => {
        files++;
        progress('read', files, 0);
        const parsed = typedRows(readCsv(f), spec.columns);
        return { spec, ...parsed } satisfies ParsedSet;
      })
    : { sets: [], vsc: [] };
  if (ergast.vsc.length) files++;
  const lapSets: LapSet[] = [];
  let compounds: [number, number, string][] = [];
  if (opts.laps) {
    for (const lf of findLapFiles(opts.laps)) {
      const table = readCsv(lf.path);
      const parsed = typedRows(table, LAP_COLUMNS);
      lapSets.push({ file: lf.name, season: lf.season, session: lf.session, ...parsed });
      files++;
      progress('read', files, 0);
    }
    const toml = findFile(opts.laps, 'compound_selection.toml');
    if (toml) {
      compounds = parseCompoundSelection(readTextFile(toml));
      files++;
    }
  }

  // 2. Write in one transaction: any failure rolls everything back.
  const tables: Record<string, number> = {};
  const total = ergast.sets.reduce((s, x) => s + x.rows.length, 0) + lapSets.reduce((s, x) => s + x.rows.length, 0);
  let done = 0;
  const tick = (n: number) => {
    done += n;
    progress('write', done, total);
  };
  db.transaction(() => {
    for (const set of ergast.sets) {
      tables[set.spec.table] = writeTable(db, set);
      tick(set.rows.length);
    }
    if (ergast.vsc.length) {
      const races = [...new Set(ergast.vsc.map((v) => v[0]))];
      const del = db.prepare('DELETE FROM vsc_laps WHERE race_name = ?');
      for (const r of races) del.run(r);
      const ins = db.prepare('INSERT OR REPLACE INTO vsc_laps (race_name, lap) VALUES (?, ?)');
      for (const [r, l] of ergast.vsc) ins.run(r, l);
      tables.vsc_laps = ergast.vsc.length;
    }
    for (const set of lapSets) {
      tables.laps = (tables.laps ?? 0) + writeLaps(db, set);
      tick(set.rows.length);
    }
    if (compounds.length) {
      const ins = db.prepare('INSERT OR REPLACE INTO compound_selection (season, round, compounds) VALUES (?, ?, ?)');
      for (const c of compounds) ins.run(...c);
      tables.compound_selection = compounds.length;
    }
    linkTables(db);
    const rows = Object.values(tables).reduce((a, b) => a + b, 0);
    db.prepare('INSERT INTO imports (kind, source, files, rows, finished_at) VALUES (?, ?, ?, ?, ?)').run(
      [opts.ergast && 'ergast', opts.laps && 'laps'].filter(Boolean).join('+'),
      [opts.ergast, opts.laps].filter(Boolean).join(' ; '),
      files,
      rows,
      new Date().toISOString(),
    );
  })();
  const rows = Object.values(tables).reduce((a, b) => a + b, 0);
  return { files, rows, tables, seconds: (performance.now() - t0) / 1000 };
}

function writeTable(db: Db, set: ParsedSet): number {
  const { spec, columns, rows } = set;
  let cols = columns;
  let data = rows;
  if (spec.table === 'races') {
    cols = [...columns, 'start_utc'];
    const di = columns.indexOf('date');
    const ti = columns.indexOf('time');
    data = rows.map((r) => [...r, raceStartUtc(r[di] as string, ti >= 0 ? (r[ti] as string | null) : null)]);
  }
  if (spec.table === 'qualifying') {
    cols = [...columns, 'best_ms'];
    const qi = ['q1', 'q2', 'q3'].map((q) => columns.indexOf(q));
    data = rows.map((r) => [...r, bestQualiMs(qi.map((i) => (i >= 0 ? (r[i] as string | null) : null)))]);
  }
  if (spec.replaceBy) {
    const ki = cols.indexOf(spec.replaceBy);
    const del = db.prepare(`DELETE FROM ${spec.table} WHERE ${spec.replaceBy} = ?`);
    for (const k of new Set(data.map((r) => r[ki]))) del.run(k);
  }
  const verb = spec.replaceBy ? 'INSERT' : 'INSERT OR REPLACE';
  const stmt = db.prepare(`${verb} INTO ${spec.table} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`);
  for (const r of data) stmt.run(r);
  return data.length;
}

function writeLaps(db: Db, set: LapSet): number {
  const cols = ['season', 'session', ...set.columns];
  const updates = cols.filter((c) => !KEY.includes(c)).map((c) => `${c} = COALESCE(excluded.${c}, ${c})`);
  const stmt = db.prepare(
    `INSERT INTO laps (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})
     ON CONFLICT (season, round, session, driver, lap_number) DO UPDATE SET ${updates.join(', ')}`,
  );
  for (const r of set.rows) stmt.run(set.season, set.session, ...r);
  return set.rows.length;
}

/** A race's scheduled start in UTC; Ergast omits the time for old races: noon, as the acceptance data does. */
export function raceStartUtc(date: string, time: string | null): string {
  return `${date}T${time && /^\d\d:\d\d:\d\d$/.test(time) ? time : '12:00:00'}Z`;
}

/** Best of Q1–Q3 ("1:26.572") in milliseconds. */
export function bestQualiMs(times: (string | null)[]): number | null {
  let best: number | null = null;
  for (const t of times) {
    const m = t ? /^(\d+):(\d+\.\d+)$/.exec(t) : null;
    if (!m) continue;
    const ms = Math.round((Number(m[1]) * 60 + Number(m[2])) * 1000);
    if (best === null || ms < best) best = ms;
  }
  return best;
}

/** Links lap rows to Ergast drivers and race-named tables to race ids. */
function linkTables(db: Db): void {
  for (const t of ['safety_cars', 'red_flags', 'vsc_laps']) {
    db.exec(`UPDATE ${t} SET race_id = (SELECT race_id FROM races r WHERE r.year || ' ' || r.name = ${t}.race_name)
             WHERE race_id IS NULL`);
  }
  const groups = db
    .prepare(
      `SELECT DISTINCT season, round, session, driver, driver_number FROM laps WHERE driver_ref IS NULL`,
    )
    .all() as { season: number; round: number; session: string; driver: string; driver_number: number | null }[];
  if (groups.length === 0) return;
  const entrants = db.prepare(
    `SELECT d.driver_ref AS ref, d.code AS code, r.number AS number FROM results r
     JOIN races ra ON ra.race_id = r.race_id JOIN drivers d ON d.driver_id = r.driver_id
     WHERE ra.year = ? AND ra.round = ?`,
  );
  const update = db.prepare(
    'UPDATE laps SET driver_ref = ? WHERE season = ? AND round = ? AND session = ? AND driver = ?',
  );
  const cache = new Map<string, { ref: string; code: string | null; number: number | null }[]>();
  for (const g of groups) {
    const k = `${g.season}-${g.round}`;
    let list = cache.get(k);
    if (!list) {
      list = entrants.all(g.season, g.round) as { ref: string; code: string | null; number: number | null }[];
      cache.set(k, list);
    }
    const hit = list.find((e) => e.code === g.driver) ?? list.find((e) => e.number === g.driver_number);
    if (hit) update.run(hit.ref, g.season, g.round, g.session, g.driver);
  }
}
