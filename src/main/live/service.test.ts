// The live service: one feed, many clients. Every client gets the towers the feed builds (a burst of messages
// becomes one push), a client with a broadcast delay sees each tower only that long after it was built, and the
// laps each client is handed follow its delay.
import { describe, expect, it } from 'vitest';
import { raceRecording } from '../../../tests/helpers/live.js';
import type { EventName, PitwallEvents } from '../../shared/api.js';
import type { LiveTower } from '../../shared/live.js';
import { Engine, Session } from '../engine/kernel/session.js';
import { recordingSource } from './recording.js';
import { LiveService } from './service.js';

type Got = { name: EventName; payload: unknown; at: number }[];
function client(engine: Engine): { session: Session; got: Got } {
  const got: Got = [];
  const session = new Session(engine, <E extends EventName>(name: E, payload: PitwallEvents[E]) => got.push({ name, payload, at: Date.now() }));
  return { session, got };
}
const towers = (g: Got) => g.filter((e) => e.name === 'live:tower').map((e) => ({ tower: e.payload as LiveTower, at: e.at }));

describe('the live service', () => {
  const file = raceRecording(1);
  it('shares one feed: every client gets the towers, laps as they complete, and the end of the feed', async () => {
    const engine = new Engine(null as never, ':memory:');
    const live = new LiveService();
    const a = client(engine);
    const b = client(engine);
    expect(live.subscribe(a.session).connection).toBe('idle');
    live.subscribe(b.session);
    await live.start(recordingSource(file, { speed: 5000 }));
    await new Promise((r) => setTimeout(r, 100));
    const ta = towers(a.got);
    expect(ta.length).toBeGreaterThan(5);
    expect(towers(b.got).map((t) => t.tower.seq)).toEqual(ta.map((t) => t.tower.seq));
    // bursts were coalesced: fewer pushes than messages, the last push has everything
    const last = ta[ta.length - 1]!.tower;
    expect(ta.length).toBeLessThan(live.status(a.session).messages);
    expect(last.lap).toBe(57);
    const statuses = a.got.filter((e) => e.name === 'live:status').map((e) => (e.payload as { connection: string }).connection);
    expect(statuses).toContain('recording');
    expect(statuses[statuses.length - 1]).toBe('ended');
    const laps = a.got.filter((e) => e.name === 'live:laps').flatMap((e) => e.payload as { code: string }[]);
    expect(laps.filter((l) => l.code === 'VER').length).toBe(57);
    expect(live.lapsFor(a.session, 1).length).toBe(57);
    const events = a.got.filter((e) => e.name === 'live:events').flatMap((e) => e.payload as { type: string; code?: string; lap: number }[]);
    expect(events.filter((e) => e.type === 'pit_stop' && e.code === 'VER').map((e) => e.lap)).toEqual([17, 37]);
    expect(new Set(events.map((e) => JSON.stringify(e))).size).toBe(events.length); // each sent once
    const lines = a.got.filter((e) => e.name === 'live:commentary').flatMap((e) => e.payload as { text: string; event: { type: string } }[]);
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.every((l) => l.text.length > 10)).toBe(true);
    a.session.dispose();
    expect(live.tower(b.session)!.seq).toBe(last.seq);
    live.release();
  });

  it('delays what a client sees by its broadcast delay; others see it at once', async () => {
    const engine = new Engine(null as never, ':memory:');
    const live = new LiveService();
    const now = client(engine);
    const late = client(engine);
    live.subscribe(now.session);
    live.subscribe(late.session);
    expect(live.setDelay(late.session, 1).delayS).toBe(1);
    expect(live.setDelay(late.session, 500).delayS).toBe(120); // clamped
    live.setDelay(late.session, 1);
    void live.start(recordingSource(file, { speed: 60 }));
    await new Promise((r) => setTimeout(r, 2500));
    live.stop();
    const built = new Map(towers(now.got).map((t) => [t.tower.seq, t.at]));
    const shown = towers(late.got);
    expect(shown.length).toBeGreaterThan(3);
    // `built` is when the undelayed client received the tower (a few ms after it was built): allow that much
    for (const s of shown) expect(s.at - built.get(s.tower.seq)!).toBeGreaterThanOrEqual(950);
    // the delayed client is behind: its newest tower is older than the undelayed client's
    expect(shown[shown.length - 1]!.tower.seq).toBeLessThan(towers(now.got).at(-1)!.tower.seq);
    expect(live.tower(late.session)!.seq).toBeLessThan(live.tower(now.session)!.seq);
    live.release();
  });

  it('a delayed client’s charts hold only the laps completed by its delayed moment; a live client’s hold more', async () => {
    const engine = new Engine(null as never, ':memory:');
    const live = new LiveService();
    const now = client(engine);
    const late = client(engine);
    live.subscribe(now.session);
    live.subscribe(late.session);
    live.setDelay(late.session, 2);
    void live.start(recordingSource(file, { speed: 200 }));
    await new Promise((r) => setTimeout(r, 6000));
    const tower = live.tower(late.session)!;
    const lateCharts = live.charts(late.session)!;
    const nowCharts = live.charts(now.session)!;
    const all = live.lapsFor(now.session);
    live.release();
    const moment = tower.offsetMs! / 1000;
    expect(lateCharts.asOf).toBe(moment);
    const timeOf = new Map(all.map((l) => [`${(l.code ?? '').toLowerCase()}|${l.lap}`, l.timeS]));
    const lateLaps = lateCharts.drivers.flatMap((d) => d.laps.map((l) => `${d.driver}|${l.lap}`));
    expect(lateLaps.length).toBeGreaterThan(20);
    for (const k of lateLaps) expect(timeOf.get(k), k).toBeLessThanOrEqual(moment);
    // the feed had moved on: laps completed after the delayed moment exist, and only the live client's charts show them
    const after = all.filter((l) => l.timeS > moment);
    expect(after.length).toBeGreaterThan(0);
    const nowLaps = new Set(nowCharts.drivers.flatMap((d) => d.laps.map((l) => `${d.driver}|${l.lap}`)));
    for (const l of after) expect(nowLaps.has(`${(l.code ?? '').toLowerCase()}|${l.lap}`)).toBe(true);
    expect(lateCharts.leaderLaps).toBeLessThan(nowCharts.leaderLaps);
    // stints and stops also end by the delayed moment
    const lastLap = new Map(lateCharts.drivers.map((d) => [d.driver, d.laps.at(-1)?.lap ?? 0]));
    for (const st of lateCharts.stints) expect(st.toLap).toBeLessThanOrEqual(lastLap.get(st.driver)!);
    for (const st of lateCharts.stops) expect(st.lap).toBeLessThanOrEqual(lastLap.get(st.driver)!);
  });

  it('a SessionInfo with a new Name starts a new session: the old cars go, the new session shows', async () => {
    const engine = new Engine(null as never, ':memory:');
    const live = new LiveService();
    const a = client(engine);
    live.subscribe(a.session);
    const utc = (s: number) => new Date(Date.UTC(2024, 2, 2, 14, 0, s)).toISOString();
    const msgs = [
      { topic: 'SessionInfo', data: { Name: 'Qualifying', Type: 'Qualifying' }, utc: utc(0) },
      { topic: 'TimingData', data: { Lines: { '1': { Position: '1', NumberOfLaps: 3 }, '16': { Position: '2', NumberOfLaps: 3 } } }, utc: utc(1) },
      { topic: 'SessionInfo', data: { Name: 'Race', Type: 'Race' }, utc: utc(2) },
      { topic: 'TimingData', data: { Lines: { '44': { Position: '1', NumberOfLaps: 0 } } }, utc: utc(3) },
    ];
    await live.start({ name: 'test', run: async (sink) => msgs.forEach((message) => sink({ kind: 'message', message })) });
    const t = live.tower(a.session)!;
    expect(t.session!.name).toBe('Race');
    expect(t.rows.map((r) => r.driverNumber)).toEqual([44]);
    expect(t.seq).toBe(4);
    live.release();
  });
});
