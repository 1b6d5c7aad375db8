// The one typed client of the engine. Stores use it; only this folder knows which transport carries it.
import { API_METHODS, type ApiMethod, type EventName, type PitwallClient } from '../../shared/api.js';
import type { ConnectionState, EventHandler, Transport, Unsubscribe } from './transport.js';

export interface ApiClient {
  api: PitwallClient;
  on<E extends EventName>(name: E, handler: EventHandler<E>): Unsubscribe;
  onConnection(handler: (state: ConnectionState) => void): Unsubscribe;
}

export function clientOver(transport: Transport): ApiClient {
  const api = Object.fromEntries(
    API_METHODS.map((m: ApiMethod) => [m, (args?: unknown) => transport.call(m, args)]),
  ) as PitwallClient; // every method of the contract, each forwarding its one argument
  return { api, on: (n, h) => transport.on(n, h), onConnection: (h) => transport.onConnection(h) };
}
