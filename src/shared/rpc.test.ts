import { describe, expect, it } from 'vitest';
import { Correlator, fromIpcError, fromWire, RpcError, toIpcError, toWire } from './rpc.js';
import { ARGS } from './schemas/api.js';
import { parseOrThrow } from './schemas/validate.js';

class FakeDataError extends Error {
  readonly code = 'data_error' as const;
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'DataError';
  }
}

describe('shared/rpc', () => {
  it('correlates out-of-order results by id and fails what is left', async () => {
    const c = new Correlator<number>();
    const a = c.next();
    const b = c.next();
    expect(a.id).not.toBe(b.id);
    expect(c.settle({ id: b.id, ok: false, error: { code: 'failed', message: 'no replay open' } })).toBe(true);
    expect(c.settle({ id: b.id, ok: true, value: 1 })).toBe(false); // already settled
    expect(c.settle({ id: null, ok: false, error: {} })).toBe(false);
    await expect(b.promise).rejects.toMatchObject({ name: 'RpcError', code: 'failed', message: 'no replay open' });
    const d = c.next();
    c.settle({ id: a.id, ok: true, value: 42 });
    await expect(a.promise).resolves.toBe(42);
    c.failAll(new RpcError('cancelled', 'connection to the engine was lost'));
    await expect(d.promise).rejects.toMatchObject({ code: 'cancelled' });
    expect(c.size).toBe(0);
  });

  it('types every thrown value; bugs say nothing of their internals to the caller', () => {
    const logged: unknown[] = [];
    expect(toWire(new FakeDataError('no lap data for 2024 round 22', 'laps'))).toEqual({ code: 'data_error', message: 'no lap data for 2024 round 22', file: 'laps', line: undefined, column: undefined });
    expect(toWire(new Error('no replay open: call replayOpen first'))).toEqual({ code: 'failed', message: 'no replay open: call replayOpen first' });
    expect(toWire(new TypeError("Cannot read properties of null (reading 'kind')"), (e) => logged.push(e))).toEqual({
      code: 'internal',
      message: 'internal error in the engine (details are in its log)',
    });
    expect(logged).toHaveLength(1);
    expect(toWire('a string')).toMatchObject({ code: 'internal' });
    expect(toWire(new Error('x'.repeat(5000))).message.length).toBeLessThanOrEqual(300);
  });

  it('rebuilds typed errors from the wire, old bare strings included, and across Electron IPC', () => {
    expect(fromWire('replay is not available yet')).toMatchObject({ code: 'failed', message: 'replay is not available yet' });
    expect(fromWire({ code: 'nonsense', message: 1 })).toMatchObject({ code: 'internal', message: 'unknown error' });
    const bad = fromWire({ code: 'bad_request', message: 'm', details: [{ path: 'season', expected: 'number' }, { junk: true }] });
    expect(bad.details).toEqual([{ path: 'season', expected: 'number' }]);
    const electronWrapped = new Error(`Error invoking remote method 'pitwall:listRaces': ${toIpcError(new RpcError('forbidden', 'needs engineer')).message}`);
    expect(fromIpcError(electronWrapped)).toMatchObject({ code: 'forbidden', message: 'needs engineer' });
    expect(fromIpcError(new Error("Error invoking remote method 'pitwall:health': Error: PitWall: call from an unknown frame"))).toMatchObject({
      code: 'failed',
      message: 'PitWall: call from an unknown frame',
    });
  });

  it('schema failures name the field and what was expected, with at most a short excerpt', () => {
    const fail = (m: keyof typeof ARGS, v: unknown) => {
      try {
        parseOrThrow(ARGS[m], v, m);
      } catch (e) {
        return e as RpcError;
      }
      throw new Error('parsed');
    };
    expect(fail('listRaces', 'z'.repeat(10_000)).message).toBe('listRaces: (arguments) must be object (got "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz…)');
    expect(fail('commentarySetStyle', { style: 'loud' }).details).toEqual([{ path: 'style', expected: 'one of "technical", "casual", "dramatic"' }]);
    expect(fail('listRaces', JSON.parse('{"season":1e999}')).details).toEqual([{ path: 'season', expected: 'number' }]);
    expect(fail('health', { x: 1 }).code).toBe('bad_request');
    expect(parseOrThrow(ARGS.health, null, 'health')).toBeNull();
    expect(parseOrThrow(ARGS.replayEvents, {}, 'replayEvents')).toEqual({});
  });
});
