// A race's timeline rebuilt from lap data: per-car lap completions, the race lap clock (leader's line crossings),
// track-status periods, pit stops and retirements. Everything a snapshot or an event detector needs.
import type { Compound, TrackState, TrackStatusBand } from '../../shared/domain.js';
import { periodsFromLaps, reconcilePeriods, type TrackPeriod } from './periods.js';
import type { DriverMeta, LapRecord, RaceMeta, ReferenceData, TimingSource } from './source.js';
import { isCrash, isFinished } from '../race/result-status.js';
import { hasState, isClear } from '../race/track-status.js';
import { median } from '../util/stats.js';

export interface PitStop {
  driver: string;
  code: string;
  lap: number; // in-lap
  stop: number; // 1-based per driver
  inTime: number;
  outTime: number | null;
  pitLaneTime: number | null; // s
  durationSource: 'ergast' | 'laps' | null;
  source: 'laps' | 'ergast';
  compoundFrom: Compound;
  compoundTo: Compound;
  tyreAgeOld: number | null;
  redFlag: boolean;
}

export interface Retirement {
  driver: string;
  code: string;
  lapsCompleted: number;
  time: number;
  status: string;
  inPits: boolean;
  crash: boolean;
}

const SEVERITY: Record<TrackState, number> = { red: 4, sc: 3, vsc: 2, yellow: 1, green: 0 };

/** Index of the first element > x in an ascending array (= count of elements <= x). */
export function countLE(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}


export class Timeline {
  readonly meta: RaceMeta;
  readonly reference: ReferenceData;
  readonly drivers = new Map<string, DriverMeta>();
  /** Each car's laps in lap order, and their completion times (ascending). */
  readonly laps = new Map<string, LapRecord[]>();
  readonly times = new Map<string, number[]>();
  /** Records of lap n in crossing order. */
  readonly byLap = new Map<number, LapRecord[]>();
  /** leaderTimes[n-1]: first crossing of the line at the end of lap n. */
  readonly leaderTimes: number[] = [];
  readonly raceStart: number;
  readonly raceEnd: number;
  readonly typicalLap: number;
  readonly periods: TrackPeriod[];
  readonly stops: PitStop[];
  readonly retirements = new Map<string, Retirement>();

  constructor(source: TimingSource) {
    this.meta = source.meta;
    this.reference = source.reference;
    for (const d of source.meta.drivers) this.drivers.set(d.driver, d);
    const all = [...source.laps()].sort((a, b) => a.time - b.time);
    for (const l of all) {
      let list = this.laps.get(l.driver);
      if (!list) this.laps.set(l.driver, (list = []));
      if (list.length && list[list.length - 1]!.lap >= l.lap) continue; // duplicate or out-of-order lap number
      list.push(l);
      let at = this.byLap.get(l.lap);
      if (!at) this.byLap.set(l.lap, (at = []));
      at.push(l);
    }
    for (const [d, list] of this.laps) this.times.set(d, list.map((l) => l.time));
    // Order at the line: the official position where the feed has it (a car crossing in the pit lane, or one
    // with a mis-numbered lap, can show an earlier time), else the crossing order.
    for (const [n, at] of this.byLap) {
      const key = new Map(at.map((l, i) => [l, l.position ?? i + 1.5]));
      this.byLap.set(n, [...at].sort((a, b) => key.get(a)! - key.get(b)! || a.time - b.time));
    }
    const maxLap = Math.max(0, ...this.byLap.keys());
    let prev = -Infinity;
    for (let n = 1; n <= maxLap; n++) {
      const first = this.byLap.get(n)?.[0]?.time ?? prev; // the leader's crossing
      prev = Math.max(prev, first);
      this.leaderTimes.push(prev);
    }
    const lap1 = this.byLap.get(1) ?? [];
    this.typicalLap = median(all.filter((l) => l.lapTime !== null && isClear(l.trackStatus)).map((l) => l.lapTime!)) || 90;
    this.raceStart = lap1.length ? Math.min(...lap1.map((l) => l.start)) : (this.leaderTimes[0] ?? 0) - this.typicalLap;
    this.raceEnd = all.length ? all[all.length - 1]!.time : this.raceStart;

    const lapAt = (t: number) => this.raceLapAt(t);
    this.periods = reconcilePeriods(periodsFromLaps(all, lapAt), this.reference, (n) => this.lapStartTime(n), lapAt);
    this.stops = this.detectStops();
    this.detectRetirements();
  }

