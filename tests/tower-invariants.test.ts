// Every lap of four races through the API, as a strategist sees the tower: one order, gaps that agree with it,
// intervals to the car directly ahead, no negative number, lapped cars behind the lead lap, and one track-status
// timeline (the banner at a seek equals that lap's seek-bar band; the Ergast SC and red-flag laps show).
import { afterAll, describe, expect, it } from 'vitest';
import type { ReplayInfo, TimingSnapshot } from '../src/shared/domain.js';
import { raceSessionHandlers } from '../src/main/engine/host/race-session.js';
import { Engine, Session } from '../src/main/engine/kernel/session.js';
import { replayHandlers } from '../src/main/replay/api.js';
import { sharedDb } from './helpers/db.js';

const db = sharedDb();
const session = new Session(new Engine(db, ':shared:'), () => undefined);
afterAll(() => {
  session.dispose();
  db.close();
});

function problems(info: ReplayInfo, lap: number, s: TimingSnapshot): string[] {
  const out: string[] = [];
  const running = s.rows.filter((r) => !r.retired);
  if (running.map((r) => r.position).join() !== running.map((_, i) => i + 1).join()) out.push('positions not 1…n');
  if (s.rows.findIndex((r) => r.retired) >= 0 && s.rows.slice(s.rows.findIndex((r) => r.retired)).some((r) => !r.retired))
    out.push('a retired car above a running one');
  const firstLapped = running.findIndex((r) => r.lapsDown > 0);
  if (firstLapped >= 0 && running.slice(firstLapped).some((r) => r.lapsDown === 0)) out.push('a lead-lap car below a lapped one');
  for (let i = 1; i < running.length; i++) {
    const a = running[i - 1]!;
    const b = running[i]!;
    const ga = i === 1 ? 0 : a.gapToLeader;
    if (b.gapToLeader !== null && ga !== null) {
      if (b.gapToLeader < ga - 1e-9) out.push(`${b.code} gap ${b.gapToLeader} < ${a.code} ${ga}`);
      if (b.interval === null || Math.abs(b.interval - (b.gapToLeader - ga)) > 0.0015)
        out.push(`${b.code} interval ${b.interval} is not the gap to ${a.code} (${(b.gapToLeader - ga).toFixed(3)})`);
    }
  }
  for (const r of s.rows) {
    if ((r.gapToLeader ?? 0) < 0 || (r.interval ?? 0) < 0) out.push(`${r.code} negative gap/interval`);
    if (r.retired && (r.gapToLeader !== null || r.interval !== null)) out.push(`retired ${r.code} shows a gap`);
  }
  const band = info.bands.find((x) => x.fromLap <= lap && lap <= x.toLap);
  if (band && band.state !== s.trackState) out.push(`banner ${s.trackState} but band ${band.state}`);
  return out.map((p) => `lap ${lap}: ${p}`);
}

const ergastPeriods = (season: number, round: number) => {
  const name = (db.prepare('SELECT name FROM races WHERE year = ? AND round = ?').get(season, round) as { name: string }).name;
  const race = `${season} ${name}`;
  const sc = db.prepare('SELECT deployed AS d, retreated AS r FROM safety_cars WHERE race_name = ? AND deployed IS NOT NULL').all(race) as { d: number; r: number | null }[];
  const red = db.prepare('SELECT lap FROM red_flags WHERE race_name = ? AND lap IS NOT NULL').all(race) as { lap: number }[];
  return { sc, red };
};

describe('the timing tower over every lap', () => {
  for (const [season, round] of [
    [2023, 1],
    [2023, 6],
    [2023, 14],
    [2021, 22],
  ] as const) {
    it(`${season} round ${round}: order, gaps, intervals and track status agree at every lap`, async () => {
      const info = await raceSessionHandlers.replayOpen(session, { season, round });
      const states = new Map<number, string>();
      const bad: string[] = [];
      for (let lap = 1; lap <= info.totalLaps; lap++) {
        const s = await replayHandlers.replaySeek(session, { lap });
        expect(s.lap).toBe(lap);
        states.set(lap, s.trackState);
        bad.push(...problems(info, lap, s));
      }
      expect(bad).toEqual([]);
      const { sc, red } = ergastPeriods(season, round);
      for (const p of sc) {
        const laps = Array.from({ length: Math.floor(p.r ?? p.d + 1) - p.d + 1 }, (_, k) => p.d + k);
        expect(laps.some((l) => states.get(l) === 'sc'), `SC laps ${laps.join(',')}`).toBe(true);
      }
      for (const r of red) expect([r.lap - 1, r.lap, r.lap + 1].some((l) => states.get(l) === 'red'), `red flag lap ${r.lap}`).toBe(true);
    });
  }
});
