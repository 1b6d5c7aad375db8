// One race's laps as the rejoin and pit-loss models read them: per driver, lap by lap (index = lap number), with
// the lap's end time, lap time, in/out flags, position and the one clean-lap rule (race/laps.ts).
import type { Db } from '../data/db.js';
import { isCleanLap, raceLapRows, type LapRow } from '../race/laps.js';
import { median } from '../util/stats.js';

export interface LapCell {
  lap: number;
  end: number | null; // session time at the lap's end (s)
  time: number | null; // lap time (s)
  pitIn: boolean; // in-lap (the car boxes at its end)
  pitOut: boolean; // out-lap
  status: string | null; // canonical track status
  position: number | null; // official position at the lap's end
  clean: boolean;
  compound: string | null;
  tyreAge: number | null;
}

export interface RaceState {
  season: number;
  round: number;
  /** Each driver's laps; `laps[n]` is lap n (undefined where the feed has none). */
  drivers: Map<string, (LapCell | undefined)[]>;
  maxLap: number;
}

const COLUMNS = [
  'season', 'round', 'driver', 'lap_number', 'time_s', 'lap_time_s', 'pit_in_s', 'pit_out_s', 'track_status', 'position',
  'is_accurate', 'compound', 'tyre_life',
] as const;

/** Every race of the seasons [from, to] (optionally one round or circuit), in season/round order. */
export function loadRaceStates(db: Db, seasons: [number, number], opts: { round?: number; circuit?: string } = {}): RaceState[] {
  const rows = raceLapRows(db, { seasons, ...opts, order: 'driver' }, COLUMNS);
  const out: RaceState[] = [];
  let cur: RaceState | undefined;
  for (const r of rows) {
    if (!cur || cur.season !== r.season || cur.round !== r.round) {
      cur = { season: r.season, round: r.round, drivers: new Map(), maxLap: 0 };
      out.push(cur);
    }
    let laps = cur.drivers.get(r.driver);
    if (!laps) cur.drivers.set(r.driver, (laps = []));
    laps[r.lap_number] = lapCell(r);
    cur.maxLap = Math.max(cur.maxLap, r.lap_number);
  }
  return out;
}

/** One lap row as the models read it (the database's rows, and the live laps as rows: live/rejoin.ts). */
export function lapCell(r: Pick<LapRow, (typeof COLUMNS)[number]>): LapCell {
  return {
    lap: r.lap_number,
    end: r.time_s,
    time: r.lap_time_s,
    pitIn: r.pit_in_s !== null,
    pitOut: r.pit_out_s !== null,
    status: r.track_status,
    position: r.position,
    clean: isCleanLap(r),
    compound: r.compound,
    tyreAge: r.tyre_life,
  };
}

/** Whether every car's lap `lap` ran under track status '1' only (the union of the field's codes is exactly {'1'}). */
export function fieldGreen(race: RaceState, lap: number): boolean {
  let seen = false;
  for (const laps of race.drivers.values()) {
    const s = laps[lap]?.status;
    if (s === null || s === undefined) continue;
    for (const ch of s) if (ch !== '1') return false;
    seen = true;
  }
  return seen;
}

/**
 * A car's recent pace: median of its last `window` clean laps up to and including `lap`, from its current stint
 * when that has any (a stop ends the look-back once a lap is found); NaN without any.
 */
export function recentPace(laps: readonly (LapCell | undefined)[], lap: number, window: number): number {
  const xs: number[] = [];
  for (let n = lap; n >= 1 && xs.length < window; n--) {
    const c = laps[n];
    if (c?.clean && c.time !== null) xs.push(c.time);
    if (c?.pitOut && xs.length > 0) break;
  }
  return median(xs);
}
