// Preload (sandboxed, context-isolated): exposes `window.pitwall` with exactly the contract's named methods,
// each on its own IPC channel, plus a subscription to the engine's pushes. No generic invoke(channel).
// eslint-disable-next-line @typescript-eslint/ban-ts-comment -- the package is optional; without it there are no types
// @ts-ignore: electron may be absent (offline install); the shape used is declared below
import * as electronModule from 'electron';
import {
  EVENT_NAMES,
  type ApiArgs,
  type ApiMethod,
  type ApiResult,
  type EventName,
  type PitwallBridge,
  type PitwallEvents,
} from '../shared/api.js';

interface PreloadElectron {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
  };
}
const { contextBridge, ipcRenderer } = electronModule as unknown as PreloadElectron;

type Handler<E extends EventName> = (payload: PitwallEvents[E]) => void;
export type { PitwallBridge };

const invoke = <M extends ApiMethod>(method: M, args?: ApiArgs<M>) =>
  ipcRenderer.invoke(`pitwall:${method}`, args) as Promise<Awaited<ApiResult<M>>>;

// One dispatcher for pushes; each subscription is a handler in a set, removed by the returned function.
const handlers = new Map<EventName, Set<(p: unknown) => void>>();
ipcRenderer.on('pitwall:event', (_e, name, payload) => {
  if (typeof name !== 'string' || !(EVENT_NAMES as readonly string[]).includes(name)) return;
  handlers.get(name as EventName)?.forEach((h) => h(payload));
});

const bridge = {
  health: () => invoke('health'),
  status: () => invoke('status'),
  listSeasons: () => invoke('listSeasons'),
  listRaces: (a) => invoke('listRaces', a),
  raceResults: (a) => invoke('raceResults', a),
  replayOpen: (a) => invoke('replayOpen', a),
  replayPlay: () => invoke('replayPlay'),
  replayPause: () => invoke('replayPause'),
  replaySeek: (a) => invoke('replaySeek', a),
  replaySetSpeed: (a) => invoke('replaySetSpeed', a),
  replaySnapshot: () => invoke('replaySnapshot'),
  replayEvents: (a) => invoke('replayEvents', a),
  replayCharts: () => invoke('replayCharts'),
  commentarySince: (a) => invoke('commentarySince', a),
  commentarySetStyle: (a) => invoke('commentarySetStyle', a),
  tyreCurves: (a) => invoke('tyreCurves', a),
  stintForecast: (a) => invoke('stintForecast', a),
  strategyRecommend: (a) => invoke('strategyRecommend', a),
  strategyPitLoss: (a) => invoke('strategyPitLoss', a),
  strategyRejoin: (a) => invoke('strategyRejoin', a),
  predictWinner: (a) => invoke('predictWinner', a),
  winProbability: (a) => invoke('winProbability', a),
  modelsList: () => invoke('modelsList'),
  modelRuns: (a) => invoke('modelRuns', a),
  modelCard: (a) => invoke('modelCard', a),
  modelPromote: (a) => invoke('modelPromote', a),
  monitorAlerts: () => invoke('monitorAlerts'),
  updateRun: (a) => invoke('updateRun', a),
  updateCancel: () => invoke('updateCancel'),
  liveSubscribe: () => invoke('liveSubscribe'),
  liveStatus: () => invoke('liveStatus'),
  liveTower: () => invoke('liveTower'),
  liveSetDelay: (a) => invoke('liveSetDelay', a),
  liveLaps: (a) => invoke('liveLaps', a),
  liveForecast: (a) => invoke('liveForecast', a),
  liveCharts: () => invoke('liveCharts'),
  liveRejoin: (a) => invoke('liveRejoin', a),
  liveTokens: () => invoke('liveTokens'),
  liveSetToken: (a) => invoke('liveSetToken', a),
  liveStart: (a) => invoke('liveStart', a),
  liveStop: () => invoke('liveStop'),
  on<E extends EventName>(name: E, handler: Handler<E>) {
    const set = handlers.get(name) ?? new Set();
    handlers.set(name, set);
    const h = handler as (p: unknown) => void;
    set.add(h);
    return () => void set.delete(h);
  },
} satisfies PitwallBridge;

contextBridge.exposeInMainWorld('pitwall', bridge);
