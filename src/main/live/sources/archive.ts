// The F1 live-timing archive as a live source: a finished session (`Key` in `<base>/<year>/Index.json`), every topic
// stream its own `Index.json` lists (or, where the archive lacks that index, every known topic that answers), merged
// into one time-ordered message stream with the streams' own offsets, emitted as fast as the consumer takes them.
import type { HttpClient } from '../../update/http.js';
import { SourceError } from '../../update/http.js';
import { ARCHIVE_BASE_URL } from '../../update/f1archive.js';
import { decodePayload, parseJsonStream, parseOffset } from '../../timing/stream.js';
import type { LiveMessage, LiveSource } from '../feed.js';

/** Topics the archive may hold for a session, tried one by one when the session has no Index.json. */
export const ARCHIVE_TOPICS = [
  'SessionInfo', 'ArchiveStatus', 'SessionStatus', 'SessionData', 'Heartbeat', 'ExtrapolatedClock', 'DriverList', 'TimingData',
  'TimingAppData', 'TimingStats', 'TopThree', 'LapCount', 'TrackStatus', 'RaceControlMessages', 'WeatherData', 'TeamRadio',
  'PitLaneTimeCollection', 'TyreStintSeries', 'LapSeries', 'DriverRaceInfo', 'ChampionshipPrediction', 'TlaRcm', 'CarData.z', 'Position.z',
];

export interface ArchiveSourceOptions {
  http: HttpClient;
  baseUrl?: string;
  season: number;
  sessionKey: number;
  /** Only these topics (names as the archive spells them, e.g. `CarData.z`); default: all the session has. */
  topics?: string[];
}

interface IndexSession {
  Key?: number;
  Name?: string;
  Type?: string;
  Path?: string;
  StartDate?: string;
  EndDate?: string;
  GmtOffset?: string;
}
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The season index's session with `key`, with its meeting's name; a clear error listing what the season has. */
export function findSession(index: unknown, key: number, url: string): { meeting: string; session: IndexSession & { Path: string } } {
  const meetings = isObj(index) && Array.isArray(index.Meetings) ? index.Meetings.filter(isObj) : null;
  if (!meetings) throw new SourceError('f1-archive: Index.json has no Meetings list', url);
  for (const m of meetings)
    for (const s of Array.isArray(m.Sessions) ? m.Sessions.filter(isObj) : [])
      if (s.Key === key && typeof s.Path === 'string') return { meeting: String(m.Name ?? ''), session: s as unknown as IndexSession & { Path: string } };
  const keys = meetings.flatMap((m) => (Array.isArray(m.Sessions) ? m.Sessions.filter(isObj).map((s) => `${s.Key} (${m.Name} ${s.Name})`) : []));
  throw new SourceError(`f1-archive: no session with Key ${key} in the season index (it has ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''})`, url);
}

/** Local start time + GMT offset → UTC milliseconds; null when either is missing. */
export function sessionStartMs(s: { StartDate?: string; GmtOffset?: string }): number | null {
  if (!s.StartDate) return null;
  const local = Date.parse(`${s.StartDate.replace(/Z$/, '')}Z`);
  const neg = s.GmtOffset?.startsWith('-');
  const off = parseOffset(`${(s.GmtOffset ?? '00:00:00').replace(/^[-+]/, '')}.000`);
  return Number.isNaN(local) || off === null ? null : local - (neg ? -off : off);
}

/** The session's feeds: topic → stream and keyframe file names (the session Index.json, else the known topics). */
async function feedsOf(http: HttpClient, dir: string): Promise<{ topic: string; stream?: string; keyframe?: string }[]> {
  let idx: unknown;
  try {
    idx = await http.getJson(`${dir}Index.json`, { keepMissing: true });
  } catch (e) {
    if (!(e instanceof SourceError && e.status === 404)) throw e;
    return ARCHIVE_TOPICS.map((topic) => ({ topic, stream: `${topic}.jsonStream` }));
  }
  const feeds = isObj(idx) && isObj(idx.Feeds) ? idx.Feeds : {};
  return Object.entries(feeds).map(([topic, f]) => ({
    topic,
    stream: isObj(f) && typeof f.StreamPath === 'string' ? f.StreamPath : undefined,
    keyframe: isObj(f) && typeof f.KeyFramePath === 'string' ? f.KeyFramePath : undefined,
  }));
}

