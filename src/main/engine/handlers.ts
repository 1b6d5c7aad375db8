// All API handlers, merged from the capabilities. `satisfies` proves the contract is fully implemented.
import type { ApiMethod } from '../../shared/api.js';
import type { Handlers } from './session.js';
import { dataHandlers } from '../data/api.js';
import { replayHandlers } from '../replay/api.js';
import { commentaryHandlers } from '../commentary/api.js';
import { tyreHandlers } from '../tyres/api.js';
import { strategyHandlers } from '../strategy/api.js';
import { modelHandlers } from '../models/api.js';
import { monitoringHandlers } from '../monitoring/api.js';

export const handlers = {
  ...dataHandlers,
  ...replayHandlers,
  ...commentaryHandlers,
  ...tyreHandlers,
  ...strategyHandlers,
  ...modelHandlers,
  ...monitoringHandlers,
} satisfies Handlers<ApiMethod>;

export async function dispatch(
  session: Parameters<Handlers<ApiMethod>[ApiMethod]>[0],
  method: string,
  args: unknown,
): Promise<unknown> {
  if (!Object.hasOwn(handlers, method)) throw new Error(`unknown API method "${method}"`);
  const fn = handlers[method as ApiMethod] as (s: typeof session, a: unknown) => unknown;
  return await fn(session, args);
}
