// The f1-archive source over the real FP2 fixture on a fake archive: every stream, one time-ordered message stream
// with the streams' own offsets; the merged state at a moment equals merging the raw stream directly.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FP2_KEY, FP2_PATH, fixtureStream, startFakeArchive } from '../../../../tests/helpers/fake-archive.js';
import { collect, mergeEvents, messagesOf } from '../../../../tests/helpers/live.js';
import { TimingState } from '../../timing/state.js';
import { parseJsonStream } from '../../timing/stream.js';
import { openLiveSource } from './index.js';
import { sessionStartMs } from './archive.js';

let fake: Awaited<ReturnType<typeof startFakeArchive>>;
beforeAll(async () => {
  fake = await startFakeArchive({
    // A second copy of the session with its own Index.json: only the listed feeds, one of them a keyframe only.
    [`${FP2_PATH.replace('Practice_2', 'Practice_2b')}Index.json`]: JSON.stringify({
      Feeds: { TimingData: { KeyFramePath: 'TimingData.json', StreamPath: 'TimingData.jsonStream' }, LapCount: { KeyFramePath: 'LapCount.json' } },
    }),
    [`${FP2_PATH.replace('Practice_2', 'Practice_2b')}TimingData.jsonStream`]: fixtureStream('TimingData'),
    [`${FP2_PATH.replace('Practice_2', 'Practice_2b')}LapCount.json`]: '\ufeff{"CurrentLap":7,"TotalLaps":52}',
    '2020/Index.json': JSON.stringify({
      Meetings: [{ Name: '70th Anniversary Grand Prix', Sessions: [
        { Key: FP2_KEY, Name: 'Practice 2', StartDate: '2020-08-07T15:00:00', GmtOffset: '01:00:00', Path: FP2_PATH },
        { Key: 9999, Name: 'Practice 2b', StartDate: '2020-08-07T15:00:00', GmtOffset: '01:00:00', Path: FP2_PATH.replace('Practice_2', 'Practice_2b') },
      ] }],
    }),
  });
});
afterAll(() => fake.close());
const source = (sessionKey: number) =>
  openLiveSource({ kind: 'f1-archive', season: 2020, sessionKey, baseUrl: fake.base, cacheDir: mkdtempSync(join(tmpdir(), 'pw-arch-')), http: { limits: [], retries: 0 } });

describe('the f1-archive live source', () => {
  it('emits every line of every stream the session has, in offset order, and the state at +01:00:00 equals the raw stream merged', async () => {
    const events = await collect(source(FP2_KEY));
    const ms = messagesOf(events);
    const counts: Record<string, number> = {};
    for (const m of ms) counts[m.topic] = (counts[m.topic] ?? 0) + 1;
    const raw = parseJsonStream(fixtureStream('TimingData'), 'TimingData', 'fixture');
    expect(counts).toEqual({
      TimingData: raw.length, TimingAppData: 660, DriverList: 64, WeatherData: 100, RaceControlMessages: 21, TrackStatus: 7, SessionStatus: 5, SessionInfo: 1,
    });
    expect(ms.every((m, i) => i === 0 || m.offsetMs! >= ms[i - 1]!.offsetMs!)).toBe(true);
    // utc = the session's scheduled start (15:00 at GMT+1) + the stream offset
    expect(sessionStartMs({ StartDate: '2020-08-07T15:00:00', GmtOffset: '01:00:00' })).toBe(Date.parse('2020-08-07T14:00:00Z'));
    expect(ms[5]!.utc).toBe(new Date(Date.parse('2020-08-07T14:00:00Z') + ms[5]!.offsetMs!).toISOString());
    const at = 3_600_000;
    const direct = new TimingState();
    for (const u of raw) if (u.offsetMs <= at) direct.apply('TimingData', u.data);
    const viaSource = mergeEvents(events.filter((e) => e.kind !== 'message' || e.message.offsetMs! <= at));
    expect(viaSource.get('TimingData')).toEqual(direct.get('TimingData'));
    expect(events.at(-1)).toEqual({ kind: 'status', connection: 'ended' });
  });

  it('reads only the feeds a session Index.json lists; a keyframe without a stream is the initial state', async () => {
    fake.log.length = 0;
    const events = await collect(source(9999));
    expect(new Set(messagesOf(events).map((m) => m.topic))).toEqual(new Set(['TimingData']));
    expect(events.find((e) => e.kind === 'initial')).toMatchObject({ state: { LapCount: { CurrentLap: 7, TotalLaps: 52 } } });
    expect(fake.log.filter((p) => p.endsWith('.jsonStream'))).toHaveLength(1);
  });

  it('a session key the season lacks is an error naming the key and what the season has', async () => {
    await expect(collect(source(1234))).rejects.toThrow(/no session with Key 1234 .*5778 \(70th Anniversary Grand Prix Practice 2\)/);
  });
});
