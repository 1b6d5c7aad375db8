// Shared loader for the race-level views: every (race, driver) entry with its result, in start order.
// Views that call this hash only their own code: bump their `revision` when this file changes their values.
import type { Db } from '../../data/db.js';
import { raceTimeline, type RaceTime } from '../races.js';

export interface Entry {
  race: RaceTime;
  resultId: number;
  driverId: number;
  driver: string;
  constructorId: number;
  constructor: string;
  grid: number | null;
  /** Classified position, null when not classified (retired, DSQ, DNQ …). */
  position: number | null;
  positionOrder: number | null;
  points: number;
  /** qualifying.position / best_ms for this race, null if none. */
  qualiPos: number | null;
  qualiMs: number | null;
  /** Best qualifying lap vs the fastest of the session, % (null without a time). */
  qualiGapPct: number | null;
  /** Race time vs the winner's, % (finishers on the lead lap only). */
  raceGapPct: number | null;
  /** Fastest race lap vs the race's fastest lap, % (2004+). */
  fastestLapGapPct: number | null;
  /** false for an entry known only from qualifying (race not run yet). */
  raced: boolean;
}

export interface History {
  races: RaceTime[];
  raceById: Map<number, RaceTime>;
  /** All entries in (start, result id) order. */
  entries: Entry[];
  /** Entries per driver id, in order. */
  byDriver: Map<number, Entry[]>;
  /** Standings after each race: race id → (driver/constructor id → points, position). */
  driverStandings: Map<number, Map<number, { points: number; position: number | null }>>;
  constructorStandings: Map<number, Map<number, { points: number; position: number | null }>>;
  /** The previous race of the same season, by race id. */
  prevInSeason: Map<number, RaceTime | undefined>;
  /** The last race of the previous season, by season. */
  lastOfSeason: Map<number, RaceTime>;
}

type Row = [
  number,
  number,
  number,
  string,
  number,
  string,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  string | null,
];

export function loadHistory(db: Db): History {
  const races = raceTimeline(db);
  const raceById = new Map(races.map((r) => [r.raceId, r]));
  const quali = new Map<string, [number | null, number | null]>();
  for (const [raceId, driverId, pos, ms] of db
    .prepare('SELECT race_id, driver_id, position, best_ms FROM qualifying')
    .raw()
    .all() as [number, number, number | null, number | null][]) {
    quali.set(`${raceId}:${driverId}`, [pos, ms]);
  }
  const rows = db
    .prepare(
      `SELECT x.result_id, x.race_id, x.driver_id, d.driver_ref, x.constructor_id, k.constructor_ref, x.grid,
         x.position, x.position_order, x.points, x.milliseconds, x.fastest_lap_time
       FROM results x JOIN drivers d ON d.driver_id = x.driver_id JOIN constructors k ON k.constructor_id = x.constructor_id
       UNION ALL
       SELECT -q.qualify_id, q.race_id, q.driver_id, d.driver_ref, q.constructor_id, k.constructor_ref, NULL, NULL, NULL, NULL, NULL, NULL
       FROM qualifying q JOIN drivers d ON d.driver_id = q.driver_id JOIN constructors k ON k.constructor_id = q.constructor_id
       WHERE NOT EXISTS (SELECT 1 FROM results x WHERE x.race_id = q.race_id)`,
    )
    .raw()
    .all() as Row[];
  const entries: Entry[] = [];
  const raceMs = new Map<Entry, number>();
  const lapMs = new Map<Entry, number>();
  for (const [
    resultId,
    raceId,
    driverId,
    driver,
    constructorId,
    constructor,
    grid,
    position,
    positionOrder,
    points,
    ms,
    fl,
  ] of rows) {
    const race = raceById.get(raceId);
    if (!race) continue;
    const q = quali.get(`${raceId}:${driverId}`);
    const e: Entry = {
      race,
      resultId,
      driverId,
      driver,
      constructorId,
      constructor,
      grid,
      position,
      positionOrder,
      points: points ?? 0,
      qualiPos: q?.[0] ?? null,
      qualiMs: q?.[1] ?? null,
      qualiGapPct: null,
      raceGapPct: null,
      fastestLapGapPct: null,
      raced: resultId > 0,
    };
    entries.push(e);
    if (ms && ms > 0) raceMs.set(e, ms);
    const lap = fl ? lapTimeMs(fl) : null;
    if (lap) lapMs.set(e, lap);
  }
  const pole = new Map<number, number>();
  for (const [key, [, ms]] of quali) {
    const raceId = Number(key.slice(0, key.indexOf(':')));
    if (ms && ms > 0 && ms < (pole.get(raceId) ?? Infinity)) pole.set(raceId, ms);
  }
  const best = (m: Map<Entry, number>) => {
    const out = new Map<number, number>();
    for (const [e, ms] of m) if (ms < (out.get(e.race.raceId) ?? Infinity)) out.set(e.race.raceId, ms);
    return out;
  };
  const winner = best(raceMs);
  const fastest = best(lapMs);
  for (const e of entries) {
    const p = pole.get(e.race.raceId);
    if (e.qualiMs && e.qualiMs > 0 && p) e.qualiGapPct = (e.qualiMs / p - 1) * 100;
    const ms = raceMs.get(e);
    if (ms) e.raceGapPct = (ms / winner.get(e.race.raceId)! - 1) * 100;
    const fl = lapMs.get(e);
    if (fl) e.fastestLapGapPct = (fl / fastest.get(e.race.raceId)! - 1) * 100;
  }
  entries.sort(
    (a, b) =>
      a.race.startMs - b.race.startMs ||
      a.race.raceId - b.race.raceId ||
      Math.abs(a.resultId) - Math.abs(b.resultId),
  );
  const byDriver = new Map<number, Entry[]>();
  for (const e of entries) {
    let l = byDriver.get(e.driverId);
    if (!l) byDriver.set(e.driverId, (l = []));
    l.push(e);
  }
  const standings = (table: string, who: string) => {
    const m = new Map<number, Map<number, { points: number; position: number | null }>>();
    for (const [raceId, id, points, position] of db
      .prepare(`SELECT race_id, ${who}, points, position FROM ${table}`)
      .raw()
      .all() as [number, number, number | null, number | null][]) {
      let r = m.get(raceId);
      if (!r) m.set(raceId, (r = new Map()));
      r.set(id, { points: points ?? 0, position });
    }
    return m;
  };
  const prevInSeason = new Map<number, RaceTime | undefined>();
  const lastOfSeason = new Map<number, RaceTime>();
  let prev: RaceTime | undefined;
  for (const r of races) {
    prevInSeason.set(r.raceId, prev && prev.year === r.year ? prev : undefined);
    lastOfSeason.set(r.year, r);
    prev = r;
  }
  return {
    races,
    raceById,
    entries,
    byDriver,
    driverStandings: standings('driver_standings', 'driver_id'),
    constructorStandings: standings('constructor_standings', 'constructor_id'),
    prevInSeason,
    lastOfSeason,
  };
}

