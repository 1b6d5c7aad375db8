// Tyre model: fuel-corrected lap-time delta (s) per dry compound vs tyre age. Fitted from the laps table,
// or taken from the tyre capability's degradation curves (src/main/tyres/curves.ts).
import type { Db } from '../data/db.js';
import { DRY_COMPOUNDS, type DegradationCurve } from '../../shared/domain.js';
import { compoundIndex } from '../race/compounds.js';
import { degradationCurves } from '../tyres/curves.js';
import { TRACK_CLEAR } from '../race/track-status.js';
import { median, quantile } from '../util/stats.js';

const DRY_SQL = DRY_COMPOUNDS.map((c) => `'${c}'`).join(', ');

export interface TyreModel {
  source: 'laps' | 'curves' | 'default';
  /** delta(c, age) = k0[c] + k1[c]·age + k2[c]·age² + cliffK·max(0, age − cliff[c])² */
  k0: Float64Array;
  k1: Float64Array;
  k2: Float64Array;
  cliff: Float64Array;
  cliffK: number;
  stints: number;
}

export function tyreDelta(m: TyreModel, c: number, age: number): number {
  const over = age - m.cliff[c]!;
  return m.k0[c]! + m.k1[c]! * age + m.k2[c]! * age * age + (over > 0 ? m.cliffK * over * over : 0);
}

export function defaultTyreModel(nLaps: number): TyreModel {
  return {
    source: 'default',
    k0: Float64Array.from([0, 0.45, 0.9]),
    k1: Float64Array.from([0.08, 0.05, 0.035]),
    k2: Float64Array.from([0.001, 0.0006, 0.0003]),
    cliff: Float64Array.from([nLaps * 0.4, nLaps * 0.6, nLaps * 0.8]),
    cliffK: 0.08,
    stints: 0,
  };
}

interface LapRow {
  key: string;
  lap: number;
  nLaps: number;
  y: number; // fuel-corrected lap time
  c: number;
  age: number;
}

/** Least squares y = a + b·x + c·x² (3×3 normal equations); null when singular. */
export function fitQuadratic(xs: ArrayLike<number>, ys: ArrayLike<number>): [number, number, number] | null {
  let n = 0, sx = 0, sx2 = 0, sx3 = 0, sx4 = 0, sy = 0, sxy = 0, sx2y = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!, y = ys[i]!, x2 = x * x;
    n++; sx += x; sx2 += x2; sx3 += x2 * x; sx4 += x2 * x2; sy += y; sxy += x * y; sx2y += x2 * y;
  }
  const A = [[n, sx, sx2], [sx, sx2, sx3], [sx2, sx3, sx4]];
  const b = [sy, sxy, sx2y];
  const det = (m: number[][]): number =>
    m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) -
    m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) +
    m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
  const d = det(A);
  if (!Number.isFinite(d) || Math.abs(d) < 1e-9) return null;
  const col = (k: number): number[][] => A.map((row, i) => row.map((v, j) => (j === k ? b[i]! : v)));
  return [det(col(0)) / d, det(col(1)) / d, det(col(2)) / d];
}


/**
 * Fallback fit from the laps table: green, accurate, non-pit laps at the circuit (seasons ≤ season), fuel-corrected,
 * with a driver-per-race effect removed by alternating medians; per compound a quadratic in tyre age.
 */
