// Materialization: run each view's source, validate the rows, write them into the version's table (new rows as
// they are; a changed value for an existing (entity, event_timestamp) as a correction with created_at = now), and
// rebuild the online table. One transaction per run: a failure leaves the store as it was.
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import type { StoredView } from './registry.js';
import type { FeatureRow, FeatureValue, FeatureView, TransformContext } from './types.js';

export interface ViewRun {
  view: string;
  version: number;
  mode: 'full' | 'incremental' | 'up-to-date';
  inserted: number;
  corrections: number;
  rows: number;
  seconds: number;
}

export interface MaterializeReport {
  views: ViewRun[];
  seconds: number;
}

interface State {
  rows: number;
  watermark_ms: number | null;
  import_id: number | null;
}

/** Newest race with any result or qualifying, and the newest import: together they say whether anything is new. */
export function rawWatermark(db: Db): { watermarkMs: number | null; importId: number } {
  const start = db
    .prepare(
      `SELECT MAX(start_utc) FROM races r WHERE EXISTS (SELECT 1 FROM results x WHERE x.race_id = r.race_id)
         OR EXISTS (SELECT 1 FROM qualifying q WHERE q.race_id = r.race_id)`,
    )
    .pluck()
    .get() as string | null;
  const importId = (db.prepare('SELECT MAX(id) FROM imports').pluck().get() as number | null) ?? 0;
  return { watermarkMs: start ? Date.parse(start) : null, importId };
}

export function viewState(db: Db, view: string, version: number): State | undefined {
  return db
    .prepare('SELECT rows, watermark_ms, import_id FROM feature_state WHERE view = ? AND version = ?')
    .get(view, version) as State | undefined;
}

