// A stand-in for OpenF1 (`/v1/<endpoint>?filters`) on 127.0.0.1, over records built from the bundled data: a race's
// FastF1 laps become `laps`, `stints`, `pit`, `position` and `race_control`; its Ergast classification becomes
// `session_result` and `starting_grid`. Filters as OpenF1 reads them: `key=value`, `key>=value` (and >, <, <=), a
// repeated key is OR, `session_key=latest`; an empty match answers 404 "No results found.". Switches: die after n
// requests, a malformed body for matching URLs.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Db } from '../../src/main/data/db.js';
import type { OpenF1Records } from '../../src/main/update/openf1.js';

type Rec = Record<string, unknown>;
export type FakeOpenF1Data = { [E in keyof OpenF1Records]: Rec[] };

const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

/** One bundled race as OpenF1 records (session key `key`, meeting key `key + 1000`). */
export function openF1Race(db: Db, season: number, round: number, key: number): FakeOpenF1Data {
  const race = db
    .prepare(`SELECT r.race_id AS id, r.name, r.start_utc, c.location, c.country FROM races r JOIN circuits c USING (circuit_id) WHERE r.year = ? AND r.round = ?`)
    .get(season, round) as { id: number; name: string; start_utc: string; location: string; country: string };
  const t0 = Date.parse(race.start_utc) - 3600_000; // the session clock starts an hour before the start
  const at = (s: number) => iso(t0 + Math.round(s * 1000));
  const meeting_key = key + 1000;
  const k = { session_key: key, meeting_key };
  const results = db
    .prepare(`SELECT x.number, x.position, x.position_order, x.points, x.laps, x.grid, x.milliseconds, s.status, d.code, d.forename, d.surname, c.name AS cname
              FROM results x JOIN drivers d USING (driver_id) JOIN constructors c USING (constructor_id) JOIN status s USING (status_id)
              WHERE x.race_id = ? ORDER BY x.position_order`)
    .all(race.id) as { number: number; position: number | null; points: number; laps: number; grid: number; milliseconds: number | null; status: string; code: string; forename: string; surname: string; cname: string }[];
  const laps = db
    .prepare(`SELECT driver, driver_number, lap_number, time_s, lap_time_s, sector1_s, sector2_s, sector3_s, stint, compound, tyre_life,
                     pit_in_s, pit_out_s, position, track_status, team FROM laps WHERE season = ? AND round = ? AND session = 'race' ORDER BY driver, lap_number`)
    .all(season, round) as Record<string, number | string | null>[];
  const teamOf = new Map(laps.map((l) => [l.driver_number as number, l.team as string]));
  const out: FakeOpenF1Data = {
    sessions: [{ ...k, session_name: 'Race', session_type: 'Race', date_start: iso(t0), date_end: iso(t0 + 4 * 3600_000), gmt_offset: '00:00:00', year: season, location: race.location, country_name: race.country, circuit_short_name: race.location }],
    meetings: [{ meeting_key, meeting_name: race.name, location: race.location, country_name: race.country, year: season, date_start: iso(t0 - 2 * 86_400_000) }],
    drivers: results.map((r) => ({ ...k, driver_number: r.number, name_acronym: r.code, first_name: r.forename, last_name: r.surname, full_name: `${r.forename} ${r.surname.toUpperCase()}`, team_name: teamOf.get(r.number) ?? r.cname })),
    laps: [], stints: [], pit: [], race_control: [], weather: [], position: [], intervals: [],
    session_result: results.map((r) => ({
      ...k, driver_number: r.number, position: r.position, number_of_laps: r.laps, points: r.points,
      dnf: r.position === null && r.status !== 'Disqualified' && r.status !== 'Did not start', dns: r.status === 'Did not start', dsq: r.status === 'Disqualified',
      duration: r.position === 1 && r.milliseconds ? r.milliseconds / 1000 : null,
      gap_to_leader: r.position !== 1 && r.milliseconds && results[0]!.milliseconds ? (r.milliseconds - results[0]!.milliseconds) / 1000 : null,
    })),
    starting_grid: results.filter((r) => r.grid > 0).map((r) => ({ ...k, driver_number: r.number, position: r.grid })),
  };
  // Qualifying the day before (session key `key - 1000`): its classification with Q1–Q3 as `duration`.
  const qk = { session_key: key - 1000, meeting_key };
  const secs = (t: string | null) => {
    const m = t ? /^(\d+):(\d+\.\d+)$/.exec(t) : null;
    return m ? Number(m[1]) * 60 + Number(m[2]) : null;
  };
  const quali = db
    .prepare(`SELECT q.number, q.position, q.q1, q.q2, q.q3 FROM qualifying q WHERE q.race_id = ? ORDER BY q.position`)
    .all(race.id) as { number: number; position: number; q1: string | null; q2: string | null; q3: string | null }[];
  out.sessions.push({ ...qk, session_name: 'Qualifying', session_type: 'Qualifying', date_start: iso(t0 - 86_400_000), date_end: iso(t0 - 86_400_000 + 3600_000), gmt_offset: '00:00:00', year: season, location: race.location, country_name: race.country });
  out.drivers.push(...out.drivers.map((d) => ({ ...d, ...qk })));
  out.session_result.push(...quali.map((q) => ({ ...qk, driver_number: q.number, position: q.position, duration: [secs(q.q1), secs(q.q2), secs(q.q3)] })));
  let prev: Record<string, number | string | null> | undefined;
  for (const l of laps) {
    const same = prev?.driver === l.driver;
    const start = same ? (prev!.time_s as number) : (l.time_s as number) - ((l.lap_time_s as number | null) ?? 90);
    out.laps.push({
      ...k, driver_number: l.driver_number, lap_number: l.lap_number, date_start: at(start), lap_duration: l.lap_time_s,
      duration_sector_1: l.sector1_s, duration_sector_2: l.sector2_s, duration_sector_3: l.sector3_s, is_pit_out_lap: l.pit_out_s !== null,
    });
    if (l.pit_in_s !== null) out.pit.push({ ...k, driver_number: l.driver_number, lap_number: l.lap_number, pit_duration: 22.5, date: at(l.pit_in_s as number) });
    if (l.position !== null) out.position.push({ ...k, driver_number: l.driver_number, position: l.position, date: at(l.time_s as number) });
    const last = out.stints[out.stints.length - 1];
    if (!same || last?.stint_number !== l.stint) {
      out.stints.push({ ...k, driver_number: l.driver_number, stint_number: l.stint, lap_start: l.lap_number, lap_end: l.lap_number, compound: l.compound,
        tyre_age_at_start: l.tyre_life === null ? null : (l.tyre_life as number) - 1 });
    } else if (last) last.lap_end = l.lap_number;
    prev = l;
  }
  // Race control from the leader's laps: a message where the worst track state changes.
  const leader = laps.filter((l) => l.position === 1).sort((a, b) => (a.lap_number as number) - (b.lap_number as number));
  let state = '1';
  for (const l of leader) {
    const code = String(l.track_status ?? '1');
    const worst = ['5', '4', '6', '7', '2'].find((c) => code.includes(c)) ?? '1';
    if (worst === state) continue;
    state = worst;
    const date = at((l.time_s as number) - (l.lap_time_s as number | null ?? 90) + 1);
    const msg: Record<string, Rec> = {
      '1': { category: 'Flag', flag: 'GREEN', scope: 'Track', message: 'TRACK CLEAR' },
      '2': { category: 'Flag', flag: 'YELLOW', scope: 'Sector', sector: 7, message: 'YELLOW IN TRACK SECTOR 7' },
      '4': { category: 'SafetyCar', message: 'SAFETY CAR DEPLOYED' },
      '5': { category: 'Flag', flag: 'RED', scope: 'Track', message: 'RED FLAG' },
      '6': { category: 'SafetyCar', message: 'VIRTUAL SAFETY CAR DEPLOYED' },
      '7': { category: 'SafetyCar', message: 'VIRTUAL SAFETY CAR ENDING' },
    };
    out.race_control.push({ ...k, date, lap_number: l.lap_number, ...msg[worst]! });
  }
  return out;
}

