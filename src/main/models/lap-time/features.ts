// Next-lap features (issue #5): for every clean lap with an earlier clean lap in its stint, what was known before the
// lap began — this car's earlier laps, other cars' laps completed by then, pre-race data (fuel, compound, circuit).
// The target is a residual: fuel-corrected lap time minus the driver's recent fuel-corrected pace in the stint.
import { compoundIndex } from '../../race/compounds.js';
import { FUEL_S_PER_KG } from '../../race/fuel.js';
import { carAhead, fieldEvolution, fieldPace, gapAhead, raceContext } from '../../tyres/context.js';
import { raceStints, type RaceLap, type RaceLaps } from '../../race/laps.js';
import { median } from '../../util/stats.js';
import { isClear } from '../../race/track-status.js';

export const LAP_FEATURES = [
  'tyre_age',
  'stint_lap',
  'compound',
  'softness',
  'fuel_kg',
  'race_progress',
  'last_minus_ref',
  'prev_minus_ref',
  'clean_in_stint',
  'laps_since_clean',
  'stint_slope',
  'prev_lap_raw_minus_ref',
  'laps_since_yellow',
  'gap_ahead',
  'gap_ahead_change',
  'ahead_pace_minus_ref',
  'field_evolution',
  'field_evolution_long',
  'pace_vs_field',
  'position',
  'third_minus_ref',
  'best5_minus_ref',
  'ref_pace',
  'stint_no',
] as const;
export const NF = LAP_FEATURES.length;

export interface LapRows {
  x: Float32Array;
  rows: number;
  /** Target residual (s), fuel-corrected lap time − ref. */
  y: Float64Array;
  /** What the residual is added to: ref + fuel effect of the lap (s). */
  base: Float64Array;
  /** Actual lap time and the persistence baseline (last clean lap in the stint). */
  actual: Float64Array;
  persistence: Float64Array;
  compound: string[];
  circuit: string[];
  season: Int32Array;
}

function slope(ls: readonly RaceLap[]): number {
  if (ls.length < 3) return Number.NaN;
  let sx = 0;
  let sy = 0;
  for (const l of ls) {
    sx += l.lap;
    sy += l.fc;
  }
  const mx = sx / ls.length;
  const my = sy / ls.length;
  let num = 0;
  let den = 0;
  for (const l of ls) {
    num += (l.lap - mx) * (l.fc - my);
    den += (l.lap - mx) ** 2;
  }
  return den > 0 ? num / den : Number.NaN;
}

const REF_LAPS = 3;

/** Recent fuel-corrected pace of a stint: median of its last REF_LAPS clean laps. */
export function refPace(clean: readonly RaceLap[]): number {
  return median(clean.slice(-REF_LAPS).map((l) => l.fc));
}

/** Feature rows of the next-lap task for the given races. */
export function lapRows(races: readonly RaceLaps[]): LapRows {
  const xs: number[] = [];
  const y: number[] = [];
  const base: number[] = [];
  const actual: number[] = [];
  const pers: number[] = [];
  const compound: string[] = [];
  const circuit: string[] = [];
  const season: number[] = [];
  for (const race of races) {
    const ctx = raceContext(race);
    for (const s of raceStints(race)) {
      const lapsOfDriver = race.byDriver.get(s.driver)!;
      for (let i = 1; i < s.clean.length; i++) {
        const cur = s.clean[i]!;
        const before = s.clean.slice(0, i);
        const last = before[before.length - 1]!;
        const prevClean = before.length > 1 ? before[before.length - 2]! : null;
        const ref = refPace(before);
        // the driver's lap just before this one (it ends when this lap starts)
        const k = lapsOfDriver.indexOf(cur) - 1;
        const prev = lapsOfDriver[k];
        if (!prev || prev.lap !== cur.lap - 1 || prev.end === null) continue;
        const t0 = prev.end;
        let sinceYellow = cur.lap - 1;
        for (let j = k; j >= 0; j--) {
          const l = lapsOfDriver[j]!;
          if (!isClear(l.trackStatus)) {
            sinceYellow = cur.lap - l.lap;
            break;
          }
        }
        const prev2 = lapsOfDriver[k - 1];
        const ahead = carAhead(ctx, prev);
        const gap = gapAhead(ctx, prev);
        const gap2 = prev2 && prev2.lap === prev.lap - 1 ? gapAhead(ctx, prev2) : Number.NaN;
        const fieldFc = fieldPace(ctx, t0);
        const row = [
          cur.tyreAge ?? Number.NaN,
          cur.lap - s.laps[0]!.lap,
          compoundIndex(cur.compound),
          cur.softness,
          cur.fuel,
          cur.lap / race.totalLaps,
          last.fc - ref,
          prevClean ? prevClean.fc - ref : Number.NaN,
          before.length,
          cur.lap - last.lap,
          slope(before.slice(-8)),
          prev.lapTime !== null && !prev.clean ? prev.fc - ref : Number.NaN,
          sinceYellow,
          gap,
          gap - gap2,
          ahead && Number.isFinite(ahead.fc) ? ahead.fc - ref : Number.NaN,
          fieldEvolution(ctx, t0, 20),
          fieldEvolution(ctx, t0, 60),
          ref - fieldFc,
          prev.position ?? Number.NaN,
          before.length >= 3 ? before[before.length - 3]!.fc - ref : Number.NaN,
          Math.min(...before.slice(-5).map((l) => l.fc)) - ref,
          ref,
          s.stint,
        ];
        xs.push(...row);
        y.push(cur.fc - last.fc);
        base.push(last.fc + FUEL_S_PER_KG * cur.fuel);
        actual.push(cur.lapTime!);
        pers.push(last.lapTime!);
        compound.push(cur.compound!);
        circuit.push(race.circuit);
        season.push(race.season);
      }
    }
  }
  return {
    x: Float32Array.from(xs),
    rows: y.length,
    y: Float64Array.from(y),
    base: Float64Array.from(base),
    actual: Float64Array.from(actual),
    persistence: Float64Array.from(pers),
    compound,
    circuit,
    season: Int32Array.from(season),
  };
}
