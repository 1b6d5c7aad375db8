// The timing tower at one session time: every lap completed by then, ordered as at the line.
import type { Compound, TimingRow, TimingSnapshot } from '../../shared/domain.js';
import type { LapRecord } from './source.js';
import { countLE, type Timeline } from './timeline.js';

interface Car {
  driver: string;
  done: number; // laps completed
  last: LapRecord | undefined;
  retired: boolean;
}

export function snapshotAt(tl: Timeline, t: number, playing = false, speed = 1): TimingSnapshot {
  const cars: Car[] = [];
  for (const [driver] of tl.drivers) {
    const list = tl.laps.get(driver) ?? [];
    const done = tl.lapsCompleted(driver, t);
    const ret = tl.retirements.get(driver);
    cars.push({ driver, done, last: list[done - 1], retired: ret !== undefined && t >= ret.time });
  }
  const gridOf = (d: string) => {
    const g = tl.drivers.get(d)?.grid;
    return g && g > 0 ? g : 99;
  };
  cars.sort((a, b) => {
    if (a.retired !== b.retired) return a.retired ? 1 : -1;
    if (a.done !== b.done) return b.done - a.done;
    if (a.done === 0) return gridOf(a.driver) - gridOf(b.driver);
    return a.last!.time - b.last!.time;
  });

  // Overall best lap so far (for purple laps).
  let overallBest = Infinity;
  for (const c of cars) for (const l of (tl.laps.get(c.driver) ?? []).slice(0, c.done)) if (l.lapTime !== null && l.lapTime < overallBest && l.lap > 1) overallBest = l.lapTime;

  const leader = cars[0];
  const leaderTimes = leader ? (tl.times.get(leader.driver) ?? []) : [];
  const stopsBy = new Map<string, number>();
  const inPit = new Set<string>();
  for (const s of tl.stops) {
    if (s.inTime > t) continue;
    stopsBy.set(s.driver, (stopsBy.get(s.driver) ?? 0) + 1);
    if (s.outTime !== null && t < s.outTime) inPit.add(s.driver);
  }
  const lap = leader ? Math.min(leader.done, tl.totalLaps) : 0;
  const drsOn = tl.drsEnabled(lap + 1);

  // Each car's time behind the leader at the most recent line both have crossed: the gap at the car's last
  // crossing, or — once the leader has crossed the next line and the car has not — at least the time since then.
  // Ordered as at the line, these never decrease, so intervals (to the car directly ahead) are never negative.
  const behind = cars.map((c) => {
    if (c === leader) return 0;
    if (!c.last || c.done === 0 || !leader || c.retired) return null; // a retired car has no gap
    const atLine = leaderTimes[c.done - 1];
    const next = leaderTimes[c.done];
    if (atLine === undefined) return null;
    return next !== undefined && next <= t ? Math.max(c.last.time - atLine, t - next) : Math.max(0, c.last.time - atLine);
  });

  const rows: TimingRow[] = cars.map((c, i) => {
    const meta = tl.drivers.get(c.driver)!;
    const list = tl.laps.get(c.driver) ?? [];
    const ahead = cars[i - 1];
    let gap: number | null = null;
    let interval: number | null = null;
    let lapsDown = 0;
    if (i > 0 && c.done > 0 && c.last && leader) {
      const g = behind[i]!;
      if (g !== null) gap = round3(g);
      lapsDown = Math.max(0, countLE(leaderTimes, c.last.time) - c.done);
      const ga = behind[i - 1];
      if (g !== null && ga !== null && ga !== undefined) interval = round3(round3(g) - round3(ga));
    }
    let best: number | null = null;
    for (const l of list.slice(0, c.done)) if (l.lapTime !== null && l.lap > 1 && (best === null || l.lapTime < best)) best = l.lapTime;
    const lastLap = c.last?.lapTime ?? null;
    // The tyre on the car now: the lap in progress once it has left the pits, else the last completed lap.
    const cur = list[c.done];
    const onNew = cur && (cur.pitOut === null || cur.pitOut <= t) ? cur : c.last ?? cur;
    const compound: Compound = onNew?.compound ?? 'UNKNOWN';
    const sameLap = ahead !== undefined && lapsDown === 0;
    return {
      position: i + 1,
      driver: c.driver,
      code: meta.code,
      team: meta.team,
      teamColor: meta.teamColor,
      lap: c.done,
      gapToLeader: gap,
      interval,
      lapsDown,
      lastLap,
      bestLap: best,
      lastLapIsPersonalBest: lastLap !== null && best !== null && lastLap === best && c.done > 1,
      lastLapIsOverallBest: lastLap !== null && lastLap === overallBest && c.done > 1,
      sectors: c.last?.sectors ?? null,
      compound,
      tyreAge: onNew?.tyreLife ?? null,
      pitStops: stopsBy.get(c.driver) ?? 0,
      inPit: inPit.has(c.driver),
      drsRange: drsOn && !c.retired && sameLap && interval !== null && interval < 1.0,
      retired: c.retired,
    };
  });

  return {
    season: tl.meta.season,
    round: tl.meta.round,
    lap,
    totalLaps: tl.totalLaps,
    sessionTime: round3(t),
    trackState: tl.bannerState(t),
    rows,
    playing,
    speed,
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
