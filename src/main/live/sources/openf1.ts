// OpenF1 (https://openf1.org) as a live source: REST polling with a `date>` cursor per endpoint (laps, intervals,
// position, stints, pit, race_control, weather), translated into F1 live-timing topic updates (translate.ts below in
// openf1-topics.ts) so the same state and tower code runs on it. A finished session is fetched whole, once. An
// optional token goes as `Authorization: Bearer`; during a live session OpenF1 refuses unauthenticated requests,
// which fails the source with a message saying so (never an empty tower).
import { HttpClient, SourceError, type HttpClientOptions, type RateLimit } from '../../update/http.js';
import type { LiveMessage, LiveSource } from '../feed.js';
import { OpenF1Translator, type OpenF1Record } from './openf1-topics.js';

export const OPENF1_BASE_URL = 'https://api.openf1.org/v1';
/** OpenF1's limit: 30 requests per 10 s (and 3 per second on the free tier). */
export const OPENF1_LIMITS: RateLimit[] = [{ burst: 3, perSecond: 3 }, { burst: 30, perSecond: 3 }];
export const OPENF1_UNAUTHENTICATED =
  'OpenF1 refuses unauthenticated requests during a live session: add a token in Settings (openf1Token)';

/** Polled endpoints and the field their cursor runs on (stints have none: fetched whole each time). */
export const OPENF1_ENDPOINTS: { name: string; cursor: string | null }[] = [
  { name: 'laps', cursor: 'date_start' },
  { name: 'intervals', cursor: 'date' },
  { name: 'position', cursor: 'date' },
  { name: 'stints', cursor: null },
  { name: 'pit', cursor: 'date' },
  { name: 'race_control', cursor: 'date' },
  { name: 'weather', cursor: 'date' },
];
export const OPENF1_MQTT_URL = 'wss://mqtt.openf1.org:8084/mqtt';
/** A record's identity for duplicates: its fields without MQTT's own (`_id`, `_key`), keys sorted. */
const recordId = (r: OpenF1Record): string =>
  JSON.stringify(Object.keys(r).filter((k) => !k.startsWith('_')).sort().map((k) => [k, r[k]]));
/** A cursor trails the newest record by this much: records can land late and out of order; duplicates are dropped. */
const OVERLAP_MS = 60_000;

