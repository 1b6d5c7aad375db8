// team_form: the form of a driver's team (the constructor the driver entered the race with), keyed by driver so a
// driver-only entity row can ask for it. Rows at each race start (before it) and end (including it), as driver_form.
import type { FeatureRow, FeatureView, TransformContext } from '../types.js';
import { byRace, driverRaces, lastBefore, loadHistory, mean, perTeamRace } from './history.js';

function run(ctx: TransformContext): FeatureRow[] {
  const h = ctx.memo('history', () => loadHistory(ctx.db));
  // Per constructor: its races in order with the aggregate of its cars.
  interface TeamRace {
    startMs: number;
    orders: number[];
    won: boolean;
    podium: boolean;
    gap: number | null;
    lapGap: number | null;
  }
  const teams = perTeamRace(h.entries, (es): TeamRace => ({
    startMs: es[0]!.race.startMs,
    orders: es.map((e) => e.positionOrder ?? 0),
    won: es.some((e) => e.position === 1),
    podium: es.some((e) => e.position !== null && e.position <= 3),
    gap: minOf(es.map((e) => e.qualiGapPct)),
    lapGap: minOf(es.map((e) => e.fastestLapGapPct)),
  }));
  const out: FeatureRow[] = [];
  for (const group of driverRaces(h, ctx.since)) {
    const first = group[0]!;
    const race = first.race;
    const cid = first.constructorId;
    const teamRaces = teams.get(cid) ?? [];
    const prevSeasonRace = h.lastOfSeason.get(race.year - 1);
    const prevSeason = prevSeasonRace
      ? h.constructorStandings.get(prevSeasonRace.raceId)?.get(cid)
      : undefined;
    const row = (
      at: number,
      incl: boolean,
      standing: { points: number; position: number | null } | undefined,
    ) => {
      const last10 = lastBefore(teamRaces, race.startMs, incl, 10);
      const last5 = last10.slice(-5);
      return {
        driver: first.driver,
        event_timestamp: at,
        constructor: first.constructor,
        constructor_position: standing?.position ?? null,
        constructor_points_before: standing?.points ?? 0,
        team_avg_finish_last_5: mean(last5.flatMap((t) => t.orders)),
        team_win_rate_last_10: last10.length ? last10.filter((t) => t.won).length / last10.length : null,
        team_podium_rate_last_10: last10.length
          ? last10.filter((t) => t.podium).length / last10.length
          : null,
        prev_season_constructor_position: prevSeason?.position ?? null,
        prev_season_constructor_points: prevSeason?.points ?? null,
        team_win_rate_last_5: last5.length ? last5.filter((t) => t.won).length / last5.length : null,
        team_quali_gap_last_5: mean(last5.flatMap((t) => (t.gap === null ? [] : [t.gap]))),
        team_fastest_lap_gap_last_5: mean(last5.flatMap((t) => (t.lapGap === null ? [] : [t.lapGap]))),
      };
    };
    const prevRace = h.prevInSeason.get(race.raceId);
    out.push(
      row(race.startMs, false, prevRace ? h.constructorStandings.get(prevRace.raceId)?.get(cid) : undefined),
    );
    if (group.some((e) => e.raced))
      out.push(row(race.endMs, true, h.constructorStandings.get(race.raceId)?.get(cid)));
  }
  return out;
}

function minOf(xs: (number | null)[]): number | null {
  let m: number | null = null;
  for (const x of xs) if (x !== null && (m === null || x < m)) m = x;
  return m;
}

export const teamForm: FeatureView = {
  name: 'team_form',
  entity: 'driver',
  description:
    'The form of the driver’s team (the constructor of the driver’s current race entry) as of the query time; ' +
    'standings are those after the last race that had ended.',
  fields: [
    { name: 'constructor', type: 'string', description: 'constructorRef of the driver’s team' },
    {
      name: 'constructor_position',
      type: 'int',
      description: 'constructors’ championship position before the race (null before a season’s first race)',
    },
    {
      name: 'constructor_points_before',
      type: 'float',
      description: 'constructors’ championship points before the race',
    },
    {
      name: 'team_avg_finish_last_5',
      type: 'float',
      description: 'mean finishing order of the team’s cars over its last 5 races',
    },
    { name: 'team_win_rate_last_10', type: 'float', description: 'share of the team’s last 10 races it won' },
    {
      name: 'team_podium_rate_last_10',
      type: 'float',
      description: 'share of the team’s last 10 races with a podium',
    },
    {
      name: 'prev_season_constructor_position',
      type: 'int',
      description: 'the team’s final position last season',
    },
    {
      name: 'prev_season_constructor_points',
      type: 'float',
      description: 'the team’s final points last season',
    },
    { name: 'team_win_rate_last_5', type: 'float', description: 'share of the team’s last 5 races it won' },
    {
      name: 'team_fastest_lap_gap_last_5',
      type: 'float',
      description: 'mean over its last 5 races of the team’s best fastest-lap gap, % (race pace)',
    },
    {
      name: 'team_quali_gap_last_5',
      type: 'float',
      description: 'mean over its last 5 races of the team’s best qualifying gap to pole, % (car pace)',
    },
  ],
  source: {
    kind: 'transform',
    run,
    uses: [loadHistory, byRace, mean, minOf, perTeamRace, lastBefore, driverRaces],
  },
};
