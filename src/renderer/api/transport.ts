// What a transport does: call a named method, deliver pushed events, report its connection.
import type { ApiMethod, EventName, PitwallEvents } from '../../shared/api.js';

export type EventHandler<E extends EventName> = (payload: PitwallEvents[E]) => void;
export type Unsubscribe = () => void;
export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface Transport {
  call(method: ApiMethod, args: unknown): Promise<unknown>;
  on<E extends EventName>(name: E, handler: EventHandler<E>): Unsubscribe;
  /** Connection changes; 'open' after a reconnect means the engine session is new (replay state lost). */
  onConnection(handler: (state: ConnectionState) => void): Unsubscribe;
}

export type { PitwallBridge } from '../../shared/api.js';
