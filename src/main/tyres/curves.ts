// Tyre-degradation curves per circuit × dry compound, for the UI and the strategy simulator.
//
//   degradationCurves(db, circuitRef, opts?) → DegradationCurveFit[]  (a DegradationCurve plus a parametric fit)
//   curvesFromRaces(races) → the same from already loaded races; slopePrior(fits) → s/lap of tyre age by circuit.
//
// Method: every dry stint with ≥ 5 clean laps (tyre age ≤ MAX_AGE) contributes its fuel-corrected clean laps
// (fuel.ts: 110 kg start, even burn, 0.03 s/kg). A within-stint (fixed-effects) least-squares fit of
// loss(age) = linear·(age−1) + quadratic·(age−1)² removes each stint's own pace level (car, driver, track state), so
// the curve is the lap-time LOSS (s) against a fresh tyre. The band at each age is the p10/p50/p90 of the laps'
// losses (fit at their age + their own residual), pooled over ages a±1; `base` is the median fuel-corrected lap time
// of a fresh tyre (s, empty tank), so lapTime(age, fuelKg) ≈ base + linear·(age−1) + quadratic·(age−1)² + 0.03·fuelKg.
// Ages with fewer than MIN_LAPS laps are left out.
import type { Db } from '../data/db.js';
import type { CurvePoint, DegradationCurve, DryCompound } from '../../shared/domain.js';
import { DRY } from '../race/compounds.js';
import { loadRaces, raceStints, type RaceLaps } from '../race/laps.js';
import { median, quantile } from '../util/stats.js';

export const MAX_AGE = 40;
const MIN_STINT = 5;
const MIN_LAPS = 8;

export interface CurveFit {
  base: number;
  linear: number;
  quadratic: number;
}

export interface DegradationCurveFit extends DegradationCurve {
  fit: CurveFit;
  laps: number;
}


interface Obs {
  lap: number; // index into the race's lap effects
  drv: number; // index into the race's driver effects
  comp: number; // 0 SOFT, 1 MEDIUM, 2 HARD
  age: number;
  fc: number;
}

