// The replay clock: session time advancing at speed × wall time while playing. speed 0 = as fast as possible
// (one race lap per tick). Ticks every `tickMs` (≤ 10 per wall second by default).

export const MAX_SPEED = 0;
export const SPEEDS = { min: 1, max: 100 } as const;

export interface ClockHooks {
  /** Time moved forward from `from` to `to` by playing. */
  advance(from: number, to: number): void;
  /** Session time after a lap-sized jump at max speed. */
  nextLapTime(t: number): number;
}

export class ReplayClock {
  time: number;
  playing = false;
  speed = 1;
  private timer: ReturnType<typeof setInterval> | null = null;
  private last = 0;

  constructor(
    readonly start: number,
    readonly end: number,
    private readonly hooks: ClockHooks,
    private readonly tickMs = 100,
  ) {
    this.time = start;
  }

  play(): void {
    if (this.playing) return;
    if (this.time >= this.end) this.time = this.start;
    this.playing = true;
    this.last = performance.now();
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref?.();
  }

  pause(): void {
    this.playing = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  seek(t: number): void {
    this.time = Math.min(Math.max(t, this.start), this.end);
    this.last = performance.now();
  }

  setSpeed(speed: number): void {
    if (!Number.isFinite(speed) || speed < 0) throw new Error(`speed must be 0 (max) or ${SPEEDS.min}–${SPEEDS.max}`);
    this.speed = speed === MAX_SPEED ? MAX_SPEED : Math.min(SPEEDS.max, Math.max(SPEEDS.min, speed));
  }

  /** One step (exposed for tests). */
  tick(now = performance.now()): void {
    if (!this.playing) return;
    const from = this.time;
    const to = this.speed === MAX_SPEED ? this.hooks.nextLapTime(from) : from + ((now - this.last) / 1000) * this.speed;
    this.last = now;
    this.time = Math.min(to, this.end);
    if (this.time > from) this.hooks.advance(from, this.time);
    if (this.time >= this.end) this.pause();
  }

  dispose(): void {
    this.pause();
  }
}
