// OpenF1 (`https://api.openf1.org/v1`): the REST record types and the one endpoint fetcher. Filters go in the query
// string (`session_key=9839`, `date>=2024-03-02T15:00:00`, a repeated key means OR, `session_key=latest`). The update
// source (openf1-update.ts) and the live poller both read OpenF1 through `fetchEndpoint`.
import type { GetOptions, HttpClient } from './http.js';
import { SourceError } from './http.js';

export const OPENF1_BASE_URL = 'https://api.openf1.org/v1';
/** OpenF1's published limit: 30 requests per 10 s. */
export const OPENF1_LIMITS = [{ burst: 30, perSecond: 3 }];

interface Keyed {
  session_key: number;
  meeting_key?: number;
}
export interface OSession extends Keyed {
  session_name: string; // 'Race', 'Sprint', 'Qualifying', 'Sprint Qualifying', 'Practice 1' …
  session_type?: string; // 'Race' (sprints too), 'Qualifying', 'Practice'
  date_start: string; // ISO 8601 with offset
  date_end?: string;
  gmt_offset?: string; // '03:00:00', '-05:00:00'
  year: number;
  circuit_key?: number;
  circuit_short_name?: string;
  location?: string;
  country_name?: string;
  country_code?: string;
}
export interface OMeeting {
  meeting_key: number;
  meeting_name?: string;
  meeting_official_name?: string;
  location?: string;
  country_name?: string;
  circuit_short_name?: string;
  date_start?: string;
  gmt_offset?: string;
  year?: number;
}
export interface ODriver extends Keyed {
  driver_number: number;
  broadcast_name?: string;
  full_name?: string;
  first_name?: string | null;
  last_name?: string | null;
  name_acronym?: string | null;
  team_name?: string | null;
  team_colour?: string | null;
  country_code?: string | null;
}
export interface OLap extends Keyed {
  driver_number: number;
  lap_number: number;
  date_start: string | null;
  lap_duration: number | null;
  duration_sector_1?: number | null;
  duration_sector_2?: number | null;
  duration_sector_3?: number | null;
  i1_speed?: number | null;
  i2_speed?: number | null;
  st_speed?: number | null;
  is_pit_out_lap?: boolean;
}
export interface OStint extends Keyed {
  driver_number: number;
  stint_number: number;
  lap_start: number;
  lap_end: number;
  compound: string | null;
  tyre_age_at_start: number | null;
}
export interface OPit extends Keyed {
  driver_number: number;
  /** The lap the car came in on. */
  lap_number: number;
  /** Pit-lane time, s. */
  pit_duration: number | null;
  date?: string;
}
export interface ORaceControl extends Keyed {
  date: string;
  category: string; // 'Flag', 'SafetyCar', 'Drs', 'Other', 'CarEvent'
  flag?: string | null; // 'GREEN', 'YELLOW', 'DOUBLE YELLOW', 'RED', 'CLEAR', 'CHEQUERED', 'BLUE'
  scope?: string | null; // 'Track', 'Sector', 'Driver'
  sector?: number | null;
  driver_number?: number | null;
  lap_number?: number | null;
  message: string;
}
export interface OWeather extends Keyed {
  date: string;
  air_temperature?: number;
  track_temperature?: number;
  humidity?: number;
  pressure?: number;
  rainfall?: number;
  wind_direction?: number;
  wind_speed?: number;
}
export interface OPosition extends Keyed {
  date: string;
  driver_number: number;
  position: number;
}
export interface OInterval extends Keyed {
  date: string;
  driver_number: number;
  /** Seconds, or '+1 LAP'; null for the leader. */
  gap_to_leader: number | string | null;
  interval: number | string | null;
}
export interface OSessionResult extends Keyed {
  driver_number: number;
  position: number | null;
  number_of_laps?: number | null;
  points?: number | null;
  dnf?: boolean;
  dns?: boolean;
  dsq?: boolean;
  /** Race: total time, s; qualifying: [Q1, Q2, Q3]. */
  duration?: number | (number | null)[] | null;
  gap_to_leader?: number | string | (number | string | null)[] | null;
}
export interface OStartingGrid extends Keyed {
  driver_number: number;
  position: number;
  lap_duration?: number | null;
}