const bare = (topic: string) => (topic.endsWith('.z') ? topic.slice(0, -2) : topic);

export function archiveSource(o: ArchiveSourceOptions): LiveSource {
  const base = (o.baseUrl ?? ARCHIVE_BASE_URL).replace(/\/+$/, '');
  const src: LiveSource = {
    name: 'f1-archive',
    async run(sink, signal) {
      sink({ kind: 'status', connection: 'connecting' });
      const indexUrl = `${base}/${o.season}/Index.json`;
      const { meeting, session } = findSession(await o.http.getJson(indexUrl, { reuse: false }), o.sessionKey, indexUrl);
      const dir = `${base}/${session.Path.replace(/^\/+/, '').replace(/\/?$/, '/')}`;
      const wanted = o.topics ? new Set(o.topics) : null;
      const feeds = (await feedsOf(o.http, dir)).filter((f) => !wanted || wanted.has(f.topic) || wanted.has(bare(f.topic)));
      const updates: { topic: string; offsetMs: number; data: unknown; seq: number }[] = [];
      const initial: Record<string, unknown> = {};
      const topics: string[] = [];
      for (const f of feeds) {
        if (signal.aborted) return;
        const file = f.stream ?? f.keyframe;
        if (!file) continue;
        const url = `${dir}${file}`;
        let text: string;
        try {
          text = await o.http.getText(url, { keepMissing: true });
        } catch (e) {
          if (e instanceof SourceError && e.status === 404) continue; // a topic this session never had
          throw e;
        }
        if (f.stream) {
          for (const u of parseJsonStream(text, f.topic, url)) updates.push({ topic: bare(f.topic), ...u, seq: updates.length });
        } else {
          // A keyframe without a stream: the topic's whole state, given as the initial state.
          const body: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
          initial[bare(f.topic)] = decodePayload(f.topic, body, url).data;
        }
        topics.push(bare(f.topic));
      }
      updates.sort((a, b) => a.offsetMs - b.offsetMs || a.seq - b.seq);
      // The streams' zero in UTC: a Heartbeat line carries its own Utc; else the session's scheduled start.
      const hb = updates.find((u) => u.topic === 'Heartbeat' && isObj(u.data) && typeof u.data.Utc === 'string');
      const hbUtc = hb && isObj(hb.data) ? Date.parse(String(hb.data.Utc)) - hb.offsetMs : NaN;
      const t0 = Number.isFinite(hbUtc) ? hbUtc : (sessionStartMs(session) ?? 0);
      src.session = {
        season: o.season, meeting, key: session.Key, name: session.Name, type: session.Type, path: session.Path,
        startDate: session.StartDate, gmtOffset: session.GmtOffset, streamStartUtc: new Date(t0).toISOString(), topics,
      };
      sink({ kind: 'status', connection: 'live' });
      sink({ kind: 'initial', utc: new Date(t0).toISOString(), state: initial, offsetMs: 0 });
      for (let i = 0; i < updates.length; i++) {
        const u = updates[i]!;
        const message: LiveMessage = { topic: u.topic, data: u.data, utc: new Date(t0 + u.offsetMs).toISOString(), offsetMs: u.offsetMs };
        sink({ kind: 'message', message });
        if (i % 5000 === 4999) {
          await new Promise<void>((r) => setImmediate(r)); // let Ctrl-C and the server breathe
          if (signal.aborted) return;
        }
      }
      sink({ kind: 'status', connection: 'ended' });
    },
  };
  return src;
}
