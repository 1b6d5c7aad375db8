// Model registry view: models with metrics vs baselines, runs, the model card, promotion, drift alerts.
import { createStore } from 'zustand/vanilla';
import type { PitwallClient } from '../../shared/api.js';
import type { DriftAlert, FeatureImportance, ModelSummary, RunSummary } from '../../shared/domain.js';
import { errorText } from './schedule.js';

export interface ModelsState {
  loaded: boolean;
  models: ModelSummary[];
  alerts: DriftAlert[];
  selected: string | null;
  runs: RunSummary[];
  card: { markdown: string; importance: FeatureImportance[] } | null;
  error: string | null;
  load(): Promise<void>;
  select(name: string): Promise<void>;
  promote(name: string, version: number): Promise<void>;
  addAlert(a: DriftAlert): void;
}

export function createModelsStore(api: PitwallClient) {
  return createStore<ModelsState>()((set, get) => ({
    loaded: false,
    models: [],
    alerts: [],
    selected: null,
    runs: [],
    card: null,
    error: null,
    async load() {
      try {
        const [models, alerts] = await Promise.all([api.modelsList(), api.monitorAlerts()]);
        set({ models, alerts, loaded: true, error: null });
        const first = get().selected ?? models[0]?.name;
        if (first) await get().select(first);
      } catch (e) {
        set({ loaded: true, error: errorText(e) });
      }
    },
    async select(name) {
      set({ selected: name, runs: [], card: null });
      try {
        const [runs, card] = await Promise.all([api.modelRuns({ name }), api.modelCard({ name })]);
        if (get().selected === name) set({ runs, card, error: null });
      } catch (e) {
        set({ error: errorText(e) });
      }
    },
    async promote(name, version) {
      try {
        set({ models: await api.modelPromote({ name, version }), error: null });
      } catch (e) {
        set({ error: errorText(e) });
      }
    },
    addAlert(a) {
      if (!get().alerts.some((x) => x.id === a.id)) set({ alerts: [a, ...get().alerts] });
    },
  }));
}
export type ModelsStore = ReturnType<typeof createModelsStore>;
