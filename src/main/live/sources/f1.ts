// F1 live timing over SignalR Core with the official @microsoft/signalr client: WebSockets, the JSON hub protocol
// (read record by record, so a malformed frame is counted and skipped instead of closing the connection), an
// optional F1 TV token (accessTokenFactory), automatic reconnect with backoff. The negotiate needs the load
// balancer's cookie from a preceding OPTIONS: `PrimedHttpClient` sends it; the client's Node cookie jar then carries
// the cookie to the negotiate POST and the WebSocket upgrade. Every (re)subscribe emits a full `initial` state.
import {
  DefaultHttpClient, HttpClient, HttpError, HttpTransportType, HubConnectionBuilder, JsonHubProtocol, LogLevel, NullLogger, TransferFormat,
  type HttpRequest, type HttpResponse, type HubConnection, type HubMessage, type IHubProtocol, type ILogger,
} from '@microsoft/signalr';
import { decodePayload } from '../../timing/stream.js';
import { USER_AGENT } from '../../update/http.js';
import type { LiveSource } from '../feed.js';

export const F1_LIVE_URL = 'https://livetiming.formula1.com/signalrcore';
/** Topics that work without an F1 TV token. */
export const F1_TOPICS = [
  'Heartbeat', 'ExtrapolatedClock', 'TopThree', 'TimingStats', 'TimingAppData', 'WeatherData', 'TrackStatus', 'SessionStatus', 'DriverList',
  'RaceControlMessages', 'SessionInfo', 'SessionData', 'LapCount', 'TimingData', 'TeamRadio', 'PitLaneTimeCollection', 'TyreStintSeries',
  'LapSeries', 'DriverRaceInfo', 'ChampionshipPrediction',
];
/** Topics that need the F1 TV subscription token (since late 2025). */
export const F1_TOKEN_TOPICS = ['CarData.z', 'Position.z'];

export interface F1SourceOptions {
  /** The hub URL (default F1_LIVE_URL); negotiate is `<url>/negotiate?negotiateVersion=1`. */
  baseUrl?: string;
  /** F1 TV subscription token, sent as a bearer access token. */
  token?: string;
  topics?: string[];
  /** Delays of the client's automatic reconnect (ms); after the last, a fresh connection is tried. */
  reconnectDelaysMs?: number[];
  /** Fresh connections after the automatic reconnect gave up (or the first start failed) before the source fails. */
  maxRestarts?: number;
  /** SessionStatus values that end the session (default "Ends"). */
  endOn?: string[];
  logger?: ILogger;
}

/** Sends an OPTIONS to the negotiate URL before its POST, so the cookie the server sets there is in the jar. */
export class PrimedHttpClient extends HttpClient {
  private readonly inner: DefaultHttpClient;
  private primed = new Set<string>();
  constructor(logger: ILogger) {
    super();
    this.inner = new DefaultHttpClient(logger);
  }
  override async send(request: HttpRequest): Promise<HttpResponse> {
    const url = request.url ?? '';
    if (request.method === 'POST' && /\/negotiate(\?|$)/.test(url) && !this.primed.has(url)) {
      this.primed.add(url);
      try {
        await this.inner.send({ method: 'OPTIONS', url, headers: request.headers, timeout: request.timeout, abortSignal: request.abortSignal });
      } catch (e) {
        if (!(e instanceof HttpError)) throw e; // a refused OPTIONS may still set the cookie; the POST will tell
      }
    }
    return this.inner.send(request);
  }
  override getCookieString(url: string): string {
    return this.inner.getCookieString(url);
  }
}

/** The JSON hub protocol, one `\x1e` record at a time: a record that does not parse, or an invocation of a method
 *  other than `feed`, is reported and dropped — the connection stays up. Handshake version 1 (as F1's hub speaks). */