/** Weighted least squares of y on [1, a, a²] (a = age − 1): [level, linear, quadratic]. */
function quadFit(ages: readonly number[], ys: readonly number[]): [number, number, number] {
  const S = new Float64Array(9);
  const R = new Float64Array(3);
  for (let i = 0; i < ages.length; i++) {
    const a = ages[i]! - 1;
    const v = [1, a, a * a];
    for (let j = 0; j < 3; j++) {
      R[j] = R[j]! + v[j]! * ys[i]!;
      for (let k = 0; k < 3; k++) S[j * 3 + k] = S[j * 3 + k]! + v[j]! * v[k]!;
    }
  }
  for (let j = 0; j < 3; j++) S[j * 3 + j] = S[j * 3 + j]! + 1e-6 * (S[j * 3 + j]! + 1);
  // Gaussian elimination (3×3)
  const M = [0, 1, 2].map((j) => [S[j * 3]!, S[j * 3 + 1]!, S[j * 3 + 2]!, R[j]!]);
  for (let c = 0; c < 3; c++) {
    let piv = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[piv]![c]!)) piv = r;
    [M[c], M[piv]] = [M[piv]!, M[c]!];
    const d = M[c]![c]!;
    if (Math.abs(d) < 1e-12) return [0, 0, 0];
    for (let r = 0; r < 3; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / d;
      for (let k = c; k < 4; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return [M[0]![3]! / M[0]![0]!, M[1]![3]! / M[1]![1]!, M[2]![3]! / M[2]![2]!];
}

const ITERATIONS = 12;

/**
 * Curves of one circuit from its races. Two-way effects by backfitting: each lap of each race gets a field effect
 * (fuel error, track evolution, wind), each driver of each race a pace effect, and each compound a quadratic in tyre
 * age; the tyre-age effect is identified by cars on different tyre ages running the same lap.
 */
function circuitCurves(circuit: string, races: readonly RaceLaps[]): DegradationCurveFit[] {
  const obs: Obs[] = [];
  let nLap = 0;
  let nDrv = 0;
  const stintCount = [0, 0, 0];
  for (const race of races) {
    const drv = new Map<string, number>();
    for (const s of raceStints(race)) {
      const laps = s.clean.filter((l) => l.tyreAge !== null && l.tyreAge >= 1 && l.tyreAge <= MAX_AGE);
      if (laps.length < MIN_STINT) continue;
      const comp = DRY.indexOf(s.compound);
      stintCount[comp]!++;
      let d = drv.get(s.driver);
      if (d === undefined) drv.set(s.driver, (d = nDrv++));
      for (const l of laps) obs.push({ lap: nLap + l.lap, drv: d, comp, age: l.tyreAge!, fc: l.fc });
    }
    nLap += race.totalLaps + 2;
  }
  if (obs.length === 0) return [];
  const lapFx = new Float64Array(nLap);
  const drvFx = new Float64Array(nDrv);
  const coef: [number, number, number][] = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const tyre = (o: Obs) => {
    const c = coef[o.comp]!;
    const a = o.age - 1;
    return c[0] + c[1] * a + c[2] * a * a;
  };
  const sum = new Float64Array(Math.max(nLap, nDrv));
  const cnt = new Float64Array(Math.max(nLap, nDrv));
  for (let it = 0; it < ITERATIONS; it++) {
    // driver effects
    sum.fill(0);
    cnt.fill(0);
    for (const o of obs) {
      sum[o.drv] = sum[o.drv]! + o.fc - lapFx[o.lap]! - tyre(o);
      cnt[o.drv] = cnt[o.drv]! + 1;
    }
    for (let d = 0; d < nDrv; d++) drvFx[d] = cnt[d]! ? sum[d]! / cnt[d]! : 0;
    // lap (field) effects
    sum.fill(0);
    cnt.fill(0);
    for (const o of obs) {
      sum[o.lap] = sum[o.lap]! + o.fc - drvFx[o.drv]! - tyre(o);
      cnt[o.lap] = cnt[o.lap]! + 1;
    }
    for (let l = 0; l < nLap; l++) lapFx[l] = cnt[l]! ? sum[l]! / cnt[l]! : 0;
    // compound curves
    for (let c = 0; c < 3; c++) {
      const ages: number[] = [];
      const ys: number[] = [];
      for (const o of obs)
        if (o.comp === c) {
          ages.push(o.age);
          ys.push(o.fc - drvFx[o.drv]! - lapFx[o.lap]!);
        }
      if (ages.length >= MIN_LAPS) coef[c] = quadFit(ages, ys);
    }
  }
  const out: DegradationCurveFit[] = [];
  const r3 = (v: number) => Math.round(v * 1000) / 1000;
  for (let c = 0; c < 3; c++) {
    const mine = obs.filter((o) => o.comp === c);
    if (mine.length < MIN_LAPS || stintCount[c] === 0) continue;
    const [level, linear, quadratic] = coef[c]!;
    const g = (age: number) => linear * (age - 1) + quadratic * (age - 1) ** 2;
    // losses: fitted curve plus each lap's own residual
    const byAge = new Map<number, number[]>();
    const bases: number[] = [];
    for (const o of mine) {
      const r = o.fc - drvFx[o.drv]! - lapFx[o.lap]! - tyre(o);
      let arr = byAge.get(o.age);
      if (!arr) byAge.set(o.age, (arr = []));
      arr.push(r);
      bases.push(o.fc - g(o.age));
    }
    const points: CurvePoint[] = [];
    for (let a = 1; a <= MAX_AGE; a++) {
      if ((byAge.get(a)?.length ?? 0) < MIN_LAPS) continue;
      const pool = [...(byAge.get(a - 1) ?? []), ...(byAge.get(a) ?? []), ...(byAge.get(a + 1) ?? [])].sort((p, q) => p - q);
      const mid = quantile(pool, 0.5, true);
      points.push({ tyreAge: a, p10: r3(g(a) + quantile(pool, 0.1, true) - mid), p50: r3(g(a)), p90: r3(g(a) + quantile(pool, 0.9, true) - mid) });
    }
    void level;
    out.push({
      circuit,
      compound: DRY[c]!,
      points,
      stints: stintCount[c]!,
      laps: mine.length,
      fit: { base: r3(median(bases)), linear, quadratic },
    });
  }
  return out;
}

/** Curves of every circuit × compound found in the races. */
export function curvesFromRaces(races: readonly RaceLaps[]): DegradationCurveFit[] {
  const byCircuit = new Map<string, RaceLaps[]>();
  for (const r of races) {
    let arr = byCircuit.get(r.circuit);
    if (!arr) byCircuit.set(r.circuit, (arr = []));
    arr.push(r);
  }
  return [...byCircuit.keys()].sort().flatMap((c) => circuitCurves(c, byCircuit.get(c)!));
}

/** Degradation curves of one circuit (circuit_ref, e.g. 'bahrain') over the given seasons (default: all). */
export function degradationCurves(
  db: Db,
  circuitRef: string,
  opts: { seasons?: [number, number] } = {},
): DegradationCurveFit[] {
  const races = loadRaces(db, opts.seasons ?? [1950, 9999], { circuit: circuitRef });
  return curvesFromRaces(races);
}

/** Mean slope (s per lap of tyre age over ages 1–20) of each fit, with per-compound medians as fallback. */
export function slopePrior(fits: readonly DegradationCurveFit[]): (circuit: string, compound: DryCompound) => number {
  const slope = (f: CurveFit) => f.linear + f.quadratic * 19; // average derivative over a ∈ [0, 19]
  const by = new Map(fits.map((f) => [`${f.circuit}/${f.compound}`, slope(f.fit)]));
  const fallback = new Map(DRY.map((c) => [c, median(fits.filter((f) => f.compound === c && f.stints >= 10).map((f) => slope(f.fit)))]));
  return (circuit, compound) => by.get(`${circuit}/${compound}`) ?? fallback.get(compound) ?? 0.05;
}
