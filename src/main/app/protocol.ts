// Messages between the Electron main process and the engine's utility process.
import type { ApiMethod, EventName } from '../../shared/api.js';

/** main → engine */
export type ToEngine =
  | { kind: 'call'; id: number; window: number; method: ApiMethod; args: unknown }
  | { kind: 'close'; window: number };

/** engine → main */
export type FromEngine =
  | { kind: 'ready' }
  | { kind: 'fatal'; error: string }
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: string }
  | { kind: 'event'; window: number; name: EventName; payload: unknown };
