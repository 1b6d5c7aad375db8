// Weekend-first pre-race features (feature set 2). This weekend's information leads: qualifying gap to pole in %, the
// team-mate's gap, grid, the sprint; then the team's pace THIS season so far (qualifying and race gaps, recency
// weighted so a new fastest car shows after a race or two; last season enters only as a fading carry-over), the
// driver against the car, reliability and circuit affinity. Every value uses only races that ended before the race
// starts (history walked in start order, updated after each race) plus this weekend's sessions.
import type { Db } from '../../data/db.js';
import { isFinished, isMechanicalDnf } from '../../race/result-status.js';
import type { Entry } from './entries.js';

/** 5: Jolpica's "Lapped" is a finish (it had counted as a mechanical DNF); same values on Ergast's statuses. */
export const WEEKEND_SET_VERSION = 5;

export const WEEKEND_FEATURES = [
  'quali_gap_pct',
  'quali_gap_log',
  'teammate_gap_pct',
  'quali_pos',
  'grid',
  'log_grid',
  'front_row',
  'pit_lane_start',
  'sprint_delta_pct',
  'team_quali_pace',
  'team_race_pace',
  'team_race_pace_log',
  'team_points_rate',
  'driver_vs_car',
  'driver_race_pace',
  'driver_points_rate',
  'points_share',
  'team_mech_dnf_rate',
  'driver_dnf_rate',
  'circuit_affinity',
  'season_progress',
] as const;
export type WeekendFeature = (typeof WEEKEND_FEATURES)[number];

/** Recency weight per race back (this season), and the weight of last season's carry-over relative to one race. */
export const DECAY_PER_RACE = 0.6;
const CARRY_WEIGHT = 0.5;
/** Pseudo-cars at the field's mechanical-DNF rate in a team's rate: two failed cars are not yet a fragile team. Chosen
 *  on the development protocol (rolling 2012–2015, training from 2006; logloss 1.272 without, 1.246 / 1.254 / 1.251
 *  at 3 / 6 / 12), before the 2016–2024 seasons were run. */
const MECH_K = 3;
const GAP_CAP = 5; // % — slower than this is "not a contender", whatever the reason

/** A recency-weighted running mean: this season's races decay by DECAY_PER_RACE, last season's value carries over. */
class Pace {
  private season = 0;
  private num = 0;
  private den = 0;
  private carry = NaN;
  add(season: number, v: number): void {
    this.roll(season);
    if (!Number.isFinite(v)) return;
    this.num = this.num * DECAY_PER_RACE + v;
    this.den = this.den * DECAY_PER_RACE + 1;
  }
  /** Skips a race without a value (it still ages the older ones). */
  age(season: number): void {
    this.roll(season);
    this.num *= DECAY_PER_RACE;
    this.den *= DECAY_PER_RACE;
  }
  /** The mean shrunk toward `prior` by `k` pseudo-observations (a rate of rare events: a DNF or two is not a trend). */
  shrunk(season: number, prior: number, k: number): number {
    this.roll(season);
    const c = Number.isFinite(this.carry) ? CARRY_WEIGHT : 0;
    return (this.num + c * (c ? this.carry : 0) + k * prior) / (this.den + c + k);
  }
  value(season: number): number {
    this.roll(season);
    const c = Number.isFinite(this.carry) ? CARRY_WEIGHT : 0;
    const d = this.den + c;
    return d > 0 ? (this.num + c * (Number.isFinite(this.carry) ? this.carry : 0)) / d : NaN;
  }
  private roll(season: number): void {
    if (season === this.season) return;
    if (this.season && season > this.season) this.carry = this.den > 0 ? this.num / this.den : this.carry;
    this.season = season;
    this.num = 0;
    this.den = 0;
  }
}

const or = (v: number | undefined, d: number) => (v === undefined || !Number.isFinite(v) ? d : v);
const get = <K, V>(m: Map<K, V>, k: K, make: () => V): V => {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = make()));
  return v;
};

type HistRow = [raceId: number, season: number, start: string, circuit: string | null, driver: number, team: number,
  pos: number, points: number | null, laps: number | null, ms: number | null, qms: number | null, status: string | null];

