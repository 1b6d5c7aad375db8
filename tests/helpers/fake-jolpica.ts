// A stand-in for the Jolpica API on 127.0.0.1, served from the bundled Ergast CSVs (plus lap timings the test gives):
// Ergast-shaped JSON with string values, limit/offset paging of the innermost rows (capped by `maxLimit`, so one race
// splits across pages), deterministic 429 bursts with Retry-After, and a switch that kills the server mid-run.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { readCsv } from '../../src/main/data/csv.js';
import { findFile } from '../../src/main/data/ergast.js';

type Row = Record<string, string>;
export interface FakeLap {
  season: number;
  round: number;
  lap: number;
  driverRef: string;
  position: number;
  time: string;
}
export interface FakeJolpicaOptions {
  ergastDir: string;
  minSeason?: number;
  laps?: FakeLap[];
  /** Largest page (Jolpica: 100). */
  maxLimit?: number;
  /** Every n-th request is answered 429 with Retry-After, `burst429` times in a row. */
  throttleEvery?: number;
  burst429?: number;
  /** After this many requests the server drops every connection and stops answering. */
  dieAfter?: number;
  /** A body to send instead of JSON for paths matching this pattern. */
  corrupt?: RegExp;
  port?: number;
}

const N = '\\N';
const v = (x: string | undefined) => (x === undefined || x === N || x === '' ? undefined : x);

function table(dir: string, name: string): Row[] {
  const f = findFile(dir, name);
  if (!f) return [];
  const t = readCsv(f);
  return t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i] ?? N])));
}

export interface FakeJolpica {
  url: string;
  port: number;
  /** Every request path, 429s included. */
  log: string[];
  close(): Promise<void>;
}

