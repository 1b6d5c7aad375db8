// The one request/response module: typed errors on the wire and the numbered-call correlator used by every
// transport (renderer WebSocket client, Electron main ↔ engine process, engine ↔ strategy worker, the server).
// Pure TypeScript: no platform imports, so the renderer, the engine and worker threads all load it.

/** Why a call failed. Each code tells the caller what to do about it. */
export const ERROR_CODES = [
  'bad_request', // the arguments (or the message) do not match the method's schema: fix the call
  'unknown_method', // no such method in the contract
  'unauthorized', // LAN mode: pair first (open the pairing URL)
  'forbidden', // the paired role may not call this method (viewer → engineer-only method), or the origin/host is refused
  'rate_limited', // too many calls on this connection: slow down
  'too_large', // the message or body is over the size limit
  'data_error', // bad or missing data; the message names the file/line/field or what to run
  'failed', // the method ran and refused (e.g. "no replay open: call replayOpen first")
  'cancelled', // the engine is closing, or the connection was lost
  'internal', // a bug: the engine log has the details
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One reason a value was refused: where in the arguments, and what was expected there. */
export interface ErrorDetail {
  path: string;
  expected: string;
}

/** An error as it crosses a wire (WebSocket, HTTP, IPC, worker threads). */
export interface WireError {
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  /** DataError's location, kept across the boundary. */
  file?: string;
  line?: number;
  column?: string;
}

/** The typed error every transport throws and catches. `message` is what a user can act on. */
export class RpcError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'RpcError';
  }

  toWire(): WireError {
    return this.details.length ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

const MAX_MESSAGE = 300;
const MAX_EXCERPT = 40;

/** Cuts a message to a length safe to send back (never a whole echoed argument). */
export function clip(text: string, max = MAX_MESSAGE): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A short, printable excerpt of any value, for error messages. */
export function excerpt(value: unknown): string {
  let s: string;
  try {
    s = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    s = Object.prototype.toString.call(value);
  }
  return clip(s, MAX_EXCERPT);
}

function isCode(c: unknown): c is ErrorCode {
  return typeof c === 'string' && (ERROR_CODES as readonly string[]).includes(c);
}

/** Rebuilds the typed error from what came over a wire; tolerant of old peers that sent a bare string. */
export function fromWire(e: unknown): RpcError {
  if (typeof e === 'string') return new RpcError('failed', clip(e));
  if (e && typeof e === 'object') {
    const w = e as Partial<WireError>;
    const code = isCode(w.code) ? w.code : 'internal';
    const details = Array.isArray(w.details)
      ? w.details
          .filter((d): d is ErrorDetail => !!d && typeof d.path === 'string' && typeof d.expected === 'string')
          .slice(0, 20)
      : [];
    const err = new RpcError(code, clip(typeof w.message === 'string' ? w.message : 'unknown error'), details);
    if (typeof w.file === 'string') Object.assign(err, { file: w.file });
    if (typeof w.line === 'number') Object.assign(err, { line: w.line });
    if (typeof w.column === 'string') Object.assign(err, { column: w.column });
    return err;
  }
  return new RpcError('internal', 'unknown error');
}

/** The typed code an error carries (RpcError, and engine errors such as DataError that declare `code`). */
export function codeOf(e: unknown): ErrorCode | undefined {
  const c = e && typeof e === 'object' ? (e as { code?: unknown }).code : undefined;
  return isCode(c) ? c : undefined;
}

/**
 * Any thrown value as a wire error. an error carrying a typed `code` keeps it (DataError declares `data_error` and keeps its
 * location); a plain `Error` is a handler's refusal (`failed`, message kept,
 * clipped); anything else (TypeError, RangeError…) is a bug: `internal`, with a generic message — the caller gets
 * no stack or internal text, `onInternal` (the engine log) gets the error.
 */
export function toWire(e: unknown, onInternal?: (e: unknown) => void): WireError {
  if (e instanceof RpcError) return e.toWire();
  if (e instanceof Error) {
    const code = codeOf(e);
    if (code === 'data_error') {
      const { file, line, column } = e as Error & Partial<WireError>;
      return { code, message: clip(e.message), file, line, column };
    }
    if (code) return { code, message: clip(e.message) };
    if (e.name === 'Error') return { code: 'failed', message: clip(e.message) };
  }
  onInternal?.(e);
  return { code: 'internal', message: 'internal error in the engine (details are in its log)' };
}

/** Call and result envelopes shared by the WebSocket and the engine-process channel. */
export interface CallMessage<M extends string = string> {
  kind: 'call';
  id: number;
  method: M;
  args?: unknown;
}
export type ResultMessage =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  /** `id` is null when the message could not be read far enough to find its id (invalid JSON, binary frame). */
  | { kind: 'result'; id: number | null; ok: false; error: WireError };

export const okResult = (id: number, value: unknown): ResultMessage => ({ kind: 'result', id, ok: true, value: value ?? null });
export const errResult = (id: number | null, e: unknown, onInternal?: (e: unknown) => void): ResultMessage => ({
  kind: 'result',
  id,
  ok: false,
  error: toWire(e, onInternal),
});

/**
 * Numbered calls with promised results: `next` hands out an id and the promise, `settle` resolves or rejects it
 * from a result message, `failAll` rejects everything in flight (connection lost, process died, closing).
 */
export class Correlator<T = unknown> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: T): void; reject(e: Error): void }>();

  get size(): number {
    return this.pending.size;
  }

  /** A fresh id and the promise that `settle(id, …)` will end. */
  next(): { id: number; promise: Promise<T> } {
    const id = this.nextId++;
    const promise = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    return { id, promise };
  }

  /** Ends call `id` with a result message's outcome; false when no such call is waiting. */
  settle(msg: { id: number | null; ok: true; value: unknown } | { id: number | null; ok: false; error: unknown }): boolean {
    if (msg.id === null) return false;
    const p = this.pending.get(msg.id);
    if (!p) return false;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value as T);
    else p.reject(msg.error instanceof Error ? msg.error : fromWire(msg.error));
    return true;
  }

  failAll(error: RpcError): void {
    for (const [id, p] of [...this.pending]) {
      this.pending.delete(id);
      p.reject(error);
    }
  }
}

// Electron's ipcMain.handle passes only an Error's message to the renderer (prefixed "Error invoking remote
// method …"): the typed error travels inside it as a marked JSON payload.
const IPC_MARK = 'pitwall-rpc-error:';
export const toIpcError = (e: unknown): Error => new Error(IPC_MARK + JSON.stringify(toWire(e)));
export function fromIpcError(e: unknown): RpcError {
  const text = e instanceof Error ? e.message : String(e);
  const i = text.indexOf(IPC_MARK);
  if (i >= 0) {
    try {
      return fromWire(JSON.parse(text.slice(i + IPC_MARK.length)));
    } catch {
      /* not our payload: fall through */
    }
  }
  return new RpcError('failed', clip(text.replace(/^Error invoking remote method '[^']*': (Error: )?/, '')));
}
