// The FeatureStore service: apply definitions, materialize, point-in-time (historical) and online reads.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { pointInTimeJoin, ViewIndex, type HistoricalResult, type JoinOptions } from './historical.js';
import {
  decode,
  encodeRows,
  KEY_SEP,
  materializeViews,
  rawWatermark,
  rebuildOnline,
  viewState,
  writeRows,
  type MaterializeReport,
} from './materialize.js';
import {
  applyViews,
  describeView,
  ensureTables,
  resolveRef,
  storedService,
  storedView,
  storedViews,
  type ApplyResult,
} from './registry.js';
import { SERVICES } from './services.js';
import type {
  EntityRow,
  FeatureRow,
  FeatureService,
  FeatureValue,
  FeatureView,
  FieldType,
  ResolvedRef,
} from './types.js';
import { VIEWS } from './views/index.js';

export interface ViewInfo {
  name: string;
  version: number;
  versions: number[];
  entity: string;
  keys: string[];
  description: string;
  ttlSeconds: number | null;
  fields: { name: string; type: FieldType; nullable: boolean; description?: string }[];
  source: 'sql' | 'transform';
  table: string;
  fingerprint: string;
  rows: number;
  materializedAt: string | null;
}

export interface OnlineResult {
  refs: ResolvedRef[];
  /** values[i][j]: ref j for entity i (null when the entity has no value). */
  values: FeatureValue[][];
}

/** Online values of one view version for the requested fields, in memory (reloaded when the table changes). */
interface OnlineGroup {
  keys: string[];
  byKey: Map<string, FeatureValue[]>;
  cols: [number, number][];
}

/** Writes by any store on a connection, so stores sharing it see each other's changes (data_version does not). */
const generations = new WeakMap<Db, number>();
const bump = (db: Db) => generations.set(db, (generations.get(db) ?? 0) + 1);

export class FeatureStore {
  readonly views: FeatureView[];
  readonly services: FeatureService[];
  private ready = false;
  private indexes = new Map<string, ViewIndex>();
  private plans = new Map<string, { refs: ResolvedRef[]; groups: OnlineGroup[] }>();
  private readonly dataVersion: Statement;
  private lastDataVersion = -1;
  private lastGeneration = 0;

  constructor(
    readonly db: Db,
    opts: { views?: FeatureView[]; services?: FeatureService[] } = {},
  ) {
    this.views = opts.views ?? VIEWS;
    this.services = opts.services ?? (opts.views ? [] : SERVICES);
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
  }

  /** Records the code's definitions in the registry (new versions where they changed). */
  apply(): ApplyResult[] {
    const r = this.db.transaction(() => applyViews(this.db, this.views, this.services)).immediate();
    this.written();
    return r;
  }

  /** Applies and materializes (incrementally; a first run is full). `full` recomputes everything. */
  materialize(opts: { full?: boolean; now?: number } = {}): MaterializeReport {
    const report = this.run(this.views, this.services, opts);
    this.failures.clear();
    this.ready = true;
    return report;
  }

  /** One all-or-nothing transaction: apply `views` and `services`, then materialize the views. */
  private run(
    views: FeatureView[],
    services: FeatureService[],
    opts: { full?: boolean; now?: number },
  ): MaterializeReport {
    const db = this.db;
    if ((db.pragma('busy_timeout', { simple: true }) as number) < 120_000) db.pragma('busy_timeout = 120000');
    try {
      return db
        .transaction(() => {
          applyViews(db, views, services);
          const pairs = views.map((def) => {
            const stored = storedView(db, def.name)!;
            if (stored.fingerprint !== this.fingerprint(def))
              throw new Error(`registry out of step for ${def.name}`);
            return { stored, def };
          });
          return materializeViews(db, pairs, opts);
        })
        .immediate();
    } finally {
      this.written();
    }
  }

  /** Views whose definition or source failed on lazy materialization: their refs report the error. */
  private readonly failures = new Map<string, Error>();

