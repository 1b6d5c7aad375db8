// Jolpica (the Ergast successor): Ergast-shaped JSON, every value a string, `limit` (≤100) and `offset` paging the
// innermost rows (so one race's rows can span two pages). Reads one race at a time into a RaceBundle.
import type { HttpClient } from './http.js';
import { SourceError } from './http.js';

export const JOLPICA_BASE_URL = 'https://api.jolpi.ca/ergast/f1';
/** Jolpica's anonymous limits: 4 requests/s burst, 500 per hour. */
export const JOLPICA_LIMITS = [
  { burst: 4, perSecond: 4 },
  { burst: 500, perSecond: 500 / 3600 },
];
const PAGE = 100;

type Obj = Record<string, unknown>;

export interface JDriver {
  driverId: string;
  permanentNumber?: string;
  code?: string;
  givenName?: string;
  familyName?: string;
  dateOfBirth?: string;
  nationality?: string;
}
export interface JConstructor {
  constructorId: string;
  name?: string;
  nationality?: string;
}
export interface JCircuit {
  circuitId: string;
  circuitName?: string;
  Location?: { lat?: string; long?: string; locality?: string; country?: string };
}
export interface JRaceHead {
  season: string;
  round: string;
  raceName?: string;
  date: string;
  time?: string;
  Circuit: JCircuit;
  FirstPractice?: { date?: string; time?: string };
  SecondPractice?: { date?: string; time?: string };
  ThirdPractice?: { date?: string; time?: string };
  Qualifying?: { date?: string; time?: string };
  Sprint?: { date?: string; time?: string };
}
export interface JResult {
  number?: string;
  position?: string;
  positionText?: string;
  points?: string;
  Driver: JDriver;
  Constructor?: JConstructor;
  grid?: string;
  laps?: string;
  status?: string;
  Time?: { millis?: string; time?: string };
  FastestLap?: { rank?: string; lap?: string; Time?: { time?: string }; AverageSpeed?: { speed?: string } };
}
export interface JQuali {
  number?: string;
  position?: string;
  Driver: JDriver;
  Constructor?: JConstructor;
  Q1?: string;
  Q2?: string;
  Q3?: string;
}
export interface JPit {
  driverId: string;
  lap?: string;
  stop: string;
  time?: string;
  duration?: string;
}
export interface JLapTiming {
  lap: number;
  driverId: string;
  position?: string;
  time?: string;
}
export interface JDriverStanding {
  position?: string;
  positionText?: string;
  points?: string;
  wins?: string;
  Driver: JDriver;
}
export interface JConstructorStanding {
  position?: string;
  positionText?: string;
  points?: string;
  wins?: string;
  Constructor: JConstructor;
}

