// The host's composition root: every capability's handlers merged into the one API. `satisfies` proves the
// contract is fully implemented. Transports (server, Electron IPC) call `dispatch`.
import type { ApiMethod } from '../../../shared/api.js';
import type { Handlers, Session } from '../kernel/session.js';
import { dataHandlers } from '../../data/api.js';
import { replayHandlers } from '../../replay/api.js';
import { commentaryHandlers } from '../../commentary/api.js';
import { tyreHandlers } from '../../tyres/api.js';
import { strategyHandlers } from '../../strategy/api.js';
import { modelHandlers } from '../../models/api.js';
import { monitoringHandlers } from '../../monitoring/api.js';
import { raceSessionHandlers } from './race-session.js';

export const handlers = {
  ...dataHandlers,
  ...raceSessionHandlers,
  ...replayHandlers,
  ...commentaryHandlers,
  ...tyreHandlers,
  ...strategyHandlers,
  ...modelHandlers,
  ...monitoringHandlers,
} satisfies Handlers<ApiMethod>;

export async function dispatch(session: Session, method: string, args: unknown): Promise<unknown> {
  if (!Object.hasOwn(handlers, method)) throw new Error(`unknown API method "${method}"`);
  const fn = handlers[method as ApiMethod] as (s: Session, a: unknown) => unknown;
  return await fn(session, args);
}
