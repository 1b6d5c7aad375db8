import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WireMessage } from '../../shared/api.js';
import { clientOver } from './client.js';
import type { SocketLike } from './ws.js';
import { wsTransport } from './ws.js';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: WireMessage[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  send(d: string) {
    this.sent.push(JSON.parse(d) as WireMessage);
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  reply(m: WireMessage) {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
}

describe('WebSocket transport', () => {
  let sockets: FakeSocket[];
  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
  });
  afterEach(() => vi.useRealTimers());
  const make = () =>
    clientOver(
      wsTransport('ws://x/ws', () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      }),
    );

  it('queues calls until open, matches results by request id, rejects engine errors', async () => {
    const c = make();
    const a = c.api.listRaces({ season: 2023 });
    const b = c.api.replayOpen({ season: 2023, round: 1 });
    const s = sockets[0]!;
    expect(s.sent).toHaveLength(0);
    s.open();
    expect(s.sent.map((m) => m.kind === 'call' && m.method)).toEqual(['listRaces', 'replayOpen']);
    const [ma, mb] = s.sent as Extract<WireMessage, { kind: 'call' }>[];
    expect(ma!.args).toEqual({ season: 2023 });
    expect(ma!.id).not.toBe(mb!.id);
    // Out of order replies still reach the right caller.
    s.reply({ kind: 'result', id: mb!.id, ok: false, error: { code: 'failed', message: 'replay is not available yet' } });
    s.reply({ kind: 'result', id: ma!.id, ok: true, value: [{ round: 1 }] });
    await expect(a).resolves.toEqual([{ round: 1 }]);
    await expect(b).rejects.toThrow('replay is not available yet');
    await expect(b).rejects.toMatchObject({ name: 'RpcError', code: 'failed' });
  });

  it('delivers pushed events to subscribers until they unsubscribe', () => {
    const c = make();
    sockets[0]!.open();
    const seen: number[] = [];
    const off = c.on('replay:snapshot', (s) => seen.push(s.lap));
    sockets[0]!.reply({ kind: 'event', name: 'replay:snapshot', payload: { lap: 3 } });
    off();
    sockets[0]!.reply({ kind: 'event', name: 'replay:snapshot', payload: { lap: 4 } });
    expect(seen).toEqual([3]);
  });

  it('on a dropped connection fails calls in flight, reconnects with backoff and reports the states', async () => {
    const c = make();
    const states: string[] = [];
    c.onConnection((s) => states.push(s));
    sockets[0]!.open();
    const p = c.api.listSeasons();
    sockets[0]!.close();
    await expect(p).rejects.toThrow('connection to the engine was lost');
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(300);
    expect(sockets).toHaveLength(2);
    const q = c.api.listSeasons();
    sockets[1]!.open();
    const call = sockets[1]!.sent[0] as Extract<WireMessage, { kind: 'call' }>;
    sockets[1]!.reply({ kind: 'result', id: call.id, ok: true, value: [2024] });
    await expect(q).resolves.toEqual([2024]);
    expect(states).toEqual(['open', 'closed', 'connecting', 'open']);
  });

  it('backs off 250 ms, doubling to at most 5 s while the engine stays away, and starts again at 250 ms once connected', () => {
    make();
    /** Fails the newest socket and returns how long until the next one is made. */
    const delayAfterFailure = (): number => {
      const n = sockets.length;
      sockets[n - 1]!.close();
      let waited = 0;
      while (sockets.length === n && waited < 60_000) {
        vi.advanceTimersByTime(1);
        waited++;
      }
      return waited;
    };
    expect(Array.from({ length: 8 }, delayAfterFailure)).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
    sockets.at(-1)!.open();
    expect([delayAfterFailure(), delayAfterFailure()]).toEqual([250, 500]);
  });
});