  get totalLaps(): number {
    return Math.max(this.meta.totalLaps, this.leaderTimes.length);
  }

  /** Laps the leader has completed by session time t. */
  leaderLapsAt(t: number): number {
    return countLE(this.leaderTimes, t);
  }

  /** The race lap in progress at t (1 … totalLaps). */
  raceLapAt(t: number): number {
    return Math.min(Math.max(1, this.leaderLapsAt(t) + 1), Math.max(1, this.leaderTimes.length));
  }

  /** Session time at which race lap n began. */
  lapStartTime(n: number): number {
    return n <= 1 ? this.raceStart : (this.leaderTimes[Math.min(n, this.leaderTimes.length) - 2] ?? this.raceStart);
  }

  lapsCompleted(driver: string, t: number): number {
    return countLE(this.times.get(driver) ?? [], t);
  }

  lapOf(driver: string, n: number): LapRecord | undefined {
    const list = this.laps.get(driver);
    if (!list) return undefined;
    const guess = list[n - 1];
    if (guess?.lap === n) return guess;
    return list.find((l) => l.lap === n);
  }

  stateAt(t: number): TrackState {
    let best: TrackState = 'green';
    for (const p of this.periods) if (p.start <= t && t < p.end && SEVERITY[p.state] > SEVERITY[best]) best = p.state;
    return best;
  }

  /**
   * What the banner shows at time t, read from the same periods as the seek-bar bands: at a line crossing of the
   * leader (a seek to lap n) the worst state of lap n — its band; between crossings the worst state of the lap in
   * progress so far.
   */
  bannerState(t: number): TrackState {
    const done = this.leaderLapsAt(t);
    if (done > 0 && this.leaderTimes[done - 1] === t) return this.stateOfLap(done);
    const s = done > 0 ? this.leaderTimes[done - 1]! : this.raceStart;
    let best: TrackState = 'green';
    for (const p of this.periods) if (p.start <= t && p.end > s && SEVERITY[p.state] > SEVERITY[best]) best = p.state;
    return best;
  }

  /** Worst state during race lap n. */
  stateOfLap(n: number): TrackState {
    const s = this.lapStartTime(n);
    const e = this.leaderTimes[n - 1] ?? s;
    let best: TrackState = 'green';
    for (const p of this.periods) if (p.start < e && p.end > s && SEVERITY[p.state] > SEVERITY[best]) best = p.state;
    return best;
  }

  bands(): TrackStatusBand[] {
    const out: TrackStatusBand[] = [];
    for (let n = 1; n <= this.leaderTimes.length; n++) {
      const state = this.stateOfLap(n);
      const last = out[out.length - 1];
      if (last && last.state === state && last.toLap === n - 1) last.toLap = n;
      else out.push({ fromLap: n, toLap: n, state });
    }
    return out;
  }

  /** DRS is enabled from lap 3 and two laps after a neutralisation ends; never under SC/VSC/red. */
  drsEnabled(lap: number): boolean {
    if (lap < 3) return false;
    for (let n = lap - 2; n <= lap; n++) {
      const s = this.stateOfLap(n);
      if (s === 'sc' || s === 'vsc' || s === 'red') return false;
    }
    return true;
  }

