// The host's composition root: every capability's handlers merged into the one API. `satisfies` proves the
// contract is fully implemented. Transports (server, Electron IPC) call `dispatch`.
import type { ApiMethod } from '../../../shared/api.js';
import { clip, RpcError } from '../../../shared/rpc.js';
import { ARGS, mayCall, type Role } from '../../../shared/schemas/api.js';
import { parseOrThrow } from '../../../shared/schemas/validate.js';
import type { Handlers, Session } from '../kernel/session.js';
import { dataHandlers } from '../../data/api.js';
import { replayHandlers } from '../../replay/api.js';
import { commentaryHandlers } from '../../commentary/api.js';
import { tyreHandlers } from '../../tyres/api.js';
import { strategyHandlers } from '../../strategy/api.js';
import { modelHandlers } from '../../models/api.js';
import { monitoringHandlers } from '../../monitoring/api.js';
import { liveHandlers } from '../../live/api.js';
import { raceSessionHandlers } from './race-session.js';
import { updateHandlers } from '../../update/api.js';

export const handlers = {
  ...dataHandlers,
  ...raceSessionHandlers,
  ...replayHandlers,
  ...commentaryHandlers,
  ...tyreHandlers,
  ...strategyHandlers,
  ...modelHandlers,
  ...monitoringHandlers,
  ...updateHandlers,
  ...liveHandlers,
} satisfies Handlers<ApiMethod>;

export const isApiMethod = (method: unknown): method is ApiMethod =>
  typeof method === 'string' && Object.hasOwn(handlers, method);

/**
 * Runs one API call for `session`: the method must exist, `role` must be allowed to call it, and the arguments
 * must match the method's schema (src/shared/schemas) — all checked before any handler runs. Failures are typed
 * RpcErrors (`unknown_method`, `forbidden`, `bad_request` naming each field); handlers get parsed arguments only.
 */
export async function dispatch(
  session: Session,
  method: string,
  args: unknown,
  role: Role = 'engineer',
): Promise<unknown> {
  if (!isApiMethod(method))
    throw new RpcError('unknown_method', `unknown API method "${clip(String(method), 60)}"`);
  if (!mayCall(role, method))
    throw new RpcError(
      'forbidden',
      `${method} needs the engineer role; this connection is paired as ${role} (pair with an engineer code)`,
    );
  const parsed = parseOrThrow(ARGS[method], args, method);
  const fn = handlers[method] as (s: Session, a: unknown) => unknown;
  return await fn(session, parsed ?? undefined);
}
