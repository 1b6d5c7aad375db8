// Feature-store definitions: entities, feature views (typed fields, TTL, SQL or TS source) and feature services.
import type { Db } from '../data/db.js';

export type FieldType = 'int' | 'float' | 'string' | 'bool';
export type FeatureValue = number | string | boolean | null;

export interface Field {
  name: string;
  type: FieldType;
  /** Default true: a missing value is stored as null. */
  nullable?: boolean;
  description?: string;
}

/** What a view is keyed by. `keys` are the entity-file columns (e.g. driver_race → race, driver). */
export interface Entity {
  name: string;
  keys: string[];
  description: string;
}

/** A row produced by a source: entity keys, event_timestamp (ms or ISO), optional created_at, then the fields. */
export type FeatureRow = Record<string, string | number | boolean | null | undefined>;

export interface TransformContext {
  db: Db;
  /** Incremental runs: start (ms, UTC) of the newest race already materialized; null on a full run. A source may
   *  skip rows of races that started at or before it (the store diffs whatever it returns, so ignoring it is safe). */
  since: number | null;
  /** Shares an expensive load (e.g. the results history) between the views of one materialization run. */
  memo<T>(key: string, make: () => T): T;
}

export type FeatureSource =
  /** A SELECT over the raw tables returning the entity keys, event_timestamp, [created_at] and the fields by name.
   *  It may use the named parameter :since (ms, or -1 on a full run). */
  | { kind: 'sql'; sql: string }
  /** TypeScript over the raw tables. The code of `run` and of the helpers listed in `uses` is hashed into the
   *  view's version; bump `revision` to force a new version for any other change. */
  | {
      kind: 'transform';
      run: (ctx: TransformContext) => Iterable<FeatureRow>;
      uses?: ((...args: never[]) => unknown)[];
      revision?: number;
    };

export interface FeatureView {
  name: string;
  /** A built-in entity's name (entities.ts) or an inline composite entity. */
  entity: string | Entity;
  description: string;
  fields: Field[];
  /** A value older than this (seconds) at query time is returned as null. Omit for no limit. */
  ttlSeconds?: number;
  source: FeatureSource;
  /** Free-form labels, not part of the version. */
  tags?: Record<string, string>;
}

/** A named list of feature refs a model consumes. */
export interface FeatureService {
  name: string;
  description: string;
  features: string[];
}

/** One row of a point-in-time query: entity keys by column name plus the query time. */
export interface EntityRow {
  event_timestamp: string | number | Date;
  /** Other columns are ignored unless a requested view needs them as keys. */
  [key: string]: string | number | Date | boolean | null | undefined;
}

/** A ref resolved to the exact stored version it reads. */
export interface ResolvedRef {
  ref: string;
  view: string;
  version: number;
  feature: string;
  type: FieldType;
  table: string;
  fingerprint: string;
}
