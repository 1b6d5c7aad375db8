// One session's replay: clock + timeline + events; pushes snapshots (≤ ~10 per wall second, and on every lap
// change or seek) and events as session time passes them. Listeners (the commentary pipeline) get the events too.
import type { RaceEvent, TimingSnapshot } from '../../shared/domain.js';
import { ReplayClock } from './clock.js';
import type { Race } from './race.js';
import { snapshotAt } from './snapshot.js';
import { countLE } from './timeline.js';

export interface ReplayOutput {
  snapshot(s: TimingSnapshot): void;
  event(e: RaceEvent): void;
}

export type EventListener = (events: RaceEvent[], now: number) => void;
export type SeekListener = (t: number) => void;

export class ReplayController {
  readonly clock: ReplayClock;
  private readonly eventTimes: number[];
  private readonly listeners: EventListener[] = [];
  private readonly seekListeners: SeekListener[] = [];
  private readonly endListeners: (() => void)[] = [];
  private ended = false;
  private lastLap = -1;
  private lastPush = 0;

  constructor(
    readonly race: Race,
    private readonly out: ReplayOutput,
    private readonly minPushMs = 90,
  ) {
    const tl = race.tl;
    this.eventTimes = race.events.map((e) => e.time);
    this.clock = new ReplayClock(tl.raceStart, tl.raceEnd, {
      advance: (from, to) => this.advance(from, to),
      nextLapTime: (t) => tl.leaderTimes[tl.leaderLapsAt(t)] ?? tl.raceEnd, // after the leader's flag: the last car in
    });
  }

  onEvents(fn: EventListener): void {
    this.listeners.push(fn);
  }
  onSeek(fn: SeekListener): void {
    this.seekListeners.push(fn);
  }
  /** Called once when the replay reaches the chequered flag of the last car (the race's outcome is then known). */
  onEnd(fn: () => void): void {
    this.endListeners.push(fn);
  }

  snapshot(): TimingSnapshot {
    const playing = this.clock.playing && this.clock.time < this.clock.end;
    return snapshotAt(this.race.tl, this.clock.time, playing, this.clock.speed);
  }

  play(): void {
    this.clock.play();
    this.push(true);
  }
  pause(): void {
    this.clock.pause();
    this.push(true);
  }
  setSpeed(speed: number): void {
    this.clock.setSpeed(speed);
    this.push(true);
  }

  /** Jumps to the moment the leader completed `lap` (0 = the start). */
  seekLap(lap: number): TimingSnapshot {
    const tl = this.race.tl;
    const n = Math.max(0, Math.min(Math.round(lap), tl.leaderTimes.length));
    this.clock.seek(n === 0 ? tl.raceStart : tl.leaderTimes[n - 1]!);
    for (const fn of this.seekListeners) fn(this.clock.time);
    return this.push(true)!;
  }

  /** Events up to the current time, optionally from a lap on. */
  eventsSoFar(sinceLap = 0): RaceEvent[] {
    const upTo = countLE(this.eventTimes, this.clock.time);
    return this.race.events.slice(0, upTo).filter((e) => e.lap >= sinceLap);
  }

  dispose(): void {
    this.clock.dispose();
    this.listeners.length = 0;
    this.endListeners.length = 0;
  }

  private advance(from: number, to: number): void {
    const a = countLE(this.eventTimes, from);
    const b = countLE(this.eventTimes, to);
    const fresh = this.race.events.slice(a, b);
    for (const e of fresh) this.out.event(e);
    if (fresh.length) for (const fn of this.listeners) fn(fresh, to);
    this.push(false);
    if (!this.ended && to >= this.clock.end) {
      this.ended = true;
      for (const fn of this.endListeners) fn();
    }
  }

  private push(force: boolean): TimingSnapshot | null {
    const now = performance.now();
    const lap = this.race.tl.leaderLapsAt(this.clock.time);
    if (!force && lap === this.lastLap && now - this.lastPush < this.minPushMs) return null;
    this.lastLap = lap;
    this.lastPush = now;
    const s = this.snapshot();
    this.out.snapshot(s);
    return s;
  }
}
