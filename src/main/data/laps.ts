// FastF1-style lap CSVs (transformed_* and raw all_* files, grand prix and sprint) → the laps table.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ColSpec } from './columns.js';
import { DataError } from './errors.js';

const o = false;
export const LAP_COLUMNS: ColSpec[] = [
  ['Driver', 'driver', 'text', true, false],
  ['LapNumber', 'lap_number', 'int', true, false],
  ['RoundNumber', 'round', 'int', true, false],
  ['Time', 'time_s', 'duration'],
  ['DriverNumber', 'driver_number', 'int'],
  ['LapTime', 'lap_time_s', 'lapTime'],
  ['Stint', 'stint', 'int'],
  ['PitOutTime', 'pit_out_s', 'duration'],
  ['PitInTime', 'pit_in_s', 'duration'],
  ['IsPersonalBest', 'is_personal_best', 'bool'],
  ['Compound', 'compound', 'text'],
  ['TyreLife', 'tyre_life', 'real'],
  ['FreshTyre', 'fresh_tyre', 'bool'],
  ['Team', 'team', 'text'],
  ['TrackStatus', 'track_status', 'trackStatus'],
  ['Position', 'position', 'int'],
  ['IsAccurate', 'is_accurate', 'bool'],
  ['EventName', 'event_name', 'text', o],
  ['IsSlick', 'is_slick', 'bool', o],
  ['CompoundName', 'compound_name', 'text', o],
  ['IsValid', 'is_valid', 'bool', o],
  ['FuelAdjLapTime', 'fuel_adj_lap_time', 'real', o],
  ['Sector1Time', 'sector1_s', 'duration', o],
  ['Sector2Time', 'sector2_s', 'duration', o],
  ['Sector3Time', 'sector3_s', 'duration', o],
  ['SpeedI1', 'speed_i1', 'real', o],
  ['SpeedI2', 'speed_i2', 'real', o],
  ['SpeedFL', 'speed_fl', 'real', o],
  ['SpeedST', 'speed_st', 'real', o],
  ['LapStartTime', 'lap_start_s', 'duration', o],
  ['Deleted', 'deleted', 'bool', o],
];

export const LAP_FILE = /^(transformed|all)_(grand_prix|sprint)_laps_(\d{4})\.csv(\.gz)?$/;

export interface LapFile {
  path: string;
  name: string;
  season: number;
  session: 'race' | 'sprint';
  raw: boolean;
}

/** Lap files of a folder (itself, and its grand_prix/ and sprint/ subfolders), transformed files first. */
export function findLapFiles(dir: string): LapFile[] {
  if (!existsSync(dir)) throw new DataError(`lap folder not found: ${dir}`);
  const dirs = [dir, ...readdirSync(dir).map((d) => join(dir, d)).filter((d) => statSync(d).isDirectory())];
  const files: LapFile[] = [];
  for (const d of dirs) {
    for (const name of readdirSync(d).sort()) {
      const m = LAP_FILE.exec(name);
      if (!m) continue;
      files.push({
        path: join(d, name),
        name: name.replace(/\.gz$/, ''),
        season: Number(m[3]),
        session: m[2] === 'sprint' ? 'sprint' : 'race',
        raw: m[1] === 'all',
      });
    }
  }
  if (files.length === 0)
    throw new DataError(`no lap files (transformed_grand_prix_laps_<year>.csv …) under ${dir}`);
  return files.sort((a, b) => Number(a.raw) - Number(b.raw) || a.season - b.season);
}

/** Parses compound_selection.toml: [year] sections of `round = ["C…", …]`. */
export function parseCompoundSelection(text: string, file = 'compound_selection.toml'): [number, number, string][] {
  const out: [number, number, string][] = [];
  let season: number | null = null;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const sec = /^\[(\d{4})\]$/.exec(line);
    if (sec) {
      season = Number(sec[1]);
      return;
    }
    const kv = /^(\d+)\s*=\s*(\[.*\])$/.exec(line);
    if (!kv || season === null) throw new DataError(`cannot read "${line}"`, file, i + 1);
    let list: unknown;
    try {
      list = JSON.parse(kv[2]!);
    } catch {
      throw new DataError(`invalid list ${kv[2]}`, file, i + 1);
    }
    out.push([season, Number(kv[1]), JSON.stringify(list)]);
  });
  return out;
}
