// Race events on the live feed: the live laps (and the tower's names, teams and retirements) as a replay timing
// source, so the replay's own Timeline and event detector (replay/timeline.ts, replay/events.ts) find safety cars,
// lead changes, overtakes, pit stops, retirements and bests on a live race exactly as on a finished one.
import type { CommentaryLine, CommentaryStyle, RaceEvent } from '../../shared/domain.js';
import { buildContext } from '../commentary/context.js';
import { offlineLine } from '../commentary/offline.js';
import type { LiveLap, LiveTower } from '../../shared/live.js';
import { raceCompoundOf } from '../race/compounds.js';
import { buildRace } from '../replay/race.js';
import type { LapRecord, TimingSource } from '../replay/source.js';
import type { Timeline } from '../replay/timeline.js';

/** The live laps as a timing source: drivers by their three-letter code (a live feed has no Ergast refs). */
export function liveTimingSource(laps: readonly LiveLap[], tower: LiveTower | null): TimingSource {
  const ref = (l: { code: string | null; driverNumber: number }) => (l.code ?? String(l.driverNumber)).toLowerCase();
  const rows = tower?.rows ?? [];
  const byCar = new Map<number, LiveLap[]>();
  for (const l of laps) (byCar.get(l.driverNumber) ?? byCar.set(l.driverNumber, []).get(l.driverNumber)!).push(l);
  const records: LapRecord[] = [];
  for (const list of byCar.values()) {
    list.sort((a, b) => a.lap - b.lap);
    list.forEach((l, i) => {
      const start = i > 0 ? list[i - 1]!.timeS : l.lapTime !== null ? l.timeS - l.lapTime : l.timeS - 90;
      records.push({
        driver: ref(l),
        code: l.code ?? String(l.driverNumber),
        lap: l.lap,
        time: l.timeS,
        start,
        lapTime: l.lapTime,
        stint: l.stint,
        pitIn: l.pitIn ? l.timeS : null,
        pitOut: l.pitOut ? start : null,
        compound: raceCompoundOf(l.compound),
        tyreLife: l.tyreAge,
        trackStatus: l.trackStatus ?? '1',
        position: l.position,
        sectors: l.sectors,
        accurate: l.lapTime !== null,
      });
    });
  }
  const drivers = rows.map((r) => ({
    driver: ref(r),
    code: r.code ?? String(r.driverNumber),
    name: r.code ?? String(r.driverNumber),
    surname: r.code ?? String(r.driverNumber),
    team: r.team ?? '',
    teamColor: r.teamColor ?? '',
    grid: null,
    status: r.retired ? 'Retired' : 'Finished',
    classified: null,
    nationality: null,
    number: r.driverNumber,
  }));
  return {
    meta: {
      raceId: null,
      season: 0,
      round: 0,
      name: tower?.session?.meeting ?? 'Live session',
      circuitRef: 'live',
      circuitName: tower?.session?.meeting ?? 'Live',
      totalLaps: tower?.totalLaps ?? Math.max(0, ...records.map((r) => r.lap)),
      drivers,
    },
    reference: { pitStops: [], safetyCars: [], redFlags: [], vscLaps: [], fastestLap: null },
    laps: () => records,
  };
}

const keyOf = (e: RaceEvent) => `${e.type}|${e.lap}|${e.driver ?? ''}|${e.other ?? ''}`;

/** The events detected so far, each with a stable id (type, lap, cars), in session-time order, and the timeline. */
export function liveEvents(laps: readonly LiveLap[], tower: LiveTower | null): RaceEvent[] {
  return liveRaceEvents(laps, tower).events;
}

export function liveRaceEvents(laps: readonly LiveLap[], tower: LiveTower | null): { events: RaceEvent[]; tl: Timeline | null } {
  if (!laps.length) return { events: [], tl: null };
  const { tl, events } = buildRace(liveTimingSource(laps, tower));
  const seen = new Set<string>();
  const out: RaceEvent[] = [];
  for (const e of events) {
    const id = keyOf(e);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ ...e, id });
  }
  return { events: out.sort((a, b) => a.time - b.time), tl };
}

/** A line of commentary on a live event: the offline generator over the replay's facts at that moment (the
 *  commentary pipeline, with Claude and the validator, is built for a database race). CRITICAL and HIGH only. */
export function liveCommentary(tl: Timeline, e: RaceEvent, recent: RaceEvent[], style: CommentaryStyle = 'casual'): CommentaryLine | null {
  if (e.priority !== 'CRITICAL' && e.priority !== 'HIGH') return null;
  const facts = buildContext(tl, e, [], { recent });
  return { id: `live-${e.id}`, event: e, text: offlineLine(facts, style, 1, e.id), style, source: 'offline', validation: { ok: true, issues: [] }, lap: e.lap, time: e.time };
}
