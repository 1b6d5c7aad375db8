// The one typed API contract. The engine implements it; IPC (preload) and WebSocket (serve) carry it.
import type {
  CommentaryLine,
  CommentaryStyle,
  DbStatus,
  DegradationCurve,
  DriftAlert,
  FeatureImportance,
  ModelSummary,
  PitRecommendation,
  RaceEvent,
  RaceResults,
  RaceSummary,
  ReplayInfo,
  RunSummary,
  StintForecast,
  TimingSnapshot,
  WinnerPrediction,
} from './domain.js';

export interface RaceRef {
  season: number;
  round: number;
}

export interface PitwallApi {
  health(): { ok: boolean; version: string; schemaVersion: number };
  status(): DbStatus;
  listSeasons(): number[];
  listRaces(args: { season: number }): RaceSummary[];
  /** The classification of any race since 1950: grid, points, status, fastest lap. */
  raceResults(args: RaceRef): RaceResults;

  replayOpen(args: RaceRef): ReplayInfo;
  replayPlay(): void;
  replayPause(): void;
  replaySeek(args: { lap: number }): TimingSnapshot;
  replaySetSpeed(args: { speed: number }): void;
  replaySnapshot(): TimingSnapshot | null;
  replayEvents(args: { sinceLap?: number }): RaceEvent[];

  commentarySince(args: { since?: string }): CommentaryLine[];
  commentarySetStyle(args: { style: CommentaryStyle }): void;

  tyreCurves(args: { circuit: string }): DegradationCurve[];
  stintForecast(args: RaceRef & { driver: string; lap: number }): StintForecast | null;

  strategyRecommend(args: RaceRef & { driver: string; lap: number }): PitRecommendation | null;

  predictWinner(args: RaceRef): WinnerPrediction[];
  modelsList(): ModelSummary[];
  modelRuns(args: { name: string }): RunSummary[];
  modelCard(args: { name: string; version?: number }): { markdown: string; importance: FeatureImportance[] } | null;
  modelPromote(args: { name: string; version: number }): ModelSummary[];
  monitorAlerts(): DriftAlert[];
}

export type ApiMethod = keyof PitwallApi;
export type ApiArgs<M extends ApiMethod> = Parameters<PitwallApi[M]> extends [infer A] ? A : undefined;
export type ApiResult<M extends ApiMethod> = ReturnType<PitwallApi[M]>;

/** The methods as an async client: what the renderer and preload expose. */
export type PitwallClient = {
  [M in ApiMethod]: (...args: Parameters<PitwallApi[M]>) => Promise<Awaited<ReturnType<PitwallApi[M]>>>;
};

/** What the Electron preload exposes as `window.pitwall`: each named method plus an event subscription. */
export type PitwallBridge = PitwallClient & {
  on<E extends EventName>(name: E, handler: (payload: PitwallEvents[E]) => void): () => void;
};

/** Server → client pushes. */
export interface PitwallEvents {
  'replay:snapshot': TimingSnapshot;
  'replay:event': RaceEvent;
  'commentary:line': CommentaryLine;
  'monitor:alert': DriftAlert;
}
export type EventName = keyof PitwallEvents;

/** Names of every method, for transports that must enumerate them (preload, tests). */
export const API_METHODS = [
  'health',
  'status',
  'listSeasons',
  'listRaces',
  'raceResults',
  'replayOpen',
  'replayPlay',
  'replayPause',
  'replaySeek',
  'replaySetSpeed',
  'replaySnapshot',
  'replayEvents',
  'commentarySince',
  'commentarySetStyle',
  'tyreCurves',
  'stintForecast',
  'strategyRecommend',
  'predictWinner',
  'modelsList',
  'modelRuns',
  'modelCard',
  'modelPromote',
  'monitorAlerts',
] as const satisfies readonly ApiMethod[];

export const EVENT_NAMES = ['replay:snapshot', 'replay:event', 'commentary:line', 'monitor:alert'] as const satisfies readonly EventName[];

/** WebSocket wire format. */
export type WireMessage =
  | { kind: 'call'; id: number; method: ApiMethod; args: unknown }
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: string }
  | { kind: 'event'; name: EventName; payload: unknown };
