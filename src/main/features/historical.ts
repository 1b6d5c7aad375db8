// Point-in-time join in memory: each view version is loaded once into per-entity runs of rows sorted by
// (event_timestamp, created_at); a query is a hash lookup plus a binary search.
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { decode, KEY_SEP, parseTime } from './materialize.js';
import type { StoredView } from './registry.js';
import type { EntityRow, FeatureValue, ResolvedRef } from './types.js';

const ORDER = 'entity_key, event_timestamp, created_at';

export class ViewIndex {
  private readonly columns = new Map<number, FeatureValue[]>();

  private constructor(
    private readonly db: Db,
    readonly view: StoredView,
    /** entity key → [first row, end row) */
    private readonly ranges: Map<string, [number, number]>,
    private readonly ts: Float64Array,
    private readonly created: Float64Array,
    readonly minTs: number,
  ) {}

  static load(db: Db, view: StoredView): ViewIndex {
    const rows = db
      .prepare(`SELECT entity_key, event_timestamp, created_at FROM "${view.table}" ORDER BY ${ORDER}`)
      .raw()
      .all() as [string, number, number][];
    const n = rows.length;
    const ts = new Float64Array(n);
    const created = new Float64Array(n);
    const ranges = new Map<string, [number, number]>();
    let minTs = Infinity;
    let run: [number, number] | undefined;
    let prev: string | undefined;
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      ts[i] = r[1];
      created[i] = r[2];
      if (r[1] < minTs) minTs = r[1];
      if (r[0] !== prev) ranges.set((prev = r[0]), (run = [i, i + 1]));
      else run![1] = i + 1;
    }
    return new ViewIndex(db, view, ranges, ts, created, minTs);
  }

  /** A field's values in index order, loaded on first use. */
  column(field: number): FeatureValue[] {
    let c = this.columns.get(field);
    if (!c) {
      const f = this.view.fields[field]!;
      const raw = this.db
        .prepare(`SELECT "${f.name}" FROM "${this.view.table}" ORDER BY ${ORDER}`)
        .pluck()
        .all() as FeatureValue[];
      c = f.type === 'bool' ? raw.map((x) => decode(x, 'bool')) : raw;
      this.columns.set(field, c);
    }
    return c;
  }

  /** Row index of the value known at `t` for `key`, or -1. */
  find(key: string, t: number): number {
    const r = this.ranges.get(key);
    if (r === undefined) return -1;
    const ts = this.ts;
    let lo = r[0];
    let hi = r[1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ts[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    let p = lo - 1;
    while (p >= r[0] && this.created[p]! > t) p--; // as-of-known-time: skip values written after t
    if (p < r[0]) return -1;
    const ttl = this.view.ttlSeconds;
    if (ttl !== null && t - ts[p]! > ttl * 1000) return -1;
    return p;
  }

  fieldIndex(name: string): number {
    return this.view.fields.findIndex((f) => f.name === name);
  }
}

export interface HistoricalResult {
  refs: ResolvedRef[];
  /** values[i][j]: ref j for entity row i (null when unknown at that time). */
  values: FeatureValue[][];
}

export interface JoinOptions {
  /** For error messages: the entity file and each row's line in it. */
  file?: string;
  lines?: number[];
}

export function pointInTimeJoin(
  rows: EntityRow[],
  refs: ResolvedRef[],
  index: (r: ResolvedRef) => ViewIndex,
  opts: JoinOptions = {},
): HistoricalResult {
  const line = (i: number) => opts.lines?.[i] ?? i + 2;
  const where = (i: number) =>
    (opts.file ? [opts.file, line(i)] : [undefined, undefined]) as [string | undefined, number | undefined];
  const rowName = (i: number) => (opts.file ? '' : `entity row ${i}: `);
  const times = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const t = parseTime(rows[i]!.event_timestamp);
    if (Number.isNaN(t))
      throw new DataError(
        `${rowName(i)}event_timestamp "${String(rows[i]!.event_timestamp)}" is not an ISO 8601 UTC time`,
        ...where(i),
        'event_timestamp',
      );
    times[i] = t;
  }
  const values: FeatureValue[][] = rows.map(() => new Array<FeatureValue>(refs.length).fill(null));
  // One pass per view version.
  const groups = new Map<string, { idx: ViewIndex; cols: [number, FeatureValue[]][] }>();
  refs.forEach((r, j) => {
    let g = groups.get(r.table);
    if (!g) {
      g = { idx: index(r), cols: [] };
      groups.set(r.table, g);
    }
    g.cols.push([j, g.idx.column(g.idx.fieldIndex(r.feature))]);
  });
  let earliest = Infinity;
  for (const g of groups.values()) earliest = Math.min(earliest, g.idx.minTs);
  for (let i = 0; i < rows.length; i++) {
    if (times[i]! < earliest)
      throw new DataError(
        `${rowName(i)}event_timestamp ${new Date(times[i]!).toISOString()} is before any feature data (earliest ${Number.isFinite(earliest) ? new Date(earliest).toISOString() : 'none: materialize first'})`,
        ...where(i),
        'event_timestamp',
      );
  }
  for (const g of groups.values()) {
    const keys = g.idx.view.entity.keys;
    for (const k of keys) {
      if (rows.length && !(k in rows[0]!))
        throw new DataError(
          `entity rows lack the column "${k}" needed by ${g.idx.view.name} (entity ${g.idx.view.entity.name}: ${keys.join(', ')})`,
          opts.file,
        );
    }
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      let key: string;
      if (keys.length === 1) {
        const v = r[keys[0]!];
        if (v === undefined || v === null || v === '')
          throw new DataError(`${rowName(i)}"${keys[0]}" is empty`, ...where(i), keys[0]);
        key = String(v);
      } else {
        const parts: string[] = [];
        for (const k of keys) {
          const v = r[k];
          if (v === undefined || v === null || v === '')
            throw new DataError(`${rowName(i)}"${k}" is empty`, ...where(i), k);
          parts.push(String(v));
        }
        key = parts.join(KEY_SEP);
      }
      const p = g.idx.find(key, times[i]!);
      if (p < 0) continue;
      const out = values[i]!;
      for (const [j, col] of g.cols) out[j] = col[p]!;
    }
  }
  return { refs, values };
}
