// The F1 SignalR Core source (official @microsoft/signalr client) against a fake hub replaying the real FP2 session
// (recorded from the fake archive) with compressed time: the OPTIONS cookie reaches negotiate and the WebSocket,
// the received updates equal the recording's, a dropped socket is reconnected and resubscribed so the merged state
// equals the uninterrupted one (nothing doubled), and malformed frames / unknown topics are counted and skipped.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FP2_KEY, startFakeArchive } from '../../../../tests/helpers/fake-archive.js';
import { startFakeSignalR } from '../../../../tests/helpers/fake-signalr.js';
import { collect, mergeEvents, messagesOf } from '../../../../tests/helpers/live.js';
import type { LiveEvent, LiveMessage } from '../feed.js';
import { openLiveSource } from './index.js';

let recorded: LiveMessage[] = [];
let whole: Record<string, unknown> = {};
beforeAll(async () => {
  const arch = await startFakeArchive();
  const events = await collect(
    openLiveSource({ kind: 'f1-archive', season: 2020, sessionKey: FP2_KEY, baseUrl: arch.base, cacheDir: mkdtempSync(join(tmpdir(), 'pw-f1-')), http: { limits: [] } }),
  );
  await arch.close();
  recorded = messagesOf(events);
  whole = mergeEvents(events).topics;
});

// The 1 h 53 min session in about 2 s.
const SPEED = 3500;
const f1 = (url: string, extra: { token?: string } = {}) => openLiveSource({ kind: 'f1', baseUrl: url, reconnectDelaysMs: [0, 20, 50], ...extra });
const plain = (m: LiveMessage) => ({ topic: m.topic, data: m.data, utc: m.utc });
const count = (ev: LiveEvent[], kind: LiveEvent['kind']) => ev.filter((e) => e.kind === kind).length;

describe('the f1 SignalR Core source', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => Promise.all(closers.map((c) => c())));

  it('negotiates with the OPTIONS cookie, subscribes, and receives exactly the recorded updates until SessionStatus "Ends"', async () => {
    const hub = await startFakeSignalR({ messages: recorded, speed: SPEED });
    closers.push(hub.close);
    const ev = await collect(f1(hub.url, { token: 'f1tv-token-123' }));
    expect(hub.log.map((l) => `${l.step}:${l.cookie}`)).toEqual(['options:false', 'negotiate:true', 'websocket:true']);
    expect(hub.log.filter((l) => l.step !== 'options').map((l) => l.auth)).toEqual(['Bearer f1tv-token-123', 'Bearer f1tv-token-123']);
    expect(messagesOf(ev).map(plain)).toEqual(recorded.map(plain));
    expect(count(ev, 'initial')).toBe(1);
    expect(count(ev, 'skipped')).toBe(0);
    expect(mergeEvents(ev).topics).toEqual(whole);
    expect(ev.at(-1)).toEqual({ kind: 'status', connection: 'ended' });
  });

  it('a socket dropped twice mid-session: reconnects, resubscribes, and the merged state equals the uninterrupted one', async () => {
    const hub = await startFakeSignalR({ messages: recorded, speed: SPEED, dropAfter: [4000, 3000] });
    closers.push(hub.close);
    const ev = await collect(f1(hub.url), { signal: AbortSignal.timeout(40_000) });
    expect(hub.connections).toBe(3);
    expect(count(ev, 'initial')).toBe(3);
    expect(ev.filter((e) => e.kind === 'status' && e.connection === 'reconnecting').length).toBeGreaterThanOrEqual(2);
    const merged = mergeEvents(ev).topics;
    expect(merged).toEqual(whole);
    // nothing doubled: the race-control list holds each message once
    const rcm = (merged.RaceControlMessages as { Messages: unknown[] }).Messages;
    expect(Object.keys(rcm)).toHaveLength(Object.keys((whole.RaceControlMessages as { Messages: unknown[] }).Messages).length);
    // fewer updates than recorded arrived (some fell into the gaps), the resubscribe states filled them in
    expect(messagesOf(ev).length).toBeLessThanOrEqual(recorded.length);
  });

  it('malformed frames, unknown methods and unknown topics are counted and skipped; the connection stays up', async () => {
    const hub = await startFakeSignalR({ messages: recorded, speed: SPEED, garbageEvery: 1500 });
    closers.push(hub.close);
    const ev = await collect(f1(hub.url), { signal: AbortSignal.timeout(40_000) });
    expect(hub.garbageSent).toBeGreaterThanOrEqual(6 * 10);
    expect(count(ev, 'skipped')).toBe(hub.garbageSent);
    const reasons = new Set(ev.flatMap((e) => (e.kind === 'skipped' ? [e.reason.replace(/\(.*$/, '').replace(/".*"/, '"…"').trim()] : [])));
    expect([...reasons].sort()).toEqual(['f1: feed message without [topic, data, utc]', 'f1: malformed frame', 'f1: unknown hub method "…"', 'f1: unknown topic "…"'].sort());
    expect(hub.connections).toBe(1);
    expect(messagesOf(ev).map(plain)).toEqual(recorded.map(plain));
  });
});

