// race_pace: race pace from the lap data (2018+), keyed by driver. Per race, each car's median fuel-corrected clean
// lap (tyre models' clean-lap rule and fuel model: 110 kg, even burn, 0.03 s/kg) vs the fastest car's median, %; a
// team's value is its better car. Rows at each race start (earlier races only) and end (including it), as team_form;
// the team is the constructor of the driver's entry in that race. No lap data (before 2018): has_pace_data 0, nulls.
import type { FeatureRow, FeatureView, TransformContext } from '../types.js';
import { loadRaces, type RaceLaps } from '../../race/laps.js';
import { median } from '../../util/stats.js';
import { raceLapsOf } from './lap_state.js';
import { byRace, driverRaces, lastBefore, loadHistory, mean, perTeamRace, type Entry } from './history.js';

/** Fewer clean laps than this: no pace for that car in that race. */
const MIN_CLEAN_LAPS = 5;

export interface CarPace {
  /** Median clean fuel-corrected lap vs the fastest car's median, %. */
  deficit: number;
  /** Interquartile range of its clean fuel-corrected laps, % of its median (long-run consistency). */
  spread: number;
}

/** Per race ("season-round") → driverRef → pace, for the cars with enough clean laps. */
export function carPaces(races: readonly RaceLaps[]): Map<string, Map<string, CarPace>> {
  const out = new Map<string, Map<string, CarPace>>();
  for (const race of races) {
    const med = new Map<string, { m: number; iqr: number }>();
    for (const laps of race.byDriver.values()) {
      const fc = laps.filter((l) => l.clean && Number.isFinite(l.fc)).map((l) => l.fc);
      if (fc.length < MIN_CLEAN_LAPS) continue;
      fc.sort((a, b) => a - b);
      const q = (p: number) => fc[Math.min(fc.length - 1, Math.round(p * (fc.length - 1)))]!;
      med.set(laps[0]!.driverRef, { m: median(fc), iqr: q(0.75) - q(0.25) });
    }
    if (med.size < 2) continue;
    const best = Math.min(...[...med.values()].map((v) => v.m));
    out.set(
      `${race.season}-${race.round}`,
      new Map(
        [...med].map(([d, v]) => [d, { deficit: ((v.m - best) / best) * 100, spread: (v.iqr / v.m) * 100 }]),
      ),
    );
  }
  return out;
}

interface Timed {
  startMs: number;
  deficit: number;
  spread: number;
}

function run(ctx: TransformContext): FeatureRow[] {
  const h = ctx.memo('history', () => loadHistory(ctx.db));
  // every race's laps, shareable with other lap views of the run through the memo key 'race_laps'
  const paces = carPaces(raceLapsOf(ctx));
  const paceOf = (e: Entry): Timed | undefined => {
    const c = paces.get(e.race.key)?.get(e.driver);
    return c && { startMs: e.race.startMs, ...c };
  };
  // per driver (driverRef): pace in each race with lap data, in start order
  const drivers = new Map<string, Timed[]>();
  for (const e of h.entries) {
    const t = e.raced ? paceOf(e) : undefined;
    if (!t) continue;
    let l = drivers.get(e.driver);
    if (!l) drivers.set(e.driver, (l = []));
    l.push(t);
  }
  // per constructor id: its better car's pace in each race with lap data
  const teams = perTeamRace(h.entries, (cars) => {
    let best: Timed | null = null;
    for (const t of cars.map(paceOf)) if (t && (!best || t.deficit < best.deficit)) best = t;
    return best;
  });
  const out: FeatureRow[] = [];
  for (const group of driverRaces(h, ctx.since)) {
    const first = group[0]!;
    const race = first.race;
    const dl = drivers.get(first.driver) ?? [];
    const tl = teams.get(first.constructorId) ?? [];
    const row = (at: number, incl: boolean): FeatureRow => {
      const d5 = lastBefore(dl, race.startMs, incl, 5);
      const t5 = lastBefore(tl, race.startMs, incl, 5);
      const def = (xs: Timed[]) => mean(xs.map((x) => x.deficit));
      return {
        driver: first.driver,
        event_timestamp: at,
        has_pace_data: d5.length > 0 || t5.length > 0 ? 1 : 0,
        driver_pace_deficit_last_3: def(d5.slice(-3)),
        driver_pace_deficit_last_5: def(d5),
        team_pace_deficit_last_3: def(t5.slice(-3)),
        team_pace_deficit_last_5: def(t5),
        driver_pace_spread_last_5: mean(d5.map((x) => x.spread)),
      };
    };
    out.push(row(race.startMs, false));
    if (group.some((e) => e.raced)) out.push(row(race.endMs, true));
  }
  return out;
}

export const racePace: FeatureView = {
  name: 'race_pace',
  entity: 'driver',
  description:
    'Race pace from the lap data (2018+) as of the query time: median fuel-corrected clean-lap deficit to the ' +
    'fastest car in the driver’s and the team’s recent races. At a race’s start the race itself is excluded.',
  fields: [
    {
      name: 'has_pace_data',
      type: 'int',
      description: '1 when any recent race of the driver or team has lap data',
    },
    {
      name: 'driver_pace_deficit_last_3',
      type: 'float',
      description:
        'mean over the driver’s last 3 races with lap data of its median clean lap vs the fastest car’s, %',
    },
    { name: 'driver_pace_deficit_last_5', type: 'float', description: 'as above, last 5 races' },
    {
      name: 'team_pace_deficit_last_3',
      type: 'float',
      description:
        'mean over the team’s last 3 races with lap data of its better car’s deficit to the fastest car, %',
    },
    { name: 'team_pace_deficit_last_5', type: 'float', description: 'as above, last 5 races' },
    {
      name: 'driver_pace_spread_last_5',
      type: 'float',
      description:
        'mean over the driver’s last 5 races of the IQR of its clean laps, % of its median (consistency)',
    },
  ],
  source: {
    kind: 'transform',
    run,
    uses: [carPaces, lastBefore, loadRaces, loadHistory, byRace, mean, perTeamRace, driverRaces],
  },
};
