// The race-winner dataset: entries + feature matrix + labels, grouped by race in start order. Columns: the weekend
// features (weekend.ts); tests and experiments may build a WinnerData of other columns with fromEntries.
import type { Db } from '../../data/db.js';
import { raceEntries, type Entry } from './entries.js';
import { groupsOf, type Groups } from './metrics.js';
import { WEEKEND_FEATURES, WEEKEND_SET_VERSION, weekendFeatures } from './weekend.js';

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

/** First season of the dataset: knockout qualifying with one timed lap per car set (gaps in % are comparable
 *  since). Training ranges may start later; the recipe ignores rows outside its training seasons. */
export const DATA_START = 2010;

const WEEKEND_VIEW = { name: 'race_winner_weekend', version: WEEKEND_SET_VERSION };

/** The weekend-feature dataset of seasons [from, to] (one pass over the history). */
export function weekendDataset(db: Db, from: number, to: number): WinnerData {
  return weekendDataOf(db, raceEntries(db, from, to));
}

/** Weekend features for the given entries (grouped by race in start order), e.g. one race to serve. */
export function weekendDataOf(db: Db, entries: Entry[]): WinnerData {
  return fromEntries(entries, weekendFeatures(db, entries), WEEKEND_FEATURES);
}

export function fromEntries(
  entries: Entry[],
  x: Float64Array,
  features: readonly string[],
  views: WinnerData['views'] = [WEEKEND_VIEW],
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
