// Ergast-format CSV folder → raw tables. Rows are upserted by key, so a re-import replaces and never duplicates.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ColSpec } from './columns.js';
import { readCsv, readTextFile } from './csv.js';
import { DataError } from './errors.js';

export interface TableSpec {
  file: string;
  table: string;
  columns: readonly ColSpec[];
  /** Rows without a natural key are replaced per race name. */
  replaceBy?: string;
}

const opt = false;
const RESULT_COLS: ColSpec[] = [
  ['resultId', 'result_id', 'int', true, false],
  ['raceId', 'race_id', 'int', true, false],
  ['driverId', 'driver_id', 'int', true, false],
  ['constructorId', 'constructor_id', 'int'],
  ['number', 'number', 'int'],
  ['grid', 'grid', 'int'],
  ['position', 'position', 'int'],
  ['positionText', 'position_text', 'text'],
  ['positionOrder', 'position_order', 'int'],
  ['points', 'points', 'real'],
  ['laps', 'laps', 'int'],
  ['time', 'time', 'text'],
  ['milliseconds', 'milliseconds', 'int'],
  ['fastestLap', 'fastest_lap', 'int'],
  ['rank', 'rank', 'int'],
  ['fastestLapTime', 'fastest_lap_time', 'text'],
  ['fastestLapSpeed', 'fastest_lap_speed', 'real', opt],
  ['statusId', 'status_id', 'int'],
];
const STANDING = (id: string, idCol: string, who: string, whoCol: string): ColSpec[] => [
  [id, idCol, 'int', true, false],
  ['raceId', 'race_id', 'int', true, false],
  [who, whoCol, 'int', true, false],
  ['points', 'points', 'real'],
  ['position', 'position', 'int'],
  ['positionText', 'position_text', 'text'],
  ['wins', 'wins', 'int'],
];

/** In dependency order: reference tables first. */
export const ERGAST_TABLES: TableSpec[] = [
  {
    file: 'circuits.csv',
    table: 'circuits',
    columns: [
      ['circuitId', 'circuit_id', 'int', true, false],
      ['circuitRef', 'circuit_ref', 'text', true, false],
      ['name', 'name', 'text'],
      ['location', 'location', 'text'],
      ['country', 'country', 'text'],
      ['lat', 'lat', 'real'],
      ['lng', 'lng', 'real'],
      ['alt', 'alt', 'real', opt],
    ],
  },
  {
    file: 'drivers.csv',
    table: 'drivers',
    columns: [
      ['driverId', 'driver_id', 'int', true, false],
      ['driverRef', 'driver_ref', 'text', true, false],
      ['number', 'number', 'int'],
      ['code', 'code', 'text'],
      ['forename', 'forename', 'text'],
      ['surname', 'surname', 'text'],
      ['dob', 'dob', 'text'],
      ['nationality', 'nationality', 'text'],
    ],
  },
  {
    file: 'constructors.csv',
    table: 'constructors',
    columns: [
      ['constructorId', 'constructor_id', 'int', true, false],
      ['constructorRef', 'constructor_ref', 'text', true, false],
      ['name', 'name', 'text'],
      ['nationality', 'nationality', 'text'],
    ],
  },
  { file: 'status.csv', table: 'status', columns: [['statusId', 'status_id', 'int', true, false], ['status', 'status', 'text']] },
  { file: 'seasons.csv', table: 'seasons', columns: [['year', 'year', 'int', true, false]] },
  {
    file: 'races.csv',
    table: 'races',
    columns: [
      ['raceId', 'race_id', 'int', true, false],
      ['year', 'year', 'int', true, false],
      ['round', 'round', 'int', true, false],
      ['circuitId', 'circuit_id', 'int'],
      ['name', 'name', 'text'],
      ['date', 'date', 'text', true, false],
      ['time', 'time', 'text'],
      ...(['fp1', 'fp2', 'fp3', 'quali', 'sprint'].flatMap((s) => [
        [`${s}_date`, `${s}_date`, 'text', opt],
        [`${s}_time`, `${s}_time`, 'text', opt],
      ]) as ColSpec[]),
    ],
  },
  { file: 'results.csv', table: 'results', columns: RESULT_COLS },
  {
    file: 'sprint_results.csv',
    table: 'sprint_results',
    columns: RESULT_COLS.filter((c) => c[0] !== 'fastestLapSpeed'),
  },
  {
    file: 'qualifying.csv',
    table: 'qualifying',
    columns: [
      ['qualifyId', 'qualify_id', 'int', true, false],
      ['raceId', 'race_id', 'int', true, false],
      ['driverId', 'driver_id', 'int', true, false],
      ['constructorId', 'constructor_id', 'int'],
      ['number', 'number', 'int'],
      ['position', 'position', 'int'],
      ['q1', 'q1', 'text'],
      ['q2', 'q2', 'text'],
      ['q3', 'q3', 'text'],
    ],
  },
  {
    file: 'pit_stops.csv',
    table: 'pit_stops',
    columns: [
      ['raceId', 'race_id', 'int', true, false],
      ['driverId', 'driver_id', 'int', true, false],
      ['stop', 'stop', 'int', true, false],
      ['lap', 'lap', 'int'],
      ['time', 'time', 'text'],
      ['duration', 'duration', 'duration'],
      ['milliseconds', 'milliseconds', 'int'],
    ],
  },
  { file: 'driver_standings.csv', table: 'driver_standings', columns: STANDING('driverStandingsId', 'driver_standings_id', 'driverId', 'driver_id') },
  {
    file: 'constructor_standings.csv',
    table: 'constructor_standings',
    columns: STANDING('constructorStandingsId', 'constructor_standings_id', 'constructorId', 'constructor_id'),
  },
  {
    file: 'constructor_results.csv',
    table: 'constructor_results',
    columns: [
      ['constructorResultsId', 'constructor_results_id', 'int', true, false],
      ['raceId', 'race_id', 'int', true, false],
      ['constructorId', 'constructor_id', 'int', true, false],
      ['points', 'points', 'real'],
      ['status', 'status', 'text'],
    ],
  },
  {
    file: 'safety_cars.csv',
    table: 'safety_cars',
    replaceBy: 'race_name',
    columns: [
      ['Race', 'race_name', 'text', true, false],
      ['Cause', 'cause', 'text'],
      ['Deployed', 'deployed', 'int'],
      ['Retreated', 'retreated', 'real'],
      ['FullLaps', 'full_laps', 'int'],
    ],
  },
  {
    file: 'red_flags.csv',
    table: 'red_flags',
    replaceBy: 'race_name',
    columns: [
      ['Race', 'race_name', 'text', true, false],
      ['Lap', 'lap', 'int'],
      ['Resumed', 'resumed', 'text'],
      ['Incident', 'incident', 'text'],
      ['Excluded', 'excluded', 'text'],
    ],
  },
];