export function fitTyreModel(db: Db, circuitRef: string, season: number, fuelSensPerLap: number): TyreModel {
  const rows = db
    .prepare(
      `SELECT l.season || '-' || l.round || '-' || l.driver AS key, l.lap_number AS lap, l.lap_time_s AS t,
              l.compound AS compound, l.tyre_life AS age,
              (SELECT MAX(lap_number) FROM laps m WHERE m.season = l.season AND m.round = l.round AND m.session = 'race') AS nLaps
       FROM laps l JOIN races r ON r.year = l.season AND r.round = l.round JOIN circuits c ON c.circuit_id = r.circuit_id
       WHERE c.circuit_ref = ? AND l.season <= ? AND l.season >= ? AND l.session = 'race' AND l.is_accurate = 1
         AND l.track_status = '${TRACK_CLEAR}' AND l.pit_in_s IS NULL AND l.pit_out_s IS NULL AND l.lap_number > 1
         AND l.lap_time_s IS NOT NULL AND l.tyre_life IS NOT NULL AND l.compound IN (${DRY_SQL})`,
    )
    .all(circuitRef, season, season - 3) as { key: string; lap: number; t: number; compound: string; age: number; nLaps: number }[];
  const laps: LapRow[] = rows.map((r) => ({
    key: r.key,
    lap: r.lap,
    nLaps: r.nLaps,
    // fuel effect: linear in laps remaining (fuel burnt evenly over the race)
    y: r.t - fuelSensPerLap * (r.nLaps - r.lap),
    c: compoundIndex(r.compound),
    age: r.age,
  }));
  const nLapsTypical = median(laps.map((l) => l.nLaps)) || 57;
  const model = defaultTyreModel(nLapsTypical);
  if (laps.length < 200) return model;
  // drop outliers per driver-race (traffic, mistakes): keep within 107 % of the driver's median
  const byKey = new Map<string, LapRow[]>();
  for (const l of laps) (byKey.get(l.key) ?? byKey.set(l.key, []).get(l.key)!).push(l);
  const clean: LapRow[] = [];
  const keep = new Set<LapRow>();
  for (const ls of byKey.values()) {
    const m = median(ls.map((l) => l.y));
    for (const l of ls) {
      if (l.y < m * 1.035 && l.y > m * 0.97) {
        clean.push(l);
        keep.add(l);
      }
    }
  }
  const effect = new Map<string, number>();
  const fits: ([number, number, number] | null)[] = [null, null, null];
  for (let iter = 0; iter < 4; iter++) {
    for (const [k, ls] of byKey) {
      const res = ls.filter((l) => keep.has(l)).map((l) => l.y - (fits[l.c] ? tyreFit(fits[l.c]!, l.age) : 0));
      effect.set(k, median(res));
    }
    for (let c = 0; c < 3; c++) {
      const sel = clean.filter((l) => l.c === c && Number.isFinite(effect.get(l.key) ?? NaN));
      if (sel.length < 60) continue;
      const f = fitQuadratic(sel.map((l) => l.age), sel.map((l) => l.y - effect.get(l.key)!));
      if (f) fits[c] = f;
    }
  }
  let stints = 0;
  for (let c = 0; c < 3; c++) {
    const f = fits[c];
    const ages = clean.filter((l) => l.c === c).map((l) => l.age);
    if (!f) continue;
    stints += new Set(clean.filter((l) => l.c === c).map((l) => l.key)).size;
    model.k0[c] = f[0];
    // degradation must not improve with age (track evolution confounds): at least 0.01 s/lap at the mean age
    model.k1[c] = f[1];
    model.k2[c] = Math.max(0, f[2]);
    const slopeMid = model.k1[c]! + 2 * model.k2[c]! * 10;
    if (slopeMid < 0.01) model.k1[c] = 0.01 - 2 * model.k2[c]! * 10;
    model.cliff[c] = Math.max(10, quantile(ages, 0.97));
  }
  // compounds without data: place them relative to their neighbours
  if (!fits[1] && fits[0] && fits[2]) {
    for (const k of ['k0', 'k1', 'k2'] as const) model[k][1] = (model[k][0]! + model[k][2]!) / 2;
    model.cliff[1] = (model.cliff[0]! + model.cliff[2]!) / 2;
  }
  const base = Math.min(model.k0[0]!, model.k0[1]!, model.k0[2]!);
  for (let c = 0; c < 3; c++) model.k0[c] = model.k0[c]! - base;
  model.source = 'laps';
  model.stints = stints;
  return model;
}

const tyreFit = (f: [number, number, number], age: number): number => f[0] + f[1] * age + f[2] * age * age;

/** A curve from the tyre capability: points, and (when given) its parametric fit in (age − 1). */
export type CurveInput = DegradationCurve & { fit?: { linear: number; quadratic: number } };

/**
 * Replaces the age shape per compound with the tyre capability's curves. Our compound offsets k0 are shifted so each
 * compound's delta at a typical age (12 laps) is unchanged: the curves give the shape, the laps fit the pace order.
 */
export function withCurves(base: TyreModel, curves: CurveInput[]): TyreModel {
  const m: TyreModel = { ...base, k0: Float64Array.from(base.k0), k1: Float64Array.from(base.k1), k2: Float64Array.from(base.k2), cliff: Float64Array.from(base.cliff) };
  let used = 0;
  const REF = 12;
  for (const cv of curves) {
    const c = compoundIndex(cv.compound);
    if (c < 0 || cv.points.length < 5 || cv.stints < 5) continue;
    let k1: number, k2: number;
    if (cv.fit && Number.isFinite(cv.fit.linear) && Number.isFinite(cv.fit.quadratic)) {
      // linear·(a−1) + quadratic·(a−1)² = quadratic·a² + (linear − 2·quadratic)·a + const
      k2 = Math.max(0, cv.fit.quadratic);
      k1 = cv.fit.linear - 2 * k2;
    } else {
      const f = fitQuadratic(cv.points.map((p) => p.tyreAge), cv.points.map((p) => p.p50));
      if (!f || !Number.isFinite(f[1])) continue;
      k2 = Math.max(0, f[2]);
      k1 = f[1];
    }
    const before = base.k1[c]! * REF + base.k2[c]! * REF * REF;
    m.k1[c] = k1;
    m.k2[c] = k2;
    m.k0[c] = base.k0[c]! + before - (k1 * REF + k2 * REF * REF);
    m.cliff[c] = Math.max(m.cliff[c]!, Math.max(...cv.points.map((p) => p.tyreAge)));
    used++;
  }
  if (!used) return base;
  const lo = Math.min(m.k0[0]!, m.k0[1]!, m.k0[2]!);
  for (let c = 0; c < 3; c++) m.k0[c] = m.k0[c]! - lo;
  m.source = 'curves';
  return m;
}

/** The tyre capability's degradation curves of the race's season and the three before it (time-ordered). */
export function loadCurves(db: Db, circuitRef: string, season: number): CurveInput[] {
  return degradationCurves(db, circuitRef, { seasons: [season - 3, season] });
}