export function mergeOpenF1(...parts: FakeOpenF1Data[]): FakeOpenF1Data {
  const out = Object.fromEntries(Object.keys(parts[0]!).map((e) => [e, parts.flatMap((p) => p[e as keyof FakeOpenF1Data])])) as FakeOpenF1Data;
  return out;
}

export interface FakeOpenF1Options {
  data: FakeOpenF1Data;
  /** After this many requests the server drops every connection. */
  dieAfter?: number;
  /** URLs (path and query) matching this get a body cut off mid-JSON. */
  corrupt?: RegExp;
  port?: number;
}

export interface FakeOpenF1 {
  url: string;
  port: number;
  log: string[];
  close(): Promise<void>;
}

function matches(r: Rec, filters: { field: string; op: string; values: string[] }[], latest: number): boolean {
  return filters.every(({ field, op, values }) =>
    values.some((raw) => {
      const want = field === 'session_key' && raw === 'latest' ? String(latest) : raw;
      const have = r[field];
      if (have === undefined || have === null) return false;
      const [a, b] = typeof have === 'number' ? [have, Number(want)] : field.startsWith('date') ? [Date.parse(String(have)), Date.parse(want)] : [String(have), want];
      return op === '=' ? a === b : op === '>=' ? a >= b : op === '<=' ? a <= b : op === '>' ? a > b : a < b;
    }),
  );
}

export async function startFakeOpenF1(o: FakeOpenF1Options): Promise<FakeOpenF1> {
  const log: string[] = [];
  const sockets = new Set<Socket>();
  let dead = false;
  const latest = Math.max(...o.data.sessions.map((s) => s.session_key as number));
  const server: Server = createServer((req, res) => {
    log.push(req.url ?? '');
    if (dead || (o.dieAfter !== undefined && log.length > o.dieAfter)) {
      dead = true;
      for (const s of sockets) s.destroy();
      return;
    }
    const send = (code: number, body: string) => res.writeHead(code, { 'content-type': 'application/json' }).end(body);
    const [path = '', query = ''] = (req.url ?? '').split('?');
    const endpoint = path.replace(/^\/v1\//, '') as keyof FakeOpenF1Data;
    if (!Object.hasOwn(o.data, endpoint)) return send(404, '{"detail":"Not Found"}');
    if (o.corrupt?.test(req.url ?? '')) return send(200, '[{"session_key": 9');
    const filters: { field: string; op: string; values: string[] }[] = [];
    for (const part of query.split('&').filter(Boolean)) {
      const m = /^(\w+)(>=|<=|>|<|=)(.*)$/.exec(decodeURIComponent(part));
      if (!m) return send(422, `{"detail":"bad filter ${part}"}`);
      const f = filters.find((x) => x.field === m[1] && x.op === m[2]);
      if (f) f.values.push(m[3]!);
      else filters.push({ field: m[1]!, op: m[2]!, values: [m[3]!] });
    }
    // A repeated key means OR; keys with operators (date>=…, date<…) each add a condition.
    const rows = o.data[endpoint].filter((r) => matches(r, filters, latest));
    if (!rows.length) return send(404, '{"detail":"No results found."}');
    return send(200, JSON.stringify(rows));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(o.port ?? 0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    log,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
