// TUM race-simulation parameter files (pars_<Track>_<year>.ini.gz): Python-literal dicts inside INI sections.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { bundledDataDir } from '../data/paths.js';
import { DataError } from '../data/errors.js';

/** Ergast circuit_ref → TUM track name. Circuits missing here fall back to lap-data estimates. */
export const TUM_TRACKS: Record<string, string> = {
  albert_park: 'Melbourne',
  americas: 'Austin',
  bahrain: 'Sakhir',
  baku: 'Baku',
  catalunya: 'Catalunya',
  hockenheimring: 'Hockenheim',
  hungaroring: 'Budapest',
  interlagos: 'SaoPaulo',
  marina_bay: 'Singapore',
  monaco: 'MonteCarlo',
  monza: 'Monza',
  red_bull_ring: 'Spielberg',
  ricard: 'LeCastellet',
  rodriguez: 'MexicoCity',
  sepang: 'KualaLumpur',
  shanghai: 'Shanghai',
  silverstone: 'Silverstone',
  sochi: 'Sochi',
  spa: 'Spa',
  suzuka: 'Suzuka',
  villeneuve: 'Montreal',
  yas_marina: 'YasMarina',
};

export type IniValue = unknown;
export type Ini = Record<string, Record<string, IniValue>>;

/** Parses the INI text; each `key = <python literal>` may span lines until the next key or section. */
export function parseTumIni(text: string, file: string): Ini {
  const out: Ini = {};
  let section = '';
  let key: string | undefined;
  let keyLine = 0;
  let buf: string[] = [];
  const flush = (): void => {
    if (key === undefined) return;
    const src = buf.join('\n');
    const json = src
      .replace(/\bTrue\b/g, 'true')
      .replace(/\bFalse\b/g, 'false')
      .replace(/\bNone\b/g, 'null')
      .replace(/'/g, '"')
      .replace(/,(\s*[}\]])/g, '$1');
    try {
      (out[section] ??= {})[key] = JSON.parse(json);
    } catch (e) {
      throw new DataError(`cannot parse value of "${key}": ${(e as Error).message}`, file, keyLine, key);
    }
    key = undefined;
    buf = [];
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/^\s*#.*$/, '');
    if (!line.trim()) return;
    const sec = /^\[(.+)\]\s*$/.exec(line);
    if (sec) {
      flush();
      section = sec[1]!;
      return;
    }
    const kv = /^([A-Za-z_][\w]*)\s*=\s*(.*)$/.exec(line);
    if (kv) {
      flush();
      key = kv[1]!;
      keyLine = i + 1;
      buf = [kv[2]!];
    } else if (key !== undefined) buf.push(line);
  });
  flush();
  return out;
}

export interface TumTrack {
  track: string;
  year: number;
  tQ: number;
  massSens: number; // s/kg
  pitGreen: number; // in-lap + out-lap pit-lane loss (s), without standstill
  pitFcy: number;
  pitSc: number;
  standstillMin: number;
  gridLoss: number; // s per grid slot on lap 1
  firstLapLoss: number;
  overtakeGap: number; // required pace advantage to pass (s)
  drsEffect: number; // negative
  drsWindow: number;
  drsFromLap: number;
  drsScDelay: number;
  minGap: number;
  minGapSc: number;
  duelLoss: number;
  overtakeLoserLoss: number;
  scMult: number;
  vscMult: number;
  fuelStart: number;
  fuelPerLap: number;
}

const cache = new Map<string, TumTrack | null>();

function num(obj: Record<string, unknown>, k: string, file: string, fallback?: number): number {
  const v = obj[k];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (fallback !== undefined) return fallback;
  throw new DataError(`missing number "${k}"`, file, undefined, k);
}

export function readTumFile(file: string): TumTrack {
  const ini = parseTumIni(gunzipSync(readFileSync(file)).toString('utf8'), file);
  const race = (ini.RACE_PARS?.race_pars ?? {}) as Record<string, unknown>;
  const track = (ini.TRACK_PARS?.track_pars ?? {}) as Record<string, unknown>;
  const cars = (ini.CAR_PARS?.car_pars ?? {}) as Record<string, Record<string, unknown>>;
  const firstCar = Object.values(cars)[0] ?? {};
  return {
    track: String(track.name ?? ''),
    year: num(race, 'season', file),
    tQ: num(track, 't_q', file),
    massSens: num(track, 't_lap_sens_mass', file, 0.03),
    pitGreen: num(track, 't_pitdrive_inlap', file) + num(track, 't_pitdrive_outlap', file),
    pitFcy: num(track, 't_pitdrive_inlap_fcy', file) + num(track, 't_pitdrive_outlap_fcy', file),
    pitSc: num(track, 't_pitdrive_inlap_sc', file) + num(track, 't_pitdrive_outlap_sc', file),
    standstillMin: num(track, 't_pit_tirechange_min', file, 2),
    gridLoss: num(track, 't_loss_pergridpos', file, 0.1),
    firstLapLoss: num(track, 't_loss_firstlap', file, 2),
    overtakeGap: num(track, 't_gap_overtake', file, 1.2),
    drsEffect: num(track, 't_drseffect', file, -0.5),
    drsWindow: num(race, 'drs_window', file, 1),
    drsFromLap: num(race, 'drs_allow_lap', file, 3),
    drsScDelay: num(race, 'drs_sc_delay', file, 2),
    minGap: num(race, 'min_t_dist', file, 0.5),
    minGapSc: num(race, 'min_t_dist_sc', file, 0.8),
    duelLoss: num(race, 't_duel', file, 0.3),
    overtakeLoserLoss: num(race, 't_overtake_loser', file, 0.3),
    scMult: num(track, 'mult_t_lap_sc', file, 1.6),
    vscMult: num(track, 'mult_t_lap_fcy', file, 1.4),
    fuelStart: num(firstCar, 'm_fuel', file, 110),
    fuelPerLap: num(firstCar, 'b_fuel_perlap', file, 1.9),
  };
}

/** The TUM parameters for a circuit: the newest file with year ≤ season (else the oldest one), or null. */
export function tumTrack(circuitRef: string, season: number): TumTrack | null {
  const name = TUM_TRACKS[circuitRef];
  if (!name) return null;
  const key = `${name}:${season}`;
  if (cache.has(key)) return cache.get(key)!;
  const dir = join(bundledDataDir(), 'tumftm');
  let found: string | undefined;
  for (let y = Math.min(season, 2030); y >= 2010 && !found; y--) {
    const f = join(dir, `pars_${name}_${y}.ini.gz`);
    if (existsSync(f)) found = f;
  }
  for (let y = season + 1; y <= 2030 && !found; y++) {
    const f = join(dir, `pars_${name}_${y}.ini.gz`);
    if (existsSync(f)) found = f;
  }
  const t = found ? readTumFile(found) : null;
  cache.set(key, t);
  return t;
}