class TolerantJsonProtocol implements IHubProtocol {
  readonly name = 'json';
  readonly version = 1;
  readonly transferFormat = TransferFormat.Text;
  private readonly inner = new JsonHubProtocol();
  constructor(private readonly onSkip: (reason: string) => void) {}
  parseMessages(input: string | ArrayBuffer, logger: ILogger): HubMessage[] {
    if (typeof input !== 'string') {
      this.onSkip('binary frame');
      return [];
    }
    const out: HubMessage[] = [];
    for (const rec of input.split('\x1e')) {
      if (rec.trim() === '') continue;
      try {
        for (const m of this.inner.parseMessages(`${rec}\x1e`, logger)) {
          if (m.type === 1 && m.target.toLowerCase() !== 'feed') this.onSkip(`unknown hub method "${m.target.slice(0, 40)}"`);
          else if (m.type > 7) this.onSkip(`unknown message type ${m.type as number}`);
          else out.push(m);
        }
      } catch (e) {
        this.onSkip(`malformed frame (${(e as Error).message.slice(0, 80)})`);
      }
    }
    return out;
  }
  writeMessage(message: HubMessage): string {
    return this.inner.writeMessage(message);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((r) => {
    const t = setTimeout(r, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
  });

export function f1Source(o: F1SourceOptions = {}): LiveSource {
  const url = (o.baseUrl ?? F1_LIVE_URL).replace(/\/+$/, '');
  const topics = o.topics ?? (o.token ? [...F1_TOPICS, ...F1_TOKEN_TOPICS] : F1_TOPICS);
  const known = new Set(topics.flatMap((t) => [t, t.replace(/\.z$/, '')]));
  const delays = o.reconnectDelaysMs ?? [0, 2000, 5000, 10_000, 20_000, 30_000, 60_000];
  const endOn = new Set(o.endOn ?? ['Ends']);
  const src: LiveSource = {
    name: 'f1',
    async run(sink, signal) {
      const skip = (reason: string) => sink({ kind: 'skipped', reason: `f1: ${reason}` });
      let t0: number | null = null;
      let sessionName: string | undefined;
      let ended = false;
      let finish: () => void = () => {};
      const offset = (utc: string): number | undefined => {
        const t = Date.parse(utc);
        return t0 === null || Number.isNaN(t) ? undefined : Math.max(0, t - t0);
      };
      const noteSession = (info: unknown): boolean => {
        if (!isObj(info) || typeof info.Name !== 'string') return false;
        const fresh = sessionName !== undefined && info.Name !== sessionName;
        sessionName = info.Name;
        const meeting = isObj(info.Meeting) ? info.Meeting : {};
        src.session = { key: info.Key, name: info.Name, type: info.Type, meeting: meeting.Name, path: info.Path, startDate: info.StartDate, gmtOffset: info.GmtOffset };
        return fresh;
      };

      let lastUtc: string | null = null;
      // Updates that arrive while a Subscribe is in flight (the completion and the updates after it can come in one
      // read, before the awaiting code runs) wait and follow the initial state they build on.
      let held: unknown[][] | null = null;
      const subscribe = async (c: HubConnection, first = false): Promise<void> => {
        held ??= [];
        let raw: unknown;
        try {
          raw = await c.invoke('Subscribe', topics);
        } catch (e) {
          release(c);
          throw e;
        }
        const state: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(isObj(raw) ? raw : {})) {
          try {
            const d = decodePayload(k, v, 'f1 initial state');
            state[d.topic] = d.data;
          } catch (e) {
            skip(`initial ${k}: ${(e as Error).message}`);
          }
        }
        const hb = isObj(state.Heartbeat) && typeof state.Heartbeat.Utc === 'string' ? state.Heartbeat.Utc : null;
        const utc = hb && !Number.isNaN(Date.parse(hb)) ? hb : (lastUtc ?? new Date().toISOString());
        if (hb) t0 ??= Date.parse(utc);
        noteSession(state.SessionInfo);
        sink({ kind: 'initial', utc, state, ...(offset(utc) !== undefined ? { offsetMs: offset(utc) } : {}) });
        sink({ kind: 'status', connection: 'live' });
        release(c);
        // The session we followed ended while we were away (on a first subscribe: wait for the next session).
        const st = isObj(state.SessionStatus) ? state.SessionStatus.Status : undefined;
        if (!first && typeof st === 'string' && endOn.has(st)) {
          ended = true;
          finish();
        }
      };

      const release = (c: HubConnection) => {
        const q = held ?? [];
        held = null;
        for (const args of q) onFeed(c)(...args);
      };
      const onFeed = (c: HubConnection) => (...args: unknown[]) => {
        if (held) return void held.push(args);
        const [topic, data, utc] = args;
        if (typeof topic !== 'string' || typeof utc !== 'string' || Number.isNaN(Date.parse(utc))) return skip('feed message without [topic, data, utc]');
        if (!known.has(topic)) return skip(`unknown topic "${topic.slice(0, 40)}"`);
        let d: { topic: string; data: unknown };
        try {
          d = decodePayload(topic, data, 'f1 feed');
        } catch (e) {
          return skip((e as Error).message);
        }
        t0 ??= Date.parse(utc);
        lastUtc = utc;
        sink({ kind: 'message', message: { topic: d.topic, data: d.data, utc, offsetMs: offset(utc) } });
        if (d.topic === 'SessionInfo' && noteSession(mergedInfo(d.data))) {
          sink({ kind: 'status', connection: 'live', detail: `new session: ${sessionName}` });
          void subscribe(c).catch((e: Error) => skip(`resubscribe failed: ${e.message}`));
        }
        if (d.topic === 'SessionStatus' && isObj(d.data) && typeof d.data.Status === 'string' && endOn.has(d.data.Status)) {
          ended = true;
          finish();
        }
      };
      // SessionInfo updates are partial: a new session is a Name differing from the one we hold.
      const mergedInfo = (u: unknown) => (isObj(u) && typeof u.Name === 'string' ? u : null);

      const logger = o.logger ?? NullLogger.instance;
      for (let attempt = 0; ; attempt++) {
        if (signal.aborted || ended) break;
        sink({ kind: 'status', connection: attempt ? 'reconnecting' : 'connecting' });
        const c = new HubConnectionBuilder()
          .withUrl(url, {
            transport: HttpTransportType.WebSockets,
            httpClient: new PrimedHttpClient(logger),
            headers: { 'User-Agent': USER_AGENT },
            ...(o.token ? { accessTokenFactory: () => o.token! } : {}),
          })
          .withHubProtocol(new TolerantJsonProtocol(skip))
          .withAutomaticReconnect(delays)
          .configureLogging(o.logger ?? LogLevel.None)
          .build();
        c.on('feed', onFeed(c));
        c.onreconnecting((e) => sink({ kind: 'status', connection: 'reconnecting', detail: e?.message }));
        c.onreconnected(() => void subscribe(c).catch((e: Error) => skip(`resubscribe failed: ${e.message}`)));
        const closed = new Promise<Error | undefined>((r) => c.onclose((e) => r(e)));
        const done = new Promise<void>((r) => {
          finish = r;
          signal.addEventListener('abort', () => r(), { once: true });
        });
        try {
          await c.start();
          await subscribe(c, attempt === 0);
          attempt = 0;
        } catch (e) {
          await c.stop().catch(() => {});
          // The client wraps the negotiate's HttpError in a plain Error ("… Status code '401'").
          const status = e instanceof HttpError ? e.statusCode : Number(/Status code '(\d{3})'/.exec((e as Error).message)?.[1]);
          if (status === 401 || status === 403)
            throw new Error(`f1: live timing refused the connection (HTTP ${status}) at ${url}${o.token ? ': check the F1 TV token' : ''}`);
          if (signal.aborted) break;
          if (attempt >= (o.maxRestarts ?? 10)) throw new Error(`f1: ${url} unreachable after ${attempt + 1} attempts: ${(e as Error).message}`);
          sink({ kind: 'status', connection: 'reconnecting', detail: (e as Error).message });
          await sleep(delays[Math.min(attempt + 1, delays.length - 1)] ?? 1000, signal);
          continue;
        }
        const why = await Promise.race([closed, done.then(() => 'done' as const)]);
        if (why === 'done') {
          await c.stop().catch(() => {});
          break;
        }
        // Automatic reconnect gave up (or the server closed): start over with a fresh negotiate.
        if (attempt >= (o.maxRestarts ?? 10)) throw new Error(`f1: connection lost and not regained after ${attempt + 1} attempts: ${why?.message ?? 'closed'}`);
        await sleep(delays[Math.min(attempt + 1, delays.length - 1)] ?? 1000, signal);
      }
      sink({ kind: 'status', connection: 'ended' });
    },
  };
  return src;
}