export interface OpenF1Records {
  sessions: OSession;
  meetings: OMeeting;
  drivers: ODriver;
  laps: OLap;
  stints: OStint;
  pit: OPit;
  race_control: ORaceControl;
  weather: OWeather;
  position: OPosition;
  intervals: OInterval;
  session_result: OSessionResult;
  starting_grid: OStartingGrid;
}
export type Endpoint = keyof OpenF1Records;

/** Fields each record must have, with their type; a record without them is a SourceError naming the URL. */
const REQUIRED: { [E in Endpoint]: Partial<Record<keyof OpenF1Records[E], 'number' | 'string'>> } = {
  sessions: { session_key: 'number', session_name: 'string', date_start: 'string', year: 'number' },
  meetings: { meeting_key: 'number' },
  drivers: { driver_number: 'number' },
  laps: { driver_number: 'number', lap_number: 'number' },
  stints: { driver_number: 'number', stint_number: 'number', lap_start: 'number', lap_end: 'number' },
  pit: { driver_number: 'number', lap_number: 'number' },
  race_control: { date: 'string', category: 'string' },
  weather: { date: 'string' },
  position: { date: 'string', driver_number: 'number', position: 'number' },
  intervals: { date: 'string', driver_number: 'number' },
  session_result: { driver_number: 'number' },
  starting_grid: { driver_number: 'number', position: 'number' },
};

/** Query filters: `{ session_key: 9839 }`, `{ session_key: 'latest' }`, `{ 'date>=': '2024-03-02T15:00' }`, and a list
 *  for OR (`{ driver_number: [1, 44] }` → `driver_number=1&driver_number=44`). */
export type Filters = Record<string, string | number | boolean | readonly (string | number)[]>;

export interface OpenF1Client {
  http: HttpClient;
  baseUrl: string;
}

const OPERATOR = /(>=|<=|>|<)$/;

export function endpointUrl(baseUrl: string, endpoint: Endpoint, filters: Filters): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filters)) {
    const op = OPERATOR.exec(key)?.[1];
    const field = op ? key.slice(0, -op.length) : key;
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${encodeURIComponent(field)}${op ?? '='}${encodeURIComponent(String(v))}`);
  }
  return `${baseUrl.replace(/\/+$/, '')}/${endpoint}${parts.length ? `?${parts.join('&')}` : ''}`;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One endpoint's records matching `filters`. OpenF1 answers 404 ("No results found.") for an empty match: that is []. */
export async function fetchEndpoint<E extends Endpoint>(
  client: OpenF1Client,
  endpoint: E,
  filters: Filters,
  get: GetOptions = {},
): Promise<OpenF1Records[E][]> {
  const url = endpointUrl(client.baseUrl, endpoint, filters);
  let body: unknown;
  try {
    body = await client.http.getJson(url, get);
  } catch (e) {
    if (e instanceof SourceError && e.status === 404) return [];
    throw e;
  }
  if (!Array.isArray(body)) throw new SourceError(`openf1: ${endpoint} answered ${isObj(body) ? 'an object' : typeof body}, not a list`, url);
  const required = Object.entries(REQUIRED[endpoint]) as [string, 'number' | 'string'][];
  body.forEach((r, i) => {
    if (!isObj(r)) throw new SourceError(`openf1: ${endpoint} record ${i} is not an object`, url);
    for (const [field, type] of required)
      if (typeof r[field] !== type) throw new SourceError(`openf1: ${endpoint} record ${i}: "${field}" should be a ${type}, found ${JSON.stringify(r[field]) ?? 'nothing'}`, url);
  });
  return body as OpenF1Records[E][];
}
