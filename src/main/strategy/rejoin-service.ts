// The typed service behind `strategy pit-loss`, `strategy rejoin` and their API methods: looks the race and the car
// up, fits the circuit's pit loss on the races before this one, and predicts the rejoin.
import type { PitLossTable, RaceEvent } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { serviceKey } from '../engine/kernel/services.js';
import { circuitPitLoss, loadPitHistory, MIN_STOPS, type CircuitPitLoss, type PitHistory } from './pit-loss.js';
import { loadRaceStates, type RaceState } from './race-state.js';
import { predictRejoin, type OtherStops, type RejoinPrediction } from './rejoin.js';
import { threatsAt } from './threat.js';
import { threatEvents } from './threat-events.js';
import { defaultTyreModel, loadCurves, withCurves, type TyreModel } from './tyre-model.js';


/** Loaded histories and race states, kept by the engine's service (the API) between calls. */
export interface RejoinCache {
  history: Map<string, PitHistory>; // circuit ('*' for all) → history
  races: Map<string, RaceState | null>; // season/round → state (the last few)
  tyres: Map<string, TyreModel>; // circuit/season → tyre model
}
export const newRejoinCache = (): RejoinCache => ({ history: new Map(), races: new Map(), tyres: new Map() });
/** The engine's cache (histories, race states and tyre models change only with the data). */
export const REJOIN_CACHE = serviceKey('strategy:rejoin', () => newRejoinCache());

function cached<K, V>(m: Map<K, V>, k: K, make: () => V, keep = 8): V {
  let v = m.get(k);
  if (v === undefined) {
    v = make();
    if (m.size >= keep) m.delete(m.keys().next().value as K);
    m.set(k, v);
  }
  return v;
}

/** History of one circuit, or of all circuits when it has too few green stops for its own model. */
function historyFor(db: Db, circuit: string, until?: { season: number; round: number }, cache = newRejoinCache()): PitHistory {
  const h = cached(cache.history, circuit, () => loadPitHistory(db, circuit), 64);
  const green = h.stops.filter((s) => s.condition === 'green' && (!until || s.season < until.season || (s.season === until.season && s.round < until.round)));
  return green.length >= MIN_STOPS ? h : cached(cache.history, '*', () => loadPitHistory(db), 64);
}

/** The pit-loss table of a circuit from all its history. */
export function pitLossAt(db: Db, circuit: string, cache?: RejoinCache): PitLossTable {
  const known = db.prepare(`SELECT 1 FROM circuits WHERE circuit_ref = ?`).get(circuit);
  if (!known) throw new DataError(`No circuit "${circuit}" — use a circuit_ref such as bahrain, monza, silverstone`, undefined, undefined, 'circuit');
  const { samples: _s, ...t } = circuitPitLoss(historyFor(db, circuit, undefined, cache), circuit);
  void _s;
  return t;
}

/** The pit loss of a live session: its circuit's (null or unknown: the all-circuits fallback), fitted on the races
 *  before `until` when the session is a database race, else on all of them. */
export function sessionPitLoss(db: Db, circuit: string | null, until?: { season: number; round: number }, cache = newRejoinCache()): CircuitPitLoss {
  const c = circuit ?? '*';
  return circuitPitLoss(historyFor(db, c, until, cache), c, until);
}

export interface RejoinQuery {
  season: number;
  round: number;
  driver: string; // 3-letter code or driverRef
  lap: number; // the in-lap
  others?: OtherStops;
  /** Also the undercut / overcut threats with the neighbours (the API; needs the circuit's tyre model). */
  threats?: boolean;
}

/** Where `driver` rejoins if it boxes on `lap`, with the pit loss of the races before this one. */
export function rejoinAt(db: Db, q: RejoinQuery, cache = newRejoinCache()): RejoinPrediction {
  const race = db
    .prepare(`SELECT c.circuit_ref AS circuit FROM races r JOIN circuits c ON c.circuit_id = r.circuit_id WHERE r.year = ? AND r.round = ?`)
    .get(q.season, q.round) as { circuit: string } | undefined;
  if (!race) throw new DataError(`No race ${q.season} round ${q.round} in the database — \`pitwall update\` can fetch newer seasons`);
  const state = cached(cache.races, `${q.season}/${q.round}`, () => loadRaceStates(db, [q.season, q.season], { round: q.round })[0] ?? null);
  if (!state) throw new DataError(`No lap data for ${q.season} round ${q.round} — \`pitwall update\` can fetch it`);
  const code = driverCode(db, q.driver, [...state.drivers.keys()]);
  if (!Number.isInteger(q.lap) || q.lap < 2 || q.lap + 1 > state.maxLap)
    throw new DataError(`lap ${q.lap} is out of range: the in-lap must be 2–${state.maxLap - 1} for ${q.season} round ${q.round}`, undefined, undefined, 'lap');
  const pit = circuitPitLoss(historyFor(db, race.circuit, q, cache), race.circuit, q);
  const r = predictRejoin(state, code, q.lap, pit, { others: q.others ?? 'known' });
  if (!r) throw new DataError(`${code} has no lap ${q.lap - 1} in ${q.season} round ${q.round} (not running then)`, undefined, undefined, 'lap');
  if (q.threats) r.threats = threatsAt(state, code, q.lap, pit, tyreModelFor(db, race.circuit, q.season, state.maxLap, cache));
  return r;
}

/** The circuit's tyre model for the season: the tyre capability's curves over the default shape. */
export function tyreModelFor(db: Db, circuit: string, season: number, laps: number, cache = newRejoinCache()): TyreModel {
  return cached(cache.tyres, `${circuit}/${season}`, () => withCurves(defaultTyreModel(laps), loadCurves(db, circuit, season)));
}

/** The undercut-threat events of a race (pit loss from the races before it). */
export function raceThreatEvents(db: Db, season: number, round: number, refOf: (code: string) => string | undefined, cache = newRejoinCache()): RaceEvent[] {
  const race = db
    .prepare(`SELECT c.circuit_ref AS circuit FROM races r JOIN circuits c ON c.circuit_id = r.circuit_id WHERE r.year = ? AND r.round = ?`)
    .get(season, round) as { circuit: string } | undefined;
  const state = cached(cache.races, `${season}/${round}`, () => loadRaceStates(db, [season, season], { round })[0] ?? null);
  if (!race || !state) return [];
  const pit = circuitPitLoss(historyFor(db, race.circuit, { season, round }, cache), race.circuit, { season, round });
  return threatEvents(state, pit, tyreModelFor(db, race.circuit, season, state.maxLap, cache), refOf);
}

function driverCode(db: Db, driver: string, codes: string[]): string {
  if (codes.includes(driver.toUpperCase())) return driver.toUpperCase();
  const row = db.prepare(`SELECT code FROM drivers WHERE driver_ref = ?`).get(driver) as { code: string | null } | undefined;
  if (row?.code && codes.includes(row.code)) return row.code;
  throw new DataError(`No driver "${driver}" in this race (cars: ${codes.sort().join(', ')})`, undefined, undefined, 'driver');
}
