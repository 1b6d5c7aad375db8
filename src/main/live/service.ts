// The engine's live service: one feed shared by every client (desktop windows over IPC, browsers over WebSocket).
// Each merged message marks the tower dirty; the tower is rebuilt and pushed at most every PUSH_MS (a burst of
// messages becomes one push, a lone message is pushed at once). Each client session has its own broadcast delay
// (0–120 s): it is shown the tower, race control and laps as they were that long ago, from a short history.
import type { CommentaryLine, RaceCharts, RaceEvent, RejoinPrediction, StintForecast } from '../../shared/domain.js';
import type { LiveConnectionState, LiveLap, LiveStatus, LiveTower } from '../../shared/live.js';
import { MAX_DELAY_S } from '../../shared/live.js';
import { serviceKey } from '../engine/kernel/services.js';
import { sessionKey, type Engine, type Session } from '../engine/kernel/session.js';
import type { LiveConnection, LiveEvent, LiveSource } from './feed.js';
import { liveRaceCharts } from './charts.js';
import { liveStintForecast } from './downstream.js';
import { openDeriver, type DeriverHandle } from './derive-thread.js';
import { LiveTiming } from './live-timing.js';
import { liveRejoin } from './rejoin.js';
import { REJOIN_CACHE } from '../strategy/rejoin-service.js';

/** At most one tower push per this many ms per client (≤ 33/s); a message waits at most this long for its push.
 *  Lower costs the clients renders; higher breaks the 50 ms message-to-screen budget under bursts. */
export const PUSH_MS = 30;
/** How often delayed clients are served from the history, and how often completed laps are derived. */
const DELAY_TICK_MS = 100;
const LAPS_MS = 2000;

interface Client {
  session: Session;
  delayS: number;
  shownSeq: number;
  lapsSent: number;
  /** Ids of the race events this client was sent. */
  eventsSent: Set<string>;
}

export class LiveService {
  private timing: LiveTiming | null = null;
  private source: LiveSource | null = null;
  private abort: AbortController | null = null;
  private connection: LiveConnectionState = 'idle';
  private detail: string | null = null;
  /** Towers as built, with the wall time they were built (for delayed clients). */
  private history: { t: number; tower: LiveTower }[] = [];
  private laps: LiveLap[] = [];
  private events: RaceEvent[] = [];
  /** Commentary on the events so far, by event id (made once per event). */
  private lines = new Map<string, CommentaryLine>();
  private clients = new Map<Session, Client>();
  private dirty = false;
  private lastPush = 0;
  private pushTimer: NodeJS.Timeout | null = null;
  private delayTimer: NodeJS.Timeout | null = null;
  private lapsTimer: NodeJS.Timeout | null = null;
  /** Called after every merged event (benchmarks and tests follow the feed with it). */
  onApplied: ((seq: number) => void) | null = null;
  /** Called when laps, events and commentary were derived anew. */
  onDerived: (() => void) | null = null;
  /** The lap deriver (a worker thread when built), started with the first feed. */
  private deriver: DeriverHandle | null = null;
  private deriving = false;
  private deriveAgain = false;
  /** Bumped by a new feed or session: a derivation of the state before it is dropped. */
  private generation = 0;
  /** The last charts built, for the laps derived then and the number of them visible (clients at one delay share). */
  private chartsMemo: { laps: LiveLap[]; visible: number; charts: RaceCharts | null } | null = null;

  /** Starts `source` (stopping the one before); resolves when it ends. */
  start(source: LiveSource): Promise<void> {
    this.stop();
    this.deriver ??= openDeriver();
    this.deriver.reset();
    this.generation++;
    this.timing = this.newTiming();
    this.source = source;
    this.history = [];
    this.laps = [];
    this.events = [];
    this.lines.clear();
    for (const c of this.clients.values()) Object.assign(c, { shownSeq: -1, lapsSent: 0, eventsSent: new Set() });
    const abort = (this.abort = new AbortController());
    this.setConnection('connecting');
    this.lapsTimer = setInterval(() => this.deriveLaps(), LAPS_MS);
    this.lapsTimer.unref();
    return source.run((e) => !abort.signal.aborted && this.onEvent(e), abort.signal).then(
      () => {
        if (abort.signal.aborted) return;
        this.flush();
        this.deriveLaps(true);
        this.setConnection('ended');
      },
      (e: unknown) => {
        if (!abort.signal.aborted) this.setConnection('failed', e instanceof Error ? e.message : String(e));
      },
    );
  }

  stop(): void {
    this.abort?.abort();
    this.abort = null;
    for (const t of [this.pushTimer, this.lapsTimer]) if (t) clearTimeout(t);
    this.pushTimer = this.lapsTimer = null;
    if (this.source) this.setConnection('ended');
  }

