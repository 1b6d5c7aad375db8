// Lap-by-lap whole-field race simulator on typed arrays (after Heilmeier et al., TUM race simulation):
// base pace, tyre degradation, fuel, pit losses with standstill spread, starts, DRS, overtaking from pace delta,
// SC / VSC / red flag phases, the two-dry-compounds rule. Deterministic under a seed; allocation-free per lap.
import { GREEN, MAX_STOPS, RED, SC, VSC, type RaceModel } from './race-model.js';
import { Rng } from '../util/rng.js';
import { tyreDelta } from './tyre-model.js';

export type EventMode = 'none' | 'random' | 'actual';

export interface SimOptions {
  /** Lap-time noise, start performance, standstill spread, probabilistic overtaking. */
  noise: boolean;
  /** Track-status schedule: none (all green), random (per-circuit historical rates), actual (as it happened). */
  events: EventMode;
  /** Background cars bring a stop forward when SC/VSC comes out (stochastic runs). */
  scReactive?: boolean;
  /** Apply the real retirements (validation). */
  retirements?: boolean;
}

export const DETERMINISTIC: SimOptions = { noise: false, events: 'none' };
export const STOCHASTIC: SimOptions = { noise: true, events: 'random', scReactive: true };

/** Pit actions: 0 stay, 1..3 = box for SOFT / MEDIUM / HARD at the end of this lap. */
export const ACTIONS = ['stay', 'pit_soft', 'pit_medium', 'pit_hard'] as const;
export type ActionName = (typeof ACTIONS)[number];

const BIG = 1e9;

export class RaceSim {
  readonly n: number;
  readonly nLaps: number;
  lap = 0; // laps completed
  readonly cum: Float64Array;
  readonly lapTime: Float64Array;
  readonly order: Int32Array; // car indices by position
  readonly pos: Int32Array; // position (0-based) of each car
  readonly comp: Int8Array;
  readonly age: Int16Array; // laps completed on the current set
  readonly stops: Int8Array;
  readonly used: Int8Array; // bit mask of dry compounds run
  readonly planIdx: Int8Array;
  readonly retired: Uint8Array;
  readonly pitted: Uint8Array; // pitted at the end of the last lap
  readonly status: Int8Array; // [lap] schedule
  readonly stopLap: Int16Array;
  readonly stopCompound: Int8Array;
  readonly stopCount: Int8Array;
  /** Optional history [car * nLaps + lap-1] of race time, for validation. */
  history: Float64Array | null = null;
  /** A car whose stops come from `egoAction` instead of its plan (-1: none). */
  ego = -1;
  egoAction = 0;
  /** A car that keeps its fixed plan even when others react to a safety car (-1: none). */
  fixedCar = -1;
  opts: SimOptions = DETERMINISTIC;
  private readonly rng = new Rng(1);
  private readonly tmpCand: Float64Array;
  private lastNonGreen = -99;
  private refPace: number;

  constructor(readonly m: RaceModel) {
    const n = (this.n = m.nCars);
    this.nLaps = m.nLaps;
    this.cum = new Float64Array(n);
    this.lapTime = new Float64Array(n);
    this.order = new Int32Array(n);
    this.pos = new Int32Array(n);
    this.comp = new Int8Array(n);
    this.age = new Int16Array(n);
    this.stops = new Int8Array(n);
    this.used = new Int8Array(n);
    this.planIdx = new Int8Array(n);
    this.retired = new Uint8Array(n);
    this.pitted = new Uint8Array(n);
    this.status = new Int8Array(m.nLaps + 2);
    this.stopLap = Int16Array.from(m.stopLap);
    this.stopCompound = Int8Array.from(m.stopCompound);
    this.stopCount = Int8Array.from(m.stopCount);
    this.tmpCand = new Float64Array(n);
    let best = Infinity;
    for (let i = 0; i < n; i++) best = Math.min(best, m.pace[i]!);
    this.refPace = best + m.fuelSensPerLap * m.nLaps * 0.5 + 1;
  }

  /** Replaces a car's planned stops (laps ascending). */
  setPlan(car: number, stops: readonly { lap: number; compound: number }[]): void {
    const k = Math.min(MAX_STOPS, stops.length);
    for (let j = 0; j < k; j++) {
      this.stopLap[car * MAX_STOPS + j] = stops[j]!.lap;
      this.stopCompound[car * MAX_STOPS + j] = stops[j]!.compound;
    }
    this.stopCount[car] = k;
  }

  reset(seed: number, opts: SimOptions): void {
    const m = this.m;
    this.opts = opts;
    this.rng.reseed(seed);
    this.lap = 0;
    this.lastNonGreen = -99;
    for (let i = 0; i < this.n; i++) {
      this.cum[i] = 0;
      this.lapTime[i] = 0;
      this.order[m.gridSlot[i]!] = i;
      this.comp[i] = m.startCompound[i]!;
      this.age[i] = m.startAge[i]! - 1;
      this.stops[i] = 0;
      this.used[i] = 1 << m.startCompound[i]!;
      this.planIdx[i] = 0;
      this.retired[i] = 0;
      this.pitted[i] = 0;
    }
    for (let k = 0; k < this.n; k++) this.pos[this.order[k]!] = k;
    this.status.fill(GREEN);
    if (opts.events === 'actual') this.status.set(m.actualStatus.subarray(0, this.status.length));
    else if (opts.events === 'random') this.sampleEvents();
  }

