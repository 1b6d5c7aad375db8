// stint_degradation: each dry race stint's pace and tyre degradation, known when the stint's last lap ends.
// Same clean-lap rule, fuel correction and stints as the tyre models (src/main/tyres/race-laps.ts).
import type { FeatureRow, FeatureView, TransformContext } from '../types.js';
import { raceStints, type RaceLap } from '../../race/laps.js';
import { median } from '../../util/stats.js';
import { LAP_RACE_CODE, newerRaces } from './lap_state.js';

/** Within-stint slope of the fuel-corrected lap time against tyre age (s per lap), null with < 4 clean laps. */
function degSlope(laps: readonly RaceLap[]): number | null {
  const ls = laps.filter((l) => l.tyreAge !== null);
  if (ls.length < 4) return null;
  const mx = ls.reduce((s, l) => s + l.tyreAge!, 0) / ls.length;
  const my = ls.reduce((s, l) => s + l.fc, 0) / ls.length;
  let num = 0;
  let den = 0;
  for (const l of ls) {
    num += (l.tyreAge! - mx) * (l.fc - my);
    den += (l.tyreAge! - mx) ** 2;
  }
  return den > 0 ? num / den : null;
}

function run(ctx: TransformContext): FeatureRow[] {
  const out: FeatureRow[] = [];
  for (const { race, key, knownMs } of newerRaces(ctx)) {
    for (const s of raceStints(race)) {
      const last = s.laps[s.laps.length - 1]!;
      if (last.end === null) continue;
      const pace = median(s.clean.map((l) => l.fc));
      out.push({
        race: key,
        driver: s.laps[0]!.driverRef,
        stint: String(s.stint),
        event_timestamp: knownMs(last.end),
        compound: s.compound,
        softness: Number.isFinite(s.laps[0]!.softness) ? s.laps[0]!.softness : null,
        start_lap: s.laps[0]!.lap,
        laps: s.laps.length,
        clean_laps: s.clean.length,
        start_tyre_age: s.laps[0]!.tyreAge,
        fuel_start_kg: s.laps[0]!.fuel,
        pace_fc_median: Number.isFinite(pace) ? pace : null,
        deg_slope: degSlope(s.clean),
      });
    }
  }
  return out;
}

export const stintDegradation: FeatureView = {
  name: 'stint_degradation',
  entity: 'stint',
  description:
    'A dry race stint: compound, length, fuel-corrected pace and degradation slope (at the stint’s end).',
  fields: [
    { name: 'compound', type: 'string', description: 'SOFT | MEDIUM | HARD' },
    { name: 'softness', type: 'float', description: 'C-number scale (C1 = 1 … C5 = 5; 2018 names mapped)' },
    { name: 'start_lap', type: 'int' },
    { name: 'laps', type: 'int', description: 'laps in the stint (in- and out-laps included)' },
    { name: 'clean_laps', type: 'int', description: 'green, accurate, no pit, lap > 1' },
    {
      name: 'start_tyre_age',
      type: 'float',
      description: 'tyre age on the stint’s first lap (used sets > 1)',
    },
    {
      name: 'fuel_start_kg',
      type: 'float',
      description: 'estimated fuel at the stint start (110 kg, even burn)',
    },
    { name: 'pace_fc_median', type: 'float', description: 'median fuel-corrected clean lap time (s)' },
    {
      name: 'deg_slope',
      type: 'float',
      description: 'fuel-corrected lap time gained per lap of tyre age (s)',
    },
  ],
  source: { kind: 'transform', run, uses: [degSlope, raceStints, ...LAP_RACE_CODE] },
};
