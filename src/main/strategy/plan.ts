// Baselines on the deterministic single-car model (no traffic, no random events): dynamic-programming optimum and the
// exhaustive best fixed 1- and 2-stop plan. Both use exactly the simulator's nominal lap time and pit loss.
import { GREEN, RED, SC, VSC, type RaceModel } from './race-model.js';
import { tyreDelta } from './tyre-model.js';

export interface Stop {
  lap: number; // pit at the end of this lap
  compound: number; // 0 SOFT, 1 MEDIUM, 2 HARD
}

export interface CarState {
  lap: number; // laps completed
  compound: number;
  age: number; // laps completed on the current set
  ruleMet: boolean;
  /** Race laps run on the current set (differs from `age` for a used set); only read under a stint limit. */
  stintLaps?: number;
}

export interface PlanResult {
  stops: Stop[];
  time: number; // remaining race time from the state (single-car model)
}

const INF = 1e12;

/** Single-car lap cost on lap L (1-based) at tyre age a (after this lap), under a track status. */
export function lapCost(m: RaceModel, car: number, L: number, c: number, a: number, st = GREEN): number {
  let t = m.pace[car]! + tyreDelta(m.tyre, c, a) + m.fuelSensPerLap * (m.nLaps - L);
  if (L === 1) t += m.track.firstLapLoss + m.track.gridLoss * m.gridSlot[car]!;
  if (st !== GREEN) {
    const best = Math.min(...m.pace) + m.fuelSensPerLap * m.nLaps * 0.5 + 1;
    const neutral = best * (st === VSC ? m.track.vscMult : m.track.scMult);
    if (t < neutral) t = neutral;
  }
  return t;
}

export function pitCost(m: RaceModel, st = GREEN): number {
  return st === RED ? 0 : st === SC ? m.track.pitLossSc : st === VSC ? m.track.pitLossVsc : m.track.pitLoss;
}

export const startState = (m: RaceModel, car: number): CarState => ({
  lap: 0,
  compound: m.startCompound[car]!,
  age: m.startAge[car]! - 1,
  ruleMet: m.wet,
  stintLaps: 0,
});

/**
 * DP optimum over every sequence of stay / pit-for-compound decisions from `s` to the flag.
 * `status` (optional, [lap]) is the track status assumed for each remaining lap.
 * Under a stint limit (`m.maxStintLaps`) no set runs more race laps than the limit: fresh sets through the table,
 * the current set (whose age may include laps before the race) through an explicit first stop by its deadline.
 */
export function dpOptimum(m: RaceModel, car: number, s: CarState, status?: ArrayLike<number>): PlanResult {
  const N = m.nLaps;
  const cap = m.maxStintLaps ?? 0;
  const A = N + s.age + 2; // age axis
  const idx = (L: number, c: number, a: number, r: number): number => ((L * 3 + c) * A + a) * 2 + r;
  const V = new Float64Array((N + 2) * 3 * A * 2).fill(INF);
  const choice = new Int8Array(V.length);
  for (let c = 0; c < 3; c++) for (let a = 0; a < A; a++) {
    V[idx(N, c, a, 1)] = 0;
  }
  const statusAt = (L: number): number => (status ? (status[L] ?? GREEN) : GREEN);
  for (let L = N; L > s.lap; L--) {
    const st = statusAt(L);
    const pit = pitCost(m, st);
    // state at the start of lap L: (c, a = laps on set, r)
    for (let c = 0; c < 3; c++) {
      for (let a = 0; a + 1 < A; a++) {
        // past the stint limit this lap cannot be run on the set at all (the stop comes at the end of lap `cap`)
        const lc = cap && a + 1 > cap ? INF : lapCost(m, car, L, c, a + 1, st);
        for (let r = 0; r < 2; r++) {
          let best = lc + V[idx(L, c, a + 1, r)]!;
          let arg = 0;
          if (L < N) {
            for (let c2 = 0; c2 < 3; c2++) {
              const r2 = r === 1 || c2 !== c ? 1 : 0;
              const v = lc + pit + V[idx(L, c2, 0, r2)]!;
              if (v < best - 1e-9) {
                best = v;
                arg = c2 + 1;
              }
            }
          }
          V[idx(L - 1, c, a, r)] = best;
          choice[idx(L - 1, c, a, r)] = arg;
        }
      }
    }
  }
  const stops: Stop[] = [];
  let c = s.compound, a = Math.min(s.age, A - 2), r = s.ruleMet ? 1 : 0;
  let time = V[idx(s.lap, c, a, r)]!;
  let from = s.lap + 1;
  if (cap) {
    // the current set: stay on it until at most `deadline`, then the table from a fresh set
    const deadline = s.lap + Math.max(1, cap - (s.stintLaps ?? s.age));
    let acc = 0;
    let best = INF, bestLap = 0, bestC = -1;
    for (let L = s.lap + 1; L <= Math.min(N, deadline); L++) {
      const st = statusAt(L);
      acc += lapCost(m, car, L, c, s.age + (L - s.lap), st);
      if (L === N) {
        if (r === 1 && acc < best) {
          best = acc;
          bestLap = L;
          bestC = -1;
        }
        break;
      }
      for (let c2 = 0; c2 < 3; c2++) {
        const r2 = r === 1 || c2 !== c ? 1 : 0;
        const v = acc + pitCost(m, st) + V[idx(L, c2, 0, r2)]!;
        if (v < best - 1e-9) {
          best = v;
          bestLap = L;
          bestC = c2;
        }
      }
    }
    time = best;
    if (bestC >= 0) {
      stops.push({ lap: bestLap, compound: bestC });
      r = r === 1 || bestC !== c ? 1 : 0;
      c = bestC;
      a = 0;
      from = bestLap + 1;
    } else from = N + 1;
  }
  for (let L = from; L <= N; L++) {
    const ch = choice[idx(L - 1, c, a, r)]!;
    if (ch > 0) {
      stops.push({ lap: L, compound: ch - 1 });
      r = r === 1 || ch - 1 !== c ? 1 : 0;
      c = ch - 1;
      a = 0;
    } else a = Math.min(a + 1, A - 2);
  }
  return { stops, time };
}

