// Event detection over a race timeline: typed events with priorities, in session-time order.
import type { Priority, RaceEvent, RaceEventType } from '../../shared/domain.js';
import type { LapRecord } from './source.js';
import type { Timeline } from './timeline.js';

export const PRIORITY: Record<RaceEventType, Priority> = {
  red_flag: 'CRITICAL',
  safety_car: 'CRITICAL',
  retirement: 'CRITICAL',
  lead_change: 'CRITICAL',
  overtake: 'HIGH',
  pit_cycle: 'HIGH',
  pit_stop: 'HIGH',
  fastest_lap: 'HIGH',
  drs_range: 'MEDIUM',
  gap_trend: 'MEDIUM',
  undercut_threat: 'MEDIUM',
  vsc: 'MEDIUM',
  personal_best: 'LOW',
  sector_best: 'LOW',
};
export const PRIORITY_RANK: Record<Priority, number> = { CRITICAL: 3, HIGH: 2, MEDIUM: 1, LOW: 0 };

export const DRS_GAP = 1.0;
export const TREND_RATE = 0.3; // s/lap
export const TREND_LAPS = 3;

type Details = RaceEvent['details'];
const r3 = (x: number) => Math.round(x * 1000) / 1000;

class Collector {
  readonly events: RaceEvent[] = [];
  private n = 0;
  constructor(private readonly tl: Timeline) {}
  add(type: RaceEventType, lap: number, time: number, details: Details, driver?: string, other?: string): void {
    const e: RaceEvent = {
      id: `${type}-${lap}-${driver ?? 'race'}${other ? `-${other}` : ''}-${++this.n}`,
      type,
      priority: PRIORITY[type],
      lap,
      time: r3(time),
      details,
    };
    if (driver) {
      e.driver = driver;
      e.code = this.tl.drivers.get(driver)?.code ?? driver;
    }
    if (other) {
      e.other = other;
      e.otherCode = this.tl.drivers.get(other)?.code ?? other;
    }
    this.events.push(e);
  }
}

export function detectEvents(tl: Timeline): RaceEvent[] {
  const c = new Collector(tl);
  flags(tl, c);
  pits(tl, c);
  retirements(tl, c);
  racing(tl, c);
  pitCycles(tl, c);
  laps(tl, c);
  const order: Record<RaceEventType, number> = { red_flag: 0, safety_car: 1, vsc: 2, retirement: 3, pit_stop: 4, lead_change: 5, overtake: 6, pit_cycle: 7, fastest_lap: 8, drs_range: 9, gap_trend: 10, undercut_threat: 10, personal_best: 11, sector_best: 12 };
  return c.events.sort((a, b) => a.time - b.time || order[a.type] - order[b.type]);
}

function flags(tl: Timeline, c: Collector): void {
  for (const p of tl.periods) {
    if (p.state === 'yellow') continue;
    const type = p.state === 'red' ? 'red_flag' : p.state === 'sc' ? 'safety_car' : 'vsc';
    c.add(type, p.startLap, p.start, { endLap: p.endLap, laps: Math.max(1, p.endLap - p.startLap + 1), cause: p.cause, source: p.source, duration: r3(p.end - p.start) });
  }
}

/** Position of each car at the end of lap n (among the cars that completed it). */
function positionsAt(tl: Timeline, n: number): Map<string, number> {
  const m = new Map<string, number>();
  (tl.byLap.get(n) ?? []).forEach((l, i) => m.set(l.driver, i + 1));
  return m;
}

function pits(tl: Timeline, c: Collector): void {
  for (const s of tl.stops) {
    const before = positionsAt(tl, s.lap - 1).get(s.driver) ?? null;
    c.add(
      'pit_stop',
      s.lap,
      s.inTime,
      {
        stop: s.stop,
        pitLaneTime: s.pitLaneTime === null ? null : r3(s.pitLaneTime),
        durationSource: s.durationSource,
        compoundFrom: s.compoundFrom,
        compoundTo: s.compoundTo,
        tyreAgeOld: s.tyreAgeOld,
        underState: tl.stateAt(s.inTime),
        redFlag: s.redFlag,
        position: before,
        source: s.source,
      },
      s.driver,
    );
  }
}

function retirements(tl: Timeline, c: Collector): void {
  for (const r of tl.retirements.values()) {
    const pos = positionsAt(tl, r.lapsCompleted).get(r.driver) ?? null;
    c.add('retirement', tl.raceLapAt(r.time), r.time, { status: r.status, lapsCompleted: r.lapsCompleted, inPits: r.inPits, crash: r.crash, position: pos }, r.driver);
  }
}

