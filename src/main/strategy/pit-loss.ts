// Pit-loss model per circuit, from history only: every stop's in-lap + out-lap minus the driver's recent green pace
// (green stops) or minus the field's median lap times on those laps (SC / VSC stops, where everyone is slow), with
// p10/p50/p90 and the number of stops it rests on; the Ergast pit-lane durations beside it, and a fallback for a
// circuit without lap history (its lane durations × the all-circuit ratio, or the all-circuit median).
import type { PitLossStats, PitLossTable } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { quantile, median } from '../util/stats.js';
import { loadRaceStates, recentPace, type RaceState } from './race-state.js';

export type PitCondition = 'green' | 'sc' | 'vsc';

/** One measured stop. `inLap`/`outLap`: each lap's time over the reference (s); `loss` their sum. */
export interface PitLossRecord {
  season: number;
  round: number;
  circuit: string;
  driver: string;
  lap: number; // the in-lap
  condition: PitCondition;
  inLap: number;
  outLap: number;
  loss: number;
}

export interface LaneRecord {
  season: number;
  round: number;
  circuit: string;
  duration: number; // Ergast pit-lane time (s), entry to exit
}

export interface PitHistory {
  stops: PitLossRecord[];
  lane: LaneRecord[];
}

export interface CircuitPitLoss extends PitLossTable {
  /** The green losses the distribution draws from (ascending). */
  samples: number[];
}

/** Clean laps a driver's reference pace is the median of (chosen on 2019–2022, see README). */
export const PACE_WINDOW = 5;
/** Fewer green stops than this at a circuit and the fallback takes over. */
export const MIN_STOPS = 6;
const LOSS_RANGE = { green: [5, 60], sc: [-5, 60], vsc: [-5, 60] } as const;

const stats = (xs: readonly number[]): PitLossStats => {
  const s = Float64Array.from(xs).sort();
  return { n: s.length, p10: quantile(s, 0.1, true), p50: quantile(s, 0.5, true), p90: quantile(s, 0.9, true) };
};

/** The measured stops of one race (the circuit given). */
export function raceStops(race: RaceState, circuit: string): PitLossRecord[] {
  // the field's median lap time per lap, of cars neither pitting nor on their out-lap: the SC/VSC reference
  const field: number[][] = [];
  for (const laps of race.drivers.values())
    for (const c of laps) if (c && c.time !== null && !c.pitIn && !c.pitOut) (field[c.lap] ??= []).push(c.time);
  const fieldMedian = (lap: number): number => median(field[lap] ?? []);
  const out: PitLossRecord[] = [];
  for (const [driver, laps] of race.drivers) {
    for (const a of laps) {
      if (!a?.pitIn || a.lap < 2 || a.time === null) continue;
      const b = laps[a.lap + 1];
      if (!b?.pitOut || b.time === null) continue;
      const condition = conditionOf(a.status, b.status);
      if (!condition) continue;
      const refIn = condition === 'green' ? recentPace(laps, a.lap - 1, PACE_WINDOW) : fieldMedian(a.lap);
      const refOut = condition === 'green' ? refIn : fieldMedian(b.lap);
      if (!Number.isFinite(refIn) || !Number.isFinite(refOut)) continue;
      const inLap = a.time - refIn;
      const outLap = b.time - refOut;
      const loss = inLap + outLap;
      const [lo, hi] = LOSS_RANGE[condition];
      if (loss > lo && loss < hi) out.push({ season: race.season, round: race.round, circuit, driver, lap: a.lap, condition, inLap, outLap, loss });
    }
  }
  return out;
}

/** Green when both laps were clear throughout; SC when either saw the safety car; VSC likewise; else unusable. */
function conditionOf(a: string | null, b: string | null): PitCondition | null {
  const codes = `${a ?? ''}${b ?? ''}`;
  if (a === '1' && b === '1') return 'green';
  if (codes.includes('5')) return null;
  if (codes.includes('4')) return 'sc';
  if (codes.includes('6') || codes.includes('7')) return 'vsc';
  return null;
}

/** The circuit of every race (season/round → circuit_ref). */
export function raceCircuits(db: Db): Map<string, string> {
  const rows = db
    .prepare(`SELECT r.year AS s, r.round AS r, c.circuit_ref AS c FROM races r JOIN circuits c ON c.circuit_id = r.circuit_id`)
    .all() as { s: number; r: number; c: string }[];
  return new Map(rows.map((x) => [`${x.s}/${x.r}`, x.c]));
}

