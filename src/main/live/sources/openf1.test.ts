// The OpenF1 source against a fake OpenF1 API serving records synthesised from the real FP2 session (laps derived
// from the archive fixture, its race-control messages and weather): translated into F1 topics, the merged state has
// the laps, best laps, positions, stints and pit stops of those records, and the archive's own lap derivation reads
// the same laps back; a live session is polled with date cursors (each record once); without a token during a live
// session the source fails with the message saying so.
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureStream } from '../../../../tests/helpers/fake-archive.js';
import { startFakeMqtt } from '../../../../tests/helpers/fake-mqtt.js';
import { startFakeOpenF1, type FakeOpenF1, type Row } from '../../../../tests/helpers/fake-openf1-live.js';
import { collect, mergeEvents, messagesOf } from '../../../../tests/helpers/live.js';
import { deriveLaps } from '../../timing/laps.js';
import { mergeUpdate } from '../../timing/state.js';
import { parseJsonStream, type StreamUpdate } from '../../timing/stream.js';
import type { LiveEvent, LiveMessage } from '../feed.js';
import { openLiveSource } from './index.js';
import { OPENF1_UNAUTHENTICATED } from './openf1.js';
import { gapText, lapText } from './openf1-topics.js';

const stream = (t: string) => parseJsonStream(fixtureStream(t), t, t);
const laps = deriveLaps(Object.fromEntries(['TimingData', 'TimingAppData', 'DriverList', 'TrackStatus'].map((t) => [t, stream(t)])));
const T0 = Date.parse('2020-08-07T14:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const KEY = 7777;
const drivers = Object.entries(stream('DriverList')[0]!.data as Record<string, Record<string, unknown>>).map(([n, d]) => ({
  session_key: KEY, driver_number: Number(n), name_acronym: d.Tla, full_name: d.FullName, team_name: d.TeamName, broadcast_name: d.BroadcastName,
}));
const stints = new Map<string, Row>();
for (const l of laps) {
  if (l.stint === null) continue;
  const k = `${l.driver_number}/${l.stint}`;
  const s = stints.get(k) ?? { session_key: KEY, driver_number: l.driver_number, stint_number: l.stint, lap_start: l.lap_number, compound: l.compound, tyre_age_at_start: Math.max(0, (l.tyre_life ?? 1) - 1) };
  stints.set(k, { ...s, lap_end: l.lap_number });
}
const rcm = (mergeUpdate(undefined, stream('RaceControlMessages').reduce<unknown>((a, u) => mergeUpdate(a, u.data), undefined)) as { Messages: Record<string, Record<string, string>> }).Messages;
const tables: Record<string, Row[]> = {
  sessions: [{ session_key: KEY, meeting_key: 1049, session_name: 'Practice 2', session_type: 'Practice', date_start: '2020-08-07T14:00:00+00:00',
    date_end: '2020-08-07T15:30:00+00:00', gmt_offset: '01:00:00', year: 2020, location: 'Silverstone', circuit_short_name: 'Silverstone' }],
  meetings: [{ meeting_key: 1049, meeting_name: '70th Anniversary Grand Prix' }],
  drivers,
  laps: laps.map((l) => ({ session_key: KEY, driver_number: l.driver_number, lap_number: l.lap_number, date_start: iso(l.time_s - (l.lap_time_s ?? 100)),
    lap_duration: l.lap_time_s, duration_sector_1: l.sector1_s, duration_sector_2: l.sector2_s, duration_sector_3: l.sector3_s })),
  position: laps.filter((l) => l.position !== null).map((l) => ({ session_key: KEY, driver_number: l.driver_number, date: iso(l.time_s), position: l.position })),
  stints: [...stints.values()],
  pit: laps.filter((l) => l.pit_in).map((l) => ({ session_key: KEY, driver_number: l.driver_number, date: iso(l.time_s), lap_number: l.lap_number, pit_duration: 24.5 })),
  race_control: Object.values(rcm).map((m) => ({ session_key: KEY, date: `${m.Utc}+00:00`, category: m.Category, flag: m.Flag ?? null, scope: m.Scope ?? null, message: m.Message })),
  weather: stream('WeatherData').map((u) => {
    const w = u.data as Record<string, string>;
    return { session_key: KEY, date: iso(u.offsetMs / 1000), air_temperature: Number(w.AirTemp), track_temperature: Number(w.TrackTemp), rainfall: Number(w.Rainfall) };
  }),
  intervals: [
    { session_key: KEY, driver_number: 44, date: iso(3000), gap_to_leader: 1.234, interval: 0.5 },
    { session_key: KEY, driver_number: 77, date: iso(3000), gap_to_leader: '+1 LAP', interval: '+1 LAP' },
    { session_key: KEY, driver_number: 33, date: iso(3000), gap_to_leader: null, interval: null },
  ],
};
const timed = laps.filter((l) => l.lap_time_s !== null);
const byDriver = (f: (ls: typeof laps) => unknown) =>
  Object.fromEntries([...new Set(laps.map((l) => l.driver_number))].map((n) => [String(n), f(laps.filter((l) => l.driver_number === n))]));

const fakes: FakeOpenF1[] = [];
afterAll(() => Promise.all(fakes.map((f) => f.close())));
const source = (base: string, o: { token?: string; now?: number; mqttUrl?: string } = {}) =>
  openLiveSource({ kind: 'openf1', baseUrl: base, sessionKey: KEY, token: o.token, pollMs: 1, now: () => o.now ?? Date.now(), http: { limits: [], retries: 0 },
    ...(o.mqttUrl ? { mqttUrl: o.mqttUrl } : { transport: 'poll' as const }) });

describe('the openf1 live source', () => {
  it('a finished session, fetched whole and translated to F1 topics: laps, best laps, positions, stints, pits, gaps, race control', async () => {
    const fake = await startFakeOpenF1({ tables });
    fakes.push(fake);
    const ev = await collect(source(fake.base));
    const s = mergeEvents(ev);
    expect(s.get<Record<string, { Tla: string }>>('DriverList')!['44']!.Tla).toBe('HAM');
    expect(s.get('SessionInfo')).toMatchObject({ Name: 'Practice 2', Meeting: { Name: '70th Anniversary Grand Prix' }, StartDate: '2020-08-07T15:00:00' });
    const lines = s.get<{ Lines: Record<string, Record<string, unknown>> }>('TimingData')!.Lines;
    const pick = (k: string, f: (v: Record<string, unknown>) => unknown) => Object.fromEntries(Object.entries(lines).map(([n, l]) => [n, l[k] === undefined ? undefined : f(l)]));
    expect(pick('BestLapTime', (l) => (l.BestLapTime as { Value: string }).Value)).toEqual(
      byDriver((ls) => lapText(Math.min(...ls.flatMap((l) => (l.lap_time_s === null ? [] : [l.lap_time_s]))))),
    );
    const last = (ls: typeof laps) => ls.reduce((a, b) => (b.lap_number > a.lap_number ? b : a));
    expect(pick('NumberOfLaps', (l) => l.NumberOfLaps)).toEqual(byDriver((ls) => (last(ls).lap_time_s === null ? last(ls).lap_number - 1 : last(ls).lap_number)));
    expect(pick('NumberOfPitStops', (l) => l.NumberOfPitStops)).toEqual(byDriver((ls) => ls.filter((l) => l.pit_in).length || undefined));
    expect(lines['44']!.Position).toBe(String([...laps].filter((l) => l.driver_number === 44 && l.position !== null).sort((a, b) => a.time_s - b.time_s).at(-1)!.position));
    expect([lines['44']!.GapToLeader, lines['77']!.GapToLeader, lines['33']!.GapToLeader]).toEqual(['+1.234', '1L', '']);
    const app = s.get<{ Lines: Record<string, { Stints: Record<string, { Compound: string }> }> }>('TimingAppData')!.Lines;
    expect(Object.values(app['44']!.Stints).map((x) => x.Compound)).toEqual([...stints.values()].filter((x) => x.driver_number === 44).map((x) => x.compound));
    expect(Object.keys(s.get<{ Messages: object }>('RaceControlMessages')!.Messages)).toHaveLength(Object.keys(rcm).length);
    expect(s.get('WeatherData')).toMatchObject({ AirTemp: String(tables.weather!.at(-1)!.air_temperature) });
    // The archive's own lap derivation reads the translated stream back: the same timed laps.
    const streams: Record<string, StreamUpdate[]> = {};
    for (const m of messagesOf(ev)) (streams[m.topic] ??= []).push({ offsetMs: m.offsetMs!, data: m.data });
    const back = deriveLaps(streams).filter((l) => l.lap_time_s !== null).map((l) => `${l.driver_number}/${l.lap_number}/${l.lap_time_s}`);
    expect(new Set(back)).toEqual(new Set(timed.map((l) => `${l.driver_number}/${l.lap_number}/${l.lap_time_s}`)));
    expect(ev.at(-1)).toEqual({ kind: 'status', connection: 'ended' });
  });

  it('a live session is polled with date cursors: every record arrives once; the token goes as a bearer header', async () => {
    const fake = await startFakeOpenF1({ tables, requireToken: 'of1-token', horizon: T0, step: 15 * 60_000 });
    fakes.push(fake);
    const lapRequests = () => fake.log.filter((l) => l.path.startsWith('/v1/laps')).length;
    const stop = new AbortController();
    const watch = setInterval(() => lapRequests() >= 12 && stop.abort(), 5);
    const ev = await collect(source(fake.base, { token: 'of1-token', now: T0 + 20 * 60_000 }), { signal: stop.signal });
    clearInterval(watch);
    const lastLaps = messagesOf(ev).filter((m) => m.topic === 'TimingData' && JSON.stringify(m.data).includes('LastLapTime'));
    expect(lastLaps).toHaveLength(timed.length);
    expect(fake.log.every((l) => l.auth === 'Bearer of1-token')).toBe(true);
    expect(fake.log.filter((l) => /^\/v1\/laps\?session_key=7777&date_start>2020-08-07T/.test(l.path)).length).toBeGreaterThanOrEqual(10);
    expect(fake.log.some((l) => /^\/v1\/stints\?session_key=7777$/.test(l.path))).toBe(true);
  });

  it('with a token during a live session: one REST round, then OpenF1’s MQTT stream (duplicates, other sessions and junk dropped)', async () => {
    const horizon = T0 + 30 * 60_000;
    const fake = await startFakeOpenF1({ tables, requireToken: 'of1-token', horizon });
    const broker = await startFakeMqtt({ token: 'of1-token' });
    fakes.push(fake, { close: broker.close } as FakeOpenF1);
    const later = tables.laps!.filter((l) => Date.parse(String(l.date_start)) > horizon);
    const before = tables.laps!.filter((l) => Date.parse(String(l.date_start)) <= horizon);
    const ready = broker.subscribed('v1/laps');
    const stop = new AbortController();
    const isLastLap = (m: LiveMessage) => m.topic === 'TimingData' && JSON.stringify(m.data).includes('LastLapTime');
    let seen: LiveEvent[] = [];
    const run = collect(source(fake.base, { token: 'of1-token', now: T0 + 20 * 60_000, mqttUrl: broker.url }), {
      signal: stop.signal,
      until: (e) => ((seen = e), false),
    });
    await ready;
    const send = (r: Row) => broker.publish('v1/laps', JSON.stringify({ ...r, _id: 1, _key: 'x' }));
    for (const r of later.slice(0, 100)) send(r);
    send(before.at(-1)!); // already had it over REST
    send({ ...later[0]!, session_key: 1 }); // another session
    broker.publish('v1/laps', '{"not json');
    // OpenF1 has those on REST too; the socket drops before they all got through: the catch-up fills the gap.
    fake.setHorizon(Math.max(...later.slice(0, 100).map((l) => Date.parse(String(l.date_start)))));
    broker.dropAll();
    const again = broker.subscribed('v1/laps');
    await again;
    for (const r of later.slice(100)) send(r);
    send(later[5]!); // a repeat after the reconnect
    // wait for everything (the catch-up round runs beside the stream), then a little more for any duplicate
    for (let i = 0; i < 400 && messagesOf(seen).filter(isLastLap).length < timed.length; i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 300));
    stop.abort();
    const ev = await run;
    expect(messagesOf(ev).filter(isLastLap)).toHaveLength(timed.length);
    expect(ev.filter((e) => e.kind === 'skipped').map((e) => e.kind === 'skipped' && e.reason)).toEqual(['openf1 mqtt: v1/laps: malformed JSON']);
    expect(broker.connects.map((c) => c.ok)).toEqual([true, true]);
    expect(fake.log.filter((l) => l.path.startsWith('/v1/laps')).length).toBe(2); // the first round + the catch-up
    expect(ev.some((e) => e.kind === 'status' && e.detail === 'streaming over MQTT')).toBe(true);
  });

  it('during a live session without a token, the 401 becomes a message saying to add one (not an empty tower)', async () => {
    const fake = await startFakeOpenF1({ tables, requireToken: 'of1-token' });
    fakes.push(fake);
    const seen: LiveEvent[] = [];
    await expect(openLiveSource({ kind: 'openf1', baseUrl: fake.base, sessionKey: KEY, now: () => T0, http: { limits: [], retries: 0 } }).run((e) => seen.push(e), new AbortController().signal))
      .rejects.toThrow(OPENF1_UNAUTHENTICATED);
    expect(seen.filter((e) => e.kind === 'message')).toHaveLength(0);
  });

  it('writes gaps the way F1 does', () => {
    expect([gapText(0.3), gapText('+2 LAPS'), gapText(null), lapText(91.234), lapText(58.1)]).toEqual(['+0.300', '2L', '', '1:31.234', '58.100']);
  });
});
