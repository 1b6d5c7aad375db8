// `pitwall update --source openf1`: one OpenF1 session (`--session-key K`, or `latest`) or every race session of a
// season (`--season S`) into the same tables as Jolpica — results, qualifying, sprint, pit stops, and laps with
// compound and tyre age — one transaction per session. A session maps to a race by year and date; a race Jolpica has
// not published yet is created (new ids, as the Jolpica source gives them). Results Jolpica already wrote are kept.
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import type { TimingLap } from '../timing/laps.js';
import { sessionKind, writeSessionLaps } from './f1archive.js';
import { SourceError } from './http.js';
import type { JCircuit, JConstructor, JDriver, JPit, JQuali, JRaceHead, JResult, RaceBundle } from './jolpica.js';
import {
  fetchEndpoint, OPENF1_BASE_URL, OPENF1_LIMITS,
  type OMeeting, type OpenF1Client, type OSession, type OSessionResult, type OStartingGrid, type ODriver,
} from './openf1.js';
import { sessionLaps, type SessionRecords } from './openf1-laps.js';
import { sourceClient, type UpdateOptions, type UpdateReport } from './update.js';
import { ensureUpdateTables, writeRaceBundle } from './write.js';

export interface OpenF1Options extends UpdateOptions {
  /** One session (its `session_key`, or 'latest'); otherwise every race session (races and sprints) of `seasons`. */
  sessionKey?: number | 'latest';
}

const utcDay = (iso: string) => new Date(Date.parse(iso)).toISOString().slice(0, 10);
const utcClock = (iso: string) => new Date(Date.parse(iso)).toISOString().slice(11, 19);
const slug = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
const squash = (s: string) => slug(s).replace(/_?(f1_team|formula_1|racing|team|f1)_?/g, '').replace(/_/g, '');

