// The strategist charts' data (race trace, gap, lap times, stints) of a race as known at one session time: only the
// laps each car has completed by then, the stops whose in-lap is done, the bands of the leader's completed laps.
// The replay asks at its clock; a live feed asks at its clock minus the broadcast delay (same Timeline, same shape).
import type { ChartDriver, ChartLap, ChartStint, RaceCharts, TrackState } from '../../shared/domain.js';
import type { LapRecord } from './source.js';
import type { Timeline } from './timeline.js';

const SEVERITY: Record<TrackState, number> = { red: 4, sc: 3, vsc: 2, yellow: 1, green: 0 };

/** The worst track state while the car ran this lap (the periods behind the banner and the seek-bar bands). */
function lapState(tl: Timeline, l: LapRecord): TrackState {
  let best: TrackState = 'green';
  for (const p of tl.periods)
    if (p.start < l.time && p.end > l.start && SEVERITY[p.state] > SEVERITY[best]) best = p.state;
  return best;
}

/** The charts' data at session time `asOf`. */
export function raceChartsAt(tl: Timeline, asOf: number): RaceCharts {
  const leaderLaps = tl.leaderLapsAt(asOf);
  const drivers: ChartDriver[] = [];
  const stints: ChartStint[] = [];
  const stops: RaceCharts['stops'] = [];
  for (const meta of tl.meta.drivers) {
    const all = tl.laps.get(meta.driver) ?? [];
    const done = all.slice(0, tl.lapsCompleted(meta.driver, asOf));
    const last = done[done.length - 1]?.lap ?? 0;
    const own = tl.stops.filter((s) => s.driver === meta.driver && s.lap <= last);
    for (const s of own) stops.push({ driver: s.driver, lap: s.lap, stop: s.stop });
    const inLaps = new Set(own.map((s) => s.lap));
    const laps: ChartLap[] = [];
    let cur: ChartStint | null = null;
    let feedStint: number | null = null;
    let n = 0;
    for (const l of done) {
      // a new set: the feed's stint number moves on, the compound changes, or the car came out of a stop
      if (
        !cur ||
        l.compound !== cur.compound ||
        (l.stint !== null && feedStint !== null && l.stint !== feedStint) ||
        inLaps.has(l.lap - 1)
      ) {
        cur = {
          driver: meta.driver,
          stint: ++n,
          compound: l.compound,
          fresh: l.freshTyre ?? null,
          startAge: l.tyreLife,
          fromLap: l.lap,
          toLap: l.lap,
        };
        stints.push(cur);
      }
      cur.toLap = l.lap;
      feedStint = l.stint ?? feedStint;
      laps.push({
        lap: l.lap,
        raceTime: l.time - tl.raceStart,
        lapTime: l.lapTime,
        position: l.position,
        compound: l.compound,
        tyreAge: l.tyreLife,
        stint: cur.stint,
        pit: inLaps.has(l.lap) ? 'in' : inLaps.has(l.lap - 1) ? 'out' : null,
        trackState: lapState(tl, l),
      });
    }
    drivers.push({ driver: meta.driver, code: meta.code, team: meta.team, teamColor: meta.teamColor, laps });
  }
  const bands = tl
    .bands()
    .filter((b) => b.fromLap <= leaderLaps)
    .map((b) => ({ ...b, toLap: Math.min(b.toLap, leaderLaps) }));
  return {
    season: tl.meta.season,
    round: tl.meta.round,
    totalLaps: tl.totalLaps,
    asOf,
    leaderLaps,
    drivers,
    stints,
    stops,
    bands,
  };
}
