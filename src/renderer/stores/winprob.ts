// In-race win probability of the open race: the whole trace (lap 0 = pre-race) loads once per race; views read the
// lap they show.
import { createStore } from 'zustand/vanilla';
import type { PitwallClient } from '../../shared/api.js';
import type { WinProbabilityEntry, WinProbabilityTrace } from '../../shared/domain.js';
import { errorText } from './schedule.js';

export interface WinProbState {
  trace: WinProbabilityTrace | null;
  error: string | null;
  load(season: number, round: number): Promise<void>;
  reset(): void;
}

export function createWinProbStore(api: PitwallClient) {
  let want = '';
  return createStore<WinProbState>()((set) => ({
    trace: null,
    error: null,
    async load(season, round) {
      const key = (want = `${season}-${round}`);
      set({ trace: null, error: null });
      try {
        const trace = await api.winProbability({ season, round });
        if (want === key) set({ trace, error: null }); // else a newer race was opened meanwhile
      } catch (e) {
        if (want === key) set({ error: errorText(e) });
      }
    },
    reset: () => {
      want = '';
      set({ trace: null, error: null });
    },
  }));
}

/** The cars' probabilities after `lap` (the latest lap at or before it), by code. */
export function carsAtLap(trace: WinProbabilityTrace | null, lap: number): Map<string, WinProbabilityEntry> {
  let at = trace?.laps[0];
  for (const l of trace?.laps ?? []) if (l.lap <= lap) at = l;
  return new Map((at?.cars ?? []).map((c) => [c.code, c]));
}
