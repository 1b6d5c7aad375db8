// Reading grand-prix laps back out of the laps table (schema: data/schema.ts, columns: data/laps.ts). One row type
// for every reader; each names the columns it needs.
import type { Db } from './db.js';

/** A laps-table row as the engine reads it (times in session seconds; booleans as 0/1). */
export interface LapRow {
  season: number;
  round: number;
  driver: string; // 3-letter code
  driver_ref: string | null; // Ergast driverRef, null when the import could not link the car
  lap_number: number;
  time_s: number | null;
  lap_time_s: number | null;
  stint: number | null;
  pit_out_s: number | null;
  pit_in_s: number | null;
  compound: string | null;
  compound_name: string | null;
  tyre_life: number | null;
  team: string | null;
  track_status: string | null;
  position: number | null;
  is_accurate: number | null;
  sector1_s: number | null;
  sector2_s: number | null;
  sector3_s: number | null;
  lap_start_s: number | null;
}

export interface LapQuery {
  /** Seasons [from, to], inclusive. */
  seasons: [number, number];
  round?: number;
  /** Only the races held at this circuit_ref. */
  circuit?: string;
  /** Within a race: each driver's laps in turn ('driver'), or lap by lap across the field ('lap'). */
  order: 'driver' | 'lap';
}

/** The race-session laps matching `q`, ordered by season and round, then as `q.order` says. */
export function raceLapRows<K extends keyof LapRow>(
  db: Db,
  q: LapQuery,
  columns: readonly K[],
): Pick<LapRow, K>[] {
  const [from, to] = q.seasons;
  // `season = ?` keeps a single-race read on the primary key (season, round, session, …).
  const where = from === to ? ['session = ?', 'season = ?'] : ['session = ?', 'season BETWEEN ? AND ?'];
  const params: (string | number)[] = from === to ? ['race', from] : ['race', from, to];
  if (q.round !== undefined) {
    where.push('round = ?');
    params.push(q.round);
  }
  if (q.circuit !== undefined) {
    where.push(
      '(season, round) IN (SELECT r.year, r.round FROM races r JOIN circuits c ON c.circuit_id = r.circuit_id WHERE c.circuit_ref = ?)',
    );
    params.push(q.circuit);
  }
  const order = q.order === 'driver' ? 'driver, lap_number' : 'lap_number, driver';
  return db
    .prepare(
      `SELECT ${columns.join(', ')} FROM laps WHERE ${where.join(' AND ')} ORDER BY season, round, ${order}`,
    )
    .all(...params) as Pick<LapRow, K>[];
}