  /** Draws SC / VSC / red-flag phases from the circuit's historical rates. */
  private sampleEvents(): void {
    const e = this.m.events, r = this.rng, N = this.nLaps;
    const poisson = (lambda: number): number => {
      let k = 0, p = Math.exp(-lambda), s = p;
      const u = r.next();
      while (u > s && k < 4) {
        k++;
        p *= lambda / k;
        s += p;
      }
      return k;
    };
    const place = (kind: number, len: number, start: number): void => {
      for (let l = start; l < start + len && l <= N - 1; l++) if (this.status[l] === GREEN) this.status[l] = kind;
    };
    for (let k = poisson(e.redPerRace); k > 0; k--) {
      const start = 1 + Math.floor(r.next() * (N - 3));
      place(RED, 1, start);
      place(SC, 2, start + 1);
    }
    for (let k = poisson(e.scPerRace); k > 0; k--) {
      const start = r.next() < e.firstLapScShare ? 1 : 2 + Math.floor(r.next() * (N - 4));
      place(SC, e.scDurations[Math.floor(r.next() * e.scDurations.length)]!, start);
    }
    for (let k = poisson(e.vscPerRace); k > 0; k--) {
      const start = 2 + Math.floor(r.next() * (N - 4));
      place(VSC, e.vscDurations[Math.floor(r.next() * e.vscDurations.length)]!, start);
    }
  }

  /** Puts the race in a mid-race state (after `lap` laps); statuses up to `lap`+1 come from `status`. */
  loadState(s: {
    lap: number;
    cum: ArrayLike<number>;
    order: ArrayLike<number>;
    comp: ArrayLike<number>;
    age: ArrayLike<number>;
    stops: ArrayLike<number>;
    used: ArrayLike<number>;
    retired: ArrayLike<number>;
    status: ArrayLike<number>;
  }): void {
    this.lap = s.lap;
    for (let i = 0; i < this.n; i++) {
      this.cum[i] = s.cum[i]!;
      this.comp[i] = s.comp[i]!;
      this.age[i] = s.age[i]!;
      this.stops[i] = s.stops[i]!;
      this.used[i] = s.used[i]!;
      this.retired[i] = s.retired[i]!;
      this.order[i] = s.order[i]!;
      this.planIdx[i] = 0;
      // plans hold only future stops
      while (this.planIdx[i]! < this.stopCount[i]! && this.stopLap[i * MAX_STOPS + this.planIdx[i]!]! <= s.lap) this.planIdx[i] = this.planIdx[i]! + 1;
    }
    for (let k = 0; k < this.n; k++) this.pos[this.order[k]!] = k;
    for (let l = 1; l <= Math.min(this.nLaps, s.lap + 1); l++) this.status[l] = s.status[l] ?? GREEN;
    this.lastNonGreen = -99;
    for (let l = s.lap; l >= 1; l--) if (this.status[l] !== GREEN) {
      this.lastNonGreen = l;
      break;
    }
  }

  get done(): boolean {
    return this.lap >= this.nLaps;
  }

  /** Whether car i has met the two-dry-compounds rule. */
  ruleMet(i: number): boolean {
    const u = this.used[i]!;
    return (u & (u - 1)) !== 0 || this.m.wet;
  }

  /** Time lost by a stop under a status (deterministic median standstill, or drawn). */
  pitLoss(st: number, draw: boolean): number {
    const t = this.m.track;
    if (st === RED) return 0;
    const base = st === SC ? t.pitLossSc : st === VSC ? t.pitLossVsc : t.pitLoss;
    if (!draw) return base;
    return base - t.standstillMedian + Math.min(15, this.rng.exp(t.standstillTail));
  }

  /** Nominal lap time of car i on lap `lap` with compound c at tyre age `age` (no traffic, no noise). */
  nominal(i: number, lap: number, c: number, age: number): number {
    const m = this.m;
    return m.pace[i]! + tyreDelta(m.tyre, c, age) + m.fuelSensPerLap * (m.nLaps - lap);
  }

