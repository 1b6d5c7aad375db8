// Pre-race features for the race-winner rows. Every value uses only races that ended before this race started
// (history is walked in start order and updated after each race), plus this weekend's qualifying and grid.
import type { Db } from '../../data/db.js';
import type { Entry } from './entries.js';

/** Bump when a feature's definition changes (recorded in each model's lineage). */
export const FEATURE_SET_VERSION = 1;

export const FEATURES = [
  'quali_pos',
  'grid',
  'quali_gap_pct',
  'teammate_quali_delta',
  'driver_points_before',
  'driver_position_before',
  'points_share',
  'constructor_points_before',
  'constructor_position_before',
  'avg_finish_last_5',
  'avg_quali_last_5',
  'dnf_rate_last_10',
  'wins_last_10',
  'podiums_last_10',
  'season_wins',
  'team_wins_last_10',
  'team_best_finish_last_5',
  'wins_at_circuit',
  'form_rank',
  'wins_last_5',
  'won_last_race',
  'team_season_win_share',
  'inv_quali_pos',
  'points_last_3',
  'team_points_last_3',
] as const;
export type FeatureName = (typeof FEATURES)[number];

interface Past {
  finish: number;
  quali: number;
  dnf: boolean;
  won: boolean;
  podium: boolean;
  season: number;
  circuit: string;
  points: number;
}

const FINISHED = /^(Finished|\+\d+ Laps?)$/;

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