export interface OpenF1SourceOptions {
  /** HTTP client options (cache folder, limits; tests: a quick backoff); the token is added to every request. */
  http: HttpClientOptions;
  baseUrl?: string;
  /** A session key, or "latest" (the default): the current or most recent session. */
  sessionKey?: number | 'latest';
  token?: string;
  /** Time between polling rounds during a live session (default 4 s; 7 endpoints → ≤ 18 requests / 10 s). */
  pollMs?: number;
  /** A session counts as live until this long after its scheduled end (default 15 min). */
  graceMs?: number;
  now?: () => number;
  /** With a token during a live session: 'auto' (default) streams over MQTT, falling back to polling; 'poll' never. */
  transport?: 'auto' | 'poll';
  mqttUrl?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((r) => {
    const t = setTimeout(r, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
  });

export function openf1Source(o: OpenF1SourceOptions): LiveSource {
  const base = (o.baseUrl ?? OPENF1_BASE_URL).replace(/\/+$/, '');
  const now = o.now ?? Date.now;
  const baseFetch = o.http.fetch ?? fetch;
  const http = new HttpClient({
    ...o.http,
    source: 'openf1',
    fetch: o.token ? (url, init) => baseFetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${o.token}` } }) : baseFetch,
  });
  const src: LiveSource = {
    name: 'openf1',
    async run(sink, signal) {
      let live = false;
      const get = async (path: string): Promise<OpenF1Record[]> => {
        const url = `${base}/${path}`;
        let body: unknown;
        try {
          body = await http.getJson(url, { reuse: false, keep: () => false });
        } catch (e) {
          if (e instanceof SourceError && (e.status === 401 || e.status === 403))
            throw new Error(o.token ? `OpenF1 refused the token (HTTP ${e.status}): check the OpenF1 token in Settings (${url})` : `${OPENF1_UNAUTHENTICATED} (HTTP ${e.status}, ${url})`);
          if (e instanceof SourceError && e.status === 404) return []; // OpenF1 answers 404 for "no results"
          throw e;
        }
        if (!Array.isArray(body)) {
          if (isObj(body) && typeof body.detail === 'string' && /auth|token|live/i.test(body.detail) && !o.token) throw new Error(`${OPENF1_UNAUTHENTICATED} (${url})`);
          sink({ kind: 'skipped', reason: `openf1: ${url}: expected a JSON list` });
          return [];
        }
        return body.filter(isObj);
      };
      sink({ kind: 'status', connection: 'connecting' });
      const sessions = await get(`sessions?session_key=${o.sessionKey ?? 'latest'}`);
      const session = sessions[sessions.length - 1];
      if (!session || typeof session.session_key !== 'number') throw new Error(`openf1: no session ${o.sessionKey ?? 'latest'} at ${base}`);
      const key = session.session_key;
      const meeting = typeof session.meeting_key === 'number' ? (await get(`meetings?meeting_key=${session.meeting_key}`))[0] : undefined;
      const tr = new OpenF1Translator(session, meeting);
      src.session = tr.sessionSummary();
      const end = Date.parse(String(session.date_end ?? ''));
      live = !(Number.isFinite(end) && now() > end + (o.graceMs ?? 15 * 60_000));
      const drivers = await get(`drivers?session_key=${key}`);
      const startUtc = new Date(Math.min(now(), Date.parse(String(session.date_start ?? '')) || now())).toISOString();
      let t0: number | null = null;
      const emit = (ms: LiveMessage[]) => {
        for (const m of ms.sort((a, b) => Date.parse(a.utc) - Date.parse(b.utc))) {
          t0 ??= Date.parse(m.utc);
          sink({ kind: 'message', message: { ...m, offsetMs: Math.max(0, Date.parse(m.utc) - t0) } });
        }
      };
      sink({ kind: 'status', connection: 'live', detail: live ? 'polling' : 'finished session: fetched whole' });
      sink({ kind: 'initial', utc: live ? new Date(now()).toISOString() : startUtc, state: tr.initial(drivers) });

      const cursors = new Map<string, string>();
      const seen = new Map<string, Set<string>>();
      /** New records of an endpoint → their topic updates (a record seen before, from REST or MQTT, is dropped). */
      const take = (ep: (typeof OPENF1_ENDPOINTS)[number], rows: OpenF1Record[], batch: LiveMessage[]): number => {
        // Every record id is kept for the session (a race: some 10^4–10^5 short strings): MQTT, a repeat or a catch-up
        // round can bring back a record from before the cursor.
        const mine = seen.get(ep.name) ?? new Set<string>();
        seen.set(ep.name, mine);
        let newest = -Infinity;
        for (const r of rows) {
          const id = recordId(r);
          const at = ep.cursor ? Date.parse(String(r[ep.cursor] ?? '')) : NaN;
          if (Number.isFinite(at)) newest = Math.max(newest, at);
          if (mine.has(id)) continue;
          mine.add(id);
          for (const m of tr.translate(ep.name, r, sink)) batch.push(m);
        }
        return newest;
      };
      const pollRound = async (): Promise<void> => {
        const batch: LiveMessage[] = [];
        for (const ep of OPENF1_ENDPOINTS) {
          if (signal.aborted) return;
          const c = ep.cursor ? cursors.get(ep.name) : undefined;
          const rows = await get(`${ep.name}?session_key=${key}${c && ep.cursor ? `&${ep.cursor}>${c}` : ''}`);
          const newest = Math.max(take(ep, rows, batch), c ? Date.parse(c) + OVERLAP_MS : -Infinity);
          if (ep.cursor && Number.isFinite(newest)) {
            const cut = newest - OVERLAP_MS;
            cursors.set(ep.name, new Date(cut).toISOString());
          }
        }
        emit(batch);
      };
      const over = () => now() > end + (o.graceMs ?? 15 * 60_000);

      await pollRound();
      if (live && o.token && (o.transport ?? 'auto') !== 'poll') {
        // With a token: OpenF1's MQTT stream instead of polling (REST again only to fill a reconnect's gap).
        const { streamOpenF1 } = await import('./openf1-mqtt.js');
        const ok = await streamOpenF1({
          url: o.mqttUrl ?? OPENF1_MQTT_URL, token: o.token, topics: OPENF1_ENDPOINTS.map((e) => e.name), signal, over,
          onRecord: (topic, r) => {
            const ep = OPENF1_ENDPOINTS.find((e) => e.name === topic);
            if (!ep || r.session_key !== key) return;
            const batch: LiveMessage[] = [];
            take(ep, [r], batch);
            emit(batch);
          },
          onSkip: (reason) => sink({ kind: 'skipped', reason: `openf1 mqtt: ${reason}` }),
          onStatus: (connection, detail) => sink({ kind: 'status', connection, detail }),
          onReconnected: () => void pollRound().catch((e: Error) => sink({ kind: 'skipped', reason: `openf1: catch-up after reconnect failed: ${e.message}` })),
        });
        if (!ok) sink({ kind: 'status', connection: 'live', detail: 'MQTT unavailable: polling' });
        else live = false; // streamed to the end
      }
      while (live && !signal.aborted && !over()) {
        await sleep(o.pollMs ?? 4000, signal);
        if (!signal.aborted) await pollRound();
      }
      sink({ kind: 'status', connection: 'ended' });
    },
  };
  return src;
}
