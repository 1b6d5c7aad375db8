// The live tower on real data: the archive fixture session (2020 70th Anniversary GP, FP2) recorded and replayed
// equals the state merged straight from the raw TimingData stream, and a race synthesised from the bundled 2024
// Bahrain laps gives gaps, "+1 LAP", pit stops, tyres and track status as the laps say.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveRecording, FP2_DIR, FP2_ORIGIN_UTC, raceRecording } from '../../../tests/helpers/live.js';
import { TimingState } from '../timing/state.js';
import { LiveTiming } from './live-timing.js';
import { readRecording } from './recording.js';
import { parseSnapshotTime, snapshotAt, snapshotJson } from './snapshot.js';
import { liveRace, liveStintForecast } from './downstream.js';
import { liveCommentary, liveEvents, liveRaceEvents } from './events.js';
import { buildTower, parseGap } from './tower.js';

const fp2 = readRecording(archiveRecording());
const TRUTH = '/work/shared/acceptance/lib/livetiming_truth.py';
const plainStreams = existsSync(join(FP2_DIR, 'TimingData.jsonStream'));

describe('the tower from the archive session', () => {
  it.each(['00:30:00.000', '01:00:00.000', '01:30:00.000'])('equals the raw TimingData at +%s', (at) => {
    const snap = snapshotJson(snapshotAt(fp2, parseSnapshotTime(`+${at}`)).tower);
    expect(snap.rows.length).toBe(20);
    if (existsSync(TRUTH) && plainStreams) {
      const truth = JSON.parse(execFileSync('python3', [TRUTH, FP2_DIR, at], { encoding: 'utf8' })) as Record<string, { position: number | null; laps: number | null; bestLap: number | null }>;
      for (const [num, t] of Object.entries(truth)) {
        const r = snap.rows.find((x) => x.driverNumber === Number(num))!;
        expect([r.position, r.laps, r.bestLap], `#${num} at ${at}`).toEqual([t.position, t.laps, t.bestLap]);
      }
    }
    expect(snap.at).toBe(new Date(FP2_ORIGIN_UTC + (parseSnapshotTime(`+${at}`) as { offsetMs: number }).offsetMs).toISOString());
  });

  it('matches the reference values at 00:30 and 01:30, and orders rows by position', () => {
    const t30 = snapshotAt(fp2, { offsetMs: 30 * 60_000 }).tower;
    const ham = t30.rows.find((r) => r.code === 'HAM')!;
    const ric = t30.rows.find((r) => r.driverNumber === 3)!;
    expect([ham.position, ham.laps, ric.position, ric.laps, ric.bestLap]).toEqual([19, 1, 9, 5, 87.736]);
    expect(t30.rows.map((r) => r.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const t90 = snapshotAt(fp2, { offsetMs: 90 * 60_000 }).tower;
    expect(t90.rows.find((r) => r.driverNumber === 77)!.lastLap).toBe(99.681);
    expect(t90.rows.find((r) => r.driverNumber === 44)!.laps).toBe(22);
  });

  it('an ISO instant and the same +offset give the same tower', () => {
    const iso = new Date(FP2_ORIGIN_UTC + 60 * 60_000).toISOString();
    const a = snapshotJson(snapshotAt(fp2, parseSnapshotTime(iso)).tower);
    const b = snapshotJson(snapshotAt(fp2, parseSnapshotTime('+01:00:00.000')).tower);
    expect(a).toEqual(b);
  });

  it('shows practice gaps to the fastest lap, sector flags, mini-sectors, speed traps, tyres and weather', () => {
    const t = snapshotAt(fp2, { offsetMs: 60 * 60_000 }).tower;
    const p2 = t.rows[1]!;
    expect(typeof p2.gapToLeader).toBe('number');
    expect(p2.gapToLeader as number).toBeGreaterThan(0);
    expect(t.rows[0]!.gapToLeader).toBeNull();
    const s = snapshotAt(fp2, parseSnapshotTime('+00:14:20.000')).tower.rows.find((r) => r.driverNumber === 20)!;
    expect(s.sectors[1]).toMatchObject({ time: 43.642, flag: 'overall' });
    expect(s.speeds.i2).toEqual({ kmh: 227, flag: 'overall' });
    expect(t.rows.some((r) => r.sectors.some((s) => s.segments.includes('personal')))).toBe(true);
    expect(t.rows.some((r) => (r.speeds.st.kmh ?? 0) > 250)).toBe(true);
    expect(t.rows.filter((r) => r.compound !== null).length).toBeGreaterThan(10);
    expect(t.weather!.airTemp).toBeGreaterThan(20);
    expect(t.session).toMatchObject({ name: 'Practice 2', key: 5778 });
    expect(t.raceControl[0]!.message).toMatch(/DELETED - TRACK LIMITS/);
  });

  it('shows the VSC of 01:31:35 and the yellow before it', () => {
    expect(snapshotAt(fp2, { offsetMs: (91 * 60 + 10) * 1000 }).tower.trackStatus.state).toBe('yellow');
    expect(snapshotAt(fp2, { offsetMs: (92 * 60) * 1000 }).tower.trackStatus).toMatchObject({ code: '6', state: 'vsc' });
  });

  it('towers built as messages arrive (rows of unchanged cars reused) equal towers built from scratch', () => {
    const live = new LiveTiming();
    let n = 0;
    for (const e of fp2.events) {
      live.apply(e);
      if (++n % 97 !== 0) continue;
      const t = live.tower();
      const fresh = buildTower(live.state, { at: t.at, offsetMs: t.offsetMs, seq: t.seq, trend: () => null });
      expect(t.rows.map((r) => ({ ...r, trend: null }))).toEqual(fresh.rows);
    }
    expect(n).toBeGreaterThan(17_000);
  });

  it('an initial state replaces the topics it carries (a resubscribe doubles nothing)', () => {
    const live = new LiveTiming();
    const cut = fp2.events.findIndex((e) => e.kind === 'message' && (e.message.offsetMs ?? 0) > 45 * 60_000);
    for (const e of fp2.events.slice(0, cut)) live.apply(e);
    const before = JSON.stringify(live.tower().rows);
    live.apply({ kind: 'initial', utc: live.utc!, offsetMs: live.offsetMs!, state: JSON.parse(JSON.stringify(live.state.topics)) as Record<string, unknown> });
    expect(JSON.stringify(live.tower().rows)).toBe(before);
    expect(live.apply({ kind: 'skipped', reason: 'bad frame' })).toBe(false);
    expect(live.skipped).toBe(1);
  });
});

describe('a race from the bundled laps', () => {
  const race = readRecording(raceRecording(1));
  it('gives gaps that grow from the leader, lapped cars as "+1 LAP", stops, tyres and the lap count', () => {
    const mid = snapshotAt(race, { offsetMs: 45 * 60_000 }).tower;
    expect(mid.totalLaps).toBe(57);
    expect(mid.lap).toBeGreaterThan(20);
    const gaps = mid.rows.slice(1).map((r) => r.gapToLeader);
    const secsOnly = gaps.filter((g): g is number => typeof g === 'number');
    expect(secsOnly.length).toBeGreaterThan(10);
    expect(mid.rows[0]!.code).toBe('VER');
    const end = snapshotAt(race, { offsetMs: 200 * 60_000 }).tower;
    expect(end.rows.some((r) => r.gapToLeader === '+1 LAP')).toBe(true);
    expect(end.rows.find((r) => r.code === 'VER')!.pitStops).toBe(2);
    expect(end.rows.find((r) => r.code === 'VER')!.compound).toBe('SOFT');
    expect(end.rows.filter((r) => r.retired)).toEqual([]);
    expect(end.lap).toBe(57);
  });
  it('marks the cars that stopped (2024 round 4: ZHO, RIC, ALB) as retired', () => {
    const end = snapshotAt(readRecording(raceRecording(4)), { offsetMs: 200 * 60_000 }).tower;
    expect(end.rows.filter((r) => r.retired).map((r) => r.code).sort()).toEqual(['ALB', 'RIC', 'ZHO']);
  });
  it('derives the completed laps live, as the archive import does', () => {
    const { timing } = snapshotAt(race, { offsetMs: 45 * 60_000 });
    const laps = timing.laps().filter((l) => l.code === 'VER');
    expect(laps.length).toBeGreaterThan(20);
    expect(laps[1]!.lapTime).toBeCloseTo(96.296, 3);
  });
});

describe('parsing', () => {
  it('reads gaps, lap strings and times', () => {
    expect([parseGap('+1.234'), parseGap('1L'), parseGap('+2 LAPS'), parseGap('LAP 23'), parseGap(''), parseGap({ Value: '+0.5' })]).toEqual([1.234, '+1 LAP', '+2 LAPS', null, null, 0.5]);
    expect(parseSnapshotTime('+01:30:00.000')).toEqual({ offsetMs: 5_400_000 });
    expect(parseSnapshotTime('+90:00')).toEqual({ offsetMs: 5_400_000 });
    expect(parseSnapshotTime('2020-08-07T14:00:00Z')).toEqual({ utcMs: Date.parse('2020-08-07T14:00:00Z') });
    expect(() => parseSnapshotTime('yesterday')).toThrow(/--at "yesterday": expected an ISO-8601/);
    expect(() => parseSnapshotTime('+1:xx')).toThrow(/expected \+HH:MM:SS\.mmm/);
  });
  it('builds an empty tower from an empty state', () => {
    const t = buildTower(new TimingState(), { at: '2020-01-01T00:00:00.000Z', offsetMs: null, seq: 0 });
    expect([t.rows, t.lap, t.trackStatus.state, t.weather]).toEqual([[], null, 'green', null]);
  });
});

describe('live laps downstream', () => {
  it('the shipped tyre model forecasts a car’s current stint from its live laps', async () => {
    const { timing, tower } = snapshotAt(readRecording(raceRecording(1)), { offsetMs: 45 * 60_000 });
    const laps = timing.laps().sort((a, b) => a.timeS - b.timeS);
    const race = liveRace(laps, tower.totalLaps);
    expect(race.totalLaps).toBe(57);
    expect(race.byDriver.get('VER')!.filter((l) => l.clean).length).toBeGreaterThan(10);
    const f = await liveStintForecast(laps, tower.totalLaps, 1);
    expect(f).not.toBeNull();
    expect(f!.forecast.length).toBeGreaterThan(0);
    for (const p of f!.forecast) {
      expect(p.lapTime).toBeGreaterThan(90);
      expect(p.lapTime).toBeLessThan(105);
    }
    expect(await liveStintForecast(laps, tower.totalLaps, 999)).toBeNull();
  });
});

describe('live race events', () => {
  it('the replay’s detector finds the race’s pit stops, fastest laps and overtakes on the live laps', () => {
    const { timing, tower } = snapshotAt(readRecording(raceRecording(1)), { offsetMs: 200 * 60_000 });
    const events = liveEvents(timing.laps(), tower);
    const ver = events.filter((e) => e.type === 'pit_stop' && e.code === 'VER').map((e) => e.lap);
    expect(ver).toEqual([17, 37]);
    expect(events.some((e) => e.type === 'fastest_lap')).toBe(true);
    expect(events.some((e) => e.type === 'overtake')).toBe(true);
    expect(events.filter((e) => e.type === 'retirement')).toEqual([]);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    for (let i = 1; i < events.length; i++) expect(events[i]!.time).toBeGreaterThanOrEqual(events[i - 1]!.time);
  });
  it('comments the CRITICAL and HIGH live events with the offline generator over the facts of that moment', () => {
    const { timing, tower } = snapshotAt(readRecording(raceRecording(1)), { offsetMs: 200 * 60_000 });
    const { events, tl } = liveRaceEvents(timing.laps(), tower);
    const pit = events.find((e) => e.type === 'pit_stop' && e.code === 'VER')!;
    const line = liveCommentary(tl!, pit, []);
    expect(line!.text).toMatch(/VER/);
    expect(line).toMatchObject({ source: 'offline', lap: 17, id: `live-${pit.id}` });
    expect(liveCommentary(tl!, events.find((e) => e.priority === 'LOW')!, [])).toBeNull();
  });
});