  /** Lazily applies and materializes on first use (and after another process changed the database). A view that
   *  fails does not block the others: each is then retried on its own and its refs report the failure. */
  ensureReady(): void {
    this.checkExternal();
    if (this.ready) return;
    if (!this.db.readonly && (this.db.pragma('busy_timeout', { simple: true }) as number) < 120_000)
      this.db.pragma('busy_timeout = 120000');
    if (!this.db.readonly && this.needsWork()) {
      try {
        this.materialize();
      } catch {
        this.failures.clear();
        const ok: FeatureView[] = [];
        for (const def of this.views) {
          try {
            this.run([def], [], {});
            ok.push(def);
          } catch (e) {
            this.failures.set(def.name, e as Error);
          }
        }
        const services = this.services.filter((s) =>
          s.features.every((r) => !this.failures.has(r.split(/[@:]/)[0]!)),
        );
        if (services.length) this.run([], services, {});
      }
    }
    this.ready = true;
  }

  /** Cheap check (no write lock): a definition changed, a view was never materialized, or new data came in. */
  private needsWork(): boolean {
    ensureTables(this.db);
    const raw = rawWatermark(this.db);
    for (const def of this.views) {
      const stored = storedView(this.db, def.name);
      if (!stored || stored.fingerprint !== this.fingerprint(def)) return true;
      const st = viewState(this.db, stored.name, stored.version);
      if (!st || st.import_id !== raw.importId || st.watermark_ms !== raw.watermarkMs) return true;
    }
    for (const s of this.services) {
      const stored = storedService(this.db, s.name);
      if (!stored || stored.features.join(',') !== s.features.join(',')) return true;
    }
    return false;
  }

  private fingerprints = new Map<FeatureView, string>();
  private fingerprint(def: FeatureView): string {
    let f = this.fingerprints.get(def);
    if (f === undefined) this.fingerprints.set(def, (f = describeView(def).fingerprint));
    return f;
  }

  private checkExternal(): void {
    const v = this.dataVersion.get() as number;
    const g = generations.get(this.db) ?? 0;
    if (v !== this.lastDataVersion || g !== this.lastGeneration) {
      if (this.lastDataVersion !== -1) this.invalidate();
      this.lastDataVersion = v;
      this.lastGeneration = g;
    }
  }

  /** After our own write: drop caches and tell other stores on this connection. */
  private written(): void {
    bump(this.db);
    this.lastGeneration = generations.get(this.db)!;
    this.invalidate();
  }

  private invalidate(): void {
    this.indexes.clear();
    this.plans.clear();
    this.ready = false;
  }

  resolveRefs(refs: string[]): ResolvedRef[] {
    this.ensureReady();
    if (!refs.length) throw new DataError('no feature refs given');
    for (const r of refs) {
      const failed = this.failures.get(r.split(/[@:]/)[0]!);
      if (failed)
        throw new DataError(`feature ref "${r}": its view failed to materialize: ${failed.message}`);
    }
    const out = refs.map((r) => resolveRef(this.db, r));
    const seen = new Set<string>();
    for (const r of out) {
      if (seen.has(r.ref)) throw new DataError(`feature ref "${r.ref}" is listed twice`);
      seen.add(r.ref);
    }
    for (const r of out) {
      const st = viewState(this.db, r.view, r.version);
      if (!st)
        throw new DataError(
          `${r.view}@v${r.version} has never been materialized (its definition is no longer in the code)`,
        );
    }
    return out;
  }

  /** Point-in-time join: per entity row, each feature's latest value with event_timestamp ≤ t and created_at ≤ t. */
  getHistoricalFeatures(rows: EntityRow[], refs: string[], opts: JoinOptions = {}): HistoricalResult {
    const resolved = this.resolveRefs(refs);
    return pointInTimeJoin(rows, resolved, (r) => this.index(r), opts);
  }

  private index(r: ResolvedRef): ViewIndex {
    let idx = this.indexes.get(r.table);
    if (!idx) {
      idx = ViewIndex.load(this.db, storedView(this.db, r.view, r.version)!);
      this.indexes.set(r.table, idx);
    }
    return idx;
  }

