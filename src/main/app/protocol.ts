// Messages between the Electron main process and the engine's utility process.
import type { ApiMethod, EventName } from '../../shared/api.js';
import type { CallMessage, ResultMessage } from '../../shared/rpc.js';

/** main → engine */
export type ToEngine =
  | (CallMessage<ApiMethod> & { window: number })
  | { kind: 'close'; window: number };

/** engine → main */
export type FromEngine =
  | { kind: 'ready' }
  | { kind: 'fatal'; error: string }
  | ResultMessage
  | { kind: 'event'; window: number; name: EventName; payload: unknown };