describe('a new session on the same feed', () => {
  it('a SessionInfo with a new Name resubscribes: a fresh initial state for the new session', async () => {
    const cut = 3000;
    const at = recorded[cut]!.utc;
    const next = { topic: 'SessionInfo', data: { Key: 5779, Name: 'Practice 3', Type: 'Practice' }, utc: at };
    const hub = await startFakeSignalR({ messages: [...recorded.slice(0, cut), next, ...recorded.slice(cut)], speed: SPEED });
    const ev = await collect(f1(hub.url), { signal: AbortSignal.timeout(40_000) });
    await hub.close();
    expect(count(ev, 'initial')).toBe(2);
    expect(ev.filter((e) => e.kind === 'status' && e.detail?.startsWith('new session'))).toEqual([{ kind: 'status', connection: 'live', detail: 'new session: Practice 3' }]);
    const second = ev.filter((e) => e.kind === 'initial')[1]!;
    expect(second.kind === 'initial' && (second.state.SessionInfo as { Name: string }).Name).toBe('Practice 3');
    expect(mergeEvents(ev).get('TimingData')).toEqual(whole.TimingData);
  });
});

describe('the f1 source refused', () => {
  it('a 401 at negotiate fails at once with a message naming the URL and the token', async () => {
    const hub = await startFakeSignalR({ messages: [], speed: 1, refuseNegotiate: 401 });
    await expect(collect(f1(hub.url, { token: 'expired' }))).rejects.toThrow(`f1: live timing refused the connection (HTTP 401) at ${hub.url}: check the F1 TV token`);
    expect(hub.log.filter((l) => l.step === 'negotiate')).toHaveLength(1);
    await hub.close();
  });
});

describe('FastF1’s live capture (2021 Bahrain FP3, with broken lines) through the hub', () => {
  it('the good lines arrive decoded (CarData.z / Position.z inflated with the token), the broken ones are counted', async () => {
    const { readFileSync } = await import('node:fs');
    const { readFastF1Capture } = await import('../fastf1-capture.js');
    const { decodePayload } = await import('../../timing/stream.js');
    const { PROJECT_ROOT } = await import('../../../../tests/helpers/data.js');
    const file = join(PROJECT_ROOT, 'tests', 'fixtures', 'f1-livetiming', 'fastf1-recording', 'with_errors.txt');
    const text = readFileSync(file, 'utf8');
    const cap = readFastF1Capture(text, file);
    expect(cap.skipped.length).toBeGreaterThanOrEqual(10);
    expect(cap.messages.length + cap.skipped.length).toBe(text.split('\n').filter((l) => l.trim()).length);
    // Both .z payloads in the capture are cut off (they do not inflate); one whole CarData.z is added after them.
    const { deflateRawSync } = await import('node:zlib');
    const car = { Entries: [{ Utc: '2021-03-28T14:56:50.1Z', Cars: { '44': { Channels: { '0': 11000, '2': 287, '3': 7 } } } }] };
    const last = cap.messages.at(-1)!.utc;
    cap.messages.push({ topic: 'CarData.z', data: deflateRawSync(JSON.stringify(car)).toString('base64'), utc: last });
    const expected = cap.messages.flatMap((m) => {
      try {
        const d = decodePayload(m.topic, m.data, 'x');
        return [{ topic: d.topic, data: d.data, utc: m.utc }];
      } catch {
        return [];
      }
    });
    const hub = await startFakeSignalR({ messages: cap.messages, speed: 1000 });
    const ev = await collect(f1(hub.url, { token: 'f1tv' }), { signal: AbortSignal.timeout(30_000), until: (e) => messagesOf(e).length >= expected.length });
    await hub.close();
    expect(expected.filter((m) => m.topic === 'CarData').map((m) => m.data)).toEqual([car]);
    expect(ev.filter((e) => e.kind === 'skipped' && /does not inflate/.test(e.reason))).toHaveLength(2);
    expect(messagesOf(ev).map(plain)).toEqual(expected);
    expect(count(ev, 'skipped')).toBe(cap.messages.length - expected.length);
  });
});
