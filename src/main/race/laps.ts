// The laps reader: grand-prix laps out of the laps table (schema: data/schema.ts, columns: data/laps.ts) as one row
// type, and race laps as the tyre, lap-time and strategy models see them — per race and driver, with the one
// clean-lap rule, fuel load and the stints of clean laps. Clean lap (exact): clear for the whole lap (track status
// exactly '1'), not an in- or out-lap, accurate timing, lap number > 1, slick (dry) compound, a positive lap time.
import type Database from 'better-sqlite3';
import type { DryCompound } from '../../shared/domain.js';
import { dryCompound, softness } from './compounds.js';
import { fuelCorrected, fuelKg } from './fuel.js';
import { isClear } from './track-status.js';

type Db = Database.Database;

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
  fresh_tyre: number | null; // 1 new set, 0 used
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


export interface RaceLap {
  driver: string; // 3-letter code
  driverRef: string;
  lap: number;
  /** Session time at lap end (s). */
  end: number | null;
  lapTime: number | null;
  stint: number | null;
  compound: DryCompound | null;
  softness: number; // C-number scale, NaN unknown
  tyreAge: number | null;
  trackStatus: string;
  position: number | null;
  pit: boolean; // in- or out-lap
  clean: boolean;
  fuel: number; // kg at lap start
  /** Fuel-corrected lap time (NaN without a lap time). */
  fc: number;
}

export interface RaceLaps {
  season: number;
  round: number;
  circuit: string; // circuit_ref
  totalLaps: number;
  /** All laps of the race, ordered by lap then driver. */
  laps: RaceLap[];
  /** Each driver's laps in lap order. */
  byDriver: Map<string, RaceLap[]>;
}

export interface Stint {
  race: RaceLaps;
  driver: string;
  stint: number;
  compound: DryCompound;
  /** Every lap of the stint (clean or not), in order. */
  laps: RaceLap[];
  /** Its clean laps only. */
  clean: RaceLap[];
}

/** The laps-table columns a race's laps are built from. */
const COLUMNS = [
  'season', 'round', 'driver', 'driver_ref', 'lap_number', 'time_s', 'lap_time_s', 'stint', 'pit_out_s', 'pit_in_s',
  'compound', 'compound_name', 'tyre_life', 'track_status', 'position', 'is_accurate',
] as const;
/** The columns a race is built from (`buildRace`). */
export type RaceLapInput = Pick<LapRow, (typeof COLUMNS)[number]>;
type Row = RaceLapInput;

export function isCleanLap(r: {
  track_status: string | null;
  pit_in_s: number | null;
  pit_out_s: number | null;
  is_accurate: number | null;
  lap_number: number;
  compound: string | null;
  lap_time_s: number | null;
}): boolean {
  return (
    isClear(r.track_status) &&
    r.pit_in_s === null &&
    r.pit_out_s === null &&
    r.is_accurate === 1 &&
    r.lap_number > 1 &&
    dryCompound(r.compound) !== null &&
    r.lap_time_s !== null &&
    r.lap_time_s > 0
  );
}

/** Race (grand prix) laps of the seasons [from, to], optionally one round or circuit. */
export function loadRaces(
  db: Db,
  seasons: [number, number],
  opts: { round?: number; circuit?: string } = {},
): RaceLaps[] {
  const meta = db
    .prepare(
      `SELECT r.year AS season, r.round, c.circuit_ref AS circuit,
        (SELECT MAX(laps) FROM results x WHERE x.race_id = r.race_id) AS total
       FROM races r LEFT JOIN circuits c ON c.circuit_id = r.circuit_id WHERE r.year BETWEEN ? AND ?`,
    )
    .all(seasons[0], seasons[1]) as { season: number; round: number; circuit: string | null; total: number | null }[];
  const info = new Map(meta.map((m) => [`${m.season}/${m.round}`, m]));
  const rows = raceLapRows(db, { seasons, ...opts, order: 'lap' }, COLUMNS);
  const races: RaceLaps[] = [];
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    const a = rows[start]!;
    const b = rows[i];
    if (b && b.season === a.season && b.round === a.round) continue;
    const group = rows.slice(start, i);
    start = i;
    const m = info.get(`${a.season}/${a.round}`);
    const circuit = m?.circuit ?? 'unknown';
    if (opts.circuit !== undefined && circuit !== opts.circuit) continue;
    const maxLap = group.reduce((x, r) => Math.max(x, r.lap_number), 0);
    const totalLaps = Math.max(m?.total ?? 0, maxLap);
    races.push(buildRace(a.season, a.round, circuit, totalLaps, group));
  }
  return races;
}

/** A race from its lap rows (ordered by lap, then driver): what `loadRaces` builds per race, and the live feed from its laps. */
export function buildRace(season: number, round: number, circuit: string, totalLaps: number, rows: Row[]): RaceLaps {
  const laps: RaceLap[] = rows.map((r) => {
    const fuel = fuelKg(r.lap_number, totalLaps);
    return {
      driver: r.driver,
      driverRef: r.driver_ref ?? r.driver,
      lap: r.lap_number,
      end: r.time_s,
      lapTime: r.lap_time_s,
      stint: r.stint,
      compound: dryCompound(r.compound),
      softness: softness(r.compound_name),
      tyreAge: r.tyre_life,
      trackStatus: r.track_status ?? '',
      position: r.position,
      pit: r.pit_in_s !== null || r.pit_out_s !== null,
      clean: isCleanLap(r),
      fuel,
      fc: r.lap_time_s !== null ? fuelCorrected(r.lap_time_s, r.lap_number, totalLaps) : Number.NaN,
    };
  });
  const byDriver = new Map<string, RaceLap[]>();
  for (const l of laps) {
    let a = byDriver.get(l.driver);
    if (!a) byDriver.set(l.driver, (a = []));
    a.push(l);
  }
  return { season, round, circuit, totalLaps, laps, byDriver };
}

/** The dry stints of a race (consecutive laps with one stint number and compound), with their clean laps. */
export function raceStints(race: RaceLaps): Stint[] {
  const out: Stint[] = [];
  for (const [driver, laps] of race.byDriver) {
    let cur: Stint | null = null;
    for (const l of laps) {
      if (l.stint === null || !l.compound) {
        cur = null;
        continue;
      }
      if (!cur || cur.stint !== l.stint || cur.compound !== l.compound) {
        cur = { race, driver, stint: l.stint, compound: l.compound, laps: [], clean: [] };
        out.push(cur);
      }
      cur.laps.push(l);
      if (l.clean) cur.clean.push(l);
    }
  }
  return out;
}
