// The race-winner dataset: entries + feature matrix + labels, grouped by race in start order. Columns: the model's own
// pre-race features (features.ts) followed by the feature store's `race_winner` service refs (store.ts).
import type { Db } from '../../data/db.js';
import { raceEntries, type Entry } from './entries.js';
import { computeFeatures, FEATURE_SET_VERSION, FEATURES } from './features.js';
import { groupsOf, type Groups } from './metrics.js';
import { storeFeatures } from './store.js';

export interface WinnerData {
  features: string[];
  entries: Entry[];
  rows: number;
  cols: number;
  x: Float64Array;
  /** 1 = won, 0 = not, NaN = not run yet. */
  won: Float64Array;
  raceIds: Int32Array;
  seasons: Int32Array;
  qualiPos: Float64Array;
  groups: Groups;
  /** Feature views (and versions) the columns came from. */
  views: { name: string; version: number }[];
}

export function buildDataset(db: Db, from: number, to: number): WinnerData {
  return datasetOf(db, raceEntries(db, from, to));
}

/** Features for the given entries (grouped by race, in start order). */
export function datasetOf(db: Db, entries: Entry[]): WinnerData {
  const own = computeFeatures(db, entries);
  const st = storeFeatures(db, entries);
  const a = FEATURES.length;
  const b = st.refs.length;
  const x = new Float64Array(entries.length * (a + b));
  for (let r = 0; r < entries.length; r++) {
    x.set(own.subarray(r * a, (r + 1) * a), r * (a + b));
    x.set(st.x.subarray(r * b, (r + 1) * b), r * (a + b) + a);
  }
  return fromEntries(entries, x, [...FEATURES, ...st.refs], [{ name: 'race_winner_features', version: FEATURE_SET_VERSION }, ...st.views]);
}

export function fromEntries(
  entries: Entry[],
  x: Float64Array,
  features: readonly string[] = FEATURES,
  views: WinnerData['views'] = [{ name: 'race_winner_features', version: FEATURE_SET_VERSION }],
): WinnerData {
  const raceIds = Int32Array.from(entries, (e) => e.raceId);
  return {
    features: [...features],
    entries,
    rows: entries.length,
    cols: features.length,
    x,
    won: Float64Array.from(entries, (e) => (e.won === null ? NaN : e.won)),
    raceIds,
    seasons: Int32Array.from(entries, (e) => e.season),
    qualiPos: Float64Array.from(entries, (e) => e.qualiPos ?? NaN),
    groups: groupsOf(raceIds),
    views,
  };
}

/** Rows whose season is in [from, to] (races stay whole). */
export function seasonSlice(d: WinnerData, from: number, to: number): WinnerData {
  const idx: number[] = [];
  for (let i = 0; i < d.rows; i++) if (d.seasons[i]! >= from && d.seasons[i]! <= to) idx.push(i);
  const x = new Float64Array(idx.length * d.cols);
  idx.forEach((r, k) => x.set(d.x.subarray(r * d.cols, (r + 1) * d.cols), k * d.cols));
  return fromEntries(
    idx.map((i) => d.entries[i]!),
    x,
    d.features,
    d.views,
  );
}
