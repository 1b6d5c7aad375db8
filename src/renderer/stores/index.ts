// All stores over one client, wired to the engine's pushes. Views get them from StoresContext.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ApiClient } from '../api/client.js';
import { createAnalysisStore, type AnalysisState } from './analysis.js';
import { createChartsStore, type ChartsState } from './charts.js';
import { createCommentaryStore, type CommentaryState } from './commentary.js';
import { createLiveStore, type LiveState } from './live.js';
import { createModelsStore, type ModelsState } from './models.js';
import { createReplayStore, type ReplayState } from './replay.js';
import { frameScheduler, type Scheduler } from './schedule.js';
import { createWinProbStore, type WinProbState } from './winprob.js';
import { createUpdateStore, type UpdateState } from './update.js';

export interface StoreOptions {
  schedule?: Scheduler;
  strategyGapMs?: number;
}

export function createStores(client: ApiClient, opts: StoreOptions = {}) {
  const { api } = client;
  const schedule = opts.schedule ?? frameScheduler;
  const replay = createReplayStore(api, schedule);
  const commentary = createCommentaryStore(api);
  const analysis = createAnalysisStore(api, opts.strategyGapMs);
  const models = createModelsStore(api);
  const charts = createChartsStore(() => api.replayCharts());
  // the same charts on the live feed, as of this client's delayed moment
  const liveCharts = createChartsStore(() => api.liveCharts());
  const winprob = createWinProbStore(api);
  // after an update, the picker lists the new seasons and the shown season's new races
  const update = createUpdateStore(api, async () => {
    const seasons = await api.listSeasons();
    replay.setState({ seasons });
    const season = replay.getState().season ?? seasons[0];
    if (season !== undefined) await replay.getState().selectSeason(season);
  });
  // live towers arrive at most every PUSH_MS (the engine coalesces): each is applied at once, not on the next frame
  const live = createLiveStore(api, opts.schedule ?? ((fn) => fn()));

  const offs = [
    client.on('replay:snapshot', (s) => replay.getState().receiveSnapshot(s)),
    client.on('replay:event', (e) => replay.getState().addEvent(e)),
    client.on('commentary:line', (l) => commentary.getState().add([l])),
    client.on('monitor:alert', (a) => models.getState().addAlert(a)),
    client.on('update:progress', (p) => update.getState().receive(p)),
    client.on('live:tower', (t) => live.getState().receiveTower(t)),
    client.on('live:status', (st) => live.getState().receiveStatus(st)),
    client.on('live:laps', (l) => live.getState().addLaps(l)),
    client.on('live:events', (e) => live.getState().addEvents(e)),
    client.on('live:commentary', (l) => live.getState().addCommentary(l)),
  ];

  // Opening a race clears the feed and the analysis; once its replay runs (opening done, so these calls never
  // queue ahead of the start-up calls on the engine) the circuit's curves and the feed so far load.
  // A new lap or driver then refreshes forecast and strategy.
  let lastRace = '';
  let lastKey = '';
  let lastLap = 0;
  let wasOpening = false;
  offs.push(
    replay.subscribe((s) => {
      if (s.opening !== wasOpening) {
        wasOpening = s.opening;
        if (s.opening) {
          lastRace = '';
          lastKey = '';
          lastLap = 0;
          analysis.getState().reset();
          commentary.getState().clear();
          charts.getState().reset();
          winprob.getState().reset();
        }
      }
      if (s.opening || !s.info) return;
      const race = `${s.info.season}-${s.info.round}`;
      if (race !== lastRace) {
        lastRace = race;
        void analysis.getState().loadCurves(s.info.circuitRef);
        void commentary.getState().load();
        void winprob.getState().load(s.info.season, s.info.round);
      }
      const lap = s.snapshot?.lap ?? 0;
      // the charts move on whenever a car completes a lap (or the replay seeks)
      if (s.snapshot) charts.getState().progress(`${race}|${s.snapshot.rows.reduce((n, r) => n + r.lap, 0)}`);
      if (lap < lastLap) commentary.getState().pruneAfter(lap);
      lastLap = lap;
      if (!s.selectedDriver || lap < 1) return;
      const key = `${race}|${s.selectedDriver}|${lap}`;
      if (key === lastKey) return;
      lastKey = key;
      // advice is recomputed at once when the car's state changes (a stop, new tyres, retirement, a flag)
      const row = s.snapshot?.rows.find((r) => r.driver === s.selectedDriver);
      const carState = row ? `${row.compound}|${row.pitStops}|${row.retired}|${s.snapshot?.trackState}` : '';
      analysis
        .getState()
        .refresh(
          { season: s.info.season, round: s.info.round, driver: s.selectedDriver, lap },
          s.playing,
          carState,
          row?.lap,
        );
    }),
  );

  // the live charts move on when laps are handed on (as the delay allows), the delay changes or a new feed starts
  offs.push(
    live.subscribe((s) => liveCharts.getState().progress(`${s.status?.source ?? ''}|${s.status?.delayS ?? 0}|${s.laps.length}`)),
  );

  // After a WebSocket reconnect the engine session is new: reopen the race where it was.
  let wasOpen = false;
  offs.push(
    client.onConnection((state) => {
      replay.setState({ connection: state });
      if (state !== 'open') return;
      if (wasOpen) void live.getState().resubscribe();
      const s = replay.getState();
      // the race on screen, or one picked while the engine was away (its open failed): open it on the new session
      if (wasOpen && s.season !== null && s.round !== null && (s.info || s.error || s.results)) {
        void s.openRace(s.season, s.round, {
          speed: s.speed,
          play: s.playing,
          lap: s.snapshot?.lap,
        });
        void commentary.getState().setStyle(commentary.getState().style);
      }
      wasOpen = true;
    }),
  );

  return {
    replay,
    commentary,
    analysis,
    models,
    charts,
    liveCharts,
    winprob,
    update,
    live,
    dispose: () => offs.forEach((off) => off()),
  };
}
export type Stores = ReturnType<typeof createStores>;

export const StoresContext = createContext<Stores | null>(null);
/** The charts store the chart views below it use (the Live screen's); without one, the replay's. */
export const ChartsStoreContext = createContext<Stores['charts'] | null>(null);

function useStores(): Stores {
  const s = useContext(StoresContext);
  if (!s) throw new Error('StoresContext is missing');
  return s;
}
export const useReplay = <T>(sel: (s: ReplayState) => T): T => useStore(useStores().replay, sel);
export const useCommentary = <T>(sel: (s: CommentaryState) => T): T => useStore(useStores().commentary, sel);
export const useAnalysis = <T>(sel: (s: AnalysisState) => T): T => useStore(useStores().analysis, sel);
export const useModels = <T>(sel: (s: ModelsState) => T): T => useStore(useStores().models, sel);
/** The charts store's actions, for views that call them outside a render (the live one under ChartsStoreContext). */
export const useChartsStore = (): Stores['charts'] => {
  const own = useContext(ChartsStoreContext);
  const stores = useStores();
  return own ?? stores.charts;
};
export const useLiveChartsStore = (): Stores['charts'] => useStores().liveCharts;
export const useCharts = <T>(sel: (s: ChartsState) => T): T => useStore(useChartsStore(), sel);
export const useWinProb = <T>(sel: (s: WinProbState) => T): T => useStore(useStores().winprob, sel);
export const useUpdate = <T>(sel: (s: UpdateState) => T): T => useStore(useStores().update, sel);
export const useLive = <T>(sel: (s: LiveState) => T): T => useStore(useStores().live, sel);