function offsetMs(gmt: string | undefined): number {
  const m = /^(-)?(\d\d):(\d\d)/.exec(gmt ?? '');
  return m ? (m[1] ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
}

function clockTime(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = (s % 60).toFixed(3).padStart(6, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** The race of a session: same year, the race day from a day before to three days after the session's day. */
function existingHead(db: Db, s: OSession): JRaceHead | undefined {
  const day = utcDay(s.date_start);
  const r = db
    .prepare(
      `SELECT r.year, r.round, r.name, r.date, r.time, r.fp1_date, r.fp1_time, r.fp2_date, r.fp2_time, r.fp3_date, r.fp3_time,
              r.quali_date, r.quali_time, r.sprint_date, r.sprint_time, c.circuit_ref, c.name AS cname, c.location, c.country
       FROM races r LEFT JOIN circuits c ON c.circuit_id = r.circuit_id
       WHERE r.year = ? AND julianday(r.date) - julianday(?) BETWEEN -1 AND 3 ORDER BY ABS(julianday(r.date) - julianday(?)) LIMIT 1`,
    )
    .get(s.year, day, day) as Record<string, string | number | null> | undefined;
  if (!r) return undefined;
  const at = (d: string, t: string) => (r[d] ? { date: String(r[d]), ...(r[t] ? { time: `${r[t]}Z` } : {}) } : undefined);
  return {
    season: String(r.year), round: String(r.round), raceName: (r.name as string | null) ?? undefined, date: String(r.date),
    ...(r.time ? { time: `${r.time}Z` } : {}),
    Circuit: { circuitId: String(r.circuit_ref), circuitName: (r.cname as string | null) ?? undefined, Location: { locality: (r.location as string | null) ?? undefined, country: (r.country as string | null) ?? undefined } },
    FirstPractice: at('fp1_date', 'fp1_time'), SecondPractice: at('fp2_date', 'fp2_time'), ThirdPractice: at('fp3_date', 'fp3_time'),
    Qualifying: at('quali_date', 'quali_time'), Sprint: at('sprint_date', 'sprint_time'),
  };
}

/** A race OpenF1 has and the database lacks: its round is its place in the season's calendar when free, else the next. */
function newHead(db: Db, s: OSession, m: OMeeting | undefined): JRaceHead {
  const day = utcDay(s.date_start);
  const before = db.prepare('SELECT COUNT(*) FROM races WHERE year = ? AND date < ?').pluck().get(s.year, day) as number;
  const taken = db.prepare('SELECT 1 FROM races WHERE year = ? AND round = ?').pluck().get(s.year, before + 1) !== undefined;
  const max = (db.prepare('SELECT MAX(round) FROM races WHERE year = ?').pluck().get(s.year) as number | null) ?? 0;
  const name = m?.meeting_name ?? `${s.country_name ?? s.location ?? 'Unknown'} Grand Prix`;
  return { season: String(s.year), round: String(taken ? max + 1 : before + 1), raceName: name, date: day, time: `${utcClock(s.date_start)}Z`, Circuit: circuitFor(db, s) };
}

function circuitFor(db: Db, s: OSession): JCircuit {
  const names = [s.location, s.circuit_short_name].filter((x): x is string => !!x).map(squash);
  const all = db
    .prepare(`SELECT c.circuit_ref AS ref, c.name, c.location, c.country, MAX(r.year) AS last FROM circuits c LEFT JOIN races r ON r.circuit_id = c.circuit_id GROUP BY c.circuit_id ORDER BY last DESC`)
    .all() as { ref: string; name: string | null; location: string | null; country: string | null; last: number | null }[];
  const hit = all.find((c) => names.some((n) => n !== '' && (squash(c.location ?? '') === n || squash(c.ref) === n)));
  const inCountry = all.filter((c) => (c.last ?? 0) >= s.year - 5 && s.country_name && c.country?.toLowerCase() === s.country_name.toLowerCase());
  const c = hit ?? (inCountry.length === 1 ? inCountry[0] : undefined);
  if (c) return { circuitId: c.ref, circuitName: c.name ?? undefined, Location: { locality: c.location ?? undefined, country: c.country ?? undefined } };
  return { circuitId: slug(s.circuit_short_name ?? s.location ?? `circuit_${s.circuit_key ?? s.session_key}`), circuitName: s.circuit_short_name, Location: { locality: s.location, country: s.country_name } };
}

/** An OpenF1 car → an Ergast driver ref: the recent driver with that code (the one with that number first), else new. */
function driverFor(db: Db, d: ODriver, year: number): JDriver {
  const code = d.name_acronym ?? undefined;
  const known = code
    ? (db
        .prepare(
          `SELECT d.driver_ref AS ref, d.number, MAX(r.year) AS last FROM drivers d LEFT JOIN results x ON x.driver_id = d.driver_id
           LEFT JOIN races r ON r.race_id = x.race_id WHERE d.code = ? GROUP BY d.driver_id ORDER BY (d.number = ?) DESC, last DESC`,
        )
        .all(code, d.driver_number) as { ref: string; number: number | null; last: number | null }[])
    : [];
  const pick = known.find((k) => k.number === d.driver_number || (k.last ?? 0) >= year - 3);
  const base = { code, givenName: d.first_name ?? undefined, familyName: d.last_name ?? undefined, permanentNumber: String(d.driver_number) };
  if (pick) return { driverId: pick.ref, ...base };
  let ref = slug(d.last_name ?? d.broadcast_name ?? `driver_${d.driver_number}`);
  if (db.prepare('SELECT 1 FROM drivers WHERE driver_ref = ?').get(ref)) ref = slug(`${d.first_name ?? ''} ${d.last_name ?? d.driver_number}`);
  return { driverId: ref, ...base };
}

/** A team name ('Red Bull Racing', 'Kick Sauber') → a constructor of recent seasons, else the driver's last team, else new. */
function teamFor(db: Db, name: string | null | undefined, year: number, driverRef: string): JConstructor | undefined {
  const recent = db
    .prepare(
      `SELECT c.constructor_ref AS ref, c.name FROM constructors c WHERE c.constructor_id IN (SELECT x.constructor_id FROM results x
       JOIN races r ON r.race_id = x.race_id WHERE r.year BETWEEN ? AND ?)`,
    )
    .all(year - 2, year) as { ref: string; name: string }[];
  const n = name ? squash(name) : '';
  const hit = n ? recent.find((c) => squash(c.name) === n || squash(c.ref) === n) ?? recent.find((c) => n.includes(squash(c.name)) || squash(c.name).includes(n)) : undefined;
  if (hit) return { constructorId: hit.ref, name: hit.name };
  const last = db
    .prepare(`SELECT c.constructor_ref AS ref, c.name FROM results x JOIN drivers d ON d.driver_id = x.driver_id JOIN constructors c ON c.constructor_id = x.constructor_id
              JOIN races r ON r.race_id = x.race_id WHERE d.driver_ref = ? ORDER BY r.year DESC, r.round DESC LIMIT 1`)
    .get(driverRef) as { ref: string; name: string } | undefined;
  if (last && !name) return { constructorId: last.ref, name: last.name };
  return name ? { constructorId: slug(name), name } : last ? { constructorId: last.ref, name: last.name } : undefined;
}

function raceResults(rows: OSessionResult[], grid: OStartingGrid[], who: Map<number, { d: JDriver; c?: JConstructor }>, laps: TimingLap[]): JResult[] {
  const gridOf = new Map(grid.map((g) => [g.driver_number, g.position]));
  const classified = rows.filter((r) => r.position !== null && !r.dsq).sort((a, b) => a.position! - b.position!);
  const rest = rows.filter((r) => !classified.includes(r)).sort((a, b) => Number(!!a.dsq) - Number(!!b.dsq) || (b.number_of_laps ?? 0) - (a.number_of_laps ?? 0));
  const leaderLaps = classified[0]?.number_of_laps ?? 0;
  const winner = typeof classified[0]?.duration === 'number' ? classified[0].duration : null;
  const best = new Map<number, { t: number; lap: number }>();
  for (const l of laps) if (l.lap_time_s !== null && l.lap_time_s < (best.get(l.driver_number)?.t ?? Infinity)) best.set(l.driver_number, { t: l.lap_time_s, lap: l.lap_number });
  const rank = [...best].sort((a, b) => a[1].t - b[1].t).map(([car]) => car);
  return [...classified, ...rest].flatMap((r, i): JResult[] => {
    const w = who.get(r.driver_number);
    if (!w) return [];
    const text = r.dsq ? 'D' : r.dns ? 'W' : r.position === null || r.dnf ? 'R' : String(r.position);
    const behind = leaderLaps - (r.number_of_laps ?? leaderLaps);
    const status = r.dsq ? 'Disqualified' : r.dns ? 'Did not start' : r.dnf || r.position === null ? 'Retired' : behind > 0 ? `+${behind} Lap${behind > 1 ? 's' : ''}` : 'Finished';
    const gap = typeof r.gap_to_leader === 'number' ? r.gap_to_leader : null;
    const total = i === 0 && winner !== null ? winner : winner !== null && gap !== null && text !== 'R' ? winner + gap : null;
    const fl = best.get(r.driver_number);
    const out: JResult = {
      number: String(r.driver_number), position: String(i + 1), positionText: text, points: String(r.points ?? 0), Driver: w.d, Constructor: w.c,
      grid: grid.length ? String(gridOf.get(r.driver_number) ?? 0) : undefined, laps: r.number_of_laps === null || r.number_of_laps === undefined ? undefined : String(r.number_of_laps), status,
    };
    if (total !== null && !/^[RDW]$/.test(text)) out.Time = { millis: String(Math.round(total * 1000)), time: i === 0 ? clockTime(total) : `+${gap!.toFixed(3)}` };
    if (fl) out.FastestLap = { rank: String(rank.indexOf(r.driver_number) + 1), lap: String(fl.lap), Time: { time: clockTime(fl.t) } };
    return [out];
  });
}

function qualifying(rows: OSessionResult[], who: Map<number, { d: JDriver; c?: JConstructor }>): JQuali[] {
  return rows
    .filter((r) => r.position !== null && who.has(r.driver_number))
    .sort((a, b) => a.position! - b.position!)
    .map((r) => {
      const q = Array.isArray(r.duration) ? r.duration : [];
      const t = (k: number) => (typeof q[k] === 'number' ? clockTime(q[k]) : undefined);
      const w = who.get(r.driver_number)!;
      return { number: String(r.driver_number), position: String(r.position), Driver: w.d, Constructor: w.c, Q1: t(0), Q2: t(1), Q3: t(2) };
    });
}

interface Job {
  s: OSession;
  session: string;
}

export async function updateFromOpenF1(db: Db, o: OpenF1Options): Promise<UpdateReport> {
  ensureUpdateTables(db);
  const baseUrl = (o.baseUrl ?? OPENF1_BASE_URL).replace(/\/+$/, '');
  const http = sourceClient(db, o, 'openf1', OPENF1_LIMITS);
  const api: OpenF1Client = { http, baseUrl };
  const now = o.now ?? Date.now();
  const report: UpdateReport = { source: 'openf1', seasons: [], races: 0, results: 0, qualifying: 0, pit_stops: 0, laps: 0, requests: 0, cached: 0 };
  const sessions: OSession[] = [];
  if (o.sessionKey !== undefined) {
    sessions.push(...(await fetchEndpoint(api, 'sessions', { session_key: o.sessionKey }, { reuse: false })));
    if (!sessions.length) throw new DataError(`openf1: no session ${o.sessionKey} at ${baseUrl}`);
  } else for (const year of o.seasons) sessions.push(...(await fetchEndpoint(api, 'sessions', { year, session_type: 'Race' }, { reuse: false })));
  const done = db.prepare('SELECT complete FROM update_races WHERE source = ? AND season = ? AND round = ?').pluck();
  const ended = (s: OSession) => Date.parse(s.date_end ?? s.date_start) + (s.date_end ? 0 : 3 * 3600_000) <= now;
  const jobs: (Job & { head?: JRaceHead })[] = [];
  for (const s of sessions.sort((a, b) => Date.parse(a.date_start) - Date.parse(b.date_start))) {
    const kind = sessionKind(s.session_name);
    if (!kind || !ended(s)) continue;
    const head = existingHead(db, s);
    if (o.round !== undefined && Number((head ?? newHead(db, s, undefined)).round) !== o.round) continue;
    if (head && !o.refresh && done.get(`openf1/${kind.session}`, s.year, Number(head.round)) === 1) continue;
    jobs.push({ s, session: kind.session, head });
  }
  report.seasons = [...new Set(sessions.map((s) => s.year))];
  const weekends = new Set<string>();
  const t0 = performance.now();
  for (const [i, j] of jobs.entries()) {
    const s = j.s;
    let where = `${s.year} ${s.location ?? s.country_name ?? ''} ${s.session_name} (session ${s.session_key})`;
    try {
      const meeting = s.meeting_key === undefined ? undefined : (await fetchEndpoint(api, 'meetings', { meeting_key: s.meeting_key }))[0];
      if (!j.head && j.session !== 'race' && j.session !== 'sprint')
        throw new DataError(`openf1: no race in the database for ${where} — update the weekend's Race session (or Jolpica) first`);
      const head = j.head ?? newHead(db, s, meeting);
      where = `${head.season} round ${head.round} (${head.raceName ?? meeting?.meeting_name ?? 'race'}, ${s.session_name})`;
      const el = (performance.now() - t0) / 1000;
      o.onProgress?.({ season: s.year, round: Number(head.round), race: `${head.raceName ?? ''} ${s.session_name}`, done: i, total: jobs.length, requests: http.stats.requests, cached: http.stats.cached, etaS: i ? (el / i) * (jobs.length - i) : null });
      // A session's records are final a day after it ended: until then they are not cached.
      const keep = Date.parse(s.date_end ?? s.date_start) < now - 86_400_000;
      const get = { keep: () => keep, keepMissing: keep };
      const key = { session_key: s.session_key };
      const rec: SessionRecords = {
        session: s,
        drivers: await fetchEndpoint(api, 'drivers', key, get),
        laps: await fetchEndpoint(api, 'laps', key, get),
        stints: await fetchEndpoint(api, 'stints', key, get),
        pit: await fetchEndpoint(api, 'pit', key, get),
        race_control: await fetchEndpoint(api, 'race_control', key, get),
        position: await fetchEndpoint(api, 'position', key, get),
      };
      const results = await fetchEndpoint(api, 'session_result', key, get);
      const grid = j.session === 'race' ? await fetchEndpoint(api, 'starting_grid', key, get) : [];
      const counts = writeSession(db, head, j, rec, results, grid, keep);
      for (const k of ['results', 'qualifying', 'pit_stops', 'laps'] as const) report[k] += counts[k];
      if (counts.laps || counts.results || counts.qualifying) weekends.add(`${head.season}/${head.round}`);
    } catch (e) {
      if (e instanceof SourceError)
        throw new DataError(`${e.message} while updating ${where}; sessions before it are written whole — run the update again to resume`);
      throw e;
    }
  }
  if (jobs.length)
    o.onProgress?.({ season: jobs[jobs.length - 1]!.s.year, round: 0, race: '', done: jobs.length, total: jobs.length, requests: http.stats.requests, cached: http.stats.cached, etaS: 0 });
  report.races = weekends.size;
  report.requests = http.stats.requests;
  report.cached = http.stats.cached;
  return report;
}

/** One session in one transaction: the weekend's rows Jolpica has not written, then the session's laps. */
function writeSession(db: Db, head: JRaceHead, j: Job, rec: SessionRecords, results: OSessionResult[], grid: OStartingGrid[], final: boolean) {
  const year = Number(head.season);
  const who = new Map<number, { d: JDriver; c?: JConstructor }>();
  for (const d of rec.drivers) {
    if (who.has(d.driver_number)) continue;
    const jd = driverFor(db, d, year);
    who.set(d.driver_number, { d: jd, c: teamFor(db, d.team_name, year, jd.driverId) });
  }
  const laps = sessionLaps(rec);
  return db.transaction(() => {
    const raceId = db.prepare('SELECT race_id FROM races WHERE year = ? AND round = ?').pluck().get(year, Number(head.round)) as number | undefined;
    const has = (table: string) => raceId !== undefined && db.prepare(`SELECT 1 FROM ${table} WHERE race_id = ? LIMIT 1`).get(raceId) !== undefined;
    const ours = db.prepare(`SELECT 1 FROM update_races WHERE source = 'openf1' AND season = ? AND round = ? AND complete = 1`).get(year, Number(head.round)) !== undefined;
    const fill = (table: string) => ours || !has(table);
    const bundle: RaceBundle = { head, results: [], sprint: [], qualifying: [], pitStops: [], laps: [], driverStandings: [], constructorStandings: [] };
    if (j.session === 'race' && fill('results')) bundle.results = raceResults(results, grid, who, laps);
    if (j.session === 'sprint' && fill('sprint_results')) bundle.sprint = raceResults(results, [], who, laps);
    if (j.session === 'qualifying' && fill('qualifying')) bundle.qualifying = qualifying(results, who);
    if (j.session === 'race' && fill('pit_stops')) {
      const stops = new Map<number, number>();
      const shift = offsetMs(j.s.gmt_offset);
      bundle.pitStops = [...rec.pit]
        .sort((a, b) => a.lap_number - b.lap_number)
        .flatMap((p): JPit[] => {
          const w = who.get(p.driver_number);
          if (!w) return [];
          const n = (stops.get(p.driver_number) ?? 0) + 1;
          stops.set(p.driver_number, n);
          const time = p.date ? new Date(Date.parse(p.date) + shift).toISOString().slice(11, 19) : undefined;
          return [{ driverId: w.d.driverId, lap: String(p.lap_number), stop: String(n), time, duration: p.pit_duration === null ? undefined : p.pit_duration.toFixed(3) }];
        });
    }
    const { raceId: id, counts } = writeRaceBundle(db, bundle, 'openf1');
    writeSessionLaps(db, { season: year, round: Number(head.round), raceId: id, session: j.session }, laps, final, 'openf1');
    return { results: counts.results + counts.sprint, qualifying: counts.qualifying, pit_stops: counts.pit_stops, laps: laps.length };
  })();
}
