// The race timeline every view shares: keys, scheduled start, and when the result became known (the race's end).
import type { Db } from '../data/db.js';

export interface RaceTime {
  raceId: number;
  /** "<season>-<round>" */
  key: string;
  year: number;
  round: number;
  circuit: string;
  /** Scheduled start (races.start_utc), ms UTC. */
  startMs: number;
  /** When the result is known: start + the winner's race time, else start + 3 h. */
  endMs: number;
}

const FALLBACK_RACE_MS = 3 * 3600_000;

/** All races in start order. */
export function raceTimeline(db: Db): RaceTime[] {
  const rows = db
    .prepare(
      `SELECT r.race_id, r.year, r.round, r.start_utc, c.circuit_ref,
         (SELECT MIN(x.milliseconds) FROM results x WHERE x.race_id = r.race_id AND x.position = 1) AS win_ms
       FROM races r LEFT JOIN circuits c ON c.circuit_id = r.circuit_id`,
    )
    .raw()
    .all() as [number, number, number, string, string | null, number | null][];
  return rows
    .map(([raceId, year, round, start, circuit, winMs]) => {
      const startMs = Date.parse(start);
      return {
        raceId,
        key: `${year}-${round}`,
        year,
        round,
        circuit: circuit ?? `circuit_${raceId}`,
        startMs,
        endMs: startMs + (winMs && winMs > 0 ? winMs : FALLBACK_RACE_MS),
      };
    })
    .sort((a, b) => a.startMs - b.startMs || a.raceId - b.raceId);
}

export interface RaceEntryRow {
  race: string;
  driver: string;
  constructor: string;
  circuit: string;
  /** Race start, ISO UTC: the moment a pre-race prediction is made. */
  event_timestamp: string;
  year: number;
  round: number;
  /** Finishing order (labels for training), null for a race not yet run. */
  position_order: number | null;
  position: number | null;
}

/** Entity rows for every (race, driver) entry in [from, to] seasons, timestamped at the race start. */
export function raceEntryRows(db: Db, seasons: { from: number; to: number }): RaceEntryRow[] {
  return db
    .prepare(
      `SELECT r.year || '-' || r.round AS race, d.driver_ref AS driver, k.constructor_ref AS "constructor",
         c.circuit_ref AS circuit, r.start_utc AS event_timestamp, r.year, r.round, x.position_order, x.position
       FROM results x JOIN races r ON r.race_id = x.race_id JOIN drivers d ON d.driver_id = x.driver_id
       LEFT JOIN constructors k ON k.constructor_id = x.constructor_id LEFT JOIN circuits c ON c.circuit_id = r.circuit_id
       WHERE r.year BETWEEN ? AND ? ORDER BY r.start_utc, x.position_order`,
    )
    .all(seasons.from, seasons.to) as RaceEntryRow[];
}
