// The race state after each lap, one row per running car: position, gaps to the leader and to the car ahead, tyres,
// stops made and likely still needed, laps remaining, SC/VSC, the pre-race probability; labels from the result.
// Rows are grouped by (race, lap) — the field still running at that line — in lap order.
import type { Db } from '../../data/db.js';
import { dryCompound, softness } from '../../race/compounds.js';
import { raceLapRows } from '../../race/laps.js';
import { hasState, isClear } from '../../race/track-status.js';
import { median } from '../../util/stats.js';

/** Time a stop costs under green flag (pit lane + stationary), seconds; a typical value, for the stop-adjusted gap. */
export const PIT_LOSS_S = 22;
/** ... and under a safety car or VSC, when the field is slow (a typical value). */
export const PIT_LOSS_SC_S = 12;

export const STATE_FEATURES = [
  'log_pos',
  'leader',
  'p2',
  'pos',
  'gap_leader_scaled',
  'gap_adj_scaled',
  'gap_ahead',
  'gap_behind',
  'needs_stop',
  'leader_needs_stop',
  'tyre_age_at_flag',
  'softness',
  'wet',
  'in_pit',
  'sc',
  'vsc',
  'sc_gap',
  'prior_logit',
  'pace_delta',
  'pace_gain_scaled',
] as const;
export type StateFeature = (typeof STATE_FEATURES)[number];
/** The recent-pace terms: a candidate feature set of their own (model.ts FEATURE_SETS). */
export const PACE_FEATURES: readonly string[] = ['pace_delta', 'pace_gain_scaled'];

export interface StateRows {
  features: string[];
  rows: number;
  cols: number;
  x: Float64Array;
  /** Group id per row (one per race × lap), contiguous; groups as [start, end). */
  group: Int32Array;
  groups: [number, number][];
  /** Per group: race key "<season>-<round>", lap, fraction of the distance done. */
  groupInfo: { race: string; season: number; round: number; lap: number; fraction: number }[];
  driver: string[];
  won: Float64Array;
  podium: Float64Array;
  points: Float64Array;
  /** Pre-race probability of the row's driver (renormalised over the field still running). */
  prior: Float64Array;
}

/** Recent race pace: the median of a car's last PACE_LAPS green laps (no pit in/out lap, no lap 1), seconds. */
const PACE_LAPS = 5;
/** Pace differences to the leader beyond this (s/lap) are clipped: damage or a spin, not pace. */
const PACE_CLIP_S = 2;
const isPaceLap = (l: Lap) =>
  l.lap_time_s !== null && l.lap_number > 1 && l.pit_in_s === null && l.pit_out_s === null && isClear(l.track_status);
const paceOf = (r: number[] | undefined): number | null => (r && r.length >= 3 ? median(r) : null);

/** Pre-race P(win) per race key and driverRef. */
export type Priors = Map<string, Map<string, number>>;

interface Lap {
  driver_ref: string | null;
  lap_number: number;
  time_s: number | null;
  lap_time_s: number | null;
  position: number | null;
  compound: string | null;
  compound_name: string | null;
  tyre_life: number | null;
  stint: number | null;
  pit_in_s: number | null;
  pit_out_s: number | null;
  track_status: string | null;
  round: number;
  season: number;
}

const COLS = ['season', 'round', 'driver_ref', 'lap_number', 'time_s', 'lap_time_s', 'position', 'compound', 'compound_name', 'tyre_life', 'stint', 'pit_in_s', 'pit_out_s', 'track_status'] as const;

