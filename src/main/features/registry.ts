// The registry: every applied definition (views, services) with its version, fingerprint and table.
import { createHash } from 'node:crypto';
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { entityOf } from './entities.js';
import type { Entity, FeatureService, FeatureView, Field, FieldType, ResolvedRef } from './types.js';

const NAME = /^[a-z][a-z0-9_]*$/;
const RESERVED = new Set(['event_timestamp', 'created_at', 'entity_key']);
const TYPES: FieldType[] = ['int', 'float', 'string', 'bool'];

const ensured = new WeakSet<Db>();

/** Creates the registry tables once per connection (only reads when they exist: no write lock needed). */
export function ensureTables(db: Db): void {
  if (ensured.has(db)) return;
  const exists =
    db
      .prepare(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('feature_registry', 'feature_current', 'feature_state', 'feature_runs')",
      )
      .pluck()
      .get() === 4;
  if (exists) return void ensured.add(db);
  if (db.readonly) return;
  db.exec(`
    CREATE TABLE IF NOT EXISTS feature_registry (kind TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,
      fingerprint TEXT NOT NULL, definition TEXT NOT NULL, table_name TEXT, applied_at TEXT NOT NULL,
      PRIMARY KEY (kind, name, version));
    CREATE TABLE IF NOT EXISTS feature_current (kind TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,
      PRIMARY KEY (kind, name));
    CREATE TABLE IF NOT EXISTS feature_state (view TEXT NOT NULL, version INTEGER NOT NULL, rows INTEGER NOT NULL,
      watermark_ms INTEGER, import_id INTEGER, min_event_ms INTEGER, max_event_ms INTEGER, materialized_at TEXT NOT NULL,
      PRIMARY KEY (view, version));
    CREATE TABLE IF NOT EXISTS feature_runs (id INTEGER PRIMARY KEY, view TEXT NOT NULL, version INTEGER NOT NULL,
      mode TEXT NOT NULL, inserted INTEGER NOT NULL, corrections INTEGER NOT NULL, seconds REAL NOT NULL,
      finished_at TEXT NOT NULL);`);
  if (!db.inTransaction) ensured.add(db); // inside a transaction it may still roll back
}

/** What the registry stores for a view version (the code, not the function). */
export interface StoredView {
  name: string;
  version: number;
  entity: Entity;
  description: string;
  fields: (Field & { nullable: boolean })[];
  ttlSeconds: number | null;
  source: { kind: 'sql'; sql: string } | { kind: 'transform'; code: string; revision: number };
  fingerprint: string;
  table: string;
}

