// WebSocket transport to `pitwall serve`: request ids, queued calls while (re)connecting, pushed events.
import type { ApiMethod, EventName, WireMessage } from '../../shared/api.js';
import { Correlator, RpcError } from '../../shared/rpc.js';
import type { ConnectionState, EventHandler, Transport, Unsubscribe } from './transport.js';

/** Minimal socket surface, so tests can hand in a fake. */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: (() => void) | null;
  onclose: (() => void) | null;
  onerror: (() => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

const OPEN = 1;

export function wsTransport(
  url: string,
  open: (url: string) => SocketLike = (u) => new WebSocket(u) as unknown as SocketLike,
): Transport {
  let socket: SocketLike | null = null;
  let retryMs = 250;
  const calls = new Correlator();
  const queue: string[] = [];
  const handlers = new Map<EventName, Set<(p: unknown) => void>>();
  const connHandlers = new Set<(s: ConnectionState) => void>();
  const setState = (s: ConnectionState) => connHandlers.forEach((h) => h(s));

  const connect = () => {
    setState('connecting');
    const ws = open(url);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      setState('open');
      for (const m of queue.splice(0)) ws.send(m);
    };
    ws.onmessage = (ev) => {
      let msg: WireMessage;
      try {
        msg = JSON.parse(String(ev.data)) as WireMessage;
      } catch {
        return;
      }
      if (msg.kind === 'result') {
        if (!calls.settle(msg) && !msg.ok && msg.id === null) console.warn(`PitWall engine refused a message: ${msg.error.message}`);
      } else if (msg.kind === 'event') {
        handlers.get(msg.name)?.forEach((h) => h(msg.payload));
      }
    };
    ws.onerror = () => {};
    ws.onclose = () => {
      socket = null;
      // Calls in flight died with the connection: their session is gone.
      calls.failAll(new RpcError('cancelled', 'connection to the engine was lost'));
      setState('closed');
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  return {
    call(method: ApiMethod, args: unknown) {
      const { id, promise } = calls.next();
      const text = JSON.stringify({ kind: 'call', id, method, args } satisfies WireMessage);
      if (socket && socket.readyState === OPEN) socket.send(text);
      else queue.push(text);
      return promise;
    },
    on<E extends EventName>(name: E, handler: EventHandler<E>): Unsubscribe {
      const set = handlers.get(name) ?? new Set();
      handlers.set(name, set);
      const h = handler as (p: unknown) => void;
      set.add(h);
      return () => set.delete(h);
    },
    onConnection(handler) {
      connHandlers.add(handler);
      return () => connHandlers.delete(handler);
    },
  };
}
