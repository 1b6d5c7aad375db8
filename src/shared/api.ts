// The one typed API contract. The engine implements it; IPC (preload) and WebSocket (serve) carry it.
import type {
  CommentaryLine,
  DbStatus,
  DegradationCurve,
  DriftAlert,
  FeatureImportance,
  ModelSummary,
  PitLossTable,
  PitRecommendation,
  RaceCharts,
  RaceEvent,
  RaceResults,
  RaceSummary,
  RejoinPrediction,
  ReplayInfo,
  RunSummary,
  StintForecast,
  TimingSnapshot,
  UpdateProgressEvent,
  UpdateSummary,
  WinnerPrediction,
  WinProbabilityTrace,
} from './domain.js';
import type { LiveLap, LiveStatus, LiveTokens, LiveTower } from './live.js';
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
  /** The strategist charts' data at the replay clock (laps completed by then only); null with no replay open. */
  replayCharts(): RaceCharts | null;

  commentarySince(args: ArgsOf<'commentarySince'>): CommentaryLine[];
  commentarySetStyle(args: ArgsOf<'commentarySetStyle'>): void;

  tyreCurves(args: ArgsOf<'tyreCurves'>): DegradationCurve[];
  stintForecast(args: ArgsOf<'stintForecast'>): StintForecast | null;

  strategyRecommend(args: ArgsOf<'strategyRecommend'>): PitRecommendation | null;
  /** The circuit's pit loss from history: green / SC / VSC p10–p90 and the stops behind each. */
  strategyPitLoss(args: ArgsOf<'strategyPitLoss'>): PitLossTable;
  /** Where the car rejoins if it boxes on `lap` (others' stops on lap and lap + 1: 'none' unless 'known'). */
  strategyRejoin(args: ArgsOf<'strategyRejoin'>): RejoinPrediction;

  predictWinner(args: ArgsOf<'predictWinner'>): WinnerPrediction[];
  /** In-race P(win)/P(podium)/P(points) after every lap (lap 0: pre-race); null without a win-probability model. */
  winProbability(args: ArgsOf<'winProbability'>): WinProbabilityTrace | null;
  modelsList(): ModelSummary[];
  modelRuns(args: ArgsOf<'modelRuns'>): RunSummary[];
  modelCard(args: ArgsOf<'modelCard'>): { markdown: string; importance: FeatureImportance[] } | null;
  modelPromote(args: ArgsOf<'modelPromote'>): ModelSummary[];
  monitorAlerts(): DriftAlert[];

  /** Pulls the races the database lacks from Jolpica (progress: 'update:progress'); one at a time per engine. */
  updateRun(args: ArgsOf<'updateRun'>): UpdateSummary;
  /** Stops a running update (races written so far stay whole); false when none runs. */
  updateCancel(): boolean;
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
  /** The strategist charts of the live laps as of the moment this client is shown (its delay applied). */
  liveCharts(): RaceCharts | null;
  /** "If boxed now": the car's rejoin and undercut threats from the live laps this client sees (its delay applied). */
  liveRejoin(args: ArgsOf<'liveRejoin'>): RejoinPrediction | null;
  /** Whether the F1 TV and OpenF1 tokens are set (never their values). */
  liveTokens(): LiveTokens;
  /** Stores a token (an empty value removes it); answers whether each is set, never a value. */
  liveSetToken(args: ArgsOf<'liveSetToken'>): LiveTokens;
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
  'update:progress': UpdateProgressEvent;
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
  'replayCharts',
  'commentarySince',
  'commentarySetStyle',
  'tyreCurves',
  'stintForecast',
  'strategyRecommend',
  'strategyPitLoss',
  'strategyRejoin',
  'predictWinner',
  'winProbability',
  'modelsList',
  'modelRuns',
  'modelCard',
  'modelPromote',
  'monitorAlerts',
  'updateRun',
  'updateCancel',
  'liveSubscribe',
  'liveStatus',
  'liveTower',
  'liveSetDelay',
  'liveLaps',
  'liveForecast',
  'liveCharts',
  'liveRejoin',
  'liveTokens',
  'liveSetToken',
  'liveStart',
  'liveStop',
] as const satisfies readonly ApiMethod[];

export const EVENT_NAMES = [
  'replay:snapshot',
  'replay:event',
  'commentary:line',
  'monitor:alert',
  'update:progress',
  'live:status',
  'live:tower',
  'live:laps',
  'live:events',
  'live:commentary',
] as const satisfies readonly EventName[];

/** WebSocket wire format (calls and results: src/shared/rpc.ts; errors are `{ code, message, details }`). */
export type WireMessage =
  CallMessage<ApiMethod> | ResultMessage | { kind: 'event'; name: EventName; payload: unknown };
