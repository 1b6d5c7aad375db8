// The race-winner task's rows: one per (race, starter), grouped by race in start order, with the winner as label.
// A race not yet run takes its entries from qualifying (label unknown).
import type { Db } from '../../data/db.js';

export interface Entry {
  raceId: number;
  race: string; // "<season>-<round>"
  season: number;
  round: number;
  circuit: string;
  /** Race start, ISO UTC. */
  start: string;
  driverId: number;
  driver: string; // driverRef
  code: string;
  constructorId: number;
  constructor: string; // constructorRef
  grid: number | null;
  qualiPos: number | null;
  qualiMs: number | null;
  /** 1 = won, 0 = did not, null = race not run yet. */
  won: 0 | 1 | null;
}

const NOT_STARTED = `('Withdrew', 'Did not start', 'Did not qualify', 'Did not prequalify')`;

/** Starters of every race in the season range (with results), plus qualifying-only entries for races not yet run. */
export function raceEntries(db: Db, from: number, to: number): Entry[] {
  const rows = db
    .prepare(
      `SELECT r.race_id AS raceId, r.year || '-' || r.round AS race, r.year AS season, r.round, c.circuit_ref AS circuit,
         r.start_utc AS start, d.driver_id AS driverId, d.driver_ref AS driver, COALESCE(d.code, upper(substr(d.driver_ref, 1, 3))) AS code,
         k.constructor_id AS constructorId, k.constructor_ref AS "constructor", x.grid, q.position AS qualiPos, q.best_ms AS qualiMs,
         CASE WHEN x.position_order = 1 THEN 1 ELSE 0 END AS won
       FROM results x JOIN races r ON r.race_id = x.race_id JOIN drivers d ON d.driver_id = x.driver_id
       JOIN constructors k ON k.constructor_id = x.constructor_id LEFT JOIN circuits c ON c.circuit_id = r.circuit_id
       LEFT JOIN qualifying q ON q.race_id = x.race_id AND q.driver_id = x.driver_id
       LEFT JOIN status s ON s.status_id = x.status_id
       WHERE r.year BETWEEN @from AND @to AND COALESCE(s.status, '') NOT IN ${NOT_STARTED}
       UNION ALL
       SELECT r.race_id, r.year || '-' || r.round, r.year, r.round, c.circuit_ref, r.start_utc, d.driver_id, d.driver_ref,
         COALESCE(d.code, upper(substr(d.driver_ref, 1, 3))), k.constructor_id, k.constructor_ref, q.position, q.position, q.best_ms, NULL
       FROM qualifying q JOIN races r ON r.race_id = q.race_id JOIN drivers d ON d.driver_id = q.driver_id
       JOIN constructors k ON k.constructor_id = q.constructor_id LEFT JOIN circuits c ON c.circuit_id = r.circuit_id
       WHERE r.year BETWEEN @from AND @to AND NOT EXISTS (SELECT 1 FROM results x WHERE x.race_id = r.race_id)
       ORDER BY 6, 1, 12`,
    )
    .all({ from, to }) as Entry[];
  for (const e of rows) {
    if (e.grid === 0) e.grid = null; // pit-lane start
    e.circuit ??= `circuit_${e.raceId}`;
  }
  return rows;
}

/** Entries of one race (for serving). */
export function entriesOfRace(db: Db, season: number, round: number): Entry[] {
  return raceEntries(db, season, season).filter((e) => e.round === round);
}
