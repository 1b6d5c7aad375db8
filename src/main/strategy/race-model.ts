// Calibrates a simulator model for one real race from the database: pace per car, tyre model, fuel, pit loss
// (TUM parameters + measured in/out-lap losses), stationary-time spread (pit_stops), SC/VSC/red-flag rates (history),
// and the strategies the teams actually ran.
import type { Db } from '../data/db.js';
import { DataError } from '../data/errors.js';
import { tumTrack, type TumTrack } from './tum.js';
import { fitTyreModel, loadCurves, tyreDelta, withCurves, type TyreModel } from './tyre-model.js';
import { compoundIndex } from '../race/compounds.js';
import { median, quantile } from '../util/stats.js';
import { worstState } from '../race/track-status.js';
import { FUEL_S_PER_KG, START_FUEL_KG } from '../race/fuel.js';
import { maxStintLaps } from '../race/tyre-rules.js';

export const MAX_STOPS = 6;
export const GREEN = 0, SC = 1, VSC = 2, RED = 3;

export interface TrackParams extends Omit<TumTrack, 'track' | 'year' | 'tQ' | 'pitGreen' | 'pitFcy' | 'pitSc' | 'standstillMin'> {
  tumTrack: string | null;
  pitLoss: number; // total time lost by a green-flag stop (in-lap + out-lap, median standstill included)
  pitLossVsc: number;
  pitLossSc: number;
  standstillMedian: number; // median extra standstill above the fastest stops (s)
  standstillTail: number; // mean of the exponential standstill spread (s)
}

export interface EventRates {
  races: number; // races of history behind the rates
  scPerRace: number;
  vscPerRace: number;
  redPerRace: number;
  firstLapScShare: number;
  scDurations: number[];
  vscDurations: number[];
}

export interface RaceModel {
  season: number;
  round: number;
  circuit: string;
  raceName: string;
  nLaps: number;
  nCars: number;
  wet: boolean;
  drivers: string[]; // driver_ref
  codes: string[];
  pace: Float64Array; // fuel-free, fresh-reference lap time (s)
  sigma: Float64Array; // lap-time noise (s)
  gridSlot: Int32Array; // 0-based start order
  startCompound: Int8Array;
  startAge: Int16Array; // laps already on the starting set
  stopLap: Int16Array; // [car*MAX_STOPS + k]: pit at the end of this lap
  stopCompound: Int8Array;
  stopCount: Int8Array;
  retireLap: Int16Array; // 0 = ran to the end
  actualStatus: Int8Array; // [lap] (1-based) GREEN/SC/VSC/RED as observed
  actualNeutralLap: Float64Array; // [lap] median real lap time on neutralised laps (red-flag stoppage included), else 0
  actualPosition: Int16Array; // 0 = not classified
  actualTime: Float64Array; // race time at actualLaps (s), NaN if unknown
  actualLaps: Int16Array;
  tyre: TyreModel;
  track: TrackParams;
  events: EventRates;
  fuelSensPerLap: number; // s per lap of fuel carried (fuel burnt evenly)
  maxStintLaps: number | null; // most race laps one set may run (race/tyre-rules.ts), null when unlimited
}

interface LapDbRow {
  driver: string;
  driver_ref: string | null;
  lap_number: number;
  lap_time_s: number | null;
  time_s: number | null;
  stint: number | null;
  compound: string | null;
  tyre_life: number | null;
  track_status: string | null;
  pit_in_s: number | null;
  pit_out_s: number | null;
  is_accurate: number | null;
}

/** The simulator's status of a lap from its track-status code (a yellow runs at green pace). */
export function statusOf(ts: string | null | undefined): number {
  const worst = worstState(ts);
  return worst === 'red' ? RED : worst === 'sc' ? SC : worst === 'vsc' ? VSC : GREEN;
}

/** The most severe status seen by more than half of the cars on a lap. */
export function majorityStatus(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (const st of [RED, SC, VSC]) {
    acc += counts[st]!;
    if (acc * 2 > total) return st;
  }
  return GREEN;
}

