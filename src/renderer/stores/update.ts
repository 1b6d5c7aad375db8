// The "Update data" action: runs the engine's update (Jolpica), follows its 'update:progress' pushes for the bar, can
// cancel it, and when new races arrive refreshes the race picker's seasons and races.
import { createStore } from 'zustand/vanilla';
import type { PitwallClient } from '../../shared/api.js';
import type { UpdateProgressEvent, UpdateSummary } from '../../shared/domain.js';
import { errorText } from './schedule.js';

export interface UpdateState {
  running: boolean;
  progress: UpdateProgressEvent | null;
  /** The last finished run's report. */
  summary: UpdateSummary | null;
  error: string | null;
  run(): Promise<void>;
  cancel(): Promise<void>;
  receive(p: UpdateProgressEvent): void;
}

/** `refreshRaces` runs after an update that wrote races (the race picker lists them). */
export function createUpdateStore(api: PitwallClient, refreshRaces: () => Promise<void>) {
  return createStore<UpdateState>()((set, get) => ({
    running: false,
    progress: null,
    summary: null,
    error: null,
    async run() {
      if (get().running) return;
      set({ running: true, error: null, summary: null, progress: null });
      try {
        const summary = await api.updateRun({});
        set({ summary });
        if (summary.races > 0) await refreshRaces();
      } catch (e) {
        set({ error: errorText(e) });
      } finally {
        set({ running: false });
      }
    },
    async cancel() {
      await api.updateCancel().catch((e: unknown) => set({ error: errorText(e) }));
    },
    receive(p) {
      set({ progress: p });
    },
  }));
}
