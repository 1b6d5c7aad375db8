// Where a replay's timing comes from. The historical source reads the database; a live feed implements the same
// interface later (its laps() grows as laps complete and subscribe() announces them).
import type { Compound } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { raceCompoundOf } from '../race/compounds.js';
import { raceLapRows, type LapRow } from '../race/laps.js';
import { clockFromLapTimes, lapTimesOnly } from './lap-times.js';
import { repairLapNumbers } from './repair.js';
import { teamColor } from './teams.js';

/** One completed lap of one car. */
export interface LapRecord {
  driver: string; // Ergast driverRef
  code: string;
  lap: number;
  time: number; // session time at the line, s
  start: number; // session time the lap began, s
  lapTime: number | null;
  stint: number | null;
  pitIn: number | null;
  pitOut: number | null;
  compound: Compound;
  tyreLife: number | null;
  /** The set was new when fitted (the feed's FreshTyre); absent or null when unknown. */
  freshTyre?: boolean | null;
  trackStatus: string;
  position: number | null; // official position at the line (timing feed), when known
  sectors: [number | null, number | null, number | null] | null;
  accurate: boolean;
}

export interface DriverMeta {
  driver: string;
  code: string;
  name: string;
  surname: string;
  team: string;
  teamColor: string;
  grid: number | null;
  status: string; // Ergast status text
  classified: number | null; // final classified position
  nationality: string | null;
  number: number | null;
}

export interface RaceMeta {
  raceId: number | null;
  season: number;
  round: number;
  name: string;
  circuitRef: string;
  circuitName: string;
  totalLaps: number;
  drivers: DriverMeta[];
}

/** Reference data a historical source has (race control tables, official pit stops); a live feed has none. */
export interface ReferenceData {
  pitStops: { driver: string; lap: number; stop: number; duration: number | null }[];
  safetyCars: { deployed: number; retreated: number | null; cause: string | null }[];
  redFlags: { lap: number; incident: string | null }[];
  vscLaps: number[];
  fastestLap: { driver: string; lap: number | null } | null;
}

export interface TimingSource {
  readonly meta: RaceMeta;
  readonly reference: ReferenceData;
  /** Every lap known so far, any order. */
  laps(): LapRecord[];
  /** Live sources announce new laps; the historical source is complete and never calls back. */
  subscribe?(onLap: (lap: LapRecord) => void): () => void;
}

/** The laps-table columns a replay reads. */
const COLUMNS = [
  'driver', 'driver_ref', 'lap_number', 'time_s', 'lap_time_s', 'stint', 'pit_out_s', 'pit_in_s', 'compound',
  'tyre_life', 'fresh_tyre', 'team', 'track_status', 'position', 'is_accurate', 'sector1_s', 'sector2_s', 'sector3_s', 'lap_start_s',
] as const;
type Row = Pick<LapRow, (typeof COLUMNS)[number]>;