/** Function source, stable across the build (esbuild) and the test runner (vite-node rewrites imports). */
export function normalizeCode(code: string): string {
  return code
    .replace(/\(0,\s*__vite_ssr_import_\d+__\.(\w+)\)/g, '$1')
    .replace(/__vite_ssr_import_\d+__\.(\w+)/g, '$1')
    .replace(/__vite_ssr_\w+__/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export const viewTable = (name: string, version: number): string => `fv_${name}__v${version}`;

/** Validates a definition and turns it into its stored form (version/table filled in by `applyViews`). */
export function describeView(v: FeatureView): Omit<StoredView, 'version' | 'table'> {
  const where = `feature view "${v.name}"`;
  if (!NAME.test(v.name ?? '')) throw new DataError(`${where}: name must be lower_snake_case`);
  const entity = entityOf(v.entity);
  if (!entity.keys.length || !entity.keys.every((k) => NAME.test(k) && !RESERVED.has(k)))
    throw new DataError(`${where}: entity "${entity.name}" needs lower_snake_case keys`);
  if (!Array.isArray(v.fields) || !v.fields.length) throw new DataError(`${where}: needs at least one field`);
  const seen = new Set<string>(entity.keys);
  for (const f of v.fields) {
    if (!NAME.test(f.name ?? '') || RESERVED.has(f.name))
      throw new DataError(`${where}: field name "${f.name}" must be lower_snake_case and not reserved`);
    if (seen.has(f.name))
      throw new DataError(`${where}: field "${f.name}" is defined twice or clashes with a key`);
    seen.add(f.name);
    if (!TYPES.includes(f.type))
      throw new DataError(`${where}: field "${f.name}" has type "${f.type}" (use ${TYPES.join('/')})`);
  }
  if (v.ttlSeconds !== undefined && !(Number.isFinite(v.ttlSeconds) && v.ttlSeconds > 0))
    throw new DataError(`${where}: ttlSeconds must be a positive number`);
  let source: StoredView['source'];
  if (v.source?.kind === 'sql') {
    if (!/^\s*(select|with)\b/i.test(v.source.sql ?? ''))
      throw new DataError(`${where}: SQL source must be a SELECT`);
    source = { kind: 'sql', sql: v.source.sql.trim() };
  } else if (v.source?.kind === 'transform' && typeof v.source.run === 'function') {
    const code = [v.source.run, ...(v.source.uses ?? [])].map((f) => normalizeCode(f.toString())).join('\n');
    source = { kind: 'transform', code, revision: v.source.revision ?? 0 };
  } else throw new DataError(`${where}: source must be { kind: 'sql', sql } or { kind: 'transform', run }`);
  const fields = v.fields.map((f) => ({ ...f, nullable: f.nullable ?? true }));
  const ttlSeconds = v.ttlSeconds ?? null;
  const fingerprint = hash({
    keys: entity.keys,
    fields: fields.map((f) => [f.name, f.type, f.nullable]),
    ttlSeconds,
    source: source.kind === 'sql' ? normalizeCode(source.sql) : [source.code, source.revision],
  });
  return { name: v.name, entity, description: v.description ?? '', fields, ttlSeconds, source, fingerprint };
}

const hash = (x: unknown): string =>
  createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16);

export interface ApplyResult {
  view: string;
  version: number;
  created: boolean;
}

/** Records the definitions: a changed fingerprint creates the next version; nothing is overwritten. */
export function applyViews(db: Db, views: FeatureView[], services: FeatureService[]): ApplyResult[] {
  const described = views.map(describeView);
  const names = new Set<string>();
  for (const d of described) {
    if (names.has(d.name)) throw new DataError(`feature view "${d.name}" is defined twice`);
    names.add(d.name);
  }
  const now = new Date().toISOString();
  const out: ApplyResult[] = [];
  db.transaction(() => {
    ensureTables(db);
    const find = db.prepare(
      "SELECT version FROM feature_registry WHERE kind = 'view' AND name = ? AND fingerprint = ?",
    );
    const maxV = db.prepare('SELECT MAX(version) AS v FROM feature_registry WHERE kind = ? AND name = ?');
    const ins = db.prepare(
      'INSERT INTO feature_registry (kind, name, version, fingerprint, definition, table_name, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const setCurrent = db.prepare(
      'INSERT OR REPLACE INTO feature_current (kind, name, version) VALUES (?, ?, ?)',
    );
    const current = db.prepare('SELECT version FROM feature_current WHERE kind = ? AND name = ?').pluck();
    for (const d of described) {
      const existing = find.get(d.name, d.fingerprint) as { version: number } | undefined;
      let version = existing?.version;
      if (version === undefined) {
        version = ((maxV.get('view', d.name) as { v: number | null }).v ?? 0) + 1;
        const table = viewTable(d.name, version);
        ins.run('view', d.name, version, d.fingerprint, JSON.stringify({ ...d, version, table }), table, now);
        createViewTables(db, { ...d, version, table });
      }
      if (current.get('view', d.name) !== version) setCurrent.run('view', d.name, version);
      out.push({ view: d.name, version, created: existing === undefined });
    }
    for (const s of services) {
      if (!NAME.test(s.name))
        throw new DataError(`feature service "${s.name}": name must be lower_snake_case`);
      for (const r of s.features) resolveRef(db, r, `feature service "${s.name}"`);
      const def = JSON.stringify({ name: s.name, description: s.description, features: s.features });
      const fp = hash(s.features);
      const row = db
        .prepare(
          "SELECT version FROM feature_registry WHERE kind = 'service' AND name = ? AND fingerprint = ?",
        )
        .get(s.name, fp) as { version: number } | undefined;
      let version = row?.version;
      if (version === undefined) {
        version = ((maxV.get('service', s.name) as { v: number | null }).v ?? 0) + 1;
        ins.run('service', s.name, version, fp, def, null, now);
      }
      setCurrent.run('service', s.name, version);
    }
  })();
  return out;
}

const SQL_TYPE: Record<FieldType, string> = {
  int: 'INTEGER',
  float: 'REAL',
  string: 'TEXT',
  bool: 'INTEGER',
};

function createViewTables(db: Db, v: StoredView): void {
  const cols = [
    ...v.entity.keys.map((k) => `"${k}" TEXT NOT NULL`),
    ...v.fields.map((f) => `"${f.name}" ${SQL_TYPE[f.type]}`),
  ].join(', ');
  db.exec(`CREATE TABLE IF NOT EXISTS "${v.table}" (entity_key TEXT NOT NULL, event_timestamp INTEGER NOT NULL,
      created_at INTEGER NOT NULL, ${cols}, PRIMARY KEY (entity_key, event_timestamp, created_at)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS "${v.table}__online" (entity_key TEXT PRIMARY KEY, event_timestamp INTEGER NOT NULL,
      created_at INTEGER NOT NULL, ${cols}) WITHOUT ROWID;`);
}

export function storedView(db: Db, name: string, version?: number): StoredView | undefined {
  ensureTables(db);
  const row = (
    version === undefined
      ? db
          .prepare(
            `SELECT r.definition FROM feature_registry r JOIN feature_current c ON c.kind = r.kind AND c.name = r.name
             AND c.version = r.version WHERE r.kind = 'view' AND r.name = ?`,
          )
          .get(name)
      : db
          .prepare("SELECT definition FROM feature_registry WHERE kind = 'view' AND name = ? AND version = ?")
          .get(name, version)
  ) as { definition: string } | undefined;
  return row ? (JSON.parse(row.definition) as StoredView) : undefined;
}

/** Current version of every view (and, with `all`, every older version too). */
export function storedViews(db: Db, all = false): StoredView[] {
  ensureTables(db);
  const rows = db
    .prepare(
      all
        ? "SELECT definition FROM feature_registry WHERE kind = 'view' ORDER BY name, version"
        : `SELECT r.definition FROM feature_registry r JOIN feature_current c ON c.kind = r.kind AND c.name = r.name
           AND c.version = r.version WHERE r.kind = 'view' ORDER BY r.name`,
    )
    .pluck()
    .all() as string[];
  return rows.map((d) => JSON.parse(d) as StoredView);
}

export function storedService(db: Db, name: string): FeatureService | undefined {
  ensureTables(db);
  const def = db
    .prepare(
      `SELECT r.definition FROM feature_registry r JOIN feature_current c ON c.kind = r.kind AND c.name = r.name
       AND c.version = r.version WHERE r.kind = 'service' AND r.name = ?`,
    )
    .pluck()
    .get(name) as string | undefined;
  return def ? (JSON.parse(def) as FeatureService) : undefined;
}

const REF = /^([a-z][a-z0-9_]*)(?:@v(\d+))?:([a-z][a-z0-9_]*)$/;

/** `view:feature` (current version) or `view@vN:feature` → the exact stored version. */
export function resolveRef(db: Db, ref: string, context = 'feature ref'): ResolvedRef {
  const m = REF.exec(ref.trim());
  if (!m)
    throw new DataError(`${context}: "${ref}" is not a feature ref (write view:feature or view@v2:feature)`);
  const [, name, ver, feature] = m as unknown as [string, string, string | undefined, string];
  const v = storedView(db, name, ver === undefined ? undefined : Number(ver));
  if (!v) {
    const known = storedViews(db).map((x) => x.name);
    const versions = db
      .prepare("SELECT version FROM feature_registry WHERE kind = 'view' AND name = ? ORDER BY version")
      .pluck()
      .all(name) as number[];
    throw new DataError(
      versions.length
        ? `${context}: "${ref}": view ${name} has versions ${versions.map((x) => `v${x}`).join(', ')}, not v${ver}`
        : `${context}: unknown feature view "${name}" in "${ref}" (known: ${known.join(', ') || 'none'})`,
    );
  }
  const f = v.fields.find((x) => x.name === feature);
  if (!f)
    throw new DataError(
      `${context}: view ${name}@v${v.version} has no feature "${feature}" (has: ${v.fields.map((x) => x.name).join(', ')})`,
    );
  return {
    ref: ref.trim(),
    view: name,
    version: v.version,
    feature,
    type: f.type,
    table: v.table,
    fingerprint: v.fingerprint,
  };
}
