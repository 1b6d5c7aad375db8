// Writes one race weekend from a remote source into the raw tables, in one transaction. Refs (max_verstappen,
// red_bull, albert_park) map onto the existing Ergast ids; new entities get new ids; a race's rows are replaced whole.
import type { Db } from '../data/db.js';
import { parseDuration } from '../data/columns.js';
import { bestQualiMs, raceStartUtc } from '../data/importer.js';
import type { JConstructor, JDriver, JRaceHead, JResult, RaceBundle } from './jolpica.js';

export interface WriteCounts {
  results: number;
  sprint: number;
  qualifying: number;
  pit_stops: number;
  laps: number;
  standings: number;
}

/** Which races each source has completed, so a re-run skips them and an interrupted one resumes. */
export function ensureUpdateTables(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS update_races (source TEXT NOT NULL, season INTEGER NOT NULL, round INTEGER NOT NULL,
    race_id INTEGER NOT NULL, complete INTEGER NOT NULL, rows INTEGER NOT NULL, finished_at TEXT NOT NULL,
    PRIMARY KEY (source, season, round))`);
}

const int = (v: string | undefined | null): number | null => (v === undefined || v === null || !/^-?\d+$/.test(v) ? null : Number(v));
const num = (v: string | undefined | null): number | null =>
  v === undefined || v === null || v === '' || !Number.isFinite(Number(v)) ? null : Number(v);
const txt = (v: string | undefined | null): string | null => (v === undefined || v === null || v === '' ? null : v);
const clock = (t: string | undefined): string | null => (t ? t.replace(/Z$/, '') : null);

const ID_COLUMNS = [
  ['results', 'result_id'], ['sprint_results', 'result_id'], ['qualifying', 'qualify_id'],
  ['driver_standings', 'driver_standings_id'], ['constructor_standings', 'constructor_standings_id'],
] as const;

class Ids {
  private next = new Map<string, number>();
  /** Reads the maxima up front: a race's old rows are deleted before the rewrite, and their ids must stay taken. */
  constructor(private readonly db: Db) {
    for (const [t, c] of ID_COLUMNS) this.next.set(`${t}.${c}`, this.max(t, c) + 1);
  }
  private max(table: string, col: string): number {
    return (this.db.prepare(`SELECT MAX(${col}) FROM ${table}`).pluck().get() as number | null) ?? 0;
  }
  /** The next free id of `table.col` (max + 1, counting ids handed out in this transaction). */
  fresh(table: string, col: string): number {
    const key = `${table}.${col}`;
    const n = this.next.get(key) ?? this.max(table, col) + 1;
    this.next.set(key, n + 1);
    return n;
  }
}

export function writeRaceBundle(db: Db, b: RaceBundle, source: string): { raceId: number; counts: WriteCounts } {
  ensureUpdateTables(db);
  return db.transaction(() => {
    const ids = new Ids(db);
    const raceId = upsertRace(db, ids, b.head);
    const season = Number(b.head.season);
    const round = Number(b.head.round);
    const driverIds = new Map<string, number>();
    const driverId = (d: JDriver) => {
      let id = driverIds.get(d.driverId);
      if (id === undefined) driverIds.set(d.driverId, (id = upsertDriver(db, ids, d)));
      return id;
    };
    const teamIds = new Map<string, number>();
    const constructorId = (c: JConstructor | undefined) => {
      if (!c) return null;
      let id = teamIds.get(c.constructorId);
      if (id === undefined) teamIds.set(c.constructorId, (id = upsertConstructor(db, ids, c)));
      return id;
    };
    const statusId = (s: string | undefined) => (s ? upsertStatus(db, ids, s) : null);
    const counts: WriteCounts = { results: 0, sprint: 0, qualifying: 0, pit_stops: 0, laps: 0, standings: 0 };

    const resultRows = (table: 'results' | 'sprint_results', rows: JResult[]) => {
      if (rows.length === 0) return 0;
      const old = keepIds(db, table, 'result_id', 'driver_id', raceId);
      const cols = ['result_id', 'race_id', 'driver_id', 'constructor_id', 'number', 'grid', 'position', 'position_text',
        'position_order', 'points', 'laps', 'time', 'milliseconds', 'fastest_lap', 'rank', 'fastest_lap_time', 'status_id'];
      if (table === 'results') cols.push('fastest_lap_speed');
      const ins = db.prepare(`INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`);
      for (const r of rows) {
        const d = driverId(r.Driver);
        const text = r.positionText ?? r.position ?? '';
        const values: unknown[] = [
          old.get(d) ?? ids.fresh(table, 'result_id'), raceId, d, constructorId(r.Constructor), int(r.number), int(r.grid),
          /^\d+$/.test(text) ? int(r.position) : null, txt(text), int(r.position), num(r.points), int(r.laps),
          txt(r.Time?.time), int(r.Time?.millis), int(r.FastestLap?.lap), int(r.FastestLap?.rank),
          txt(r.FastestLap?.Time?.time), statusId(r.status),
        ];
        if (table === 'results') values.push(num(r.FastestLap?.AverageSpeed?.speed));
        ins.run(values);
      }
      return rows.length;
    };
    counts.results = resultRows('results', b.results);
    counts.sprint = resultRows('sprint_results', b.sprint);

    if (b.qualifying.length) {
      const old = keepIds(db, 'qualifying', 'qualify_id', 'driver_id', raceId);
      const ins = db.prepare(`INSERT INTO qualifying (qualify_id, race_id, driver_id, constructor_id, number, position, q1, q2, q3,
        best_ms) VALUES (?,?,?,?,?,?,?,?,?,?)`);
      for (const q of b.qualifying) {
        const d = driverId(q.Driver);
        const qs = [txt(q.Q1), txt(q.Q2), txt(q.Q3)];
        ins.run(old.get(d) ?? ids.fresh('qualifying', 'qualify_id'), raceId, d, constructorId(q.Constructor), int(q.number),
          int(q.position), ...qs, bestQualiMs(qs));
      }
      counts.qualifying = b.qualifying.length;
    }

    const refToId = (ref: string): number => {
      const id = driverIds.get(ref) ?? (db.prepare('SELECT driver_id FROM drivers WHERE driver_ref = ?').pluck().get(ref) as number | undefined);
      if (id === undefined) throw new Error(`${source}: ${season} round ${round}: driver "${ref}" is in the lap or pit data but not in the results`);
      return id;
    };
    if (b.pitStops.length) {
      db.prepare('DELETE FROM pit_stops WHERE race_id = ?').run(raceId);
      const ins = db.prepare('INSERT OR REPLACE INTO pit_stops (race_id, driver_id, stop, lap, time, duration, milliseconds) VALUES (?,?,?,?,?,?,?)');
      for (const p of b.pitStops) {
        const dur = p.duration ? parseDuration(p.duration) : null;
        ins.run(raceId, refToId(p.driverId), int(p.stop), int(p.lap), txt(p.time), dur, dur === null ? null : Math.round(dur * 1000));
      }
      counts.pit_stops = b.pitStops.length;
    }

    if (b.laps.length) {
      // Timing laps fill what FastF1 lap files lack and never overwrite them.
      const info = new Map<number, { code: string | null; ref: string; number: number | null }>();
      for (const r of b.results) {
        const d = driverId(r.Driver);
        info.set(d, { code: r.Driver.code ?? null, ref: r.Driver.driverId, number: int(r.number) });
      }
      const ins = db.prepare(`INSERT INTO laps (season, round, session, driver, lap_number, driver_number, driver_ref, lap_time_s, position)
        VALUES (?, ?, 'race', ?, ?, ?, ?, ?, ?)
        ON CONFLICT (season, round, session, driver, lap_number) DO UPDATE SET
          lap_time_s = COALESCE(laps.lap_time_s, excluded.lap_time_s), position = COALESCE(laps.position, excluded.position),
          driver_ref = COALESCE(laps.driver_ref, excluded.driver_ref)`);
      for (const l of b.laps) {
        const d = refToId(l.driverId);
        const who = info.get(d);
        const code = who?.code ?? (db.prepare('SELECT code FROM drivers WHERE driver_id = ?').pluck().get(d) as string | null) ?? l.driverId.slice(0, 3).toUpperCase();
        ins.run(season, round, code, l.lap, who?.number ?? null, l.driverId, l.time ? parseDuration(l.time) : null, int(l.position));
      }
      counts.laps = b.laps.length;
    }

    if (b.driverStandings.length) {
      const old = keepIds(db, 'driver_standings', 'driver_standings_id', 'driver_id', raceId);
      const ins = db.prepare(`INSERT INTO driver_standings (driver_standings_id, race_id, driver_id, points, position, position_text, wins)
        VALUES (?,?,?,?,?,?,?)`);
      for (const s of b.driverStandings) {
        const d = driverId(s.Driver);
        ins.run(old.get(d) ?? ids.fresh('driver_standings', 'driver_standings_id'), raceId, d, num(s.points), int(s.position),
          txt(s.positionText), int(s.wins));
      }
      counts.standings += b.driverStandings.length;
    }
    if (b.constructorStandings.length) {
      const old = keepIds(db, 'constructor_standings', 'constructor_standings_id', 'constructor_id', raceId);
      const ins = db.prepare(`INSERT INTO constructor_standings (constructor_standings_id, race_id, constructor_id, points, position,
        position_text, wins) VALUES (?,?,?,?,?,?,?)`);
      for (const s of b.constructorStandings) {
        const c = constructorId(s.Constructor)!;
        ins.run(old.get(c) ?? ids.fresh('constructor_standings', 'constructor_standings_id'), raceId, c, num(s.points),
          int(s.position), txt(s.positionText), int(s.wins));
      }
      counts.standings += b.constructorStandings.length;
    }

    const rows = Object.values(counts).reduce((a, n) => a + n, 0);
    db.prepare('INSERT OR REPLACE INTO update_races (source, season, round, race_id, complete, rows, finished_at) VALUES (?,?,?,?,?,?,?)').run(
      source, season, round, raceId, b.results.length > 0 ? 1 : 0, rows, new Date().toISOString(),
    );
    return { raceId, counts };
  })();
}

/** Deletes a race's rows of `table`, returning their ids by entity so the rewrite keeps them. */
function keepIds(db: Db, table: string, idCol: string, whoCol: string, raceId: number): Map<number, number> {
  const rows = db.prepare(`SELECT ${idCol} AS id, ${whoCol} AS who FROM ${table} WHERE race_id = ?`).all(raceId) as { id: number; who: number }[];
  db.prepare(`DELETE FROM ${table} WHERE race_id = ?`).run(raceId);
  return new Map(rows.map((r) => [r.who, r.id]));
}

function upsertRace(db: Db, ids: Ids, h: JRaceHead): number {
  const year = Number(h.season);
  const round = Number(h.round);
  const circuit = upsertCircuit(db, ids, h);
  db.prepare('INSERT OR IGNORE INTO seasons (year) VALUES (?)').run(year);
  const s = (x?: { date?: string; time?: string }) => [txt(x?.date), clock(x?.time)];
  const time = clock(h.time);
  const values = [circuit, h.raceName ?? null, h.date, time, ...s(h.FirstPractice), ...s(h.SecondPractice), ...s(h.ThirdPractice),
    ...s(h.Qualifying), ...s(h.Sprint), raceStartUtc(h.date, time)];
  const cols = 'circuit_id, name, date, time, fp1_date, fp1_time, fp2_date, fp2_time, fp3_date, fp3_time, quali_date, quali_time, sprint_date, sprint_time, start_utc';
  const existing = db.prepare('SELECT race_id FROM races WHERE year = ? AND round = ?').pluck().get(year, round) as number | undefined;
  if (existing !== undefined) {
    db.prepare(`UPDATE races SET ${cols.split(', ').map((c) => `${c} = ?`).join(', ')} WHERE race_id = ?`).run(...values, existing);
    return existing;
  }
  const id = ids.fresh('races', 'race_id');
  db.prepare(`INSERT INTO races (race_id, year, round, ${cols}) VALUES (${Array(18).fill('?').join(',')})`).run(id, year, round, ...values);
  return id;
}

function upsertCircuit(db: Db, ids: Ids, h: JRaceHead): number {
  const c = h.Circuit;
  const found = db.prepare('SELECT circuit_id FROM circuits WHERE circuit_ref = ?').pluck().get(c.circuitId) as number | undefined;
  if (found !== undefined) return found;
  const id = ids.fresh('circuits', 'circuit_id');
  db.prepare('INSERT INTO circuits (circuit_id, circuit_ref, name, location, country, lat, lng) VALUES (?,?,?,?,?,?,?)').run(
    id, c.circuitId, c.circuitName ?? null, c.Location?.locality ?? null, c.Location?.country ?? null, num(c.Location?.lat), num(c.Location?.long),
  );
  return id;
}

function upsertDriver(db: Db, ids: Ids, d: JDriver): number {
  const found = db.prepare('SELECT driver_id FROM drivers WHERE driver_ref = ?').pluck().get(d.driverId) as number | undefined;
  if (found !== undefined) {
    // A driver who got a permanent number or code since the bundled data: fill it, never overwrite.
    db.prepare('UPDATE drivers SET number = COALESCE(number, ?), code = COALESCE(code, ?) WHERE driver_id = ?').run(
      int(d.permanentNumber), d.code ?? null, found,
    );
    return found;
  }
  const id = ids.fresh('drivers', 'driver_id');
  db.prepare('INSERT INTO drivers (driver_id, driver_ref, number, code, forename, surname, dob, nationality) VALUES (?,?,?,?,?,?,?,?)').run(
    id, d.driverId, int(d.permanentNumber), d.code ?? null, d.givenName ?? null, d.familyName ?? null, d.dateOfBirth ?? null, d.nationality ?? null,
  );
  return id;
}

function upsertConstructor(db: Db, ids: Ids, c: JConstructor): number {
  const found = db.prepare('SELECT constructor_id FROM constructors WHERE constructor_ref = ?').pluck().get(c.constructorId) as number | undefined;
  if (found !== undefined) return found;
  const id = ids.fresh('constructors', 'constructor_id');
  db.prepare('INSERT INTO constructors (constructor_id, constructor_ref, name, nationality) VALUES (?,?,?,?)').run(
    id, c.constructorId, c.name ?? null, c.nationality ?? null,
  );
  return id;
}

function upsertStatus(db: Db, ids: Ids, s: string): number {
  const found = db.prepare('SELECT status_id FROM status WHERE status = ? ORDER BY status_id LIMIT 1').pluck().get(s) as number | undefined;
  if (found !== undefined) return found;
  const id = ids.fresh('status', 'status_id');
  db.prepare('INSERT INTO status (status_id, status) VALUES (?, ?)').run(id, s);
  return id;
}