  /** Latest values per entity from the online tables. `entities`: e.g. [{ driver: 'max_verstappen' }]. */
  getOnlineFeatures(refs: string[], entities: Record<string, string>[]): OnlineResult {
    this.checkExternal();
    const id = refs.join(',');
    let plan = this.plans.get(id);
    if (!plan) {
      const resolved = this.resolveRefs(refs);
      const groups = new Map<string, OnlineGroup & { fields: { name: string; type: FieldType }[] }>();
      resolved.forEach((r, j) => {
        let g = groups.get(r.table);
        if (!g) {
          const v = storedView(this.db, r.view, r.version)!;
          g = { keys: v.entity.keys, byKey: new Map(), cols: [], fields: [] };
          groups.set(r.table, g);
        }
        g.cols.push([j, g.fields.length]);
        g.fields.push({ name: r.feature, type: r.type });
      });
      for (const [table, g] of groups) {
        const sql = `SELECT entity_key, ${g.fields.map((f) => `"${f.name}"`).join(',')} FROM "${table}__online"`;
        for (const row of this.db.prepare(sql).raw().iterate() as Iterable<unknown[]>) {
          g.byKey.set(
            row[0] as string,
            g.fields.map((f, k) => decode(row[k + 1], f.type)),
          );
        }
      }
      plan = { refs: resolved, groups: [...groups.values()] };
      this.plans.set(id, plan);
    }
    const values: FeatureValue[][] = [];
    for (let i = 0; i < entities.length; i++) {
      const e = entities[i]!;
      const out = new Array<FeatureValue>(refs.length).fill(null);
      for (const g of plan.groups) {
        let key: string;
        if (g.keys.length === 1) key = e[g.keys[0]!] ?? '';
        else key = g.keys.map((k) => e[k] ?? '').join(KEY_SEP);
        if (!key || g.keys.some((k) => !e[k]))
          throw new DataError(
            `entity ${i}: "${g.keys.find((k) => !e[k])}" is missing (${g.keys.join(', ')} needed)`,
          );
        const row = g.byKey.get(key);
        if (!row) continue;
        for (const [j, f] of g.cols) out[j] = row[f]!;
      }
      values.push(out);
    }
    return { refs: plan.refs, values };
  }

  /** Writes rows into a view's current version now (a live feed or a late correction: created_at = `createdAt`). */
  push(
    view: string,
    rows: FeatureRow[],
    createdAt: number = Date.now(),
  ): { inserted: number; corrections: number } {
    this.ensureReady();
    const v = storedView(this.db, view);
    if (!v) throw new DataError(`unknown feature view "${view}"`);
    const r = this.db
      .transaction(() => {
        const enc = encodeRows(v, rows, `push to ${view}`);
        for (const e of enc) e[2] = createdAt;
        const res = writeRows(this.db, v, enc, createdAt, false);
        rebuildOnline(this.db, v);
        return res;
      })
      .immediate();
    this.written();
    this.ready = true;
    return r;
  }

  listViews(): ViewInfo[] {
    this.ensureReady();
    const all = storedViews(this.db, true);
    return storedViews(this.db).map((v) => {
      const st = this.db
        .prepare('SELECT rows, materialized_at FROM feature_state WHERE view = ? AND version = ?')
        .get(v.name, v.version) as { rows: number; materialized_at: string } | undefined;
      return {
        name: v.name,
        version: v.version,
        versions: all.filter((x) => x.name === v.name).map((x) => x.version),
        entity: v.entity.name,
        keys: v.entity.keys,
        description: v.description,
        ttlSeconds: v.ttlSeconds,
        fields: v.fields.map(({ name, type, nullable, description }) => ({
          name,
          type,
          nullable,
          description,
        })),
        source: v.source.kind,
        table: v.table,
        fingerprint: v.fingerprint,
        rows: st?.rows ?? 0,
        materializedAt: st?.materialized_at ?? null,
      };
    });
  }

  getFeatureService(name: string): FeatureService {
    this.ensureReady();
    const s = storedService(this.db, name) ?? this.services.find((x) => x.name === name);
    if (!s) {
      ensureTables(this.db);
      const known = this.db
        .prepare("SELECT name FROM feature_current WHERE kind = 'service'")
        .pluck()
        .all() as string[];
      throw new DataError(`unknown feature service "${name}" (known: ${known.join(', ') || 'none'})`);
    }
    return s;
  }
}