/** Row-major feature matrix (FEATURES order) for the entries, which must be grouped by race in start order. */
export function computeFeatures(db: Db, entries: Entry[]): Float64Array {
  const cols = FEATURES.length;
  const x = new Float64Array(entries.length * cols).fill(NaN);
  if (!entries.length) return x;
  const firstStart = entries[0]!.start;
  // history: every finished race before the last entry's race, from 4 seasons earlier (circuit wins from 2000)
  const hist = db
    .prepare(
      `SELECT r.race_id, r.year, r.start_utc, c.circuit_ref, x.driver_id, x.constructor_id, x.position_order, x.points,
         q.position AS quali, s.status
       FROM results x JOIN races r ON r.race_id = x.race_id LEFT JOIN circuits c ON c.circuit_id = r.circuit_id
       LEFT JOIN qualifying q ON q.race_id = x.race_id AND q.driver_id = x.driver_id
       LEFT JOIN status s ON s.status_id = x.status_id
       WHERE r.year >= 2000 AND r.start_utc < ? ORDER BY r.start_utc, r.race_id`,
    )
    .raw()
    .all(entries[entries.length - 1]!.start) as [number, number, string, string | null, number, number, number, number | null, number | null, string | null][];
  // standings after each race, keyed by race id
  const dStand = new Map<number, Map<number, [number, number]>>();
  const cStand = new Map<number, Map<number, [number, number]>>();
  for (const [tbl, key, into] of [
    ['driver_standings', 'driver_id', dStand],
    ['constructor_standings', 'constructor_id', cStand],
  ] as const) {
    const rows = db
      .prepare(`SELECT s.race_id, s.${key}, s.points, s.position FROM ${tbl} s JOIN races r ON r.race_id = s.race_id WHERE r.year >= ?`)
      .raw()
      .all(entries[0]!.season - 1) as [number, number, number, number][];
    for (const [race, id, pts, pos] of rows) {
      let m = into.get(race);
      if (!m) into.set(race, (m = new Map()));
      m.set(id, [pts, pos]);
    }
  }
  // previous race (same season) of each race
  const prevRace = new Map<number, number>();
  {
    const races = db.prepare('SELECT race_id, year, round FROM races ORDER BY year, round').raw().all() as [number, number, number][];
    for (let i = 1; i < races.length; i++) if (races[i]![1] === races[i - 1]![1]) prevRace.set(races[i]![0], races[i - 1]![0]);
  }

  const drv = new Map<number, Past[]>();
  const team = new Map<number, { best: number; won: boolean; season: number; points: number }[]>();
  let h = 0;
  const absorbUntil = (start: string) => {
    while (h < hist.length && hist[h]![2] < start) {
      const raceId = hist[h]![0];
      const best = new Map<number, number>();
      const winners = new Set<number>();
      const seasonOf = hist[h]![1];
      const tpts = new Map<number, number>();
      for (; h < hist.length && hist[h]![0] === raceId; h++) {
        const [, season, , circuit, d, c, pos, pts, quali, status] = hist[h]!;
        let l = drv.get(d);
        if (!l) drv.set(d, (l = []));
        l.push({ finish: pos, quali: quali ?? NaN, dnf: !FINISHED.test(status ?? ''), won: pos === 1, podium: pos <= 3, season, circuit: circuit ?? '', points: pts ?? 0
        });
        best.set(c, Math.min(best.get(c) ?? 99, pos));
        tpts.set(c, (tpts.get(c) ?? 0) + (pts ?? 0));
        if (pos === 1) winners.add(c);
      }
      for (const [c, b] of best) {
        let l = team.get(c);
        if (!l) team.set(c, (l = []));
        l.push({ best: b, won: winners.has(c), season: seasonOf, points: tpts.get(c) ?? 0 });
      }
    }
  };
  absorbUntil(firstStart);

  for (let s = 0; s < entries.length; ) {
    let e = s;
    while (e < entries.length && entries[e]!.raceId === entries[s]!.raceId) e++;
    const race = entries[s]!;
    absorbUntil(race.start);
    const prev = prevRace.get(race.raceId);
    const ds = prev !== undefined ? dStand.get(prev) : undefined;
    const cs = prev !== undefined ? cStand.get(prev) : undefined;
    const poleMs = Math.min(...entries.slice(s, e).map((x) => x.qualiMs ?? Infinity));
    let maxPts = 0;
    for (let i = s; i < e; i++) maxPts = Math.max(maxPts, ds?.get(entries[i]!.driverId)?.[0] ?? 0);
    for (let i = s; i < e; i++) {
      const en = entries[i]!;
      const past = drv.get(en.driverId) ?? [];
      const last5 = past.slice(-5);
      const last10 = past.slice(-10);
      const tp = team.get(en.constructorId) ?? [];
      const mate = entries.slice(s, e).find((o) => o.constructorId === en.constructorId && o.driverId !== en.driverId);
      const dsv = ds?.get(en.driverId);
      const csv = cs?.get(en.constructorId);
      const v: Record<FeatureName, number> = {
        quali_pos: en.qualiPos ?? NaN,
        grid: en.grid ?? NaN,
        quali_gap_pct: en.qualiMs && Number.isFinite(poleMs) ? ((en.qualiMs - poleMs) / poleMs) * 100 : NaN,
        teammate_quali_delta: en.qualiPos != null && mate?.qualiPos != null ? en.qualiPos - mate.qualiPos : NaN,
        driver_points_before: ds ? (dsv?.[0] ?? 0) : 0,
        driver_position_before: dsv?.[1] ?? NaN,
        points_share: maxPts > 0 ? (dsv?.[0] ?? 0) / maxPts : NaN,
        constructor_points_before: cs ? (csv?.[0] ?? 0) : 0,
        constructor_position_before: csv?.[1] ?? NaN,
        avg_finish_last_5: mean(last5.map((p) => p.finish)),
        avg_quali_last_5: mean(last5.map((p) => p.quali).filter((q) => !Number.isNaN(q))),
        dnf_rate_last_10: last10.length ? last10.filter((p) => p.dnf).length / last10.length : NaN,
        wins_last_10: last10.filter((p) => p.won).length,
        podiums_last_10: last10.filter((p) => p.podium).length,
        season_wins: past.filter((p) => p.won && p.season === en.season).length,
        team_wins_last_10: tp.slice(-10).filter((t) => t.won).length,
        team_best_finish_last_5: mean(tp.slice(-5).map((t) => t.best)),
        wins_at_circuit: past.filter((p) => p.won && p.circuit === en.circuit).length,
        form_rank: NaN,
        wins_last_5: last5.filter((p) => p.won).length,
        won_last_race: past.length ? (past[past.length - 1]!.won ? 1 : 0) : NaN,
        team_season_win_share: race.round > 1 ? tp.filter((t) => t.won && t.season === en.season).length / (race.round - 1) : NaN,
        inv_quali_pos: en.qualiPos ? 1 / en.qualiPos : 0,
        points_last_3: past.slice(-3).reduce((a, p) => a + p.points, 0),
        team_points_last_3: tp.slice(-3).reduce((a, t) => a + t.points, 0),
      };
      for (let f = 0; f < FEATURES.length; f++) x[i * cols + f] = v[FEATURES[f]!];
    }
    // rank of recent form within the race (1 = best average finish)
    const fi = FEATURES.indexOf('avg_finish_last_5');
    const ri = FEATURES.indexOf('form_rank');
    const order = Array.from({ length: e - s }, (_, k) => s + k).sort(
      (a, b) => (Number.isNaN(x[a * cols + fi]!) ? 99 : x[a * cols + fi]!) - (Number.isNaN(x[b * cols + fi]!) ? 99 : x[b * cols + fi]!),
    );
    order.forEach((row, k) => (x[row * cols + ri] = k + 1));
    s = e;
  }
  return x;
}