  private onEvent(e: LiveEvent): void {
    if (e.kind === 'status') return this.setConnection(e.connection, e.detail);
    if (e.kind === 'message' && e.message.topic === 'SessionInfo') this.newSessionCheck(e.message.data);
    if (!this.timing!.apply(e)) return;
    this.onApplied?.(this.timing!.seq);
    this.dirty = true;
    if (this.pushTimer) return;
    const wait = this.lastPush + PUSH_MS - Date.now();
    this.pushTimer = setTimeout(() => this.flush(), Math.max(0, wait));
  }

  /** A SessionInfo with a new Name starts a new session: a fresh state (the sequence numbers go on). */
  private newSessionCheck(data: unknown): void {
    const name = (d: unknown) => (typeof d === 'object' && d !== null ? (d as { Name?: unknown }).Name : undefined);
    const now = name(this.timing!.state.get('SessionInfo'));
    const next = name(data);
    if (typeof now !== 'string' || typeof next !== 'string' || now === next) return;
    const fresh = this.newTiming();
    fresh.seq = this.timing!.seq;
    this.timing = fresh;
    this.deriver?.reset();
    this.generation++;
    this.laps = [];
    this.events = [];
    this.lines.clear();
    for (const c of this.clients.values()) Object.assign(c, { lapsSent: 0, eventsSent: new Set() });
  }

  /** Builds the tower once for the messages since the last push and serves the clients. */
  private flush(): void {
    this.pushTimer = null;
    if (!this.dirty || !this.timing) return;
    this.dirty = false;
    const now = (this.lastPush = Date.now());
    const tower = this.timing.tower();
    this.history.push({ t: now, tower });
    const keep = now - (MAX_DELAY_S + 5) * 1000;
    let cut = 0;
    while (cut < this.history.length - 1 && this.history[cut]!.t < keep) cut++;
    if (cut) this.history.splice(0, cut);
    for (const c of this.clients.values()) if (c.delayS === 0) this.serve(c, now);
  }

  /** The tower a client with `delayS` sees at `now`: the newest built at least that long ago. */
  private towerFor(delayS: number, now = Date.now()): LiveTower | null {
    const due = now - delayS * 1000;
    for (let i = this.history.length - 1; i >= 0; i--) if (this.history[i]!.t <= due) return this.history[i]!.tower;
    return null;
  }

  private serve(c: Client, now = Date.now()): void {
    const tower = this.towerFor(c.delayS, now);
    if (!tower) return;
    if (tower.seq !== c.shownSeq) {
      c.shownSeq = tower.seq;
      c.session.emit('live:tower', tower);
    }
    const visible = this.visibleLaps(tower);
    if (visible > c.lapsSent) {
      c.session.emit('live:laps', this.laps.slice(c.lapsSent, visible));
      c.lapsSent = visible;
    }
    const shownS = (tower.offsetMs ?? -Infinity) / 1000;
    const fresh = this.events.filter((e) => e.time <= shownS && !c.eventsSent.has(e.id));
    if (fresh.length) {
      for (const e of fresh) c.eventsSent.add(e.id);
      c.session.emit('live:events', fresh);
      const lines = fresh.map((e) => this.lines.get(e.id)).filter((l): l is CommentaryLine => l !== undefined);
      if (lines.length) c.session.emit('live:commentary', lines);
    }
  }

  private visibleLaps(tower: LiveTower | null): number {
    if (!tower || tower.offsetMs === null) return 0;
    let n = 0;
    while (n < this.laps.length && this.laps[n]!.timeS * 1000 <= tower.offsetMs) n++;
    return n;
  }

  private newTiming(): LiveTiming {
    return new LiveTiming((topic, offsetMs, data) => this.deriver?.keep(topic, offsetMs, data));
  }

  /** Laps, events and commentary, derived off the loop (one derivation at a time; a newer state waits its turn). */
  private deriveLaps(force = false): void {
    if (!this.timing || !this.deriver || (!force && !this.timing.lapsPending)) return;
    if (this.deriving) {
      this.deriveAgain = true;
      return;
    }
    this.timing.lapsPending = false;
    this.deriving = true;
    const gen = this.generation;
    const done = () => {
      this.deriving = false;
      if (this.deriveAgain) {
        this.deriveAgain = false;
        this.deriveLaps(true);
      }
    };
    this.deriver.derive(this.timing.tower()).then(
      (d) => {
        if (gen === this.generation) {
          this.laps = d.laps;
          this.events = d.events;
          for (const l of d.lines) this.lines.set(l.event.id, l);
          for (const c of this.clients.values()) {
            c.lapsSent = Math.min(c.lapsSent, this.laps.length);
            if (c.delayS === 0) this.serve(c);
          }
          this.onDerived?.();
        }
        done();
      },
      done, // the next lap tries again
    );
  }

  private setConnection(c: LiveConnection | LiveConnectionState, detail?: string): void {
    this.connection = c === 'live' && this.source?.name.startsWith('recording:') ? 'recording' : c;
    this.detail = detail ?? null;
    for (const cl of this.clients.values()) cl.session.emit('live:status', this.status(cl.session));
  }