/** Lead changes, overtakes, pit-cycle position changes, DRS range and gap trends, lap by lap. */
function racing(tl: Timeline, c: Collector): void {
  const stopLaps = new Map<string, Set<number>>();
  for (const s of tl.stops) {
    let set = stopLaps.get(s.driver);
    if (!set) stopLaps.set(s.driver, (set = new Set()));
    set.add(s.lap);
  }
  // A car that stopped (in-lap n, out-lap n+1) or entered the pits on lap n loses places for pit reasons.
  const pitted = (d: string, n: number) => {
    const s = stopLaps.get(d);
    if (s !== undefined && (s.has(n) || s.has(n - 1))) return true;
    const l = tl.lapOf(d, n);
    return l !== undefined && (l.pitIn !== null || l.pitOut !== null);
  };
  const maxLap = tl.leaderTimes.length;
  const drsAt = new Map<string, number>(); // pair → lap of last drs_range event
  const trendAt = new Map<string, { lap: number; dir: string }>();
  const intervals = new Map<string, number[]>(); // pair key → interval at laps (index = lap)
  let prevOrder: LapRecord[] = [];

  // Lap 1: the lead at the end of the opening lap versus pole.
  for (let n = 1; n <= maxLap; n++) {
    const order = tl.byLap.get(n) ?? [];
    const leader = order[0];
    if (!leader) continue;
    const prevLeader = prevOrder[0]?.driver ?? polesitter(tl);
    if (prevLeader && leader.driver !== prevLeader) {
      const cause = n === 1 ? 'start' : pitted(prevLeader, n) ? 'pit_cycle' : tl.lapOf(prevLeader, n) === undefined ? 'retirement' : 'overtake';
      c.add('lead_change', n, leader.time, { cause, position: 1 }, leader.driver, prevLeader);
    }
    if (n >= 2) {
      const prevPos = new Map(prevOrder.map((l, i) => [l.driver, i]));
      const nowPos = new Map(order.map((l, i) => [l.driver, i]));
      for (const [a, ia] of nowPos) {
        const pa = prevPos.get(a);
        if (pa === undefined) continue;
        for (const [b, ib] of nowPos) {
          const pb = prevPos.get(b);
          if (pb === undefined || !(ia < ib && pa > pb)) continue; // a passed b during lap n
          if (pitted(a, n) || pitted(b, n)) continue; // pit-cycle changes are reported per stop below
          const gapBefore = prevOrder[pa]!.time - prevOrder[pb]!.time;
          const method = gapBefore <= DRS_GAP && tl.drsEnabled(n) ? 'drs' : 'on_track';
          c.add('overtake', n, order[ia]!.time, { method, position: ia + 1, from: pa + 1, gapBefore: r3(gapBefore) }, a, b);
        }
      }
    }
    // Adjacent pairs: DRS range entries and gap trends (same lap, racing conditions).
    const drsOk = tl.drsEnabled(n + 1);
    const green = tl.stateOfLap(n) === 'green' || tl.stateOfLap(n) === 'yellow';
    for (let i = 1; i < order.length; i++) {
      const a = order[i]!;
      const b = order[i - 1]!;
      const key = `${a.driver}>${b.driver}`;
      const gap = a.time - b.time;
      let hist = intervals.get(key);
      if (!hist) intervals.set(key, (hist = []));
      hist[n] = gap;
      if (!green || pitted(a.driver, n) || pitted(b.driver, n)) continue;
      const prev = hist[n - 1];
      const lastDrs = drsAt.get(key) ?? -99;
      if (drsOk && gap < DRS_GAP && (prev === undefined || prev >= DRS_GAP) && n - lastDrs >= 5) {
        drsAt.set(key, n);
        c.add('drs_range', n, a.time, { interval: r3(gap), position: i + 1 }, a.driver, b.driver);
      }
      const h0 = hist[n - TREND_LAPS];
      if (h0 === undefined) continue;
      let steady = true;
      for (let k = n - TREND_LAPS + 1; k <= n; k++) {
        if (hist[k] === undefined || pitted(a.driver, k) || pitted(b.driver, k) || tl.stateOfLap(k) === 'sc' || tl.stateOfLap(k) === 'vsc') steady = false;
      }
      if (!steady) continue;
      const rate = (gap - h0) / TREND_LAPS;
      const dir = rate <= -TREND_RATE && gap < 6 ? 'closing' : rate >= TREND_RATE && h0 < 3 ? 'opening' : null;
      if (!dir) continue;
      const last = trendAt.get(key);
      if (last && last.dir === dir && n - last.lap < 6) {
        last.lap = n;
        continue;
      }
      trendAt.set(key, { lap: n, dir });
      c.add('gap_trend', n, a.time, { direction: dir, rate: r3(Math.abs(rate)), interval: r3(gap), laps: TREND_LAPS, position: i + 1 }, a.driver, b.driver);
    }
    prevOrder = order;
  }
}

