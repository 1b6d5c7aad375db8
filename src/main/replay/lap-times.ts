// Races with lap times and positions only (Jolpica's lap-by-lap timings; no FastF1 lap file): no session clock, no
// tyres, no pit flags, no track status. The replay source rebuilds what the timeline needs from what is known — the
// clock from each car's cumulative lap times (the field starts together at 0), pit in/out from the official pit
// stops, and each lap's track status from the race-control tables (safety car, VSC, red flag) — and leaves the tyre
// columns unknown (no compound, no tyre age): nothing is made up.
import type { LapRow } from '../race/laps.js';
import { median } from '../util/stats.js';
import type { ReferenceData } from './source.js';

type Row = Pick<LapRow, 'driver' | 'driver_ref' | 'lap_number' | 'time_s' | 'lap_time_s' | 'pit_in_s' | 'pit_out_s' | 'track_status' | 'lap_start_s'>;

/** Whether a race's laps carry no session clock at all (only lap times): the rows `clockFromLapTimes` is for. */
export const lapTimesOnly = (rows: readonly Row[]): boolean => rows.length > 0 && rows.every((r) => r.time_s === null);

/** The track status of lap `lap` from the race-control tables ('1' when none of them covers it). */
function statusOf(lap: number, ref: ReferenceData): string {
  if (ref.redFlags.some((f) => f.lap === lap)) return '5';
  if (ref.safetyCars.some((s) => lap >= s.deployed && lap <= Math.ceil(s.retreated ?? s.deployed))) return '4';
  if (ref.vscLaps.includes(lap)) return '6';
  return '1';
}

/** Rows (each car's laps in lap order) with a session clock, pit times and track status filled in. */
export function clockFromLapTimes<R extends Row>(rows: readonly R[], ref: ReferenceData): R[] {
  const byCar = new Map<string, R[]>();
  for (const r of rows) {
    const key = r.driver_ref ?? r.driver;
    let list = byCar.get(key);
    if (!list) byCar.set(key, (list = []));
    list.push(r);
  }
  const out: R[] = [];
  for (const [car, list] of byCar) {
    list.sort((a, b) => a.lap_number - b.lap_number);
    const typical = median(list.filter((r) => r.lap_time_s !== null).map((r) => r.lap_time_s!)) || 100;
    const stops = new Map(ref.pitStops.filter((p) => p.driver === car).map((p) => [p.lap, p.duration]));
    let t = 0;
    let pitOut: number | null = null;
    for (const r of list) {
      const lapTime = r.lap_time_s ?? typical;
      const start = t;
      t += lapTime;
      const stop = stops.has(r.lap_number);
      const lane = stops.get(r.lap_number);
      out.push({
        ...r,
        lap_start_s: start,
        time_s: t,
        pit_in_s: r.pit_in_s ?? (stop ? t : null),
        pit_out_s: r.pit_out_s ?? pitOut,
        track_status: r.track_status ?? statusOf(r.lap_number, ref),
      });
      // The car leaves the pit lane a lane time after the line (the line lies in the lane at most tracks).
      pitOut = stop ? t + Math.min(lane != null && lane > 0 && lane < 120 ? lane : 22, typical / 2) : null;
    }
  }
  return out;
}
