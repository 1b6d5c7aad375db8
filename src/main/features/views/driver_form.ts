// driver_form: a driver's recent form as of a moment. Two rows per race entered: one at the race's start (results of
// earlier races only: what a pre-race prediction may use) and one at its end (now including that race).
import type { FeatureRow, FeatureView, TransformContext } from '../types.js';
import { byRace, eloRatings, loadHistory, mean, type Entry } from './history.js';

function run(ctx: TransformContext): FeatureRow[] {
  const h = ctx.memo('history', () => loadHistory(ctx.db));
  const elo = ctx.memo('elo', () => eloRatings(h.entries));
  const out: FeatureRow[] = [];
  for (const list of h.byDriver.values()) {
    const done: Entry[] = [];
    let rating = 1500;
    let seasonWins = 0;
    let season = -1;
    const winsAt = new Map<string, number>();
    for (const group of byRace(list)) {
      const first = group[0]!;
      const race = first.race;
      if (race.year !== season) [season, seasonWins] = [race.year, 0];
      const prevSeasonRace = h.lastOfSeason.get(race.year - 1);
      const prevSeason = prevSeasonRace
        ? h.driverStandings.get(prevSeasonRace.raceId)?.get(first.driverId)
        : undefined;
      const row = (
        at: number,
        standing: { points: number; position: number | null } | undefined,
      ): FeatureRow => {
        const last5 = done.slice(-5);
        const last10 = done.slice(-10);
        const quali5 = lastWhere(done, 5, (e) => e.qualiPos !== null);
        const grid5 = last5.filter((e) => e.grid !== null && e.grid > 0);
        const gap5 = lastWhere(done, 5, (e) => e.qualiGapPct !== null);
        const race5 = lastWhere(done, 5, (e) => e.raceGapPct !== null);
        const lap5 = lastWhere(done, 5, (e) => e.fastestLapGapPct !== null);
        return {
          driver: first.driver,
          event_timestamp: at,
          avg_finish_last_5: mean(last5.map((e) => e.positionOrder ?? 0)),
          avg_quali_last_5: mean(quali5.map((e) => e.qualiPos ?? 0)),
          dnf_rate_last_10: last10.length
            ? last10.filter((e) => e.position === null).length / last10.length
            : null,
          wins_at_circuit: winsAt.get(race.circuit) ?? 0,
          championship_points_before: standing?.points ?? 0,
          championship_position_before: standing?.position ?? null,
          win_rate_last_10: last10.length
            ? last10.filter((e) => e.position === 1).length / last10.length
            : null,
          podium_rate_last_10: last10.length
            ? last10.filter((e) => e.position !== null && e.position <= 3).length / last10.length
            : null,
          avg_points_last_5: mean(last5.map((e) => e.points)),
          avg_grid_last_5: mean(grid5.map((e) => e.grid ?? 0)),
          season_wins_before: seasonWins,
          races_entered: done.length,
          prev_season_points: prevSeason?.points ?? null,
          prev_season_position: prevSeason?.position ?? null,
          win_rate_last_5: last5.length ? last5.filter((e) => e.position === 1).length / last5.length : null,
          avg_quali_gap_last_5: mean(gap5.map((e) => e.qualiGapPct ?? 0)),
          rating,
          avg_race_gap_pct_last_5: mean(race5.map((e) => e.raceGapPct ?? 0)),
          avg_fastest_lap_gap_pct_last_5: mean(lap5.map((e) => e.fastestLapGapPct ?? 0)),
        };
      };
      const prevRace = h.prevInSeason.get(race.raceId);
      const before = prevRace ? h.driverStandings.get(prevRace.raceId)?.get(first.driverId) : undefined;
      if (ctx.since === null || race.startMs > ctx.since) out.push(row(race.startMs, before));
      const raced = group.filter((e) => e.raced);
      if (!raced.length) continue;
      done.push(...raced);
      rating = elo.get(`${race.raceId}:${first.driverId}`)?.[1] ?? rating;
      for (const e of raced) {
        if (e.position !== 1) continue;
        winsAt.set(race.circuit, (winsAt.get(race.circuit) ?? 0) + 1);
        seasonWins++;
      }
      const after = h.driverStandings.get(race.raceId)?.get(first.driverId) ?? {
        points: (before?.points ?? 0) + raced.reduce((s, e) => s + e.points, 0),
        position: null,
      };
      if (ctx.since === null || race.startMs > ctx.since) out.push(row(race.endMs, after));
    }
  }
  return out;
}

/** The last `n` entries matching `pred`, oldest first (scans back from the end). */
function lastWhere(list: Entry[], n: number, pred: (e: Entry) => boolean): Entry[] {
  const out: Entry[] = [];
  for (let i = list.length - 1; i >= 0 && out.length < n; i--) if (pred(list[i]!)) out.push(list[i]!);
  return out.reverse();
}

export const driverForm: FeatureView = {
  name: 'driver_form',
  entity: 'driver',
  description:
    'A driver’s form as of the query time: averages over the races that had ended by then. At a race’s start the ' +
    'race itself is excluded; from its end (start + winner’s time) it is included.',
  fields: [
    {
      name: 'avg_finish_last_5',
      type: 'float',
      description: 'mean finishing order (positionOrder) of the last 5 races entered',
    },
    {
      name: 'avg_quali_last_5',
      type: 'float',
      description: 'mean qualifying position of the last 5 races with a qualifying result',
    },
    { name: 'dnf_rate_last_10', type: 'float', description: 'share of the last 10 races not classified' },
    {
      name: 'wins_at_circuit',
      type: 'int',
      description: 'wins at the circuit of the current race weekend, before it (after it once ended)',
    },
    {
      name: 'championship_points_before',
      type: 'float',
      description: 'season points so far (0 before the first race of a season)',
    },
    {
      name: 'championship_position_before',
      type: 'int',
      description: 'championship position so far (null before the first race)',
    },
    { name: 'win_rate_last_10', type: 'float', description: 'share of the last 10 races won' },
    {
      name: 'podium_rate_last_10',
      type: 'float',
      description: 'share of the last 10 races finished on the podium',
    },
    { name: 'avg_points_last_5', type: 'float', description: 'mean points of the last 5 races' },
    {
      name: 'avg_grid_last_5',
      type: 'float',
      description: 'mean grid slot of the last 5 races (pit-lane starts left out)',
    },
    { name: 'season_wins_before', type: 'int', description: 'wins so far this season' },
    { name: 'races_entered', type: 'int', description: 'career race entries so far' },
    {
      name: 'prev_season_points',
      type: 'float',
      description: 'final points of the previous season (null if absent)',
    },
    {
      name: 'prev_season_position',
      type: 'int',
      description: 'final championship position of the previous season',
    },
    { name: 'win_rate_last_5', type: 'float', description: 'share of the last 5 races won' },
    {
      name: 'avg_quali_gap_last_5',
      type: 'float',
      description: 'mean qualifying gap to pole (%) over the last 5 races with a time',
    },
    {
      name: 'avg_race_gap_pct_last_5',
      type: 'float',
      description: 'mean race time behind the winner, % (last 5 lead-lap finishes)',
    },
    {
      name: 'avg_fastest_lap_gap_pct_last_5',
      type: 'float',
      description: 'mean fastest race lap behind the race’s fastest, % (last 5 races with a lap; 2004+)',
    },
    {
      name: 'rating',
      type: 'float',
      description: 'Elo-style rating from finishing orders (every pair of starters a duel; 1500 at debut)',
    },
  ],
  source: { kind: 'transform', run, uses: [loadHistory, byRace, mean, eloRatings, lastWhere] },
};