/** Every measured stop and Ergast lane duration in the database (optionally one circuit). */
export function loadPitHistory(db: Db, circuit?: string): PitHistory {
  const circuits = raceCircuits(db);
  const span = db.prepare(`SELECT MIN(season) AS a, MAX(season) AS b FROM laps`).get() as { a: number | null; b: number | null };
  const stops: PitLossRecord[] = [];
  if (span.a !== null && span.b !== null)
    for (const race of loadRaceStates(db, [span.a, span.b], circuit ? { circuit } : {}))
      stops.push(...raceStops(race, circuits.get(`${race.season}/${race.round}`) ?? 'unknown'));
  return { stops, lane: laneHistory(db, circuit) };
}

/** Ergast pit-lane durations (8–60 s), optionally of one circuit. */
export function laneHistory(db: Db, circuit?: string): LaneRecord[] {
  return db
    .prepare(
      `SELECT r.year AS season, r.round AS round, c.circuit_ref AS circuit, p.milliseconds / 1000.0 AS duration
       FROM pit_stops p JOIN races r ON r.race_id = p.race_id JOIN circuits c ON c.circuit_id = r.circuit_id
       WHERE p.milliseconds BETWEEN 8000 AND 60000 ${circuit ? 'AND c.circuit_ref = ?' : ''}`,
    )
    .all(...(circuit ? [circuit] : [])) as LaneRecord[];
}

const before = (x: { season: number; round: number }, t?: { season: number; round: number }): boolean =>
  !t || x.season < t.season || (x.season === t.season && x.round < t.round);

/**
 * The pit-loss table of `circuit` from the history strictly before race `until` (all of it when absent). A circuit
 * with fewer than MIN_STOPS green stops borrows the all-circuit spread around a centre from its lane durations
 * (scaled by the all-circuit loss/lane ratio) or, without those, the all-circuit median.
 */
export function circuitPitLoss(h: PitHistory, circuit: string, until?: { season: number; round: number }): CircuitPitLoss {
  const past = h.stops.filter((s) => before(s, until));
  const here = past.filter((s) => s.circuit === circuit);
  const green = here.filter((s) => s.condition === 'green');
  const lane = stats(h.lane.filter((l) => l.circuit === circuit && before(l, until)).map((l) => l.duration));
  const of = (c: PitCondition): PitLossStats => stats(here.filter((s) => s.condition === c).map((s) => s.loss));
  if (green.length >= MIN_STOPS) {
    const samples = green.map((s) => s.loss).sort((a, b) => a - b);
    return {
      circuit,
      basis: 'circuit',
      green: { ...stats(samples), inLap: median(green.map((s) => s.inLap)), outLap: median(green.map((s) => s.outLap)) },
      sc: of('sc'),
      vsc: of('vsc'),
      lane,
      samples,
    };
  }
  const all = past.filter((s) => s.condition === 'green');
  const allMedian = median(all.map((s) => s.loss)) || 22;
  const centre = lane.n > 0 ? lane.p50 * laneRatio(h, until) : allMedian;
  const spread = all.map((s) => s.loss / allMedian);
  const samples = (spread.length ? spread.map((r) => r * centre) : [centre]).sort((a, b) => a - b);
  const inShare = median(all.map((s) => s.inLap / s.loss)) || 0.3;
  return {
    circuit,
    basis: lane.n > 0 ? 'lane' : 'all-circuits',
    green: { ...stats(samples), n: green.length, inLap: centre * inShare, outLap: centre * (1 - inShare) },
    sc: of('sc'),
    vsc: of('vsc'),
    lane,
    samples,
  };
}

/** Median over circuits of (green loss p50 / lane-duration p50), from the history before `until`. */
function laneRatio(h: PitHistory, until?: { season: number; round: number }): number {
  const loss = new Map<string, number[]>();
  const lane = new Map<string, number[]>();
  for (const s of h.stops) if (s.condition === 'green' && before(s, until)) (loss.get(s.circuit) ?? loss.set(s.circuit, []).get(s.circuit)!).push(s.loss);
  for (const l of h.lane) if (before(l, until)) (lane.get(l.circuit) ?? lane.set(l.circuit, []).get(l.circuit)!).push(l.duration);
  const ratios: number[] = [];
  for (const [c, xs] of loss) {
    const ys = lane.get(c);
    if (xs.length >= MIN_STOPS && ys?.length) ratios.push(median(xs) / median(ys));
  }
  return median(ratios) || 1;
}

/** The table for every circuit with history (CLI/UI), sorted by circuit_ref. */
export function pitLossTable(h: PitHistory): CircuitPitLoss[] {
  const circuits = [...new Set([...h.stops.map((s) => s.circuit), ...h.lane.map((l) => l.circuit)])].sort();
  return circuits.map((c) => circuitPitLoss(h, c));
}