const DEFAULT_TRACK: Omit<TrackParams, 'pitLoss' | 'pitLossVsc' | 'pitLossSc' | 'standstillMedian' | 'standstillTail'> = {
  tumTrack: null,
  massSens: 0.03,
  gridLoss: 0.12,
  firstLapLoss: 2.5,
  overtakeGap: 1.3,
  drsEffect: -0.5,
  drsWindow: 1,
  drsFromLap: 3,
  drsScDelay: 2,
  minGap: 0.5,
  minGapSc: 0.8,
  duelLoss: 0.3,
  overtakeLoserLoss: 0.3,
  scMult: 1.6,
  vscMult: 1.4,
  fuelStart: 105,
  fuelPerLap: 1.8,
};

function raceRow(db: Db, season: number, round: number): { race_id: number; circuit_ref: string; name: string } {
  const r = db
    .prepare(
      `SELECT r.race_id, c.circuit_ref, r.name FROM races r JOIN circuits c ON c.circuit_id = r.circuit_id WHERE r.year = ? AND r.round = ?`,
    )
    .get(season, round) as { race_id: number; circuit_ref: string; name: string } | undefined;
  if (!r) throw new DataError(`No race ${season} round ${round} in the database — \`pitwall update\` can fetch newer seasons`);
  return r;
}

/** Measured green-flag pit loss at a circuit: in-lap + out-lap minus twice the driver's median green lap. */
function measuredPitLoss(db: Db, circuit: string, season: number): number[] {
  const rows = db
    .prepare(
      `SELECT l.season AS s, l.round AS r, l.driver AS d, l.lap_number AS lap, l.lap_time_s AS t, l.track_status AS ts,
              l.pit_in_s AS pin, l.pit_out_s AS pout, l.is_accurate AS acc
       FROM laps l JOIN races ra ON ra.year = l.season AND ra.round = l.round JOIN circuits c ON c.circuit_id = ra.circuit_id
       WHERE c.circuit_ref = ? AND l.season BETWEEN ? AND ? AND l.session = 'race' ORDER BY l.season, l.round, l.driver, l.lap_number`,
    )
    .all(circuit, season - 3, season) as { s: number; r: number; d: string; lap: number; t: number | null; ts: string | null; pin: number | null; pout: number | null; acc: number | null }[];
  const out: number[] = [];
  let i = 0;
  while (i < rows.length) {
    let j = i;
    while (j < rows.length && rows[j]!.s === rows[i]!.s && rows[j]!.r === rows[i]!.r && rows[j]!.d === rows[i]!.d) j++;
    const ls = rows.slice(i, j);
    const green = ls.filter((l) => l.acc === 1 && l.ts === '1' && l.t !== null && l.lap > 1).map((l) => l.t!);
    const ref = median(green);
    for (let k = 0; k + 1 < ls.length; k++) {
      const a = ls[k]!, b = ls[k + 1]!;
      if (a.pin === null || b.pout === null || a.t === null || b.t === null || a.lap < 2) continue;
      if (a.ts !== '1' || b.ts !== '1' || !Number.isFinite(ref)) continue;
      const loss = a.t + b.t - 2 * ref;
      if (loss > 8 && loss < 60) out.push(loss);
    }
    i = j;
  }
  return out;
}

function standstill(db: Db, circuit: string, season: number): { median: number; tail: number } {
  const rows = db
    .prepare(
      `SELECT p.race_id AS race, p.duration AS d FROM pit_stops p JOIN races r ON r.race_id = p.race_id
       JOIN circuits c ON c.circuit_id = r.circuit_id WHERE c.circuit_ref = ? AND r.year BETWEEN ? AND ? AND p.duration IS NOT NULL`,
    )
    .all(circuit, season - 3, season) as { race: number; d: number }[];
  const byRace = new Map<number, number[]>();
  for (const r of rows) if (r.d > 5 && r.d < 100) (byRace.get(r.race) ?? byRace.set(r.race, []).get(r.race)!).push(r.d);
  const extra: number[] = [];
  for (const ds of byRace.values()) {
    const floor = quantile(ds, 0.1);
    for (const d of ds) if (d - floor < 12) extra.push(Math.max(0, d - floor));
  }
  if (extra.length < 10) return { median: 0.8, tail: 1.2 };
  return { median: median(extra), tail: Math.max(0.3, extra.reduce((a, b) => a + b, 0) / extra.length) };
}