/** Materializes the given (stored, code) pairs; the caller wraps the whole run in one transaction. */
export function materializeViews(
  db: Db,
  pairs: { stored: StoredView; def: FeatureView }[],
  opts: { full?: boolean; now?: number } = {},
): MaterializeReport {
  const t0 = performance.now();
  const now = opts.now ?? Date.now();
  const raw = rawWatermark(db);
  const memo = new Map<string, unknown>();
  const runs: ViewRun[] = [];
  for (const { stored, def } of pairs) {
    const t1 = performance.now();
    const state = viewState(db, stored.name, stored.version);
    let mode: ViewRun['mode'] = opts.full || !state ? 'full' : 'incremental';
    if (
      mode === 'incremental' &&
      state!.import_id === raw.importId &&
      state!.watermark_ms === raw.watermarkMs
    )
      mode = 'up-to-date';
    let inserted = 0;
    let corrections = 0;
    if (mode !== 'up-to-date') {
      const since = mode === 'full' ? null : (state!.watermark_ms ?? null);
      const ctx: TransformContext = {
        db,
        since,
        memo: <T>(key: string, make: () => T): T => {
          if (!memo.has(key)) memo.set(key, make());
          return memo.get(key) as T;
        },
      };
      const produced = runSource(db, def, ctx);
      const rows = encodeRows(stored, produced);
      ({ inserted, corrections } = writeRows(db, stored, rows, now, (state?.rows ?? 0) === 0));
      rebuildOnline(db, stored);
      const stats = db
        .prepare(
          `SELECT COUNT(*) AS n, MIN(event_timestamp) AS lo, MAX(event_timestamp) AS hi FROM "${stored.table}"`,
        )
        .get() as { n: number; lo: number | null; hi: number | null };
      db.prepare(
        `INSERT OR REPLACE INTO feature_state (view, version, rows, watermark_ms, import_id, min_event_ms, max_event_ms,
           materialized_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        stored.name,
        stored.version,
        stats.n,
        raw.watermarkMs,
        raw.importId,
        stats.lo,
        stats.hi,
        new Date(now).toISOString(),
      );
      db.prepare(
        'INSERT INTO feature_runs (view, version, mode, inserted, corrections, seconds, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        stored.name,
        stored.version,
        mode,
        inserted,
        corrections,
        (performance.now() - t1) / 1000,
        new Date().toISOString(),
      );
    }
    const rowsNow = (db.prepare(`SELECT COUNT(*) FROM "${stored.table}"`).pluck().get() as number) ?? 0;
    runs.push({
      view: stored.name,
      version: stored.version,
      mode,
      inserted,
      corrections,
      rows: rowsNow,
      seconds: (performance.now() - t1) / 1000,
    });
  }
  return { views: runs, seconds: (performance.now() - t0) / 1000 };
}

function runSource(db: Db, def: FeatureView, ctx: TransformContext): Iterable<FeatureRow> {
  const src = def.source;
  if (src.kind === 'sql') {
    const stmt = db.prepare(src.sql);
    return (/:since\b/.test(src.sql) ? stmt.all({ since: ctx.since ?? -1 }) : stmt.all()) as FeatureRow[];
  }
  return src.run(ctx);
}

/** A row ready to insert: [entity_key, event_timestamp, created_at | null, ...keys, ...fields]. */
type Encoded = (string | number | null)[];

export function parseTime(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (v instanceof Date) return v.getTime();
  if (typeof v !== 'string' || v.trim() === '') return NaN;
  const s = v.trim();
  // ISO 8601; no zone means UTC.
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s)) return NaN;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(s) || s.length === 10 ? s : `${s}Z`;
  return Date.parse(zoned.replace(' ', 'T'));
}

export const KEY_SEP = '|';

export function encodeRows(
  v: StoredView,
  rows: Iterable<FeatureRow>,
  context = `feature view "${v.name}"`,
): Encoded[] {
  const out: Encoded[] = [];
  const keys = v.entity.keys;
  const fields = v.fields;
  let i = 0;
  for (const r of rows) {
    i++;
    const enc: Encoded = new Array(3 + keys.length + fields.length);
    const kv: string[] = [];
    for (let k = 0; k < keys.length; k++) {
      const x = r[keys[k]!];
      if (x === null || x === undefined || x === '' || typeof x === 'boolean')
        throw new DataError(`${context} row ${i}: entity key "${keys[k]}" is missing`);
      const s = String(x);
      kv.push(s);
      enc[3 + k] = s;
    }
    enc[0] = kv.join(KEY_SEP);
    const ts = parseTime(r.event_timestamp);
    if (Number.isNaN(ts))
      throw new DataError(
        `${context} row ${i}: event_timestamp "${String(r.event_timestamp)}" is not a time`,
      );
    enc[1] = ts;
    if (r.created_at !== undefined && r.created_at !== null) {
      const c = parseTime(r.created_at);
      if (Number.isNaN(c))
        throw new DataError(`${context} row ${i}: created_at "${String(r.created_at)}" is not a time`);
      enc[2] = c;
    } else enc[2] = null;
    for (let f = 0; f < fields.length; f++) {
      const fd = fields[f]!;
      const x = r[fd.name];
      const v = encodeValue(x, fd.type);
      if (v === BAD || (v === null && !fd.nullable))
        throw new DataError(
          `${context} row ${i}: field "${fd.name}" ${v === null ? 'is null but the field is not nullable' : `should be ${fd.type}, got ${JSON.stringify(x)}`}`,
        );
      enc[3 + keys.length + f] = v;
    }
    out.push(enc);
  }
  return out;
}

const BAD = Symbol('bad');

function encodeValue(x: unknown, type: string): string | number | null | typeof BAD {
  if (x === null || x === undefined || (typeof x === 'number' && Number.isNaN(x))) return null;
  switch (type) {
    case 'int':
      return typeof x === 'number' && Number.isInteger(x) ? x : BAD;
    case 'float':
      return typeof x === 'number' && Number.isFinite(x) ? x : BAD;
    case 'string':
      return typeof x === 'string' ? x : BAD;
    case 'bool':
      return typeof x === 'boolean' ? (x ? 1 : 0) : x === 0 || x === 1 ? x : BAD;
  }
  return BAD;
}

/** Writes rows: new (entity, time) pairs as they are, changed values as corrections stamped `now`. */
/** A view table's columns in row order (the layout of `Encoded`). */
const storedColumns = (v: StoredView): string[] => [
  'entity_key',
  'event_timestamp',
  'created_at',
  ...v.entity.keys,
  ...v.fields.map((f) => f.name),
];

export function writeRows(
  db: Db,
  v: StoredView,
  rows: Encoded[],
  now: number,
  empty: boolean,
): { inserted: number; corrections: number } {
  const cols = storedColumns(v);
  const nCols = cols.length;
  const ins = batchInserter(db, v.table, cols);
  const seen = new Set<string>();
  const dupCheck = (r: Encoded) => {
    const id = `${r[0]}\u0000${r[1]}`;
    if (seen.has(id))
      throw new DataError(
        `feature view "${v.name}": two rows for ${v.entity.keys.join('/')} "${r[0]}" at ${new Date(r[1] as number).toISOString()}`,
      );
    seen.add(id);
  };
  let inserted = 0;
  let corrections = 0;
  const valueStart = 3 + v.entity.keys.length;
  if (empty) {
    try {
      for (const r of rows) {
        if (r[2] === null) r[2] = r[1]!;
        ins.add(r);
        inserted++;
      }
      ins.flush();
    } catch (e) {
      // The primary key caught a duplicate: find it for the message.
      if (!/UNIQUE|PRIMARY KEY/.test((e as Error).message)) throw e;
      rows.forEach(dupCheck);
      throw e;
    }
    return { inserted, corrections };
  }
  // Latest known values per (entity, event time) among the times this run produced.
  let lo = Infinity;
  for (const r of rows) lo = Math.min(lo, r[1] as number);
  const existing = new Map<string, { created: number; values: string }>();
  const sel = db
    .prepare(
      `SELECT * FROM "${v.table}" WHERE event_timestamp >= ? ORDER BY entity_key, event_timestamp, created_at`,
    )
    .raw();
  for (const e of sel.iterate(Number.isFinite(lo) ? lo : 0) as Iterable<Encoded>) {
    existing.set(`${e[0]}\u0000${e[1]}`, {
      created: e[2] as number,
      values: JSON.stringify(e.slice(valueStart, nCols)),
    });
  }
  for (const r of rows) {
    dupCheck(r);
    const id = `${r[0]}\u0000${r[1]}`;
    const old = existing.get(id);
    if (!old) {
      if (r[2] === null) r[2] = r[1]!;
      ins.add(r);
      inserted++;
    } else if (old.values !== JSON.stringify(r.slice(valueStart, nCols))) {
      r[2] = Math.max(now, old.created + 1);
      ins.add(r);
      corrections++;
    }
  }
  ins.flush();
  return { inserted, corrections };
}

/** Inserts rows 64 at a time (one multi-row statement per batch). */
function batchInserter(db: Db, table: string, cols: string[]) {
  const B = 64;
  const n = cols.length;
  const one = `(${cols.map(() => '?').join(',')})`;
  const sql = (k: number) =>
    `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(',')}) VALUES ${Array(k).fill(one).join(',')}`;
  const many = db.prepare(sql(B));
  const single = db.prepare(sql(1));
  const params: unknown[] = new Array(B * n);
  let k = 0;
  return {
    add(r: Encoded) {
      const off = k * n;
      for (let i = 0; i < n; i++) params[off + i] = r[i];
      if (++k === B) {
        many.run(params);
        k = 0;
      }
    },
    flush() {
      for (let j = 0; j < k; j++) single.run(params.slice(j * n, (j + 1) * n));
      k = 0;
    },
  };
}

/** The online table holds, per entity, the row with the latest event time (and latest correction). */
export function rebuildOnline(db: Db, v: StoredView): void {
  const cols = storedColumns(v)
    .map((c) => `"${c}"`)
    .join(',');
  // Per entity the row with the greatest (event_timestamp, created_at): a zero-padded string max streams over the
  // primary key (bare columns come from the max row), much faster than a NOT EXISTS probe per row.
  const order = "printf('%016d%016d', event_timestamp + 100000000000000, created_at + 100000000000000)";
  db.exec(`DELETE FROM "${v.table}__online";
    INSERT INTO "${v.table}__online" (${cols}) SELECT ${cols} FROM (SELECT ${cols}, MAX(${order}) FROM "${v.table}" GROUP BY entity_key);`);
}

/** Decodes a stored value to its field type. */
export const decode = (x: unknown, type: string): FeatureValue =>
  x === null || x === undefined ? null : type === 'bool' ? x === 1 : (x as FeatureValue);
