// The live feed's laps handed to the existing downstream: the race they make (the same RaceLaps the database gives,
// via race/laps.ts `buildRace`, so the clean-lap rule and fuel correction are the one implementation) and the tyre
// model's stint forecast on it.
import type { StintForecast } from '../../shared/domain.js';
import type { LiveLap } from '../../shared/live.js';
import { buildRace, type RaceLapInput, type RaceLaps } from '../race/laps.js';
import { liveForecast } from '../tyres/forecast.js';
import { loadShippedTyreDeg } from '../tyres/service.js';

/** The live laps as database lap rows (season 0, round 0); a lap with a time counts as accurate. */
export function liveLapRows(laps: readonly LiveLap[]): RaceLapInput[] {
  return laps
    .map((l) => ({
      season: 0,
      round: 0,
      driver: l.code ?? String(l.driverNumber),
      driver_ref: l.code ?? String(l.driverNumber),
      lap_number: l.lap,
      time_s: l.timeS,
      lap_time_s: l.lapTime,
      stint: l.stint,
      pit_out_s: l.pitOut ? l.timeS : null,
      pit_in_s: l.pitIn ? l.timeS : null,
      compound: l.compound,
      compound_name: null,
      tyre_life: l.tyreAge,
      track_status: l.trackStatus,
      position: l.position,
      is_accurate: l.lapTime !== null ? 1 : 0,
    }))
    .sort((a, b) => a.lap_number - b.lap_number || a.driver.localeCompare(b.driver));
}

/** The live laps as a race (season 0, round 0, circuit "live"). */
export function liveRace(laps: readonly LiveLap[], totalLaps: number | null): RaceLaps {
  const rows = liveLapRows(laps);
  const maxLap = rows.reduce((m, r) => Math.max(m, r.lap_number), 0);
  return buildRace(0, 0, 'live', Math.max(totalLaps ?? 0, maxLap), rows);
}

let model: ReturnType<typeof loadShippedTyreDeg> | null = null;

/** The shipped tyre model's forecast of a car's current stint from its live laps (null: no model, or under 3
 *  clean laps in the stint yet). */
export async function liveStintForecast(laps: readonly LiveLap[], totalLaps: number | null, driverNumber: number): Promise<StintForecast | null> {
  const mine = laps.filter((l) => l.driverNumber === driverNumber);
  const last = mine[mine.length - 1];
  if (!last) return null;
  model ??= loadShippedTyreDeg().catch(() => null);
  const m = await model;
  if (!m) return null;
  return liveForecast(m, liveRace(laps, totalLaps), last.code ?? String(driverNumber), last.lap);
}