/** State rows of every race in [from, to] with lap data and a result (priors: pre-race probabilities). */
export function raceStates(db: Db, from: number, to: number, priors: Priors, round?: number): StateRows {
  const results = new Map<string, Map<string, { order: number; laps: number }>>();
  for (const r of db
    .prepare(
      `SELECT r.year || '-' || r.round AS race, d.driver_ref AS driver, x.position_order AS ord, x.laps AS laps
       FROM results x JOIN races r ON r.race_id = x.race_id JOIN drivers d ON d.driver_id = x.driver_id
       WHERE r.year BETWEEN ? AND ?`,
    )
    .all(from, to) as { race: string; driver: string; ord: number; laps: number }[]) {
    let m = results.get(r.race);
    if (!m) results.set(r.race, (m = new Map()));
    m.set(r.driver, { order: r.ord, laps: r.laps ?? 0 });
  }
  const laps = raceLapRows(db, { seasons: [from, to], order: 'lap', ...(round !== undefined ? { round } : {}) }, COLS) as Lap[];
  const out: number[] = [];
  const group: number[] = [];
  const groupInfo: StateRows['groupInfo'] = [];
  const drivers: string[] = [];
  const won: number[] = [];
  const podium: number[] = [];
  const points: number[] = [];
  const prior: number[] = [];
  let i = 0;
  while (i < laps.length) {
    const season = laps[i]!.season;
    const rnd = laps[i]!.round;
    let e = i;
    while (e < laps.length && laps[e]!.season === season && laps[e]!.round === rnd) e++;
    const key = `${season}-${rnd}`;
    const res = results.get(key);
    const winner = res && [...res.entries()].find(([, v]) => v.order === 1);
    if (res && winner && winner[1].laps > 1) {
      raceRows(laps.slice(i, e), key, season, rnd, winner[1].laps, res, priors.get(key));
    }
    i = e;
  }
  function raceRows(rl: Lap[], key: string, season: number, rnd: number, total: number, res: Map<string, { order: number; laps: number }>, pr?: Map<string, number>) {
    // tyre history per driver: dry compounds used, stops made
    const used = new Map<string, Set<string>>();
    const stops = new Map<string, number>();
    const recent = new Map<string, number[]>();
    let k = 0;
    while (k < rl.length) {
      const lap = rl[k]!.lap_number;
      let e = k;
      while (e < rl.length && rl[e]!.lap_number === lap) e++;
      const field = rl.slice(k, e).filter((l) => l.driver_ref && l.time_s !== null && res.has(l.driver_ref));
      for (const l of field) {
        const c = dryCompound(l.compound);
        if (c) {
          let s = used.get(l.driver_ref!);
          if (!s) used.set(l.driver_ref!, (s = new Set()));
          s.add(c);
        }
        stops.set(l.driver_ref!, Math.max(stops.get(l.driver_ref!) ?? 0, (l.stint ?? 1) - 1));
        if (isPaceLap(l)) {
          let r = recent.get(l.driver_ref!);
          if (!r) recent.set(l.driver_ref!, (r = []));
          r.push(l.lap_time_s!);
          if (r.length > PACE_LAPS) r.shift();
        }
      }
      k = e;
      if (lap >= total || field.length < 2) continue;
      // order at the line: by time at the end of this lap (the position column as a tie-break)
      field.sort((a, b) => a.time_s! - b.time_s! || (a.position ?? 99) - (b.position ?? 99));
      const lead = field[0]!;
      const remaining = total - lap;
      const wetRace = field.filter((l) => l.compound === 'INTERMEDIATE' || l.compound === 'WET').length > field.length / 2;
      const need = (l: Lap) => (!wetRace && (used.get(l.driver_ref!)?.size ?? 0) < 2 ? 1 : 0);
      const leadNeed = need(lead);
      const sc = hasState(lead.track_status, 'sc') ? 1 : 0;
      const vsc = hasState(lead.track_status, 'vsc') ? 1 : 0;
      const loss = sc || vsc ? PIT_LOSS_SC_S : PIT_LOSS_S;
      const leadPace = paceOf(recent.get(lead.driver_ref!));
      const g = groupInfo.length;
      groupInfo.push({ race: key, season, round: rnd, lap, fraction: lap / total });
      let pSum = 0;
      for (const l of field) pSum += pr?.get(l.driver_ref!) ?? 0;
      field.forEach((l, pos0) => {
        const gap = l.time_s! - lead.time_s!;
        const ahead = pos0 ? l.time_s! - field[pos0 - 1]!.time_s! : 0;
        const behind = pos0 + 1 < field.length ? field[pos0 + 1]!.time_s! - l.time_s! : 60;
        const scale = Math.sqrt(remaining + 1);
        const n = need(l);
        const own = paceOf(recent.get(l.driver_ref!));
        const paceDelta = own !== null && leadPace !== null ? Math.max(-PACE_CLIP_S, Math.min(PACE_CLIP_S, leadPace - own)) : 0;
        const p = pSum > 0 ? (pr?.get(l.driver_ref!) ?? 0) / pSum : 1 / field.length;
        const v: Record<StateFeature, number> = {
          log_pos: Math.log(pos0 + 1),
          leader: pos0 === 0 ? 1 : 0,
          p2: pos0 === 1 ? 1 : 0,
          pos: pos0 + 1,
          gap_leader_scaled: Math.min(gap, 120) / scale,
          gap_adj_scaled: Math.max(-60, Math.min(gap + loss * (n - leadNeed), 120)) / scale,
          gap_ahead: Math.min(ahead, 30),
          gap_behind: Math.min(behind, 30),
          needs_stop: n,
          leader_needs_stop: leadNeed,
          tyre_age_at_flag: Math.min((l.tyre_life ?? 0) + remaining, 80),
          softness: softness(l.compound_name),
          wet: l.compound === 'INTERMEDIATE' || l.compound === 'WET' ? 1 : 0,
          in_pit: l.pit_in_s !== null ? 1 : 0,
          sc,
          vsc,
          sc_gap: sc || vsc ? Math.min(gap, 120) / scale : 0,
          prior_logit: Math.log(Math.max(p, 1e-4)),
          pace_delta: paceDelta,
          pace_gain_scaled: (paceDelta * remaining) / scale,
        };
        for (const f of STATE_FEATURES) out.push(Number.isFinite(v[f]) ? v[f] : 0);
        group.push(g);
        drivers.push(l.driver_ref!);
        const r = res.get(l.driver_ref!)!;
        won.push(r.order === 1 ? 1 : 0);
        podium.push(r.order <= 3 ? 1 : 0);
        points.push(r.order <= 10 ? 1 : 0);
        prior.push(p);
      });
    }
  }
  const groups: [number, number][] = [];
  for (let s = 0; s < group.length; ) {
    let e = s;
    while (e < group.length && group[e] === group[s]) e++;
    groups.push([s, e]);
    s = e;
  }
  return {
    features: [...STATE_FEATURES],
    rows: group.length,
    cols: STATE_FEATURES.length,
    x: Float64Array.from(out),
    group: Int32Array.from(group),
    groups,
    groupInfo,
    driver: drivers,
    won: Float64Array.from(won),
    podium: Float64Array.from(podium),
    points: Float64Array.from(points),
    prior: Float64Array.from(prior),
  };
}
