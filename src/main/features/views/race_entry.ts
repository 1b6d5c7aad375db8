// race_entry: one driver's starting position in one race, known before the start (timestamped at the race start).
import type { FeatureRow, FeatureView, TransformContext } from '../types.js';
import { byRace, loadHistory } from './history.js';

function run(ctx: TransformContext): FeatureRow[] {
  const h = ctx.memo('history', () => loadHistory(ctx.db));
  const out: FeatureRow[] = [];
  for (const group of byRace(h.entries)) {
    const race = group[0]!.race;
    if (ctx.since !== null && race.startMs <= ctx.since) continue;
    const times = group.map((e) => e.qualiMs).filter((x): x is number => x !== null && x > 0);
    const pole = times.length ? Math.min(...times) : null;
    const seen = new Set<number>();
    const drivers = new Set(group.map((e) => e.driverId)).size;
    for (const e of group) {
      if (seen.has(e.driverId)) continue; // a shared drive (1950s) lists a driver twice: keep the first entry
      seen.add(e.driverId);
      const mates = group
        .filter((m) => m.constructorId === e.constructorId && m.driverId !== e.driverId && m.qualiMs)
        .map((m) => m.qualiMs ?? 0);
      const mate = mates.length ? Math.min(...mates) : null;
      out.push({
        race: race.key,
        driver: e.driver,
        event_timestamp: race.startMs,
        grid_position: e.grid === null ? null : e.grid > 0 ? e.grid : drivers,
        pit_lane_start: e.grid === null ? null : e.grid === 0,
        quali_position: e.qualiPos,
        quali_gap_pct: e.qualiMs && pole ? (e.qualiMs / pole - 1) * 100 : null,
        teammate_quali_gap_pct: e.qualiMs && mate ? (e.qualiMs / mate - 1) * 100 : null,
        field_size: drivers,
        constructor: e.constructor,
      });
    }
  }
  return out;
}

export const raceEntry: FeatureView = {
  name: 'race_entry',
  entity: 'driver_race',
  description:
    'A driver’s entry in a race as known at the start: grid and qualifying. Keyed by race and driver.',
  fields: [
    {
      name: 'grid_position',
      type: 'int',
      description: 'starting grid slot; a pit-lane start counts as the last slot',
    },
    { name: 'pit_lane_start', type: 'bool', description: 'started from the pit lane (Ergast grid 0)' },
    {
      name: 'quali_position',
      type: 'int',
      description: 'qualifying classification (null before 1994 or without a time)',
    },
    {
      name: 'quali_gap_pct',
      type: 'float',
      description: 'best qualifying lap vs pole (fastest best lap of the session), %',
    },
    {
      name: 'teammate_quali_gap_pct',
      type: 'float',
      description: 'best qualifying lap vs the team-mate’s, % (negative = faster)',
    },
    { name: 'field_size', type: 'int', description: 'drivers entered in the race' },
    { name: 'constructor', type: 'string', description: 'constructorRef of the entry' },
  ],
  source: { kind: 'transform', run, uses: [loadHistory, byRace] },
};
