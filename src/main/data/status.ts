import type { DbStatus, RaceSummary } from '../../shared/domain.js';
import type { Db } from './db.js';
import { schemaVersion } from './db.js';

export function dbStatus(db: Db): DbStatus {
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const span = db.prepare('SELECT MIN(year) AS a, MAX(year) AS b FROM races').get() as { a: number | null; b: number | null };
  return {
    races: n('SELECT COUNT(*) AS n FROM races'),
    results: n('SELECT COUNT(*) AS n FROM results'),
    laps: n('SELECT COUNT(*) AS n FROM laps'),
    seasons: span.a === null || span.b === null ? null : [span.a, span.b],
    schemaVersion: schemaVersion(db),
  };
}

export function listSeasons(db: Db): number[] {
  return (db.prepare('SELECT DISTINCT year FROM races ORDER BY year DESC').all() as { year: number }[]).map((r) => r.year);
}

export function listRaces(db: Db, season: number): RaceSummary[] {
  return (
    db
      .prepare(
        `SELECT r.race_id AS raceId, r.year AS season, r.round, r.name, c.circuit_ref AS circuitRef,
                c.name AS circuitName, r.date,
                EXISTS (SELECT 1 FROM laps l WHERE l.season = r.year AND l.round = r.round AND l.session = 'race') AS hasLaps
         FROM races r LEFT JOIN circuits c ON c.circuit_id = r.circuit_id WHERE r.year = ? ORDER BY r.round`,
      )
      .all(season) as (Omit<RaceSummary, 'hasLaps'> & { hasLaps: number })[]
  ).map((r) => ({ ...r, hasLaps: Boolean(r.hasLaps) }));
}