/** SC / VSC / red-flag rates at the circuit from races before `season` (shrunk towards the all-circuit rates). */
export function eventRates(db: Db, circuit: string, season: number): EventRates {
  const races = db
    .prepare(
      `SELECT r.race_id AS id, c.circuit_ref AS circuit FROM races r JOIN circuits c ON c.circuit_id = r.circuit_id
       WHERE r.year BETWEEN 2015 AND ?`,
    )
    .all(season - 1) as { id: number; circuit: string }[];
  const ids = new Set(races.map((r) => r.id));
  const here = new Set(races.filter((r) => r.circuit === circuit).map((r) => r.id));
  const sc = (db.prepare(`SELECT race_id AS id, deployed, full_laps AS n FROM safety_cars WHERE race_id IS NOT NULL`).all() as {
    id: number;
    deployed: number | null;
    n: number | null;
  }[]).filter((r) => ids.has(r.id));
  const red = (db.prepare(`SELECT race_id AS id FROM red_flags WHERE race_id IS NOT NULL`).all() as { id: number }[]).filter((r) => ids.has(r.id));
  const vscLaps = (db.prepare(`SELECT race_id AS id, lap FROM vsc_laps WHERE race_id IS NOT NULL ORDER BY race_id, lap`).all() as {
    id: number;
    lap: number;
  }[]).filter((r) => ids.has(r.id));
  const vscRuns: { id: number; len: number }[] = [];
  for (const v of vscLaps) {
    const last = vscRuns[vscRuns.length - 1];
    const prev = vscLaps[vscLaps.indexOf(v) - 1];
    if (last && last.id === v.id && prev && prev.lap === v.lap - 1) last.len++;
    else vscRuns.push({ id: v.id, len: 1 });
  }
  const nAll = Math.max(1, ids.size);
  const nHere = here.size;
  const shrink = (countHere: number, countAll: number): number => (countHere + 4 * (countAll / nAll)) / (nHere + 4);
  const count = <T extends { id: number }>(xs: T[], set: Set<number>): number => xs.filter((x) => set.has(x.id)).length;
  const scDur = sc.map((s) => s.n ?? 0).filter((n) => n >= 1 && n <= 12);
  const first = sc.filter((s) => s.deployed === 1).length;
  return {
    races: nHere,
    scPerRace: shrink(count(sc, here), sc.length),
    vscPerRace: shrink(count(vscRuns, here), vscRuns.length),
    redPerRace: shrink(count(red, here), red.length),
    firstLapScShare: sc.length ? first / sc.length : 0.3,
    scDurations: scDur.length ? scDur : [3, 4, 5],
    vscDurations: vscRuns.length ? vscRuns.map((v) => Math.min(5, v.len)) : [1, 2],
  };
}