  /** Simulates one lap for the whole field. */
  step(): void {
    const m = this.m, tr = m.track, n = this.n, rng = this.rng, noise = this.opts.noise;
    const L = ++this.lap;
    const st = this.status[L]!;
    if (st !== GREEN) this.lastNonGreen = L;
    const drsOn = st === GREEN && L >= tr.drsFromLap && L > this.lastNonGreen + tr.drsScDelay;
    const cand = this.tmpCand;
    let neutral = st === SC || st === RED ? this.refPace * tr.scMult : st === VSC ? this.refPace * tr.vscMult : 0;
    if (this.opts.events === 'actual' && m.actualNeutralLap[L]! > 0) neutral = m.actualNeutralLap[L]!;
    for (let k = 0; k < n; k++) {
      const i = this.order[k]!;
      if (this.retired[i]) {
        cand[i] = BIG + k;
        continue;
      }
      // decision for the end of this lap
      let pitTo = -1;
      if (i === this.ego) {
        if (this.egoAction > 0) pitTo = this.egoAction - 1;
      } else {
        const pi = this.planIdx[i]!;
        if (pi < this.stopCount[i]!) {
          const sl = this.stopLap[i * MAX_STOPS + pi]!;
          if (sl === L || (this.opts.scReactive && i !== this.fixedCar && (st === SC || st === VSC) && sl > L && sl - L <= 8 && this.age[i]! >= 8)) {
            pitTo = this.stopCompound[i * MAX_STOPS + pi]!;
            this.planIdx[i] = pi + 1;
          }
        }
      }
      const a = ++this.age[i]!;
      let t = this.nominal(i, L, this.comp[i]!, a);
      if (noise) t += m.sigma[i]! * rng.normal();
      if (L === 1) t += tr.firstLapLoss + tr.gridLoss * m.gridSlot[i]! + (noise ? 0.3 * rng.normal() : 0);
      if (drsOn && k > 0 && this.cum[i]! - this.cum[this.order[k - 1]!]! < tr.drsWindow) t += tr.drsEffect;
      if (neutral > 0 && t < neutral) t = neutral;
      if (pitTo >= 0) {
        t += this.pitLoss(st, noise);
        this.pitted[i] = 1;
        this.comp[i] = pitTo;
        this.age[i] = 0;
        this.stops[i]!++;
        this.used[i]! |= 1 << pitTo;
      } else this.pitted[i] = 0;
      this.lapTime[i] = t;
      cand[i] = this.cum[i]! + t;
    }
    const ord = this.order;
    if (st === GREEN) {
      // traffic: a faster car passes only with enough pace advantage, else it is held up behind
      for (let k = 1; k < n; k++) {
        const j = ord[k]!;
        if (this.retired[j]) continue;
        let p = k;
        while (p > 0) {
          const a = ord[p - 1]!;
          if (cand[j]! >= cand[a]!) {
            if (!this.pitted[j] && !this.pitted[a] && cand[j]! < cand[a]! + tr.minGap) cand[j] = cand[a]! + tr.minGap;
            break;
          }
          let pass = this.pitted[a] === 1 || this.pitted[j] === 1;
          if (!pass) {
            const delta = this.lapTime[a]! - this.lapTime[j]!;
            pass = noise ? rng.next() < 1 / (1 + Math.exp(-(delta - tr.overtakeGap) / 0.25)) : delta >= tr.overtakeGap;
            if (pass) cand[a] = cand[a]! + tr.overtakeLoserLoss;
          }
          if (!pass) {
            cand[j] = cand[a]! + tr.minGap + tr.duelLoss;
            break;
          }
          ord[p] = a;
          ord[p - 1] = j;
          p--;
        }
      }
    }
    // order by time (insertion sort: nearly sorted)
    for (let k = 1; k < n; k++) {
      const j = ord[k]!;
      const cj = cand[j]!;
      let p = k;
      while (p > 0 && cand[ord[p - 1]!]! > cj) {
        ord[p] = ord[p - 1]!;
        p--;
      }
      ord[p] = j;
    }
    if (st === SC || st === RED) {
      // the field bunches up behind the safety car (fully under a red flag)
      const squeeze = st === RED ? 0 : 0.35;
      for (let k = 1; k < n; k++) {
        const j = ord[k]!, a = ord[k - 1]!;
        if (this.retired[j]) break;
        const gap = cand[j]! - cand[a]!;
        cand[j] = cand[a]! + Math.max(tr.minGapSc, gap * squeeze);
      }
    }
    for (let k = 0; k < n; k++) {
      const i = ord[k]!;
      this.pos[i] = k;
      if (!this.retired[i]) {
        this.lapTime[i] = cand[i]! - this.cum[i]!;
        this.cum[i] = cand[i]!;
      }
    }
    if (this.opts.retirements) {
      let moved = false;
      for (let i = 0; i < n; i++) {
        if (!this.retired[i] && m.retireLap[i]! > 0 && m.retireLap[i] === L) {
          this.retired[i] = 1;
          moved = true;
        }
      }
      if (moved) this.sinkRetired();
    }
    if (this.history) for (let i = 0; i < n; i++) this.history[i * this.nLaps + L - 1] = this.cum[i]!;
  }

  private sinkRetired(): void {
    const ord = this.order, n = this.n;
    let w = 0;
    const tmp = Array.from(ord);
    for (const i of tmp) if (!this.retired[i]) ord[w++] = i;
    for (const i of tmp) if (this.retired[i]) ord[w++] = i;
    for (let k = 0; k < n; k++) this.pos[ord[k]!] = k;
  }

  /** Runs to the flag; the ego car (if any) follows its plan. */
  run(): void {
    while (this.lap < this.nLaps) this.step();
  }

  /** Race time of car i including a penalty when it broke the two-compound rule (disqualification-sized). */
  finalTime(i: number): number {
    return this.cum[i]! + (this.ruleMet(i) ? 0 : 3600);
  }
}