  private detectStops(): PitStop[] {
    const stops: PitStop[] = [];
    const ergast = this.reference.pitStops.map((p) => ({ ...p, used: false }));
    const claim = (driver: string, lap: number) => {
      const e = ergast
        .filter((p) => !p.used && p.driver === driver && Math.abs(p.lap - lap) <= 1)
        .sort((a, b) => Math.abs(a.lap - lap) - Math.abs(b.lap - lap))[0];
      if (e) e.used = true;
      return e;
    };
    for (const [driver, list] of this.laps) {
      const code = list[0]?.code ?? driver;
      list.forEach((l, i) => {
        const next = list[i + 1];
        const first = i === 0;
        let redFlag = false;
        let stopLap: number | null = null;
        // A real pit entry happens during the lap (not the pre-race trip to the grid, where the same lap also
        // carries a later pit exit), and the car comes out again: the next lap is an out-lap or a new stint.
        const entry = l.pitIn !== null && l.pitIn >= l.start - 1 && !(l.pitOut !== null && l.pitOut > l.pitIn);
        const stintUp = next !== undefined && next.stint !== null && l.stint !== null && next.stint > l.stint;
        if (entry && next && (next.pitOut !== null || stintUp)) stopLap = l.lap;
        else if (l.pitIn === null && next && stintUp && (this.underRed(l) || this.underRed(next))) {
          stopLap = l.lap; // tyres changed under a red flag without a pit entry in the timing
          redFlag = true;
        } else if (first && l.lap === 1 && (l.stint ?? 1) > 1 && this.underRed(l)) {
          stopLap = 1;
          redFlag = true;
        }
        if (stopLap === null) return;
        const after = stopLap === l.lap ? next : l;
        const before = stopLap === l.lap ? l : undefined;
        const e = claim(driver, stopLap);
        const lanes = l.pitIn !== null && next?.pitOut != null ? next.pitOut - l.pitIn : null;
        const ergastLane = e?.duration != null && e.duration > 0 && e.duration < 120 ? e.duration : null;
        const inTime = l.pitIn ?? (redFlag ? this.redFlagStart(l) : l.time);
        stops.push({
          driver,
          code,
          lap: stopLap,
          stop: 0,
          inTime,
          outTime: next?.pitOut ?? null,
          pitLaneTime: ergastLane ?? (lanes !== null && lanes > 0 && lanes < 120 ? lanes : null),
          durationSource: ergastLane !== null ? 'ergast' : lanes !== null && lanes > 0 && lanes < 120 ? 'laps' : null,
          source: 'laps',
          compoundFrom: before?.compound ?? 'UNKNOWN',
          compoundTo: after?.compound ?? l.compound,
          tyreAgeOld: before?.tyreLife ?? null,
          redFlag,
        });
      });
    }
    // Official stops the timing does not show (e.g. the car pitted on its last timed lap, then retired).
    for (const e of ergast) {
      if (e.used) continue;
      const list = this.laps.get(e.driver);
      if (!list?.length) continue;
      const l = list.find((x) => x.lap === e.lap) ?? list.find((x) => x.lap === e.lap - 1) ?? list[list.length - 1]!;
      stops.push({
        driver: e.driver,
        code: l.code,
        lap: e.lap,
        stop: 0,
        inTime: l.pitIn ?? l.time,
        outTime: null,
        pitLaneTime: e.duration != null && e.duration < 120 ? e.duration : null,
        durationSource: e.duration != null && e.duration < 120 ? 'ergast' : null,
        source: 'ergast',
        compoundFrom: l.compound,
        compoundTo: list.find((x) => x.lap === e.lap + 1)?.compound ?? 'UNKNOWN',
        tyreAgeOld: l.tyreLife,
        redFlag: false,
      });
    }
    stops.sort((a, b) => a.inTime - b.inTime);
    const count = new Map<string, number>();
    for (const s of stops) {
      const n = (count.get(s.driver) ?? 0) + 1;
      count.set(s.driver, n);
      s.stop = n;
    }
    return stops;
  }

  private underRed(l: LapRecord): boolean {
    return hasState(l.trackStatus, 'red') || this.periods.some((p) => p.state === 'red' && p.start < l.time && p.end > l.start);
  }

  private redFlagStart(l: LapRecord): number {
    const p = this.periods.find((x) => x.state === 'red' && x.end > l.start && x.start < l.time);
    return p ? p.start : l.time;
  }

  private detectRetirements(): void {
    for (const [driver, meta] of this.drivers) {
      if (isFinished(meta.status) || meta.status === 'Disqualified') continue;
      const list = this.laps.get(driver);
      const last = list?.[list.length - 1];
      if (!last) continue;
      const ownLap = median((list ?? []).filter((l) => l.lapTime !== null).map((l) => l.lapTime!)) || 90;
      const inPits = last.pitIn !== null;
      let time = inPits ? last.pitIn! + 5 : last.time + 0.6 * ownLap;
      // A neutralisation starting soon after the car's last crossing was most likely for this car.
      const caused = this.periods.find((p) => p.state !== 'yellow' && p.start > last.time && p.start < last.time + 1.2 * ownLap);
      if (!inPits && caused) time = Math.max(last.time + 1, caused.start - 1);
      if (last.time >= this.raceEnd - 1) continue; // ran to the end (classification quirks)
      this.retirements.set(driver, {
        driver,
        code: last.code,
        lapsCompleted: last.lap,
        time,
        status: meta.status,
        inPits,
        crash: isCrash(meta.status),
      });
    }
  }
}