function trackParams(db: Db, circuit: string, season: number): TrackParams {
  const tum = tumTrack(circuit, season);
  const measured = measuredPitLoss(db, circuit, season);
  const stand = standstill(db, circuit, season);
  const base = tum
    ? {
        ...DEFAULT_TRACK,
        tumTrack: `${tum.track} ${tum.year}`,
        massSens: tum.massSens,
        gridLoss: tum.gridLoss,
        firstLapLoss: tum.firstLapLoss,
        overtakeGap: tum.overtakeGap,
        drsEffect: tum.drsEffect,
        drsWindow: tum.drsWindow,
        drsFromLap: tum.drsFromLap,
        drsScDelay: tum.drsScDelay,
        minGap: tum.minGap,
        minGapSc: tum.minGapSc,
        duelLoss: tum.duelLoss,
        overtakeLoserLoss: tum.overtakeLoserLoss,
        scMult: tum.scMult,
        vscMult: tum.vscMult,
        fuelStart: tum.fuelStart,
        fuelPerLap: tum.fuelPerLap,
      }
    : { ...DEFAULT_TRACK };
  const tumLoss = tum ? tum.pitGreen + tum.standstillMin + 0.6 : NaN;
  // measured loss when there is enough of it, else TUM, else a typical 22 s
  const pitLoss = measured.length >= 8 ? median(measured) : Number.isFinite(tumLoss) ? tumLoss : 22;
  const scRatio = tum ? (tum.pitSc + tum.standstillMin) / (tum.pitGreen + tum.standstillMin) : 0.55;
  const vscRatio = tum ? (tum.pitFcy + tum.standstillMin) / (tum.pitGreen + tum.standstillMin) : 0.6;
  // TUM multipliers are for fully neutralised laps; a lap flagged SC / VSC in the timing data is on average only
  // partly neutralised (measured 2019–2024: ×1.39 SC, ×1.18 VSC of the driver's green median)
  return {
    ...base,
    scMult: 1 + (base.scMult - 1) * 0.65,
    vscMult: 1 + (base.vscMult - 1) * 0.45,
    pitLoss,
    pitLossSc: pitLoss * scRatio,
    pitLossVsc: pitLoss * vscRatio,
    standstillMedian: stand.median,
    standstillTail: stand.tail,
  };
}

export interface ModelOptions {
  /** Use the tyre capability's curves when available (default true). */
  curves?: boolean;
}

