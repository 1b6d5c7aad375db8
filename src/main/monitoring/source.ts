// Where drift windows get their feature values: the feature store (reference and season ranges) and the
// prediction log (what was actually served). Both yield races in start order with per-feature value lists.
import type { Db } from '../data/db.js';
import { FeatureStore, raceEntryRows, type FeatureValue } from '../features/index.js';
import { ensureMonitorTables } from './alerts.js';
import type { RaceSample } from './drift.js';

/** Feature-store refs watched per model (inputs known before the race). */
export const MONITORED_REFS: Record<string, string[]> = {
  'race-winner': [
    'race_entry:grid_position',
    'race_entry:quali_position',
    'race_entry:quali_gap_pct',
    'race_entry:teammate_quali_gap_pct',
    'driver_form:avg_finish_last_5',
    'driver_form:avg_quali_last_5',
    'driver_form:dnf_rate_last_10',
    'driver_form:championship_points_before',
    'team_form:constructor_points_before',
    'team_form:constructor_position',
  ],
};

/** Other names a model may log a feature under (the race-winner model's own feature names). */
const ALIASES: Record<string, string[]> = {
  grid_position: ['grid'],
  quali_position: ['quali_pos'],
  teammate_quali_gap_pct: ['teammate_quali_delta'],
  championship_points_before: ['driver_points_before'],
  constructor_position: ['constructor_position_before'],
};

export function monitoredRefs(model: string): string[] {
  return MONITORED_REFS[model] ?? MONITORED_REFS['race-winner']!;
}

const num = (v: FeatureValue | undefined): number =>
  typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN;

/** Feature values of every (race, starter) in the seasons, grouped by race in start order. */
export function storeSamples(
  db: Db,
  seasons: [number, number],
  refs: string[],
  store = new FeatureStore(db),
): RaceSample[] {
  const rows = raceEntryRows(db, { from: seasons[0], to: seasons[1] });
  if (!rows.length) return [];
  const res = store.getHistoricalFeatures(
    rows.map((r) => ({
      race: r.race,
      driver: r.driver,
      constructor: r.constructor,
      event_timestamp: r.event_timestamp,
    })),
    refs,
  );
  const out: RaceSample[] = [];
  const byRace = new Map<string, RaceSample>();
  rows.forEach((r, i) => {
    let s = byRace.get(r.race);
    if (!s) {
      s = { race: r.race, values: Object.fromEntries(refs.map((f) => [f, [] as number[]])) };
      byRace.set(r.race, s);
      out.push(s);
    }
    const vals = res.values[i]!;
    refs.forEach((f, j) => (s.values[f] as number[]).push(num(vals[j])));
  });
  return out;
}

/** Feature values of logged predictions (latest per race and driver), matched to refs by full name, short name
 *  (after the colon) or a known alias, in that order. A value logged under the full name is used even when null
 *  (missing), so a model's own feature of the same short name (e.g. the race-winner's capped quali_gap_pct) never
 *  stands in for it. */
export function loggedSamples(
  db: Db,
  model: string,
  refs: string[],
  opts: { version?: string } = {},
): RaceSample[] {
  ensureMonitorTables(db);
  const rows = db
    .prepare(
      `SELECT season, round, features FROM monitor_predictions WHERE id IN (
         SELECT MAX(id) FROM monitor_predictions WHERE model = ? AND (? IS NULL OR version = ?)
         GROUP BY season, round, driver, COALESCE(lap, -1))
       ORDER BY season, round`,
    )
    .all(model, opts.version ?? null, opts.version ?? null) as {
    season: number;
    round: number;
    features: string;
  }[];
  const out: RaceSample[] = [];
  for (const r of rows) {
    const race = `${r.season}-${r.round}`;
    let s = out[out.length - 1];
    if (!s || s.race !== race)
      out.push((s = { race, values: Object.fromEntries(refs.map((f) => [f, [] as number[]])) }));
    const f = JSON.parse(r.features) as Record<string, FeatureValue>;
    for (const ref of refs) {
      const short = ref.slice(ref.indexOf(':') + 1);
      const alias = ALIASES[short]?.find((a) => a in f);
      (s.values[ref] as number[]).push(
        num(ref in f ? f[ref] : (f[short] ?? (alias === undefined ? undefined : f[alias]))),
      );
    }
  }
  return out;
}
