// "If boxed now" on the live screen: the strategy's rejoin model (strategy/rejoin.ts) and undercut threats on the
// live laps a client may see. The laps up to the client's moment become the same race state the database gives
// (strategy/race-state.ts `lapCell`, the one clean-lap rule); the pit loss is the session's circuit's (the database
// race the session maps to, else the circuit by its short name, else all circuits).
import type { RejoinPrediction } from '../../shared/domain.js';
import type { LiveLap, LiveTower } from '../../shared/live.js';
import type { Db } from '../data/db.js';
import { lapCell, recentPace, type LapCell, type RaceState } from '../strategy/race-state.js';
import { predictRejoin } from '../strategy/rejoin.js';
import { newRejoinCache, sessionPitLoss, tyreModelFor, type RejoinCache } from '../strategy/rejoin-service.js';
import { PACE_WINDOW } from '../strategy/pit-loss.js';
import { threatsAt } from '../strategy/threat.js';
import { raceOf } from '../update/f1archive.js';
import { liveLapRows } from './downstream.js';

/** The database race and circuit a live session is (null where the database does not know it). */
export function sessionRace(db: Db, session: LiveTower['session']): { season: number; round: number | null; circuit: string | null } | null {
  const season = session?.season ?? null;
  if (!session || season === null) return null;
  const race = session.meeting ? raceOf(db, season, { Name: session.meeting, Sessions: [{ Name: session.name ?? '', Path: '' }] }) : undefined;
  if (race) {
    const c = db.prepare('SELECT c.circuit_ref AS ref FROM races r JOIN circuits c ON c.circuit_id = r.circuit_id WHERE r.race_id = ?').get(race.raceId) as { ref: string } | undefined;
    return { season, round: race.round, circuit: c?.ref ?? null };
  }
  const name = session.circuit;
  const c = name
    ? (db.prepare('SELECT circuit_ref AS ref FROM circuits WHERE lower(location) = lower(?) OR lower(name) = lower(?) OR lower(circuit_ref) = lower(?)').get(name, name, name) as { ref: string } | undefined)
    : undefined;
  return { season, round: null, circuit: c?.ref ?? null };
}

/** The race state of the laps completed by `atS` (session-stream seconds); nothing later is read. */
export function liveRaceState(laps: readonly LiveLap[], atS: number, season = 0, round = 0): RaceState {
  const state: RaceState = { season, round, drivers: new Map(), maxLap: 0 };
  for (const r of liveLapRows(laps.filter((l) => l.timeS <= atS))) {
    let cells = state.drivers.get(r.driver);
    if (!cells) state.drivers.set(r.driver, (cells = []));
    cells[r.lap_number] = lapCell(r);
    state.maxLap = Math.max(state.maxLap, r.lap_number);
  }
  return state;
}

/**
 * Cars one lap short of lap `lap` (still running it at the moment) get its end projected from their last lap's end
 * at their recent pace (plus the out-lap's loss after an in-lap), so the car just behind on the road counts.
 */
function projectField(state: RaceState, lap: number, outLap: number): void {
  for (const cells of state.drivers.values()) {
    const prev = cells[lap - 1];
    if (cells[lap] || !prev || prev.end === null) continue;
    const pace = recentPace(cells, lap - 1, PACE_WINDOW);
    if (!Number.isFinite(pace)) continue;
    const cell: LapCell = { ...prev, lap, end: prev.end + pace + (prev.pitIn ? outLap : 0), time: null, pitIn: false, pitOut: prev.pitIn, clean: false };
    cells[lap] = cell;
  }
}

/**
 * Where the car rejoins if it boxes at the end of the lap it is running at `atS` (its last completed lap + 1), with
 * the undercut/overcut threats; other cars' stops are not known (`others: 'none'`). Null before the car has
 * completed a lap, or when the model has no answer.
 */
export function liveRejoin(
  db: Db,
  laps: readonly LiveLap[],
  at: { s: number; session: LiveTower['session']; totalLaps: number | null },
  driverNumber: number,
  cache: RejoinCache = newRejoinCache(),
): RejoinPrediction | null {
  const atS = at.s;
  const mine = laps.filter((l) => l.driverNumber === driverNumber && l.timeS <= atS);
  const last = mine[mine.length - 1];
  if (!last || last.lap < 1) return null;
  const where = sessionRace(db, at.session);
  const state = liveRaceState(laps, atS, where?.season ?? 0, where?.round ?? 0);
  const until = where && where.round !== null ? { season: where.season, round: where.round } : undefined;
  const pit = sessionPitLoss(db, where?.circuit ?? null, until, cache);
  projectField(state, last.lap, pit.green.outLap);
  const code = last.code ?? String(driverNumber);
  const r = predictRejoin(state, code, last.lap + 1, pit, { others: 'none' });
  if (!r) return null;
  const season = where?.season ?? new Date().getUTCFullYear();
  r.threats = threatsAt(state, code, last.lap + 1, pit, tyreModelFor(db, where?.circuit ?? '*', season, Math.max(state.maxLap, at.totalLaps ?? 0), cache));
  return r;
}
