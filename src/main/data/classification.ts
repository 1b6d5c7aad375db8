// One race's classification and one session's laps, as `pitwall results` and `pitwall laps` print them.
import type { Db } from './db.js';
import type { RaceResults, ResultRow } from '../../shared/domain.js';
import { DataError } from './errors.js';

export interface ClassifiedRow {
  /** Finishing position; null when not classified. */
  position: number | null;
  positionOrder: number;
  /** Ergast driverRef. */
  driver: string;
  code: string | null;
  /** Ergast constructorRef. */
  constructor: string | null;
  grid: number | null;
  points: number | null;
  status: string | null;
  laps: number | null;
}

export interface SessionLap {
  /** Three-letter code. */
  driver: string;
  lap: number;
  lap_time_s: number | null;
  position: number | null;
  compound: string | null;
  tyre_life: number | null;
  stint: number | null;
  /** True on the in-lap. */
  pit_in: boolean;
  /** True on the out-lap. */
  pit_out: boolean;
  track_status: string | null;
}

function raceId(db: Db, season: number, round: number): number {
  const r = db.prepare('SELECT race_id AS id FROM races WHERE year = ? AND round = ?').get(season, round) as { id: number } | undefined;
  if (!r) throw new DataError(`no race ${season} round ${round} in the database (pitwall status shows the seasons covered)`);
  return r.id;
}

/** The race (or sprint) classification in finishing order. */
export function classification(db: Db, season: number, round: number, session: 'race' | 'sprint' = 'race'): ClassifiedRow[] {
  const id = raceId(db, season, round);
  const table = session === 'sprint' ? 'sprint_results' : 'results';
  return db
    .prepare(
      `SELECT x.position, x.position_order AS positionOrder, d.driver_ref AS driver, d.code, c.constructor_ref AS "constructor",
              x.grid, x.points, s.status, x.laps
       FROM ${table} x JOIN drivers d ON d.driver_id = x.driver_id
       LEFT JOIN constructors c ON c.constructor_id = x.constructor_id LEFT JOIN status s ON s.status_id = x.status_id
       WHERE x.race_id = ? ORDER BY x.position_order`,
    )
    .all(id) as ClassifiedRow[];
}

/** A session's laps, lap by lap across the field. Pit in/out laps come from the lap timing, or from the race's pit
 *  stops where the laps have no pit times (laps from Jolpica). */
export function sessionLaps(db: Db, season: number, round: number, session = 'race'): SessionLap[] {
  const id = raceId(db, season, round);
  const rows = db
    .prepare(
      `SELECT l.driver, l.lap_number AS lap, l.lap_time_s, l.position, l.compound, l.tyre_life, l.stint,
              (l.pit_in_s IS NOT NULL OR EXISTS (SELECT 1 FROM pit_stops p JOIN drivers d ON d.driver_id = p.driver_id
                 WHERE l.session = 'race' AND p.race_id = @id AND d.driver_ref = l.driver_ref AND p.lap = l.lap_number)) AS pit_in,
              (l.pit_out_s IS NOT NULL OR EXISTS (SELECT 1 FROM pit_stops p JOIN drivers d ON d.driver_id = p.driver_id
                 WHERE l.session = 'race' AND p.race_id = @id AND d.driver_ref = l.driver_ref AND p.lap = l.lap_number - 1)) AS pit_out,
              l.track_status
       FROM laps l WHERE l.season = @season AND l.round = @round AND l.session = @session
       ORDER BY l.lap_number, l.position IS NULL, l.position, l.driver`,
    )
    .all({ id, season, round, session }) as (Omit<SessionLap, 'pit_in' | 'pit_out'> & { pit_in: number; pit_out: number })[];
  return rows.map((r) => ({ ...r, pit_in: r.pit_in === 1, pit_out: r.pit_out === 1 }));
}

/** The classification with names, times and the fastest lap: what the results view shows for every race. */
export function raceResults(db: Db, season: number, round: number): RaceResults {
  const race = db
    .prepare(
      `SELECT r.race_id AS id, r.name, r.date, COALESCE(c.name, '') AS circuitName,
              EXISTS (SELECT 1 FROM laps l WHERE l.season = r.year AND l.round = r.round AND l.session = 'race') AS hasLaps
       FROM races r LEFT JOIN circuits c ON c.circuit_id = r.circuit_id WHERE r.year = ? AND r.round = ?`,
    )
    .get(season, round) as { id: number; name: string; date: string; circuitName: string; hasLaps: number } | undefined;
  if (!race) throw new DataError(`No race ${season} round ${round} in the database — \`pitwall update\` can fetch newer seasons`);
  const rows = db
    .prepare(
      `SELECT x.position, x.position_order AS positionOrder, COALESCE(x.position_text, '') AS positionText,
              d.driver_ref AS driver, d.code, TRIM(COALESCE(d.forename, '') || ' ' || COALESCE(d.surname, '')) AS name,
              COALESCE(c.name, '') AS "constructor", NULLIF(x.grid, 0) AS grid, COALESCE(x.points, 0) AS points, x.laps,
              COALESCE(s.status, '') AS status, x.time, x.fastest_lap_time AS fastestLapTime, x.rank
       FROM results x JOIN drivers d ON d.driver_id = x.driver_id
       LEFT JOIN constructors c ON c.constructor_id = x.constructor_id LEFT JOIN status s ON s.status_id = x.status_id
       WHERE x.race_id = ? ORDER BY x.position_order`,
    )
    .all(race.id) as (Omit<ResultRow, 'fastestLap'> & { rank: number | null })[];
  // the fastest lap: Ergast's rank 1, else (older rows without ranks) the smallest recorded fastest-lap time
  const secs = (t: string | null): number => {
    const m = t ? /^(?:(\d+):)?(\d+(?:\.\d+)?)$/.exec(t) : null;
    return m ? Number(m[1] ?? 0) * 60 + Number(m[2]) : Infinity;
  };
  let fastest = rows.find((r) => r.rank === 1)?.driver ?? null;
  if (fastest === null) {
    const timed = rows.filter((r) => secs(r.fastestLapTime) < Infinity).sort((x, y) => secs(x.fastestLapTime) - secs(y.fastestLapTime));
    fastest = timed[0]?.driver ?? null;
  }
  return {
    season,
    round,
    name: race.name,
    circuitName: race.circuitName,
    date: race.date,
    hasLaps: race.hasLaps === 1,
    rows: rows.map(({ rank: _rank, ...r }) => ({ ...r, fastestLap: r.driver === fastest })),
  };
}