  private tick(): void {
    const now = Date.now();
    for (const c of this.clients.values()) if (c.delayS > 0) this.serve(c, now);
  }

  private syncDelayTimer(): void {
    const need = [...this.clients.values()].some((c) => c.delayS > 0);
    if (need && !this.delayTimer) {
      this.delayTimer = setInterval(() => this.tick(), DELAY_TICK_MS);
      this.delayTimer.unref();
    } else if (!need && this.delayTimer) {
      clearInterval(this.delayTimer);
      this.delayTimer = null;
    }
  }

  /** Pushes to `session` from now on ('live:status', 'live:tower', 'live:laps'); the current state at once. */
  subscribe(session: Session): LiveStatus {
    let c = this.clients.get(session);
    if (!c) {
      const st = session.use(LIVE_SESSION);
      c = { session, delayS: st.delayS, shownSeq: -1, lapsSent: 0, eventsSent: new Set() };
      this.clients.set(session, c);
      st.off = () => this.unsubscribe(session);
      this.syncDelayTimer();
    }
    const client = c;
    setImmediate(() => this.clients.get(session) === client && this.serve(client));
    return this.status(session);
  }

  unsubscribe(session: Session): void {
    this.clients.delete(session);
    this.syncDelayTimer();
  }

  setDelay(session: Session, seconds: number): LiveStatus {
    const delayS = Math.max(0, Math.min(MAX_DELAY_S, seconds));
    session.use(LIVE_SESSION).delayS = delayS;
    const c = this.clients.get(session);
    if (c) {
      c.delayS = delayS;
      // a shorter delay may show an older tower than the one on screen: show the right one, whatever its seq
      c.shownSeq = -1;
      c.lapsSent = Math.min(c.lapsSent, this.visibleLaps(this.towerFor(delayS)));
      c.eventsSent = new Set(); // the client clears its events when it changes the delay; the visible ones come again
      this.syncDelayTimer();
      this.serve(c);
    }
    return this.status(session);
  }

  status(session: Session): LiveStatus {
    return {
      connection: this.connection,
      source: this.source?.name ?? null,
      detail: this.detail,
      delayS: session.use(LIVE_SESSION).delayS,
      messages: this.timing?.messages ?? 0,
      skipped: this.timing?.skipped ?? 0,
    };
  }

  /** The tower this session is shown now (its delay applied). */
  tower(session: Session): LiveTower | null {
    return this.towerFor(session.use(LIVE_SESSION).delayS);
  }

  /** Completed laps this session may see (its delay applied), optionally one car's. */
  lapsFor(session: Session, driverNumber?: number): LiveLap[] {
    const n = this.visibleLaps(this.tower(session));
    const laps = this.laps.slice(0, n);
    return driverNumber === undefined ? laps : laps.filter((l) => l.driverNumber === driverNumber);
  }

  /** The tyre model's forecast of a car's current stint, from the laps this session may see. */
  forecast(session: Session, driverNumber: number): Promise<StintForecast | null> {
    return liveStintForecast(this.lapsFor(session), this.tower(session)?.totalLaps ?? null, driverNumber);
  }

  /** The strategist charts of the laps this session may see, as of the moment it is shown (its delay applied). */
  charts(session: Session): RaceCharts | null {
    const tower = this.tower(session);
    const visible = this.visibleLaps(tower);
    const m = this.chartsMemo;
    if (m && m.laps === this.laps && m.visible === visible && m.charts && tower?.offsetMs != null)
      return { ...m.charts, asOf: tower.offsetMs / 1000 }; // no lap completed between: the same series
    const charts = liveRaceCharts(this.laps.slice(0, visible), tower);
    this.chartsMemo = { laps: this.laps, visible, charts };
    return charts;
  }

  /** "If boxed now" for a car: its rejoin and undercut threats from the laps and the moment this session sees. */
  rejoin(session: Session, driverNumber: number): RejoinPrediction | null {
    const tower = this.tower(session);
    if (!tower || tower.offsetMs === null) return null;
    const at = { s: tower.offsetMs / 1000, session: tower.session, totalLaps: tower.totalLaps };
    return liveRejoin(session.engine.db, this.lapsFor(session), at, driverNumber, session.engine.use(REJOIN_CACHE));
  }

  release(): void {
    this.stop();
    this.deriver?.close();
    this.deriver = null;
    if (this.delayTimer) clearInterval(this.delayTimer);
    this.delayTimer = null;
    this.clients.clear();
  }
}

const LIVE_SESSION = sessionKey(
  'live',
  () => ({ delayS: 0, off: null as null | (() => void) }),
  (v) => v.off?.(),
);

const LIVE = serviceKey('live', () => new LiveService(), (s) => s.release());

export const liveService = (engine: Engine): LiveService => engine.use(LIVE);
