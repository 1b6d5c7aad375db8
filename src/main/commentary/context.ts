// Context builder: the structured facts a commentary line may use (lap, leader, top positions, tyres, the event's
// drivers, recent events, driver facts from the database). Generators get these as JSON; the validator checks
// every figure of a line against them.
import type { Compound, RaceEvent, TimingRow, TrackState } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { snapshotAt } from '../replay/snapshot.js';
import type { Timeline } from '../replay/timeline.js';

export interface CarFact {
  name: string;
  surname: string;
  code: string;
  team: string;
  position: number;
  gapToLeader: number | null;
  interval: number | null;
  compound: Compound;
  tyreAge: number | null;
  pitStops: number;
  lastLap: number | null;
  retired: boolean;
}

export interface DriverBackground {
  code: string;
  nationality: string | null;
  championshipPosition: number | null; // before this race
  points: number | null;
  seasonWins: number | null;
}

export interface EventFact {
  type: RaceEvent['type'];
  priority: RaceEvent['priority'];
  lap: number;
  driver: CarFact | null;
  other: CarFact | null;
  details: RaceEvent['details'];
}

export interface Facts {
  race: string;
  circuit: string;
  lap: number;
  totalLaps: number;
  lapsToGo: number;
  trackState: TrackState;
  event: EventFact;
  /** Further events folded into this line (a pit-stop burst, …). */
  alsoInvolved: EventFact[];
  leader: CarFact | null;
  top: CarFact[];
  recent: string[];
  background: DriverBackground[];
}

export interface ContextOptions {
  db?: Db;
  recent?: RaceEvent[];
  topN?: number;
}

export function describeEvent(e: RaceEvent): string {
  return `lap ${e.lap}: ${e.type.replace('_', ' ')}${e.code ? ` ${e.code}` : ''}${e.otherCode ? ` / ${e.otherCode}` : ''}`;
}

export function buildContext(tl: Timeline, primary: RaceEvent, also: RaceEvent[] = [], opts: ContextOptions = {}): Facts {
  const snap = snapshotAt(tl, primary.time + 0.001);
  const rows = new Map(snap.rows.map((r) => [r.driver, r]));
  const car = (driver: string | undefined): CarFact | null => {
    if (!driver) return null;
    const r = rows.get(driver);
    const m = tl.drivers.get(driver);
    if (!r || !m) return null;
    return carFact(r, m.name, m.surname);
  };
  const ev = (e: RaceEvent): EventFact => ({ type: e.type, priority: e.priority, lap: e.lap, driver: car(e.driver), other: car(e.other), details: e.details });
  const lap = Math.max(1, Math.min(snap.lap, tl.totalLaps));
  const top = snap.rows.slice(0, opts.topN ?? 10).map((r) => carFact(r, tl.drivers.get(r.driver)?.name ?? r.driver, tl.drivers.get(r.driver)?.surname ?? r.driver));
  const involved = [primary, ...also].flatMap((e) => [e.driver, e.other]).filter((d): d is string => !!d);
  return {
    race: `${tl.meta.season} ${tl.meta.name}`,
    circuit: tl.meta.circuitName,
    lap,
    totalLaps: tl.totalLaps,
    lapsToGo: Math.max(0, tl.totalLaps - lap),
    trackState: snap.trackState,
    event: ev(primary),
    alsoInvolved: also.map(ev),
    leader: top[0] ?? null,
    top,
    recent: (opts.recent ?? []).slice(-5).map(describeEvent),
    background: opts.db ? background(opts.db, tl, [...new Set(involved)]) : [],
  };
}

function carFact(r: TimingRow, name: string, surname: string): CarFact {
  return {
    name,
    surname,
    code: r.code,
    team: r.team,
    position: r.position,
    gapToLeader: r.gapToLeader,
    interval: r.interval,
    compound: r.compound,
    tyreAge: r.tyreAge,
    pitStops: r.pitStops,
    lastLap: r.lastLap,
    retired: r.retired,
  };
}

/** Championship standing before this race (the previous round's standings) and wins so far this season. */
function background(db: Db, tl: Timeline, drivers: string[]): DriverBackground[] {
  if (!drivers.length) return [];
  const prev = db
    .prepare('SELECT race_id FROM races WHERE year = ? AND round = ?')
    .get(tl.meta.season, tl.meta.round - 1) as { race_id: number } | undefined;
  const stmt = db.prepare(
    `SELECT s.position, s.points, s.wins FROM driver_standings s JOIN drivers d ON d.driver_id = s.driver_id
     WHERE s.race_id = ? AND d.driver_ref = ?`,
  );
  return drivers.map((d) => {
    const m = tl.drivers.get(d);
    const s = prev ? (stmt.get(prev.race_id, d) as { position: number; points: number; wins: number } | undefined) : undefined;
    return {
      code: m?.code ?? d,
      nationality: m?.nationality ?? null,
      championshipPosition: s?.position ?? null,
      points: s?.points ?? null,
      seasonWins: s?.wins ?? (prev ? null : 0),
    };
  });
}