export async function startFakeJolpica(o: FakeJolpicaOptions): Promise<FakeJolpica> {
  const races = table(o.ergastDir, 'races.csv').filter((r) => Number(r.year) >= (o.minSeason ?? 0));
  const circuits = new Map(table(o.ergastDir, 'circuits.csv').map((r) => [r.circuitId!, r]));
  const drivers = new Map(table(o.ergastDir, 'drivers.csv').map((r) => [r.driverId!, r]));
  const teams = new Map(table(o.ergastDir, 'constructors.csv').map((r) => [r.constructorId!, r]));
  const status = new Map(table(o.ergastDir, 'status.csv').map((r) => [r.statusId!, r.status!]));
  const ids = new Set(races.map((r) => r.raceId));
  const byRace = (name: string) => {
    const m = new Map<string, Row[]>();
    for (const r of table(o.ergastDir, name)) if (ids.has(r.raceId)) m.set(r.raceId!, [...(m.get(r.raceId!) ?? []), r]);
    return m;
  };
  const results = byRace('results.csv');
  const sprint = byRace('sprint_results.csv');
  const quali = byRace('qualifying.csv');
  const pits = byRace('pit_stops.csv');
  const dst = byRace('driver_standings.csv');
  const cst = byRace('constructor_standings.csv');

  const circuit = (id: string) => {
    const c = circuits.get(id)!;
    return { circuitId: c.circuitRef, url: c.url, circuitName: c.name, Location: { lat: c.lat, long: c.lng, locality: c.location, country: c.country } };
  };
  const driver = (id: string) => {
    const d = drivers.get(id)!;
    return {
      driverId: d.driverRef, ...(v(d.number) ? { permanentNumber: d.number } : {}), ...(v(d.code) ? { code: d.code } : {}),
      url: d.url, givenName: d.forename, familyName: d.surname, dateOfBirth: d.dob, nationality: d.nationality,
    };
  };
  const team = (id: string) => {
    const c = teams.get(id)!;
    return { constructorId: c.constructorRef, url: c.url, name: c.name, nationality: c.nationality };
  };
  const head = (r: Row) => {
    const h: Record<string, unknown> = { season: r.year, round: r.round, url: r.url, raceName: r.name, Circuit: circuit(r.circuitId!), date: r.date };
    if (v(r.time)) h.time = `${r.time}Z`;
    for (const [k, c] of [['FirstPractice', 'fp1'], ['SecondPractice', 'fp2'], ['ThirdPractice', 'fp3'], ['Qualifying', 'quali'], ['Sprint', 'sprint']] as const)
      if (v(r[`${c}_date`])) h[k] = { date: r[`${c}_date`], ...(v(r[`${c}_time`]) ? { time: `${r[`${c}_time`]}Z` } : {}) };
    return h;
  };
  const result = (x: Row) => {
    const o: Record<string, unknown> = {
      number: x.number, position: x.positionOrder, positionText: x.positionText, points: x.points, Driver: driver(x.driverId!),
      Constructor: team(x.constructorId!), grid: x.grid, laps: x.laps, status: status.get(x.statusId!) ?? 'Retired',
    };
    if (v(x.milliseconds) || v(x.time)) o.Time = { ...(v(x.milliseconds) ? { millis: x.milliseconds } : {}), ...(v(x.time) ? { time: x.time } : {}) };
    if (v(x.fastestLap) || v(x.rank) || v(x.fastestLapTime)) {
      o.FastestLap = {
        ...(v(x.rank) ? { rank: x.rank } : {}), ...(v(x.fastestLap) ? { lap: x.fastestLap } : {}),
        ...(v(x.fastestLapTime) ? { Time: { time: x.fastestLapTime } } : {}),
        ...(v(x.fastestLapSpeed) ? { AverageSpeed: { units: 'kph', speed: x.fastestLapSpeed } } : {}),
      };
    }
    return o;
  };
  const qrow = (x: Row) => ({
    number: x.number, position: x.position, Driver: driver(x.driverId!), Constructor: team(x.constructorId!),
    ...(v(x.q1) ? { Q1: x.q1 } : {}), ...(v(x.q2) ? { Q2: x.q2 } : {}), ...(v(x.q3) ? { Q3: x.q3 } : {}),
  });
  const num = (s: string | undefined) => (v(s) ? Number(s) : 999);
  const refOf = (id: string) => drivers.get(id)!.driverRef!;

  const log: string[] = [];
  let count = 0;
  let dead = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    log.push(req.url ?? '');
    count++;
    if (dead || (o.dieAfter !== undefined && count > o.dieAfter)) {
      dead = true;
      for (const s of sockets) s.destroy();
      return;
    }
    const send = (code: number, body: unknown, headers: Record<string, string> = {}) => {
      const b = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(code, { 'content-type': 'application/json', ...headers });
      res.end(b);
    };
    const every = o.throttleEvery ?? 0;
    if (every && count % every < (o.burst429 ?? 1)) return send(429, { detail: 'Request was throttled.' }, { 'retry-after': '0' });
    const u = new URL(req.url ?? '/', 'http://x');
    if (!/(\/|\.json)$/.test(u.pathname)) return send(404, { detail: 'Not found.' });
    if (o.corrupt?.test(u.pathname)) return send(200, '{"MRData": {"total": "3", "RaceTable": {"Races": [');
    const parts = u.pathname.replace(/^\/ergast\/f1\//, '').replace(/(\.json|\/)$/, '').split('/').filter(Boolean);
    const limit = Math.min(Number(u.searchParams.get('limit') ?? 30), o.maxLimit ?? 100);
    const offset = Number(u.searchParams.get('offset') ?? 0);
    const season = parts[0];
    const round = parts[1] && /^\d+$/.test(parts[1]) ? parts[1] : undefined;
    const what = (parts[round ? 2 : 1] ?? 'races').toLowerCase();
    const rs = races
      .filter((r) => r.year === season && (round === undefined || r.round === round))
      .sort((a, b) => Number(a.round) - Number(b.round));
    const base = { xmlns: '', series: 'f1', url: `http://api.jolpi.ca${u.pathname}`, limit: String(limit), offset: String(offset) };
    const raceTable = (rows: [Row, unknown][], key: string) => {
      const page = rows.slice(offset, offset + limit);
      const out: Record<string, unknown>[] = [];
      for (const [r, x] of page) {
        const last = out[out.length - 1];
        if (last && last.round === r.round) (last[key] as unknown[]).push(x);
        else out.push({ ...head(r), [key]: [x] });
      }
      return send(200, { MRData: { ...base, total: String(rows.length), RaceTable: { season, ...(round ? { round } : {}), Races: out } } });
    };
    if (what === 'races') {
      const page = rs.slice(offset, offset + limit).map(head);
      return send(200, { MRData: { ...base, total: String(rs.length), RaceTable: { season, Races: page } } });
    }
    const flat = (m: Map<string, Row[]>, fmt: (x: Row) => unknown, sort: string) =>
      rs.flatMap((r) => [...(m.get(r.raceId!) ?? [])].sort((a, b) => num(a[sort]) - num(b[sort])).map((x) => [r, fmt(x)] as [Row, unknown]));
    if (what === 'results') return raceTable(flat(results, result, 'positionOrder'), 'Results');
    if (what === 'sprint') return raceTable(flat(sprint, result, 'positionOrder'), 'SprintResults');
    if (what === 'qualifying') return raceTable(flat(quali, qrow, 'position'), 'QualifyingResults');
    if (what === 'pitstops') {
      const rows = flat(pits, (x) => ({ driverId: refOf(x.driverId!), lap: x.lap, stop: x.stop, time: x.time, duration: x.duration }), 'lap');
      return raceTable(rows, 'PitStops');
    }
    if (what === 'laps') {
      // Innermost rows are timings: a lap (and a race) can span two pages.
      const rows = rs.flatMap((r) =>
        (o.laps ?? [])
          .filter((l) => String(l.season) === r.year && String(l.round) === r.round)
          .sort((a, b) => a.lap - b.lap || a.position - b.position)
          .map((l) => [r, l] as [Row, FakeLap]),
      );
      const page = rows.slice(offset, offset + limit);
      const out: { round: string; Laps: { number: string; Timings: unknown[] }[] }[] = [];
      for (const [r, l] of page) {
        let race = out[out.length - 1];
        if (!race || race.round !== r.round) out.push((race = { ...head(r), round: r.round!, Laps: [] }));
        let lap = race.Laps[race.Laps.length - 1];
        if (!lap || lap.number !== String(l.lap)) race.Laps.push((lap = { number: String(l.lap), Timings: [] }));
        lap.Timings.push({ driverId: l.driverRef, position: String(l.position), time: l.time });
      }
      return send(200, { MRData: { ...base, total: String(rows.length), RaceTable: { season, round, Races: out } } });
    }
    if (what === 'driverstandings' || what === 'constructorstandings') {
      const r = rs[rs.length - 1];
      const d = what === 'driverstandings';
      const src = r ? ((d ? dst : cst).get(r.raceId!) ?? []) : [];
      const rows = [...src].sort((a, b) => num(a.position) - num(b.position)).map((x) => ({
        position: x.position, positionText: x.positionText, points: x.points, wins: x.wins,
        ...(d ? { Driver: driver(x.driverId!), Constructors: [] } : { Constructor: team(x.constructorId!) }),
      }));
      const lists = rows.length ? [{ season: r!.year, round: r!.round, [d ? 'DriverStandings' : 'ConstructorStandings']: rows.slice(offset, offset + limit) }] : [];
      return send(200, { MRData: { ...base, total: String(rows.length), StandingsTable: { season, StandingsLists: lists } } });
    }
    return send(404, { detail: 'Not found.' });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/ergast/f1`,
    port,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
