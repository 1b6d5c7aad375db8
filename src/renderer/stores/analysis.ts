// Tyre curves and pit loss for the open circuit, and the selected driver's stint forecast, pit recommendation and
// rejoin ("if boxed now").
// Lap-driven refreshes keep one request in flight per kind and always finish on the latest (driver, lap).
import { createStore } from 'zustand/vanilla';
import type { PitwallClient } from '../../shared/api.js';
import type { DegradationCurve, PitLossTable, PitRecommendation, RejoinPrediction, StintForecast } from '../../shared/domain.js';
import { errorText } from './schedule.js';

export interface AnalysisKey {
  season: number;
  round: number;
  driver: string;
  lap: number;
}

export interface AnalysisState {
  circuit: string | null;
  curves: DegradationCurve[];
  curvesError: string | null;
  forecast: StintForecast | null;
  forecastError: string | null;
  recommendation: PitRecommendation | null;
  strategyError: string | null;
  pitLoss: PitLossTable | null;
  /** Where the selected car rejoins if it boxes on its next lap (state at the end of the lap it completed). */
  rejoin: RejoinPrediction | null;
  rejoinError: string | null;
  loadCurves(circuit: string): Promise<void>;
  reset(): void;
  /**
   * Forecast now; strategy at once for a new driver or race or a change of the car's state (`carState`: its compound,
   * stops, retirement and the flag, as the tower shows them), else throttled (playing) or debounced (paused).
   */
  refresh(key: AnalysisKey, playing: boolean, carState?: string, carLaps?: number): void;
}

/** Runs `fn` for the newest key only: while one call is in flight, later keys replace each other. */
function latestOnly<K>(fn: (k: K) => Promise<void>): (k: K) => void {
  let running = false;
  let next: { k: K } | null = null;
  const run = async (k: K) => {
    running = true;
    try {
      await fn(k);
    } finally {
      running = false;
      const n = next;
      next = null;
      if (n) void run(n.k);
    }
  };
  return (k: K) => {
    if (running) next = { k };
    else void run(k);
  };
}

/** A strategy simulation takes 1.5–2 s of one core (measured on 2 cores). It runs in the engine's worker thread, so
 * the replay keeps going, but on a 2-core laptop it still competes with the engine; at 100× a lap passes in about a
 * second. So while a replay plays, recommendations refresh at most every 5 s (the worker busy ≤ 40 %); at once for a
 * new driver or race; when paused, as soon as lap stepping settles. */
export const STRATEGY_GAP_MS = 5_000;
const STEP_SETTLE_MS = 400;

export function createAnalysisStore(api: PitwallClient, strategyGapMs = STRATEGY_GAP_MS) {
  return createStore<AnalysisState>()((set, get) => {
    const forecast = latestOnly(async (k: AnalysisKey) => {
      try {
        set({ forecast: await api.stintForecast(k), forecastError: null });
      } catch (e) {
        set({ forecast: null, forecastError: errorText(e) });
      }
    });
    const strategy = latestOnly(async (k: AnalysisKey) => {
      try {
        set({ recommendation: await api.strategyRecommend(k), strategyError: null });
      } catch (e) {
        set({ recommendation: null, strategyError: errorText(e) });
      }
    });
    const rejoin = latestOnly(async (k: AnalysisKey) => {
      try {
        set({ rejoin: await api.strategyRejoin(k), rejoinError: null });
      } catch (e) {
        set({ rejoin: null, rejoinError: errorText(e) });
      }
    });
    let lastRun = -Infinity;
    let lastWho = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const throttledStrategy = (k: AnalysisKey, playing: boolean, carState = '') => {
      clearTimeout(timer);
      const who = `${k.season}-${k.round}-${k.driver}|${carState}`;
      // Same driver: at most one per gap while playing; when paused, wait until lap stepping settles.
      const wait =
        who !== lastWho
          ? 0
          : playing
            ? lastRun + strategyGapMs - Date.now()
            : Math.min(strategyGapMs, STEP_SETTLE_MS);
      const run = () => {
        lastRun = Date.now();
        lastWho = who;
        strategy(k);
      };
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    };
    return {
      circuit: null,
      curves: [],
      curvesError: null,
      forecast: null,
      forecastError: null,
      recommendation: null,
      strategyError: null,
      pitLoss: null,
      rejoin: null,
      rejoinError: null,
      async loadCurves(circuit) {
        set({ circuit, curves: [], curvesError: null, pitLoss: null });
        api.strategyPitLoss({ circuit }).then(
          (pitLoss) => get().circuit === circuit && set({ pitLoss }),
          () => undefined, // the card then shows no pit-loss line
        );
        try {
          const curves = await api.tyreCurves({ circuit });
          if (get().circuit === circuit) set({ curves: curves ?? [] }); // a late answer for a race left is dropped
        } catch (e) {
          if (get().circuit === circuit) set({ curvesError: errorText(e) });
        }
      },
      reset() {
        clearTimeout(timer);
        lastWho = '';
        set({ circuit: null, curves: [], curvesError: null, forecast: null, recommendation: null, forecastError: null, strategyError: null, pitLoss: null, rejoin: null, rejoinError: null });
      },
      refresh(k, playing, carState, carLaps) {
        forecast(k);
        rejoin({ ...k, lap: (carLaps ?? k.lap) + 1 });
        throttledStrategy(k, playing, carState);
      },
    };
  });
}
export type AnalysisStore = ReturnType<typeof createAnalysisStore>;
