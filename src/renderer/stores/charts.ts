// The strategist charts: their data as the engine has it at the clock (the replay's `replayCharts`: laps completed
// by then only; a live view passes its own source), refreshed while the charts are shown, one request in flight,
// always ending on the newest progress; and the choices the charts draw with (trace reference and cars, the gap
// pair, the lap-time car).
import { createStore } from 'zustand/vanilla';
import type { TraceReference } from '../../shared/charts.js';
import type { RaceCharts } from '../../shared/domain.js';
import { errorText } from './schedule.js';

export type ChartsTab = 'all' | 'trace' | 'gap' | 'laps' | 'stints';

export interface ChartsState {
  data: RaceCharts | null;
  error: string | null;
  /** The Charts view is on screen (data is fetched only then). */
  active: boolean;
  tab: ChartsTab;
  reference: TraceReference;
  /** Cars drawn in the race trace; null = the whole field. */
  traceDrivers: string[] | null;
  pair: [string | null, string | null];
  lapDriver: string | null;
  setActive(active: boolean): void;
  setTab(tab: ChartsTab): void;
  setReference(ref: TraceReference): void;
  setTraceDrivers(drivers: string[] | null): void;
  setPair(pair: [string | null, string | null]): void;
  setLapDriver(driver: string | null): void;
  /** The replay moved on (`progress` changes when any car completes a lap, or on a seek): fetch if shown. */
  progress(progress: string): void;
  reset(): void;
}

/** Where the data comes from: the replay's `() => api.replayCharts()`, or a live feed's equivalent. */
export type ChartsSource = () => Promise<RaceCharts | null>;

/** At 100× cars cross the line several times a second: the charts (184 kB for a whole 70-lap race, four charts to
 *  redraw) refresh at most this often, still never ahead of the clock. */
export const CHARTS_MIN_GAP_MS = 300;

export function createChartsStore(source: ChartsSource, minGapMs = CHARTS_MIN_GAP_MS) {
  return createStore<ChartsState>()((set, get) => {
    let running = false;
    let wanted = '';
    let fetched = '';
    let race = 0; // bumped by reset: an answer for the race before is dropped
    let last = -Infinity; // when the last fetch ended
    let timer: ReturnType<typeof setTimeout> | null = null;
    const fetchLatest = async (): Promise<void> => {
      if (running || timer || !get().active || wanted === fetched) return;
      const wait = last + minGapMs - Date.now();
      if (wait > 0) {
        timer = setTimeout(() => {
          timer = null;
          void fetchLatest();
        }, wait);
        return;
      }
      running = true;
      const key = wanted;
      const gen = race;
      try {
        const data = await source();
        if (gen === race) set({ data, error: null });
      } catch (e) {
        if (gen === race) set({ error: errorText(e) });
      } finally {
        if (gen === race) fetched = key;
        running = false;
        last = Date.now();
      }
      if (wanted !== fetched) void fetchLatest();
    };
    return {
      data: null,
      error: null,
      active: false,
      tab: 'all',
      reference: { kind: 'leader' },
      traceDrivers: null,
      pair: [null, null],
      lapDriver: null,
      setActive(active) {
        set({ active });
        if (active) void fetchLatest();
      },
      setTab: (tab) => set({ tab }),
      setReference: (reference) => set({ reference }),
      setTraceDrivers: (traceDrivers) => set({ traceDrivers }),
      setPair: (pair) => set({ pair }),
      setLapDriver: (lapDriver) => set({ lapDriver }),
      progress(p) {
        wanted = p;
        void fetchLatest();
      },
      reset() {
        race++;
        wanted = '';
        fetched = '';
        set({
          data: null,
          error: null,
          reference: { kind: 'leader' },
          traceDrivers: null,
          pair: [null, null],
          lapDriver: null,
        });
      },
    };
  });
}
