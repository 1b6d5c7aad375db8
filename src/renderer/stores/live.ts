// The Live screen's state: the shared feed's tower (pushed on every engine update, applied once per frame), its
// connection state, this client's broadcast delay, and the laps completed so far (for the selected car's stint).
import { createStore } from 'zustand/vanilla';
import type { PitwallClient } from '../../shared/api.js';
import type { LiveLap, LiveStatus, LiveTower } from '../../shared/live.js';
import { errorText, latestPerFrame, type Scheduler } from './schedule.js';

export interface LiveState {
  subscribed: boolean;
  status: LiveStatus | null;
  tower: LiveTower | null;
  laps: LiveLap[];
  selected: number | null;
  error: string | null;
  /** Towers applied since the screen opened (tests and benchmarks follow it). */
  updates: number;
  subscribe(): Promise<void>;
  setDelay(seconds: number): Promise<void>;
  select(driverNumber: number | null): void;
  receiveTower(t: LiveTower): void;
  receiveStatus(s: LiveStatus): void;
  addLaps(laps: LiveLap[]): void;
  /** After a reconnect the engine session is new: subscribe again with the same delay. */
  resubscribe(): Promise<void>;
}

export function createLiveStore(api: PitwallClient, schedule: Scheduler) {
  const store = createStore<LiveState>()((set, get) => ({
    subscribed: false,
    status: null,
    tower: null,
    laps: [],
    selected: null,
    error: null,
    updates: 0,
    async subscribe() {
      if (get().subscribed) return;
      set({ subscribed: true });
      try {
        const status = await api.liveSubscribe();
        const [tower, laps] = await Promise.all([api.liveTower(), api.liveLaps({})]);
        set((s) => ({ status, tower: s.tower ?? tower, laps: s.laps.length ? s.laps : laps, error: null }));
      } catch (e) {
        set({ subscribed: false, error: errorText(e) });
      }
    },
    async setDelay(seconds) {
      try {
        const status = await api.liveSetDelay({ seconds });
        // a new delay shows an earlier or later moment: the laps are those of that moment
        const laps = await api.liveLaps({});
        set({ status, laps, error: null });
      } catch (e) {
        set({ error: errorText(e) });
      }
    },
    select: (selected) => set({ selected }),
    receiveTower: (t) => applyTower(t),
    receiveStatus: (status) => set({ status }),
    addLaps: (laps) => set((s) => ({ laps: [...s.laps, ...laps] })),
    async resubscribe() {
      const delay = get().status?.delayS ?? 0;
      if (!get().subscribed) return;
      set({ subscribed: false });
      await get().subscribe();
      if (delay > 0) await get().setDelay(delay);
    },
  }));
  const applyTower = latestPerFrame<LiveTower>((tower) => store.setState((s) => ({ tower, updates: s.updates + 1 })), schedule);
  return store;
}