/** "1:27.438" → 87438 ms. */
export function lapTimeMs(t: string): number | null {
  const m = /^(?:(\d+):)?(\d+(?:\.\d+)?)$/.exec(t.trim());
  if (!m) return null;
  const ms = (Number(m[1] ?? 0) * 60 + Number(m[2])) * 1000;
  return ms > 0 ? ms : null;
}

/** Groups consecutive entries of the same race. */
export function byRace<T extends { race: RaceTime }>(list: T[]): T[][] {
  const out: T[][] = [];
  for (const e of list) {
    const last = out[out.length - 1];
    if (last && last[0]!.race === e.race) last.push(e);
    else out.push([e]);
  }
  return out;
}

/** Each driver's entries of one race (grouped), for the races that started after `since` (all when null). */
export function* driverRaces(h: History, since: number | null): Generator<Entry[]> {
  for (const list of h.byDriver.values())
    for (const group of byRace(list)) if (since === null || group[0]!.race.startMs > since) yield group;
}

/** Per constructor id, one value per race its cars ran (start order), made from those cars' entries; null: none. */
export function perTeamRace<T>(entries: Entry[], make: (cars: Entry[]) => T | null): Map<number, T[]> {
  const teams = new Map<number, T[]>();
  for (const group of byRace(entries.filter((e) => e.raced))) {
    const cars = new Map<number, Entry[]>();
    for (const e of group) {
      const l = cars.get(e.constructorId);
      if (l) l.push(e);
      else cars.set(e.constructorId, [e]);
    }
    for (const [cid, es] of cars) {
      const v = make(es);
      if (v === null) continue;
      let l = teams.get(cid);
      if (!l) teams.set(cid, (l = []));
      l.push(v);
    }
  }
  return teams;
}

/** The last `n` of `list` (start order) that started before `ms` (at `ms` too when `incl`). */
export function lastBefore<T extends { startMs: number }>(
  list: readonly T[],
  ms: number,
  incl: boolean,
  n: number,
): T[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const s = list[mid]!.startMs;
    if (s < ms || (incl && s === ms)) lo = mid + 1;
    else hi = mid;
  }
  return list.slice(Math.max(0, lo - n), lo);
}

/** Elo-style driver ratings from each race's finishing order (every pair of starters is a duel):
 *  rating before and after each race, by `${raceId}:${driverId}`. */
export function eloRatings(entries: Entry[], k = 48): Map<string, [number, number]> {
  const rating = new Map<number, number>();
  const out = new Map<string, [number, number]>();
  for (const group of byRace(entries.filter((e) => e.raced && e.positionOrder !== null))) {
    const ids = [...new Map(group.map((e) => [e.driverId, e])).values()];
    const r = ids.map((e) => rating.get(e.driverId) ?? 1500);
    const n = ids.length;
    for (let i = 0; i < n; i++) {
      let score = 0;
      let expected = 0;
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        expected += 1 / (1 + 10 ** ((r[j]! - r[i]!) / 400));
        score += ids[i]!.positionOrder! < ids[j]!.positionOrder! ? 1 : 0;
      }
      const after = n > 1 ? r[i]! + (k * (score - expected)) / (n - 1) : r[i]!;
      out.set(`${ids[i]!.race.raceId}:${ids[i]!.driverId}`, [r[i]!, after]);
    }
    for (let i = 0; i < n; i++)
      rating.set(ids[i]!.driverId, out.get(`${ids[i]!.race.raceId}:${ids[i]!.driverId}`)![1]);
  }
  return out;
}

export const mean = (xs: number[]): number | null =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