/** Places a stop cost or won: order before the in-lap versus after the out-lap. */
function pitCycles(tl: Timeline, c: Collector): void {
  for (const s of tl.stops) {
    if (s.redFlag) continue;
    const before = tl.byLap.get(s.lap - 1) ?? [];
    const after = tl.byLap.get(s.lap + 1) ?? [];
    const from = before.findIndex((l) => l.driver === s.driver) + 1;
    const to = after.findIndex((l) => l.driver === s.driver) + 1;
    if (from === 0 || to === 0 || from === to) continue;
    const rec = after[to - 1]!;
    const other = to > from ? after[to - 2]?.driver : after[to]?.driver; // now ahead of him / now behind him
    c.add('pit_cycle', s.lap + 1, rec.time, { kind: 'stop', from, to, stop: s.stop, change: from - to }, s.driver, other);
  }
  // Undercut / overcut: two cars close before their stops swap places once both have stopped.
  const at = (d: string, n: number) => tl.lapOf(d, n);
  for (const a of tl.stops) {
    const answered = new Set<string>();
    for (const b of tl.stops) {
      if (a.driver === b.driver || a.redFlag || b.redFlag || !(b.lap > a.lap && b.lap <= a.lap + 6) || answered.has(b.driver)) continue;
      answered.add(b.driver); // only b's first stop after a's counts
      const a0 = at(a.driver, a.lap - 1);
      const b0 = at(b.driver, a.lap - 1);
      const a1 = at(a.driver, b.lap + 1);
      const b1 = at(b.driver, b.lap + 1);
      if (!a0 || !b0 || !a1 || !b1) continue;
      const before = a0.time - b0.time; // > 0: a behind b
      const after = a1.time - b1.time;
      // A swap by a huge margin is a slow stop or a penalty, not strategy.
      if (Math.abs(before) > UNDERCUT_WINDOW || Math.abs(after) > 3 * UNDERCUT_WINDOW || Math.sign(before) === Math.sign(after)) continue;
      const undercut = before > 0; // the earlier stopper came out ahead
      const [winner, loser] = undercut ? [a.driver, b.driver] : [b.driver, a.driver];
      const t = Math.max(a1.time, b1.time);
      c.add('pit_cycle', b.lap + 1, t, { kind: undercut ? 'undercut' : 'overcut', gapBefore: r3(Math.abs(before)), gapAfter: r3(Math.abs(after)), stopLap: a.lap, otherStopLap: b.lap }, winner, loser);
    }
  }
}
const UNDERCUT_WINDOW = 4; // s apart at the line before the first stop

function polesitter(tl: Timeline): string | undefined {
  for (const d of tl.drivers.values()) if (d.grid === 1) return d.driver;
  return undefined;
}

/** Fastest laps, personal bests and purple sectors. */
function laps(tl: Timeline, c: Collector): void {
  const all = [...tl.laps.values()].flat().sort((a, b) => a.time - b.time);
  const clean = (l: LapRecord) => l.lapTime !== null && l.lap >= 2 && l.pitIn === null && l.pitOut === null;
  const finalBest = all.filter(clean).reduce<number>((m, l) => Math.min(m, l.lapTime!), Infinity);
  let best = Infinity;
  let holder: string | undefined;
  const personal = new Map<string, number>();
  const sectors: number[] = [Infinity, Infinity, Infinity];
  for (const l of all) {
    if (!clean(l)) continue;
    const t = l.lapTime!;
    if (t < best) {
      if (l.lap >= 5 || t === finalBest) c.add('fastest_lap', l.lap, l.time, { lapTime: r3(t), previous: Number.isFinite(best) ? r3(best) : null }, l.driver, holder !== l.driver ? holder : undefined);
      best = t;
      holder = l.driver;
    } else {
      const pb = personal.get(l.driver);
      if (pb !== undefined && t < pb && l.lap >= 5 && tl.stateOfLap(l.lap) === 'green') {
        c.add('personal_best', l.lap, l.time, { lapTime: r3(t), previous: r3(pb), delta: r3(pb - t) }, l.driver);
      }
    }
    personal.set(l.driver, Math.min(personal.get(l.driver) ?? Infinity, t));
    if (l.sectors) {
      l.sectors.forEach((s, i) => {
        if (s === null || !(s < sectors[i]!)) return;
        if (l.lap >= 3 && Number.isFinite(sectors[i]!)) c.add('sector_best', l.lap, l.time, { sector: i + 1, time: r3(s), previous: r3(sectors[i]!) }, l.driver);
        sectors[i] = s;
      });
    }
  }
}