/** Row-major matrix (WEEKEND_FEATURES order) for entries grouped by race in start order. */
export function weekendFeatures(db: Db, entries: Entry[]): Float64Array {
  const cols = WEEKEND_FEATURES.length;
  const x = new Float64Array(entries.length * cols).fill(NaN);
  if (!entries.length) return x;
  const first = entries[0]!;
  const last = entries[entries.length - 1]!;
  const hist = db
    .prepare(
      `SELECT r.race_id, r.year, r.start_utc, c.circuit_ref, x.driver_id, x.constructor_id, x.position_order, x.points,
         x.laps, x.milliseconds, q.best_ms, s.status
       FROM results x JOIN races r ON r.race_id = x.race_id LEFT JOIN circuits c ON c.circuit_id = r.circuit_id
       LEFT JOIN qualifying q ON q.race_id = x.race_id AND q.driver_id = x.driver_id
       LEFT JOIN status s ON s.status_id = x.status_id
       WHERE r.year >= ? AND r.start_utc < ? ORDER BY r.start_utc, r.race_id`,
    )
    .raw()
    .all(Math.min(first.season - 6, 2010), last.start) as HistRow[];
  const sprint = new Map<number, Map<number, { pos: number; ms: number | null; laps: number | null }>>();
  for (const [race, d, pos, ms, laps] of db
    .prepare(
      `SELECT s.race_id, s.driver_id, s.position_order, s.milliseconds, s.laps FROM sprint_results s
       JOIN races r ON r.race_id = s.race_id WHERE r.year BETWEEN ? AND ?`,
    )
    .raw()
    .all(first.season, last.season) as [number, number, number, number | null, number | null][])
    get(sprint, race, () => new Map()).set(d, { pos, ms, laps });

  const teamQ = new Map<number, Pace>();
  const teamR = new Map<number, Pace>();
  const teamPts = new Map<number, Pace>();
  const teamMech = new Map<number, Pace>();
  const drvCar = new Map<number, Pace>();
  const drvR = new Map<number, Pace>();
  const drvPts = new Map<number, Pace>();
  const drvDnf = new Map<number, Pace>();
  const seasonPts = new Map<number, number>(); // driver → points this season (key season*1e4+driver)
  const affinity = new Map<string, { sum: number; n: number }>(); // driver|circuit → Σ(gap − expected)
  const roundsDone = new Map<number, number>();
  const fieldMech = { num: 0, den: 0 };
  const pace = () => new Pace();
  let h = 0;
  const absorbUntil = (start: string) => {
    while (h < hist.length && hist[h]![2] < start) {
      let e = h;
      while (e < hist.length && hist[e]![0] === hist[h]![0]) e++;
      absorbRace(hist.slice(h, e));
      h = e;
    }
  };
  const absorbRace = (rows: HistRow[]) => {
    const season = rows[0]![1];
    const circuit = rows[0]![3] ?? '';
    roundsDone.set(season, (roundsDone.get(season) ?? 0) + 1);
    const pole = Math.min(...rows.map((r) => r[10] ?? Infinity));
    const win = rows.find((r) => r[6] === 1);
    const winLaps = win?.[8] ?? 0;
    const winMs = win?.[9] ?? null;
    const qGap = (r: HistRow) => (r[10] && Number.isFinite(pole) ? Math.min(((r[10] - pole) / pole) * 100, GAP_CAP) : NaN);
    const rGap = (r: HistRow) => {
      if (!isFinished(r[11])) return NaN;
      if (r[9] && winMs) return Math.min(((r[9] - winMs) / winMs) * 100, GAP_CAP);
      if (winLaps && r[8] !== null) return Math.min(((winLaps - r[8]) / winLaps) * 100 + 1, GAP_CAP);
      return NaN;
    };
    const teams = new Map<number, HistRow[]>();
    for (const r of rows) get(teams, r[5], () => []).push(r);
    for (const [t, rs] of teams) {
      const tq = Math.min(...rs.map((r) => qGap(r)).filter(Number.isFinite));
      const tr = Math.min(...rs.map((r) => rGap(r)).filter(Number.isFinite));
      if (Number.isFinite(tq)) get(teamQ, t, pace).add(season, tq);
      else get(teamQ, t, pace).age(season);
      if (Number.isFinite(tr)) get(teamR, t, pace).add(season, tr);
      else get(teamR, t, pace).age(season);
      get(teamPts, t, pace).add(season, rs.reduce((a, r) => a + (r[7] ?? 0), 0));
      for (const r of rs) {
        const fin = isFinished(r[11]);
        const mech = isMechanicalDnf(r[11]) ? 1 : 0;
        get(teamMech, t, pace).add(season, mech);
        fieldMech.num += mech;
        fieldMech.den++;
        const d = r[4];
        const q = qGap(r);
        const expected = get(drvCar, d, pace).value(season);
        if (Number.isFinite(q) && Number.isFinite(tq)) get(drvCar, d, pace).add(season, q - tq);
        if (Number.isFinite(rGap(r))) get(drvR, d, pace).add(season, rGap(r));
        else get(drvR, d, pace).age(season);
        get(drvPts, d, pace).add(season, r[7] ?? 0);
        get(drvDnf, d, pace).add(season, fin ? 0 : 1);
        seasonPts.set(season * 1e4 + d, (seasonPts.get(season * 1e4 + d) ?? 0) + (r[7] ?? 0));
        // circuit affinity: how much better than its usual gap to the team's best the driver+car was here
        const tExp = get(teamQ, t, pace).value(season);
        if (Number.isFinite(q) && Number.isFinite(tExp) && Number.isFinite(expected)) {
          const a = get(affinity, `${d}|${circuit}`, () => ({ sum: 0, n: 0 }));
          a.sum += Math.max(-GAP_CAP, Math.min(GAP_CAP, q - (tExp + expected)));
          a.n++;
        }
      }
    }
  };
  absorbUntil(first.start);

  for (let s = 0; s < entries.length; ) {
    let e = s;
    while (e < entries.length && entries[e]!.raceId === entries[s]!.raceId) e++;
    const race = entries[s]!;
    absorbUntil(race.start);
    const field = entries.slice(s, e);
    const pole = Math.min(...field.map((f) => f.qualiMs ?? Infinity));
    const gapOf = (f: Entry) => (f.qualiMs && Number.isFinite(pole) ? Math.min(((f.qualiMs - pole) / pole) * 100, GAP_CAP) : GAP_CAP);
    const spr = sprint.get(race.raceId);
    const sprWin = spr ? [...spr.values()].find((v) => v.pos === 1) : undefined;
    let leaderPts = 0;
    for (const f of field) leaderPts = Math.max(leaderPts, seasonPts.get(race.season * 1e4 + f.driverId) ?? 0);
    const done = roundsDone.get(race.season) ?? 0;
    for (let i = s; i < e; i++) {
      const en = entries[i]!;
      const mate = field.find((o) => o.constructorId === en.constructorId && o.driverId !== en.driverId);
      const gap = gapOf(en);
      const grid = en.grid ?? 20;
      const sp = spr?.get(en.driverId);
      const teamRace = or(teamR.get(en.constructorId)?.value(race.season), GAP_CAP);
      const aff = affinity.get(`${en.driverId}|${en.circuit}`);
      const v: Record<WeekendFeature, number> = {
        quali_gap_pct: gap,
        quali_gap_log: Math.log(gap + 0.1),
        teammate_gap_pct: mate ? gap - gapOf(mate) : 0,
        quali_pos: en.qualiPos ?? 20,
        grid,
        log_grid: Math.log(Math.max(1, grid)),
        front_row: grid <= 2 ? 1 : 0,
        pit_lane_start: en.grid === null ? 1 : 0,
        // the sprint as a correction to qualifying (0 without a sprint): few sprints to learn from, so the
        // coefficient of a separate sprint position would be fitted on a handful of races
        sprint_delta_pct:
          sp && sprWin?.ms ? Math.max(-3, Math.min(3, (sp.ms ? Math.min(((sp.ms - sprWin.ms) / sprWin.ms) * 100, GAP_CAP) : GAP_CAP) - gap)) : 0,
        team_quali_pace: or(teamQ.get(en.constructorId)?.value(race.season), GAP_CAP),
        team_race_pace: teamRace,
        team_race_pace_log: Math.log(teamRace + 0.1),
        team_points_rate: or(teamPts.get(en.constructorId)?.value(race.season), 0),
        driver_vs_car: drvCar.get(en.driverId)?.value(race.season) ?? NaN,
        driver_race_pace: or(drvR.get(en.driverId)?.value(race.season), GAP_CAP),
        driver_points_rate: or(drvPts.get(en.driverId)?.value(race.season), 0),
        points_share: done && leaderPts > 0 ? (seasonPts.get(race.season * 1e4 + en.driverId) ?? 0) / leaderPts : NaN,
        team_mech_dnf_rate: fieldMech.den ? get(teamMech, en.constructorId, pace).shrunk(race.season, fieldMech.num / fieldMech.den, MECH_K) : NaN,
        driver_dnf_rate: drvDnf.get(en.driverId)?.value(race.season) ?? NaN,
        circuit_affinity: aff ? aff.sum / (aff.n + 2) : 0,
        season_progress: Math.min(done, 10) / 10,
      };
      for (let f = 0; f < cols; f++) x[i * cols + f] = v[WEEKEND_FEATURES[f]!];
    }
    s = e;
  }
  return x;
}
