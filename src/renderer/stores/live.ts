// The Live screen's state: the shared feed's tower (pushed on every engine update, applied once per frame), its
// connection state, this client's broadcast delay, and the laps completed so far (for the selected car's stint).
import { createStore } from 'zustand/vanilla';
import type { PitwallClient } from '../../shared/api.js';
import type { CommentaryLine, RaceEvent, RejoinPrediction, StintForecast } from '../../shared/domain.js';
import type { LiveLap, LiveRow, LiveStatus, LiveTokenName, LiveTokens, LiveTower } from '../../shared/live.js';
import { errorText, latestPerFrame, type Scheduler } from './schedule.js';

export interface LiveState {
  subscribed: boolean;
  status: LiveStatus | null;
  tower: LiveTower | null;
  laps: LiveLap[];
  /** Race events on the live laps, newest first. */
  events: RaceEvent[];
  /** Commentary lines by event id. */
  lines: Record<string, string>;
  selected: number | null;
  /** The tyre model's forecast of the selected car's stint, from its live laps. */
  forecast: StintForecast | null;
  /** "If boxed now" for the selected car: its rejoin and undercut threats, from the laps this client sees. */
  rejoin: RejoinPrediction | null;
  error: string | null;
  /** Whether the F1 TV and OpenF1 tokens are set (engineer role; the values never come back). */
  tokens: LiveTokens | null;
  tokensError: string | null;
  loadTokens(): Promise<void>;
  /** Stores a token once (an empty value removes it). */
  setToken(name: LiveTokenName, value: string): Promise<void>;
  /** Towers applied since the screen opened (tests and benchmarks follow it). */
  updates: number;
  subscribe(): Promise<void>;
  setDelay(seconds: number): Promise<void>;
  /** Starts the shared feed (engineer role): F1 live timing, OpenF1, or a recording in the data directory. */
  start(source: 'f1' | 'openf1' | 'recording', recording?: string): Promise<void>;
  select(driverNumber: number | null): void;
  receiveTower(t: LiveTower): void;
  receiveStatus(s: LiveStatus): void;
  addLaps(laps: LiveLap[]): void;
  addEvents(events: RaceEvent[]): void;
  addCommentary(lines: CommentaryLine[]): void;
  /** After a reconnect the engine session is new: subscribe again with the same delay. */
  resubscribe(): Promise<void>;
}

export function createLiveStore(api: PitwallClient, schedule: Scheduler) {
  const store = createStore<LiveState>()((set, get) => ({
    subscribed: false,
    status: null,
    tower: null,
    laps: [],
    events: [],
    lines: {},
    selected: null,
    forecast: null,
    rejoin: null,
    error: null,
    tokens: null,
    tokensError: null,
    updates: 0,
    async loadTokens() {
      try {
        set({ tokens: await api.liveTokens(), tokensError: null });
      } catch (e) {
        set({ tokens: null, tokensError: errorText(e) });
      }
    },
    async setToken(name, value) {
      try {
        set({ tokens: await api.liveSetToken({ name, value }), tokensError: null });
      } catch (e) {
        set({ tokensError: errorText(e) });
      }
    },
    async subscribe() {
      if (get().subscribed) return;
      set({ subscribed: true });
      try {
        // the engine pushes the tower and the laps so far right after this answer
        const status = await api.liveSubscribe();
        set({ status, error: null });
      } catch (e) {
        set({ subscribed: false, error: errorText(e) });
      }
    },
    async setDelay(seconds) {
      set({ events: [] }); // the engine sends the events of the new moment again
      try {
        const status = await api.liveSetDelay({ seconds });
        // a new delay shows an earlier or later moment: the laps are those of that moment
        const laps = await api.liveLaps({});
        set({ status, laps, error: null });
      } catch (e) {
        set({ error: errorText(e) });
      }
    },
    async start(source, recording) {
      try {
        const status = await api.liveStart(source === 'recording' ? { source, recording } : { source });
        set({ status, tower: null, laps: [], events: [], forecast: null, rejoin: null, error: null });
      } catch (e) {
        set({ error: errorText(e) });
      }
    },
    select: (selected) => {
      set({ selected, forecast: null, rejoin: null });
      void refreshForecast();
    },
    receiveTower: (t) => applyTower(t),
    receiveStatus: (status) => set({ status }),
    addLaps: (laps) => {
      // a lap pushed again (after a resubscribe, or revised) replaces the one held
      const fresh = new Set(laps.map((l) => `${l.driverNumber}|${l.lap}`));
      set((s) => ({ laps: [...s.laps.filter((l) => !fresh.has(`${l.driverNumber}|${l.lap}`)), ...laps] }));
      const sel = get().selected;
      // a lap completed by any car moves the field the rejoin reads; the forecast needs the selected car's own lap
      if (sel !== null && laps.length) void refreshForecast();
    },
    addEvents: (events) =>
      set((s) => {
        const ids = new Set(events.map((e) => e.id));
        return { events: [...events].reverse().concat(s.events.filter((e) => !ids.has(e.id))).slice(0, 200) };
      }),
    addCommentary: (lines) => set((s) => ({ lines: { ...s.lines, ...Object.fromEntries(lines.map((l) => [l.event.id, l.text])) } })),
    async resubscribe() {
      const delay = get().status?.delayS ?? 0;
      if (!get().subscribed) return;
      set({ subscribed: false, events: [] });
      await get().subscribe();
      if (delay > 0) await get().setDelay(delay);
    },
  }));
  let asked = 0;
  const refreshForecast = async () => {
    const sel = store.getState().selected;
    if (sel === null) return;
    const n = ++asked;
    try {
      const [forecast, rejoin] = await Promise.all([api.liveForecast({ driverNumber: sel }), api.liveRejoin({ driverNumber: sel }).catch(() => null)]);
      if (n === asked) store.setState({ forecast, rejoin });
    } catch {
      if (n === asked) store.setState({ forecast: null, rejoin: null });
    }
  };
  // a message usually changes one car: the other rows keep their objects, so their (memo) rows do not re-render
  let keys = new Map<number, { key: string; row: LiveRow }>();
  const share = (tower: LiveTower): LiveTower => {
    const next = new Map<number, { key: string; row: LiveRow }>();
    const rows = tower.rows.map((r) => {
      const key = JSON.stringify(r);
      const prev = keys.get(r.driverNumber);
      const row = prev && prev.key === key ? prev.row : r;
      next.set(r.driverNumber, { key, row });
      return row;
    });
    keys = next;
    return { ...tower, rows };
  };
  const applyTower = latestPerFrame<LiveTower>((tower) => store.setState((s) => ({ tower: share(tower), updates: s.updates + 1 })), schedule);
  return store;
}