/** The historical source: a race's laps and reference tables from the database. */
export function dbSource(db: Db, season: number, round: number): TimingSource {
  const race = db
    .prepare(
      `SELECT r.race_id, r.name, c.circuit_ref, c.name AS circuit_name FROM races r
       LEFT JOIN circuits c ON c.circuit_id = r.circuit_id WHERE r.year = ? AND r.round = ?`,
    )
    .get(season, round) as { race_id: number; name: string; circuit_ref: string | null; circuit_name: string | null } | undefined;
  const read = raceLapRows(db, { seasons: [season, season], round, order: 'driver' }, COLUMNS);
  if (!race) throw new DataError(`No race ${season} round ${round} in the database — \`pitwall update\` can fetch newer seasons`);
  if (read.length === 0) throw new DataError(`No lap data for the ${season} ${race.name} — \`pitwall update\` can fetch it`);

  const pitStops = (
    db
      .prepare(
        `SELECT d.driver_ref AS driver, p.lap, p.stop, p.duration FROM pit_stops p JOIN drivers d ON d.driver_id = p.driver_id
         WHERE p.race_id = ? ORDER BY p.lap`,
      )
      .all(race.race_id) as { driver: string; lap: number; stop: number; duration: number | null }[]
  ).filter((p) => p.lap !== null);
  const safetyCars = db
    .prepare('SELECT deployed, retreated, cause FROM safety_cars WHERE race_id = ? AND deployed IS NOT NULL ORDER BY deployed')
    .all(race.race_id) as { deployed: number; retreated: number | null; cause: string | null }[];
  const redFlags = db
    .prepare('SELECT lap, incident FROM red_flags WHERE race_id = ? AND lap IS NOT NULL ORDER BY lap')
    .all(race.race_id) as { lap: number; incident: string | null }[];
  const vscLaps = (db.prepare('SELECT lap FROM vsc_laps WHERE race_id = ? ORDER BY lap').all(race.race_id) as { lap: number }[]).map(
    (r) => r.lap,
  );
  const reference: ReferenceData = { pitStops, safetyCars, redFlags, vscLaps, fastestLap: null };
  // Lap times and positions only (Jolpica): the clock, pit times and track status rebuilt, the tyres left unknown.
  const rows = lapTimesOnly(read) ? clockFromLapTimes(read, reference) : read;

  const teamByRef = new Map<string, string>();
  const codeByRef = new Map<string, string>();
  const byDriver = new Map<string, Row[]>();
  for (const r of rows) {
    if (r.time_s === null) continue;
    // Phantom laps: no lap time, no position, status '0' (a car that stopped on track still "ends" a lap).
    if (r.lap_time_s === null && r.position === null && (r.track_status ?? '0') === '0') continue;
    const ref = r.driver_ref ?? r.driver; // as the tyre models key an unlinked car (tyres/race-laps.ts)
    teamByRef.set(ref, r.team ?? teamByRef.get(ref) ?? '');
    codeByRef.set(ref, r.driver);
    let list = byDriver.get(ref);
    if (!list) byDriver.set(ref, (list = []));
    list.push(r);
  }

  // Lap-number repair only when the dropout shows in several cars (one odd car is more likely a bad lap time).
  const fixedBy = new Map<string, number[]>();
  for (const [ref, list] of byDriver) {
    fixedBy.set(ref, repairLapNumbers(list.map((r) => ({ lap: r.lap_number, time: r.time_s!, lapTime: r.lap_time_s, status: r.track_status ?? '' }))));
  }
  const repaired = [...byDriver].filter(([ref, list]) => fixedBy.get(ref)!.some((n, i) => n !== list[i]!.lap_number)).length;
  const laps: LapRecord[] = [];
  for (const [ref, list] of byDriver) {
    const fixed = repaired >= 3 ? fixedBy.get(ref)! : list.map((r) => r.lap_number);
    let prevEnd: number | null = null;
    list.forEach((r, i) => {
      const time = r.time_s!;
      const start = r.lap_start_s ?? prevEnd ?? (r.lap_time_s !== null ? time - r.lap_time_s : time - 100);
      prevEnd = time;
      const hasSectors = r.sector1_s !== null || r.sector2_s !== null || r.sector3_s !== null;
      laps.push({
        driver: ref,
        code: r.driver,
        lap: fixed[i]!,
        time,
        start,
        lapTime: r.lap_time_s,
        stint: r.stint,
        pitIn: r.pit_in_s,
        pitOut: r.pit_out_s,
        compound: raceCompoundOf(r.compound),
        tyreLife: r.tyre_life,
        freshTyre: r.fresh_tyre === null ? null : r.fresh_tyre === 1,
        trackStatus: r.track_status ?? '', // canonical since import (race/track-status.ts)
        position: r.position,
        sectors: hasSectors ? [r.sector1_s, r.sector2_s, r.sector3_s] : null,
        accurate: r.is_accurate === 1,
      });
    });
  }

  const results = db
    .prepare(
      `SELECT d.driver_ref, d.code, d.forename, d.surname, d.nationality, d.number AS dnum, res.number, res.grid,
              res.position, res.laps, res.fastest_lap, res.rank, s.status, c.name AS constructor
       FROM results res JOIN drivers d ON d.driver_id = res.driver_id
       LEFT JOIN status s ON s.status_id = res.status_id
       LEFT JOIN constructors c ON c.constructor_id = res.constructor_id
       WHERE res.race_id = ? ORDER BY res.position_order`,
    )
    .all(race.race_id) as {
    driver_ref: string;
    code: string | null;
    forename: string;
    surname: string;
    nationality: string | null;
    dnum: number | null;
    number: number | null;
    grid: number | null;
    position: number | null;
    laps: number | null;
    fastest_lap: number | null;
    rank: number | null;
    status: string | null;
    constructor: string | null;
  }[];
  const byRef = new Map(results.map((r) => [r.driver_ref, r]));
  const drivers: DriverMeta[] = [];
  for (const ref of byDriver.keys()) {
    const r = byRef.get(ref);
    const team = teamByRef.get(ref) || r?.constructor || '';
    drivers.push({
      driver: ref,
      code: codeByRef.get(ref) ?? r?.code ?? ref.slice(0, 3).toUpperCase(),
      name: r ? `${r.forename} ${r.surname}` : ref,
      surname: r?.surname ?? ref,
      team,
      teamColor: teamColor(team),
      grid: r?.grid ?? null,
      status: r?.status ?? 'Finished',
      classified: r?.position ?? null,
      nationality: r?.nationality ?? null,
      number: r?.number ?? r?.dnum ?? null,
    });
  }
  const winnerLaps = results[0]?.laps ?? 0;
  const maxLap = laps.reduce((m, l) => Math.max(m, l.lap), 0);

  const fl = results.find((r) => r.rank === 1);

  return {
    meta: {
      raceId: race.race_id,
      season,
      round,
      name: race.name,
      circuitRef: race.circuit_ref ?? '',
      circuitName: race.circuit_name ?? '',
      totalLaps: Math.max(winnerLaps, maxLap),
      drivers,
    },
    reference: { ...reference, fastestLap: fl ? { driver: fl.driver_ref, lap: fl.fastest_lap } : null },
    laps: () => laps,
  };
}
