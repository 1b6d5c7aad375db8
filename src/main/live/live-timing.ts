// One live session's timing: the feed's events merged into the timing state (initial states replace their topics,
// updates deep-merge), the stream clock (offsets from the archive, or derived from the first message), the
// catching/falling-back trend per car, and the streams kept for deriving laps as they complete.
import type { LiveLap, LiveRow, LiveTower } from '../../shared/live.js';
import { deriveLaps, type TimingLap } from '../timing/laps.js';
import { mergeUpdate, TimingState } from '../timing/state.js';
import type { StreamUpdate } from '../timing/stream.js';
import type { LiveEvent } from './feed.js';
import { buildTower, entries, parseGap, type Trend } from './tower.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The topics lap derivation reads (timing/laps.ts). */
const LAP_TOPICS = new Set(['TimingData', 'TimingAppData', 'DriverList', 'TrackStatus']);
/** An interval change under this many seconds over a lap is no trend. */
const TREND_EPS_S = 0.05;

export class LiveTiming {
  readonly state = new TimingState();
  seq = 0;
  messages = 0;
  skipped = 0;
  /** The last merged event's instant and stream offset. */
  utc: string | null = null;
  offsetMs: number | null = null;
  /** UTC ms at stream offset 0 (from the first event that gives both, else the first event). */
  private origin: number | null = null;
  private trends = new Map<string, { laps: number | null; interval: number | null; trend: Trend }>();
  private streams: Record<string, StreamUpdate[]> = {};
  /** Rows built for the last tower, and the cars whose data changed since ('all': every car). */
  private rows = new Map<string, LiveRow>();
  private changed: Set<string> | 'all' = 'all';
  /** Whether a car completed a lap since `laps()` last ran. */
  lapsPending = false;

  /** The stream offset of an event (its own, or derived from the first one). */
  offsetOf(utc: string, offsetMs?: number): number | null {
    const t = Date.parse(utc);
    if (this.origin === null && Number.isFinite(t)) this.origin = t - (offsetMs ?? 0);
    return offsetMs ?? (this.origin !== null && Number.isFinite(t) ? t - this.origin : null);
  }

  /** Merges one event; returns whether the state changed. Skipped frames are counted. */
  apply(e: LiveEvent): boolean {
    if (e.kind === 'skipped') {
      this.skipped++;
      return false;
    }
    if (e.kind === 'status') return false;
    const utc = e.kind === 'initial' ? e.utc : e.message.utc;
    const off = this.offsetOf(utc, e.kind === 'initial' ? e.offsetMs : e.message.offsetMs);
    this.utc = utc;
    this.offsetMs = off;
    this.seq++;
    if (e.kind === 'initial') {
      for (const [topic, data] of Object.entries(e.state)) {
        const t = topic.endsWith('.z') ? topic.slice(0, -2) : topic;
        this.state.topics[t] = mergeUpdate(undefined, data); // replaces: nothing doubled after a resubscribe
        this.keep(t, data, off);
        if (t === 'TimingData') this.observe(data);
      }
      this.changed = 'all';
      return true;
    }
    const { topic, data } = e.message;
    this.messages++;
    this.state.apply(topic, data);
    const t = topic.endsWith('.z') ? topic.slice(0, -2) : topic;
    this.keep(t, data, off);
    if (t === 'TimingData') this.observe(data);
    this.touch(t, data);
    return true;
  }

  /** Marks the cars an update changes (rows read TimingData, TimingAppData and DriverList). */
  private touch(topic: string, data: unknown): void {
    if (this.changed === 'all') return;
    if (topic === 'DriverList') this.changed = 'all';
    else if (topic === 'TimingData' || topic === 'TimingAppData') {
      const lines = isObj(data) ? data.Lines : undefined;
      if (!isObj(lines)) this.changed = 'all';
      else for (const n of Object.keys(lines)) this.changed.add(n);
    }
  }

  /** `keep`: where the lap topics' updates go instead of this object (the live service's lap deriver thread). */
  constructor(private readonly keepTo?: (topic: string, offsetMs: number, data: unknown) => void) {}

  private keep(topic: string, data: unknown, off: number | null): void {
    if (!LAP_TOPICS.has(topic)) return;
    if (this.keepTo) this.keepTo(topic, off ?? 0, data);
    else (this.streams[topic] ??= []).push({ offsetMs: off ?? 0, data });
  }

  /** Records each car's interval when its lap count goes up; the trend compares it with the lap before. */
  private observe(update: unknown): void {
    const lines = (this.state.get<Obj>('TimingData') ?? {}).Lines;
    for (const [n] of entries(isObj(update) ? update.Lines : undefined)) {
      const line = isObj(lines) ? lines[n] : undefined;
      if (!isObj(line)) continue;
      const laps = typeof line.NumberOfLaps === 'number' ? line.NumberOfLaps : null;
      const prev = this.trends.get(n);
      if (prev && prev.laps === laps) continue;
      if (prev && laps !== null) this.lapsPending = true;
      const iv = parseGap(line.IntervalToPositionAhead ?? line.TimeDiffToPositionAhead);
      const interval = typeof iv === 'number' ? iv : null;
      let trend: Trend = null;
      if (prev?.interval != null && interval !== null)
        trend = interval < prev.interval - TREND_EPS_S ? 'catching' : interval > prev.interval + TREND_EPS_S ? 'falling' : null;
      this.trends.set(n, { laps, interval, trend });
    }
  }

  private trendOf = (n: string): Trend => {
    const line = ((this.state.get<Obj>('TimingData') ?? {}).Lines as Obj | undefined)?.[n];
    const iv = isObj(line) ? line.IntervalToPositionAhead : undefined;
    if (isObj(iv) && iv.Catching === true) return 'catching';
    return this.trends.get(n)?.trend ?? null;
  };

  /** The tower now, or at `at` (an instant after the last message: the clock extrapolates). */
  tower(at?: string, offsetMs?: number | null): LiveTower {
    const changed = this.changed;
    if (changed === 'all') this.rows.clear();
    const tower = buildTower(this.state, {
      at: at ?? this.utc ?? new Date(0).toISOString(),
      offsetMs: offsetMs !== undefined ? offsetMs : this.offsetMs,
      seq: this.seq,
      trend: this.trendOf,
      cached: (n) => (changed === 'all' || changed.has(n) ? undefined : this.rows.get(n)),
      built: (n, row) => this.rows.set(n, row),
    });
    this.changed = new Set();
    return tower;
  }

  /** Every lap completed so far (the archive import's derivation, over the streams received). */
  laps(): LiveLap[] {
    this.lapsPending = false;
    return deriveLaps(this.streams).map(toLiveLap);
  }
}

export const toLiveLap = (l: TimingLap): LiveLap => ({
  driverNumber: l.driver_number,
  code: l.driver,
  lap: l.lap_number,
  lapTime: l.lap_time_s,
  sectors: [l.sector1_s, l.sector2_s, l.sector3_s],
  position: l.position,
  compound: l.compound,
  tyreAge: l.tyre_life,
  stint: l.stint,
  pitIn: l.pit_in,
  pitOut: l.pit_out,
  trackStatus: l.track_status,
  timeS: l.time_s,
});