export const VSC_FILE = 'virtual_safety_car_estimates.json';

/** A file of the folder, plain or gzip-compressed. */
export function findFile(dir: string, name: string): string | undefined {
  for (const candidate of [name, `${name}.gz`]) {
    const p = join(dir, candidate);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export interface ParsedSet {
  spec: TableSpec;
  columns: string[];
  rows: unknown[][];
}

/** Reads and validates every known file of an Ergast folder before anything is written. */
export function readErgastFolder(dir: string, typed: (file: string, spec: TableSpec) => ParsedSet): {
  sets: ParsedSet[];
  vsc: [string, number][];
} {
  if (!existsSync(dir)) throw new DataError(`Ergast folder not found: ${dir}`);
  const sets: ParsedSet[] = [];
  for (const spec of ERGAST_TABLES) {
    const f = findFile(dir, spec.file);
    if (f) sets.push(typed(f, spec));
  }
  const vsc: [string, number][] = [];
  const vf = findFile(dir, VSC_FILE);
  if (vf) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readTextFile(vf));
    } catch (e) {
      throw new DataError(`invalid JSON (${(e as Error).message})`, VSC_FILE);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new DataError('expected an object of race name → list of laps', VSC_FILE);
    for (const [race, laps] of Object.entries(parsed)) {
      if (!Array.isArray(laps) || laps.some((l) => !Number.isInteger(l)))
        throw new DataError(`"${race}" must map to a list of lap numbers`, VSC_FILE);
      for (const l of laps as number[]) vsc.push([race, l]);
    }
  }
  if (sets.length === 0 && vsc.length === 0) {
    const seen = readdirSync(dir).slice(0, 5).join(', ');
    throw new DataError(`no Ergast CSV files in ${dir} (found: ${seen || 'nothing'})`);
  }
  return { sets, vsc };
}

export { readCsv };