/** Single-car time of a fixed plan from a state (INF when it breaks the two-compound rule). */
export function planTime(m: RaceModel, car: number, s: CarState, stops: readonly Stop[], status?: ArrayLike<number>): number {
  let c = s.compound, a = s.age, r = s.ruleMet, t = 0, k = 0;
  for (let L = s.lap + 1; L <= m.nLaps; L++) {
    const st = status ? (status[L] ?? GREEN) : GREEN;
    a++;
    t += lapCost(m, car, L, c, a, st);
    const stop = stops[k];
    if (stop && stop.lap === L) {
      t += pitCost(m, st);
      r = r || stop.compound !== c;
      c = stop.compound;
      a = 0;
      k++;
    }
  }
  return r ? t : INF;
}

/** Exhaustive best fixed plan over all 1- and 2-stop plans (compounds × laps) from the race start. */
export function bestFixed(m: RaceModel, car: number, maxStops = 2): PlanResult & { evaluated: number } {
  const s = startState(m, car);
  const N = m.nLaps;
  // tyre cost prefix sums: T[c][a] = Σ_{x=1..a} delta(c, x) for fresh sets, and S[a] for the starting set
  const T = [0, 1, 2].map((c) => {
    const p = new Float64Array(N + 2);
    for (let x = 1; x <= N + 1; x++) p[x] = p[x - 1]! + tyreDelta(m.tyre, c, x);
    return p;
  });
  const S = new Float64Array(N + 2);
  for (let x = 1; x <= N + 1; x++) S[x] = S[x - 1]! + tyreDelta(m.tyre, s.compound, s.age + x);
  let base = 0;
  for (let L = 1; L <= N; L++) base += lapCost(m, car, L, 0, 0) - tyreDelta(m.tyre, 0, 0);
  const pit = pitCost(m);
  let best: PlanResult = { stops: [], time: INF };
  let evaluated = 0;
  const c0 = s.compound;
  for (let L1 = 1; L1 < N; L1++) {
    for (let c1 = 0; c1 < 3; c1++) {
      const head = base + S[L1]! + pit;
      if (c1 !== c0 || m.wet) {
        evaluated++;
        const t = head + T[c1]![N - L1]!;
        if (t < best.time) best = { stops: [{ lap: L1, compound: c1 }], time: t };
      }
      if (maxStops < 2) continue;
      for (let L2 = L1 + 1; L2 < N; L2++) {
        const mid = head + T[c1]![L2 - L1]! + pit;
        for (let c2 = 0; c2 < 3; c2++) {
          if (!m.wet && c0 === c1 && c1 === c2) continue;
          evaluated++;
          const t = mid + T[c2]![N - L2]!;
          if (t < best.time) best = { stops: [{ lap: L1, compound: c1 }, { lap: L2, compound: c2 }], time: t };
        }
      }
    }
  }
  return { ...best, evaluated };
}

export const COMPOUND_LETTER = ['S', 'M', 'H'] as const;
export const planLabel = (startCompound: number, stops: readonly Stop[]): string =>
  [COMPOUND_LETTER[startCompound], ...stops.map((s) => `${s.lap}→${COMPOUND_LETTER[s.compound]}`)].join(' ');
