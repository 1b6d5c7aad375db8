// The rejoin evaluation, exactly as issue #20 defines it: every stop (in-lap L ≥ 3) whose laps L−1, L and L+1 were
// green for the whole field; predict from the end of lap L−1 with the other cars' stops on L and L+1 known and the
// pit-loss model fitted only on races before the test race; truth = the car's official position at the end of L+1.
// Baseline: every car continues at its last lap time for two laps, pitting cars add the circuit's median pit loss
// from earlier races, rank the projected times.
import type { Db } from '../data/db.js';
import { circuitPitLoss, laneHistory, raceCircuits, raceStops, type CircuitPitLoss, type PitHistory } from './pit-loss.js';
import { fieldGreen, loadRaceStates, type RaceState } from './race-state.js';
import { predictRejoin, REJOIN_PARAMS, type RejoinParams } from './rejoin.js';

export interface EvalStop {
  season: number;
  round: number;
  driver: string;
  lap: number;
  actual: number;
}

export interface Score {
  exact: number;
  within1: number;
  mae: number;
}

export interface RejoinEval extends Score {
  seasons: [number, number];
  stops: number;
  baseline: Score;
}

/** The green-flag stops of a race with the official position after the out-lap. */
export function evalStops(race: RaceState): EvalStop[] {
  const out: EvalStop[] = [];
  const green = (l: number): boolean => fieldGreen(race, l);
  for (const [driver, laps] of race.drivers) {
    for (const c of laps) {
      if (!c?.pitIn || c.lap < 3) continue;
      const L = c.lap;
      const after = laps[L + 1]?.position;
      if (after === null || after === undefined || laps[L - 1]?.position == null) continue;
      if (!green(L - 1) || !green(L) || !green(L + 1)) continue;
      out.push({ season: race.season, round: race.round, driver, lap: L, actual: after });
    }
  }
  return out;
}

/** The naive projection's position for one stop. */
export function baselinePosition(race: RaceState, s: EvalStop, pitMedian: number): number | null {
  const t: { code: string; time: number }[] = [];
  for (const [code, laps] of race.drivers) {
    const prev = laps[s.lap - 1];
    if (!prev || prev.end === null || prev.time === null) continue;
    const pits = code === s.driver || laps[s.lap]?.pitIn === true || laps[s.lap + 1]?.pitIn === true;
    t.push({ code, time: prev.end + 2 * prev.time + (pits ? pitMedian : 0) });
  }
  const mine = t.find((x) => x.code === s.driver);
  return mine ? 1 + t.filter((x) => x.time < mine.time).length : null;
}

export interface EvalData {
  seasons: [number, number];
  tests: { race: RaceState; pit: CircuitPitLoss; stops: EvalStop[] }[];
}

/** The test races of [from, to] with their stops and the pit loss fitted on every race before each. */
export function prepareEval(db: Db, seasons: [number, number]): EvalData {
  const circuits = raceCircuits(db);
  const circuitOf = (r: RaceState): string => circuits.get(`${r.season}/${r.round}`) ?? 'unknown';
  const first = (db.prepare(`SELECT MIN(season) AS a FROM laps`).get() as { a: number | null }).a ?? seasons[0];
  const all = loadRaceStates(db, [Math.min(first, seasons[0]), seasons[1]]);
  const history: PitHistory = { stops: all.flatMap((r) => raceStops(r, circuitOf(r))), lane: laneHistory(db) };
  const tests = all
    .filter((r) => r.season >= seasons[0] && r.season <= seasons[1])
    .map((race) => ({ race, pit: circuitPitLoss(history, circuitOf(race), race), stops: evalStops(race) }));
  return { seasons, tests };
}

/** Scores the rejoin model (with `params`) and the baseline on prepared test races. */
export function runEval(d: EvalData, params: RejoinParams = REJOIN_PARAMS): RejoinEval {
  const ours: [number, number][] = [];
  const base: [number, number][] = [];
  for (const { race, pit, stops } of d.tests) {
    for (const s of stops) {
      const p = predictRejoin(race, s.driver, s.lap, pit, { params });
      const b = baselinePosition(race, s, pit.green.p50);
      ours.push([p?.position ?? (race.drivers.get(s.driver)?.[s.lap - 1]?.position ?? 0), s.actual]);
      base.push([b ?? 0, s.actual]);
    }
  }
  return { seasons: d.seasons, stops: ours.length, ...score(ours), baseline: score(base) };
}

/** Runs the evaluation on the seasons [from, to]. */
export const rejoinEval = (db: Db, seasons: [number, number]): RejoinEval => runEval(prepareEval(db, seasons));

export function score(pairs: readonly [number, number][]): Score {
  const n = pairs.length || 1;
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    exact: r(pairs.filter(([p, a]) => p === a).length / n),
    within1: r(pairs.filter(([p, a]) => Math.abs(p - a) <= 1).length / n),
    mae: r(pairs.reduce((s, [p, a]) => s + Math.abs(p - a), 0) / n),
  };
}