/** Builds the simulator model for a real race (season, round). */
export async function buildRaceModel(db: Db, season: number, round: number, opts: ModelOptions = {}): Promise<RaceModel> {
  const race = raceRow(db, season, round);
  const rows = db
    .prepare(
      `SELECT driver, driver_ref, lap_number, lap_time_s, time_s, stint, compound, tyre_life, track_status, pit_in_s,
              pit_out_s, is_accurate FROM laps WHERE season = ? AND round = ? AND session = 'race' ORDER BY driver, lap_number`,
    )
    .all(season, round) as LapDbRow[];
  if (!rows.length) throw new DataError(`no race laps for ${season} round ${round}`);
  const results = db
    .prepare(
      `SELECT d.driver_ref AS ref, d.code AS code, r.grid AS grid, r.position AS pos, r.position_order AS ord,
              r.laps AS laps, r.milliseconds AS ms
       FROM results r JOIN drivers d ON d.driver_id = r.driver_id WHERE r.race_id = ? ORDER BY r.position_order`,
    )
    .all(race.race_id) as { ref: string; code: string | null; grid: number | null; pos: number | null; ord: number; laps: number | null; ms: number | null }[];

  const byDriver = new Map<string, LapDbRow[]>();
  for (const r of rows) (byDriver.get(r.driver) ?? byDriver.set(r.driver, []).get(r.driver)!).push(r);
  const nLaps = Math.max(...rows.map((r) => r.lap_number));
  // cars: everyone with laps, ordered by grid (pit-lane starts at the back)
  const refOf = (code: string): string => byDriver.get(code)!.find((l) => l.driver_ref)?.driver_ref ?? code.toLowerCase();
  const resByRef = new Map(results.map((r) => [r.ref, r]));
  const codes = [...byDriver.keys()];
  const gridOf = (code: string): number => {
    const g = resByRef.get(refOf(code))?.grid ?? 0;
    return g > 0 ? g : 99;
  };
  codes.sort((a, b) => gridOf(a) - gridOf(b));
  const n = codes.length;

  const tum = trackParams(db, race.circuit_ref, season);
  // fuel: burnt evenly, the race floor's model (the prior FastF1 and the tyre capability's curves use)
  const fuelSensPerLap = (FUEL_S_PER_KG * START_FUEL_KG) / nLaps;
  let tyre = fitTyreModel(db, race.circuit_ref, season, fuelSensPerLap);
  if (opts.curves !== false) {
    const curves = loadCurves(db, race.circuit_ref, season);
    if (curves.length) tyre = withCurves(tyre, curves);
  }

  const m: RaceModel = {
    season,
    round,
    circuit: race.circuit_ref,
    raceName: race.name,
    nLaps,
    nCars: n,
    wet: false,
    drivers: codes.map(refOf),
    codes,
    pace: new Float64Array(n),
    sigma: new Float64Array(n),
    gridSlot: new Int32Array(n),
    startCompound: new Int8Array(n),
    startAge: new Int16Array(n),
    stopLap: new Int16Array(n * MAX_STOPS),
    stopCompound: new Int8Array(n * MAX_STOPS),
    stopCount: new Int8Array(n),
    retireLap: new Int16Array(n),
    actualStatus: new Int8Array(nLaps + 2),
    actualNeutralLap: new Float64Array(nLaps + 2),
    actualPosition: new Int16Array(n),
    actualTime: new Float64Array(n).fill(NaN),
    actualLaps: new Int16Array(n),
    tyre,
    track: tum,
    events: eventRates(db, race.circuit_ref, season),
    fuelSensPerLap,
    maxStintLaps: maxStintLaps(season, round),
  };

  // track status per lap: as reported by the majority of the cars on that lap (lapped cars see it a lap early)
  const statusCounts = Array.from({ length: nLaps + 1 }, () => [0, 0, 0, 0]);
  for (const r of rows) statusCounts[r.lap_number]![statusOf(r.track_status)]!++;
  for (let lap = 1; lap <= nLaps; lap++) m.actualStatus[lap] = majorityStatus(statusCounts[lap]!);
  // how long the neutralised laps really took (session-clock differences, so red-flag stoppages count)
  const lapDur = Array.from({ length: nLaps + 1 }, () => [] as number[]);
  for (const ls of byDriver.values()) {
    for (let k = 1; k < ls.length; k++) {
      const a = ls[k - 1]!, b = ls[k]!;
      const clean = b.pit_in_s === null && b.pit_out_s === null;
      const afterRed = m.actualStatus[b.lap_number] === RED || m.actualStatus[b.lap_number - 1] === RED || m.actualStatus[b.lap_number - 2] === RED;
      if (a.time_s !== null && b.time_s !== null && b.lap_number === a.lap_number + 1 && (clean || afterRed)) {
        lapDur[b.lap_number]!.push(b.time_s - a.time_s);
      }
    }
  }
  const typical = median(lapDur.flat());
  // an opening lap that includes a stoppage (red flag before the first lap is complete)
  const lap1 = median(rows.filter((r) => r.lap_number === 1 && r.lap_time_s !== null).map((r) => r.lap_time_s!));
  if (lap1 > 2 * typical) {
    if (m.actualStatus[1] === GREEN) m.actualStatus[1] = SC;
    m.actualNeutralLap[1] = lap1;
  }
  for (let lap = 2; lap <= nLaps; lap++) {
    const ds = lapDur[lap]!;
    if (ds.length < 3) continue;
    // restart laps after a red flag (standing starts) are slow but reported green: treat them as neutralised too
    const slow = median(ds) > 1.25 * typical && (m.actualStatus[lap - 1] === RED || m.actualStatus[lap - 2] === RED);
    if (m.actualStatus[lap] === GREEN && !slow) continue;
    if (slow && m.actualStatus[lap] === GREEN) m.actualStatus[lap] = SC;
    m.actualNeutralLap[lap] = median(ds);
  }
  const wetLaps = rows.filter((r) => r.compound === 'INTERMEDIATE' || r.compound === 'WET').length;
  m.wet = wetLaps > rows.length * 0.05;

  // race start on the session clock, from the winner
  const winner = results.find((r) => r.ord === 1);
  let raceStart = NaN;
  if (winner?.ms) {
    const wCode = codes.find((c) => refOf(c) === winner.ref);
    const wLast = wCode ? byDriver.get(wCode)!.at(-1) : undefined;
    if (wLast?.time_s) raceStart = wLast.time_s - winner.ms / 1000;
  }

  const paces: number[] = [];
  codes.forEach((code, i) => {
    const ls = byDriver.get(code)!;
    const res = resByRef.get(m.drivers[i]!);
    m.gridSlot[i] = i;
    const first = ls[0]!;
    const c0 = compoundIndex(first.compound);
    m.startCompound[i] = c0 < 0 ? 1 : c0;
    m.startAge[i] = Math.max(1, Math.min(20, first.tyre_life ?? 1));
    // stops: stint (or compound) changes between consecutive laps
    let k = 0;
    for (let j = 0; j + 1 < ls.length && k < MAX_STOPS; j++) {
      const a = ls[j]!, b = ls[j + 1]!;
      const changed = (a.stint !== null && b.stint !== null && b.stint !== a.stint) || a.pit_in_s !== null;
      if (!changed || b.lap_number !== a.lap_number + 1) continue;
      const c = compoundIndex(b.compound);
      m.stopLap[i * MAX_STOPS + k] = a.lap_number;
      m.stopCompound[i * MAX_STOPS + k] = c < 0 ? 1 : c;
      k++;
    }
    m.stopCount[i] = k;
    const lastLap = ls.at(-1)!.lap_number;
    m.actualLaps[i] = lastLap;
    const classified = res?.pos !== null && res?.pos !== undefined;
    m.actualPosition[i] = classified ? res!.pos! : 0;
    if (!classified || (res?.laps ?? nLaps) < nLaps - 3) m.retireLap[i] = Math.max(1, Math.min(nLaps, res?.laps ?? lastLap));
    const lastT = ls.at(-1)!.time_s;
    if (classified && lastT !== null && Number.isFinite(raceStart)) m.actualTime[i] = lastT - raceStart;
    // pace: median of green laps with fuel and tyre effects removed
    const ys: number[] = [];
    for (const l of ls) {
      const c = compoundIndex(l.compound);
      if (l.lap_number < 2 || l.is_accurate !== 1 || statusOf(l.track_status) !== GREEN || c < 0) continue;
      if (l.pit_in_s !== null || l.pit_out_s !== null || l.lap_time_s === null || l.tyre_life === null) continue;
      ys.push(l.lap_time_s - fuelSensPerLap * (nLaps - l.lap_number) - tyreDelta(tyre, c, l.tyre_life));
    }
    if (ys.length >= 3) {
      const med = median(ys);
      const kept = ys.filter((y) => y < med * 1.03);
      m.pace[i] = median(kept);
      const mad = median(kept.map((y) => Math.abs(y - med)));
      m.sigma[i] = Math.min(1.2, Math.max(0.15, 1.4826 * mad));
      paces.push(m.pace[i]!);
    } else m.pace[i] = NaN;
  });
  const slow = paces.length ? quantile(paces, 0.9) + 0.5 : 95;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(m.pace[i]!)) {
      m.pace[i] = slow;
      m.sigma[i] = 0.6;
    }
  }
  return m;
}

/** A copy of the model sharing nothing mutable (strategies get overwritten per experiment). */
export function cloneModel(m: RaceModel): RaceModel {
  return {
    ...m,
    stopLap: Int16Array.from(m.stopLap),
    stopCompound: Int8Array.from(m.stopCompound),
    stopCount: Int8Array.from(m.stopCount),
    retireLap: Int16Array.from(m.retireLap),
  };
}

export function driverIndex(m: RaceModel, driver: string): number {
  const d = driver.toLowerCase();
  const i = m.drivers.findIndex((x, k) => x.toLowerCase() === d || m.codes[k]!.toLowerCase() === d);
  if (i < 0) throw new DataError(`driver "${driver}" did not start ${m.season} round ${m.round}`);
  return i;
}
