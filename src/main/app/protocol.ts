// Messages between the Electron main process and the engine's utility process.
import type { ApiMethod, EventName } from '../../shared/api.js';
import type { CallMessage, ResultMessage, WireError } from '../../shared/rpc.js';

/** main → engine */
export type ToEngine =
  | (CallMessage<ApiMethod> & { window: number })
  | { kind: 'close'; window: number }
  /** "Share with the garage": start (or keep) the paired LAN server and send fresh links; or end every pairing. */
  | { kind: 'share'; host?: string; port?: number }
  | { kind: 'revoke' };

export interface ShareInfo {
  url: string;
  viewerPairUrl: string;
  engineerPairUrl: string;
  expiresAt: string;
}

/** engine → main */
export type FromEngine =
  | { kind: 'ready' }
  | { kind: 'fatal'; error: string }
  | ResultMessage
  | ({ kind: 'shared'; ok: true } & ShareInfo)
  | { kind: 'shared'; ok: false; error: WireError }
  | { kind: 'event'; window: number; name: EventName; payload: unknown };
