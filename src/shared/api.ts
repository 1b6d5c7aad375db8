// The one typed API contract. The engine implements it; IPC (preload) and WebSocket (serve) carry it.
import type {
  CommentaryLine,
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
import type { LiveLap, LiveStatus, LiveTower } from './live.js';
import type { CallMessage, ResultMessage } from './rpc.js';
import type { ArgsOf } from './schemas/api.js';

export type RaceRef = ArgsOf<'replayOpen'>;

export interface PitwallApi {
  health(): { ok: boolean; version: string; schemaVersion: number };
  status(): DbStatus;
  listSeasons(): number[];
  listRaces(args: ArgsOf<'listRaces'>): RaceSummary[];
  /** The classification of any race since 1950: grid, points, status, fastest lap. */
  raceResults(args: ArgsOf<'raceResults'>): RaceResults;

  replayOpen(args: ArgsOf<'replayOpen'>): ReplayInfo;
  replayPlay(): void;
  replayPause(): void;
  replaySeek(args: ArgsOf<'replaySeek'>): TimingSnapshot;
  replaySetSpeed(args: ArgsOf<'replaySetSpeed'>): void;
  replaySnapshot(): TimingSnapshot | null;
  replayEvents(args: ArgsOf<'replayEvents'>): RaceEvent[];

  commentarySince(args: ArgsOf<'commentarySince'>): CommentaryLine[];
  commentarySetStyle(args: ArgsOf<'commentarySetStyle'>): void;

  tyreCurves(args: ArgsOf<'tyreCurves'>): DegradationCurve[];
  stintForecast(args: ArgsOf<'stintForecast'>): StintForecast | null;

  strategyRecommend(args: ArgsOf<'strategyRecommend'>): PitRecommendation | null;

  predictWinner(args: ArgsOf<'predictWinner'>): WinnerPrediction[];
  modelsList(): ModelSummary[];
  modelRuns(args: ArgsOf<'modelRuns'>): RunSummary[];
  modelCard(args: ArgsOf<'modelCard'>): { markdown: string; importance: FeatureImportance[] } | null;
  modelPromote(args: ArgsOf<'modelPromote'>): ModelSummary[];
  monitorAlerts(): DriftAlert[];

  /** Live timing: pushes 'live:status', 'live:tower' and 'live:laps' to this client from now on. */
  liveSubscribe(): LiveStatus;
  liveStatus(): LiveStatus;
  /** The tower as this client is shown it (its broadcast delay applied); null before the first message. */
  liveTower(): LiveTower | null;
  /** This client's broadcast delay (0–120 s): tower, race control and laps shown that much later. */
  liveSetDelay(args: ArgsOf<'liveSetDelay'>): LiveStatus;
  liveLaps(args: ArgsOf<'liveLaps'>): LiveLap[];
  /** The tyre model's forecast of a car's current stint from its live laps (this client's delay applied). */
  liveForecast(args: ArgsOf<'liveForecast'>): StintForecast | null;
  /** Starts the shared feed (every client sees it): a network source or a recording in the data directory. */
  liveStart(args: ArgsOf<'liveStart'>): LiveStatus;
  liveStop(): LiveStatus;
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
  'live:status': LiveStatus;
  'live:tower': LiveTower;
  /** Laps completed since the last push (this client's delay applied). */
  'live:laps': LiveLap[];
  /** Race events detected on the live laps (the replay's detector), as this client's delay reaches them. */
  'live:events': RaceEvent[];
  /** Commentary on the CRITICAL/HIGH live events (offline generator), with the events. */
  'live:commentary': CommentaryLine[];
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
  'liveSubscribe',
  'liveStatus',
  'liveTower',
  'liveSetDelay',
  'liveLaps',
  'liveForecast',
  'liveStart',
  'liveStop',
] as const satisfies readonly ApiMethod[];

export const EVENT_NAMES = ['replay:snapshot', 'replay:event', 'commentary:line', 'monitor:alert', 'live:status', 'live:tower', 'live:laps', 'live:events', 'live:commentary'] as const satisfies readonly EventName[];

/** WebSocket wire format (calls and results: src/shared/rpc.ts; errors are `{ code, message, details }`). */
export type WireMessage = CallMessage<ApiMethod> | ResultMessage | { kind: 'event'; name: EventName; payload: unknown };
