// Race-winner features from the feature store: the `race_winner` feature service, point-in-time joined at each race's
// start (entity rows: race, driver, event_timestamp). Booleans become 0/1, nulls NaN.
import type { Db } from '../../data/db.js';
import { FeatureStore, SERVICES } from '../../features/index.js';
import type { Entry } from './entries.js';

export const SERVICE = 'race_winner';

export function serviceRefs(): string[] {
  const s = SERVICES.find((x) => x.name === SERVICE);
  if (!s) throw new Error(`feature service "${SERVICE}" is not defined`);
  return s.features;
}

export interface StoreFeatures {
  refs: string[];
  /** Exact view versions read, e.g. driver_form@v1. */
  views: { name: string; version: number }[];
  /** Row-major, entries × refs. */
  x: Float64Array;
}

/** One store per database connection: its indexes stay loaded between predictions (it reloads on new data). */
const stores = new WeakMap<Db, FeatureStore>();

export function storeFeatures(db: Db, entries: Entry[], refs = serviceRefs()): StoreFeatures {
  let store = stores.get(db);
  if (!store) stores.set(db, (store = new FeatureStore(db)));
  const r = store.getHistoricalFeatures(
    entries.map((e) => ({ race: e.race, driver: e.driver, event_timestamp: e.start })),
    refs,
  );
  const x = new Float64Array(entries.length * refs.length);
  r.values.forEach((row, i) =>
    row.forEach((v, j) => {
      x[i * refs.length + j] = v === null || typeof v === 'string' ? NaN : typeof v === 'boolean' ? (v ? 1 : 0) : v;
    }),
  );
  const views = new Map<string, number>();
  for (const ref of r.refs) views.set(ref.view, ref.version);
  return { refs, views: [...views].map(([name, version]) => ({ name, version })), x };
}
