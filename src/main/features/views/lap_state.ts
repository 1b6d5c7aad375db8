// lap_state: every race lap's tyre, fuel and recent-pace state, known when the lap ends. Same clean-lap rule and
// fuel model as the lap-time and tyre models (src/main/tyres/race-laps.ts), so training and serving agree.
import type { FeatureRow, FeatureView, TransformContext } from '../types.js';
import { raceTimeline } from '../races.js';
import { loadRaces, type RaceLaps } from '../../race/laps.js';
import { median } from '../../util/stats.js';

/** Clean laps of the stint that make up "recent pace". */
const RECENT = 3;

/** Every race's laps, loaded once per materialization run and shared by the lap-data views. */
export const raceLapsOf = (ctx: TransformContext): RaceLaps[] =>
  ctx.memo('race_laps', () => loadRaces(ctx.db, [0, 9999]));

/** Wall-clock time (ms) when a lap ending at session time `end` was known: the first lap ends ≈ 2 min after start. */
const lapKnownMs = (startMs: number, end: number, firstLapEnd: number): number =>
  Math.round(startMs + (end - firstLapEnd + 120) * 1000);

const firstLapEnd = (race: RaceLaps): number =>
  Math.min(...race.laps.filter((l) => l.lap === 1 && l.end !== null).map((l) => l.end!));

/** A race of the lap data, as the lap-data views (lap_state, stint_degradation) read it. */
export interface LapRace {
  race: RaceLaps;
  /** "season-round" */
  key: string;
  /** Wall-clock time (ms) when a lap ending at session time `end` was known. */
  knownMs(end: number): number;
}

/** The races to materialize: started after `ctx.since` (every race on a full run), with a timed first lap. */
export function* newerRaces(ctx: TransformContext): Generator<LapRace> {
  const starts = new Map(raceTimeline(ctx.db).map((r) => [`${r.year}-${r.round}`, r.startMs]));
  for (const race of raceLapsOf(ctx)) {
    const key = `${race.season}-${race.round}`;
    const start = starts.get(key);
    if (start === undefined || (ctx.since !== null && start <= ctx.since)) continue;
    const first = firstLapEnd(race);
    if (Number.isFinite(first)) yield { race, key, knownMs: (end) => lapKnownMs(start, end, first) };
  }
}

/** Every view over newerRaces hashes these with its own code. */
export const LAP_RACE_CODE = [raceLapsOf, loadRaces, newerRaces, lapKnownMs, firstLapEnd];

function run(ctx: TransformContext): FeatureRow[] {
  const out: FeatureRow[] = [];
  for (const { race, key, knownMs } of newerRaces(ctx)) {
    for (const laps of race.byDriver.values()) {
      let stint: number | null = null;
      let stintLap = 0;
      let recent: number[] = [];
      for (const l of laps) {
        if (l.end === null) continue;
        if (l.stint !== stint) {
          stint = l.stint;
          stintLap = 0;
          recent = [];
        }
        stintLap++;
        if (l.clean && Number.isFinite(l.fc)) recent = [...recent.slice(1 - RECENT), l.fc];
        out.push({
          race: key,
          driver: l.driverRef,
          lap: String(l.lap),
          event_timestamp: knownMs(l.end),
          compound: l.compound,
          tyre_age: l.tyreAge,
          stint: l.stint,
          stint_lap: stintLap,
          fuel_kg: l.fuel,
          clean: l.clean,
          lap_time_fc: l.clean && Number.isFinite(l.fc) ? l.fc : null,
          recent_pace_fc: recent.length ? median(recent) : null,
          position: l.position,
        });
      }
    }
  }
  return out;
}

export const lapState: FeatureView = {
  name: 'lap_state',
  entity: 'lap',
  description:
    'A race lap at its end: compound, tyre age, stint and stint lap, fuel estimate (110 kg, even burn), the ' +
    'fuel-corrected lap time when clean, and the median of the stint’s last 3 clean fuel-corrected laps.',
  fields: [
    { name: 'compound', type: 'string', description: 'SOFT, MEDIUM or HARD (null for wet tyres)' },
    { name: 'tyre_age', type: 'float', description: 'laps on this set at the lap’s end' },
    { name: 'stint', type: 'int', description: 'stint number' },
    { name: 'stint_lap', type: 'int', description: 'laps into the stint (1 = out-lap)' },
    { name: 'fuel_kg', type: 'float', description: 'estimated fuel at the lap’s start (kg)' },
    { name: 'clean', type: 'bool', description: 'green all lap, no pit in/out, accurate, lap > 1, slick' },
    {
      name: 'lap_time_fc',
      type: 'float',
      description: 'fuel-corrected lap time (s, 0.03 s/kg), clean laps only',
    },
    {
      name: 'recent_pace_fc',
      type: 'float',
      description: 'median of the stint’s last 3 clean fuel-corrected laps (s)',
    },
    { name: 'position', type: 'int', description: 'position at the lap’s end' },
  ],
  source: { kind: 'transform', run, uses: LAP_RACE_CODE },
};
