// Race laps as the tyre and lap-time models see them: per race, per driver, with the clean-lap flag, fuel load and
// the stints of clean laps. Clean lap (issue #5, exact): green for the whole lap (track status exactly '1'), not an
// in- or out-lap, accurate timing, lap number > 1, slick (dry) compound.
import type { Db } from '../data/db.js';
import { raceLapRows, type LapRow } from '../data/laps-query.js';
import type { DryCompound } from '../../shared/domain.js';
import { dryCompound, softness } from './compound.js';
import { fuelCorrected, fuelKg } from './fuel.js';

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
type Row = Pick<LapRow, (typeof COLUMNS)[number]>;

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
    r.track_status === '1' &&
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

function buildRace(season: number, round: number, circuit: string, totalLaps: number, rows: Row[]): RaceLaps {
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

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