/** Everything Jolpica has about one race weekend. */
export interface RaceBundle {
  head: JRaceHead;
  results: JResult[];
  sprint: JResult[];
  qualifying: JQuali[];
  pitStops: JPit[];
  laps: JLapTiming[];
  driverStandings: JDriverStanding[];
  constructorStandings: JConstructorStanding[];
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function mrData(body: unknown, url: string, table: string): { total: number; limit: number; table: Obj } {
  const mr = isObj(body) ? body.MRData : undefined;
  if (!isObj(mr)) throw new SourceError('jolpica: response has no MRData', url);
  const total = Number(mr.total);
  const limit = Number(mr.limit);
  const t = mr[table];
  if (!Number.isFinite(total) || !isObj(t)) throw new SourceError(`jolpica: response has no total or ${table}`, url);
  return { total, limit: Number.isFinite(limit) && limit > 0 ? limit : PAGE, table: t };
}

function list(o: Obj, key: string, url: string): Obj[] {
  const v = o[key] ?? [];
  if (!Array.isArray(v) || !v.every(isObj)) throw new SourceError(`jolpica: "${key}" is not a list of objects`, url);
  return v;
}

function checkRace(r: Obj, url: string): JRaceHead {
  if (typeof r.season !== 'string' || typeof r.round !== 'string' || typeof r.date !== 'string' || !isObj(r.Circuit) ||
      typeof r.Circuit.circuitId !== 'string')
    throw new SourceError('jolpica: a race without season, round, date or Circuit.circuitId', url);
  return r as unknown as JRaceHead;
}

function checkDriver(d: unknown, url: string): void {
  if (!isObj(d) || typeof d.driverId !== 'string') throw new SourceError('jolpica: a row without Driver.driverId', url);
}

export class Jolpica {
  constructor(
    readonly http: HttpClient,
    readonly baseUrl: string = JOLPICA_BASE_URL,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  url(path: string, offset = 0): string {
    return `${this.baseUrl}/${path}.json?limit=${PAGE}&offset=${offset}`;
  }

  /** Every page of `path`: the races of each page, rows of a race split across pages joined again. */
  /** `final`: an empty answer is final too and may be cached (the race's results are out). */
  private async racePages(path: string, key: string, reuse: boolean, final = false): Promise<{ head: JRaceHead; rows: Obj[] }[]> {
    const out: { head: JRaceHead; rows: Obj[] }[] = [];
    for (let offset = 0; ; ) {
      const url = this.url(path, offset);
      const body = await this.http.getJson(url, { reuse, keep: (b) => final || !/"total"\s*:\s*"0"/.test(b) });
      const { total, limit, table } = mrData(body, url, 'RaceTable');
      for (const r of list(table, 'Races', url)) {
        const head = checkRace(r, url);
        const rows = key ? list(r, key, url) : [];
        const last = out[out.length - 1];
        if (last && last.head.season === head.season && last.head.round === head.round) last.rows.push(...rows);
        else out.push({ head, rows });
      }
      offset += limit;
      if (offset >= total) return out;
    }
  }

  /** The season's schedule (always asked again online: new races and dates appear; the cache serves --offline). */
  async schedule(season: number): Promise<JRaceHead[]> {
    return (await this.racePages(`${season}/races`, '', false)).map((r) => r.head);
  }

  private async raceRows(season: number, round: number, what: string, key: string, final = true): Promise<Obj[]> {
    const pages = await this.racePages(`${season}/${round}/${what}`, key, true, final);
    return pages.filter((p) => p.head.round === String(round)).flatMap((p) => p.rows);
  }

  private async standings(season: number, round: number, what: string, key: string): Promise<Obj[]> {
    const rows: Obj[] = [];
    for (let offset = 0; ; ) {
      const url = this.url(`${season}/${round}/${what}`, offset);
      const body = await this.http.getJson(url);
      const { total, limit, table } = mrData(body, url, 'StandingsTable');
      for (const l of list(table, 'StandingsLists', url)) rows.push(...list(l, key, url));
      offset += limit;
      if (offset >= total) return rows;
    }
  }

  /** All of one race. An empty `results` means the race has not been published yet. */
  async race(head: JRaceHead): Promise<RaceBundle> {
    const season = Number(head.season);
    const round = Number(head.round);
    // Results appear about a day after the race: until then an empty answer is not cached.
    const results = await this.raceRows(season, round, 'results', 'Results', false);
    const empty: RaceBundle = {
      head, results: [], sprint: [], qualifying: [], pitStops: [], laps: [], driverStandings: [], constructorStandings: [],
    };
    const qualifying = await this.raceRows(season, round, 'qualifying', 'QualifyingResults', results.length > 0);
    if (results.length === 0) return { ...empty, qualifying: qualifying as unknown as JQuali[] };
    const sprint = head.Sprint ? await this.raceRows(season, round, 'sprint', 'SprintResults') : [];
    // Pit stops (2012 on) and laps (1996 on) are not kept for older races: no requests for them.
    const pitStops = season >= 2012 ? await this.raceRows(season, round, 'pitstops', 'PitStops') : [];
    const lapObjs = season >= 1996 ? await this.raceRows(season, round, 'laps', 'Laps') : [];
    const laps: JLapTiming[] = [];
    for (const l of lapObjs) {
      const n = Number(l.number);
      for (const t of Array.isArray(l.Timings) ? (l.Timings as Obj[]) : [])
        if (typeof t.driverId === 'string')
          laps.push({ lap: n, driverId: t.driverId, position: t.position as string | undefined, time: t.time as string | undefined });
    }
    const driverStandings = await this.standings(season, round, 'driverStandings', 'DriverStandings');
    const constructorStandings = season >= 1958 ? await this.standings(season, round, 'constructorStandings', 'ConstructorStandings') : [];
    const src = this.url(`${season}/${round}/results`);
    for (const r of [...results, ...sprint, ...qualifying, ...driverStandings]) checkDriver(r.Driver, src);
    for (const p of pitStops) if (typeof p.driverId !== 'string' || typeof p.stop !== 'string') throw new SourceError('jolpica: a pit stop without driverId or stop', this.url(`${season}/${round}/pitstops`));
    return {
      head,
      results: results as unknown as JResult[],
      sprint: sprint as unknown as JResult[],
      qualifying: qualifying as unknown as JQuali[],
      pitStops: pitStops as unknown as JPit[],
      laps,
      driverStandings: driverStandings as unknown as JDriverStanding[],
      constructorStandings: constructorStandings as unknown as JConstructorStanding[],
    };
  }
}
