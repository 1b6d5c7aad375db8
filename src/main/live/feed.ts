// The live feed's contract: every source (F1 SignalR, OpenF1, the F1 archive, a recording) produces the same stream of
// timestamped topic updates, in F1 live-timing topic names, which the timing state (../timing/state.ts) merges.

/** One topic update as it arrived. `utc` is ISO-8601; `offsetMs` is ms from the session stream's start when known
 *  (archive streams carry it; live feeds derive it from the first message). */
export interface LiveMessage {
  topic: string;
  data: unknown;
  utc: string;
  offsetMs?: number;
}

/** Connection state shown in the header. */
export type LiveConnection = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'failed';

export type LiveEvent =
  /** A full state (on subscribe and on every resubscribe): it replaces the previous state, topic by topic. */
  | { kind: 'initial'; utc: string; state: Record<string, unknown>; offsetMs?: number }
  | { kind: 'message'; message: LiveMessage }
  | { kind: 'status'; connection: LiveConnection; detail?: string }
  /** A frame that could not be read (malformed, unknown topic): counted and skipped, never fatal. */
  | { kind: 'skipped'; reason: string };

export interface LiveSource {
  /** e.g. "f1", "openf1", "f1-archive", "recording:/path/file.jsonl" */
  readonly name: string;
  /** What the source knows of the session (season, meeting, name, key), set once known — at the latest before its
   *  first `initial` or `message` event (a recording's header takes it). */
  session?: Record<string, unknown>;
  /** Feeds events to `sink` until the session ends (resolves) or `signal` aborts (resolves). Fails only on a fatal
   *  error (bad credentials, unreachable after the retry budget), with a message naming the source. */
  run(sink: (event: LiveEvent) => void, signal: AbortSignal): Promise<void>;
}
