// Fuzzing `pitwall serve`: over 10,000 generated calls over the WebSocket and HTTP — wrong types, missing and extra
// fields, huge strings and arrays, NaN/Infinity, prototype keys, unknown methods, invalid JSON, binary frames.
// Every call is answered by a result or a typed error (never an internal one, never an echo of the input), the
// server keeps serving, and the database file is byte-identical afterwards: the generated calls that pass
// validation are all read-only, so there are no intended writes.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_METHODS } from '../src/shared/api.js';
import { ERROR_CODES } from '../src/shared/rpc.js';
import { ARGS, RESULTS } from '../src/shared/schemas/api.js';
import { openDb } from '../src/main/data/db.js';
import { closeEngine, createEngine } from '../src/main/engine/host/engine.js';
import { startServer } from '../src/main/server/server.js';
import { mulberry32 } from '../src/main/util/rng.js';
import { dbCopy } from './helpers/db.js';
import { openWs, raw, WsClient } from './helpers/wire.js';

const WS_CALLS = 5200;
const HTTP_CALLS = 5000;

/** Valid arguments of each method; the fuzzer mutates them. Read-only methods only are ever sent unmutated. */
const VALID: Record<string, unknown> = {
  health: undefined,
  status: undefined,
  listSeasons: undefined,
  listRaces: { season: 2023 },
  replayOpen: { season: 2023, round: 1 },
  replayPlay: undefined,
  replayPause: undefined,
  replaySeek: { lap: 3 },
  replaySetSpeed: { speed: 10 },
  replaySnapshot: undefined,
  replayEvents: { sinceLap: 0 },
  replayCharts: undefined,
  commentarySince: {},
  commentarySetStyle: { style: 'casual' },
  tyreCurves: { circuit: 'bahrain' },
  stintForecast: { season: 2023, round: 1, driver: 'max_verstappen', lap: 10 },
  strategyRecommend: { season: 2023, round: 1, driver: 'max_verstappen', lap: 20, seeds: 5 },
  strategyPitLoss: { circuit: 'bahrain' },
  strategyRejoin: { season: 2023, round: 1, driver: 'max_verstappen', lap: 20 },
  predictWinner: { season: 2023, round: 1 },
  winProbability: { season: 2023, round: 1 },
  modelsList: undefined,
  modelRuns: { name: 'race-winner' },
  modelCard: { name: 'race-winner' },
  modelPromote: { name: 'race-winner', version: 1 },
  monitorAlerts: undefined,
  liveSubscribe: undefined,
  liveStatus: undefined,
  liveTower: undefined,
  liveSetDelay: { seconds: 5 },
  liveLaps: {},
  liveForecast: { driverNumber: 1 },
  liveCharts: undefined,
  liveRejoin: { driverNumber: 1 },
  liveTokens: undefined,
  liveSetToken: { name: 'openf1Token', value: '' },
  liveStart: { source: 'recording', recording: 'missing.jsonl' },
  liveStop: undefined,
};
/** Cheap, read-only methods that may be called with valid arguments during the fuzz. */
const SAFE_VALID = ['health', 'status', 'listSeasons', 'listRaces', 'replaySnapshot', 'replayEvents', 'replayCharts', 'commentarySince', 'tyreCurves', 'modelsList', 'modelRuns', 'modelCard', 'monitorAlerts'];

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** A hostile value of a random kind (text form: some are not expressible in JSON.stringify). */
function weird(r: Rand): string {
  return pick(r, [
    () => 'null',
    () => 'true',
    () => '-0',
    () => '1e999', // Infinity after JSON.parse
    () => '-1e999',
    () => 'NaN', // invalid JSON
    () => String(r() * 1e6),
    () => String(Math.floor(r() * 4e9) - 2e9),
    () => JSON.stringify('x'.repeat(Math.floor(r() * 5000))),
    () => JSON.stringify('\u0000\ud800' + '"\\'.repeat(20)),
    () => JSON.stringify(Array.from({ length: Math.floor(r() * 3000) }, (_, i) => i)),
    () => '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
    () => '{"__proto__":{"polluted":true}}',
    () => '{"constructor":{"prototype":{"polluted":true}}}',
    () => '{}',
    () => '[]',
    () => JSON.stringify({ season: 'x'.repeat(200) }),
  ])();
}

/** The JSON text of a call's arguments: valid, mutated, or garbage. */
function argsText(r: Rand, method: string): string | undefined {
  const base = VALID[method];
  const obj = base && typeof base === 'object' ? { ...(base as Record<string, unknown>) } : {};
  const keys = Object.keys(obj);
  const mutation = Math.floor(r() * 9);
  switch (mutation) {
    case 0: // drop a field
      if (keys.length) delete obj[pick(r, keys)];
      return JSON.stringify(obj);
    case 1: // extra field
      return JSON.stringify({ ...obj, [pick(r, ['extra', 'polluted', 'toString', 'valueOf'])]: 1 });
    case 2: // prototype keys
      return JSON.stringify(obj).replace(/^\{/, `{"__proto__":{"isAdmin":true},"constructor":${weird(r)},`).replace(/,}$/, '}');
    case 3: // a field of the wrong type / a hostile value
      if (keys.length) {
        const k = pick(r, keys);
        return JSON.stringify(obj).replace(new RegExp(`"${k}":[^,}]*`), `"${k}":${weird(r)}`);
      }
      return weird(r);
    case 4: // a huge string in a field (sometimes over the 64 KiB frame / body limit)
      return JSON.stringify({ ...obj, [keys[0] ?? 'x']: 'y'.repeat(pick(r, [70, 1000, 20_000, 70_000])) });
    case 5: // a huge array
      return JSON.stringify({ ...obj, [keys[0] ?? 'x']: Array.from({ length: pick(r, [10, 1000, 9000]) }, () => 1) });
    case 6: // the arguments themselves hostile
      return weird(r);
    case 7: // nothing at all
      return undefined;
    default:
      return base === undefined ? undefined : JSON.stringify(base);
  }
}

/** Whether `text` as the arguments of `method` would be a valid call to a method that writes or is slow. */
function unsafe(method: string, text: string | undefined): boolean {
  if (SAFE_VALID.includes(method) || !Object.hasOwn(ARGS, method)) return false;
  let v: unknown;
  try {
    v = text === undefined ? undefined : JSON.parse(text);
  } catch {
    return false;
  }
  return ARGS[method as keyof typeof ARGS].safeParse(v).success;
}

function methodFor(r: Rand): string {
  const x = r();
  if (x < 0.06) return pick(r, ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'x'.repeat(500)]);
  return pick(r, API_METHODS);
}

interface Answer {
  ok: boolean;
  code?: string;
  bytes: number;
  method?: string;
  value?: unknown;
}

function checkAnswer(a: Answer, seen: Map<string, number>): void {
  const key = a.ok ? 'ok' : (a.code ?? 'untyped');
  seen.set(key, (seen.get(key) ?? 0) + 1);
  if (!a.ok) {
    expect(ERROR_CODES).toContain(a.code);
    expect(a.code).not.toBe('internal');
    expect(a.bytes).toBeLessThan(2500); // never an echo of a big input
  } else if (a.method && RESULTS[a.method as keyof typeof RESULTS]) {
    expect(RESULTS[a.method as keyof typeof RESULTS]!.safeParse(a.value).success).toBe(true);
  }
}

function fileHash(file: string): string {
  const db = openDb(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Row digests per table, so a failure names the tables that changed. */
function tableDigests(file: string): Record<string, string> {
  const db = openDb(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    return Object.fromEntries(
      tables.map((t) => {
        const h = createHash('sha256');
        for (const row of db.prepare(`SELECT * FROM "${t}"`).iterate()) h.update(JSON.stringify(row));
        return [t, h.digest('hex').slice(0, 12)];
      }),
    );
  } finally {
    db.close();
  }
}

describe('fuzzing pitwall serve', () => {
  it('answers 10,000+ hostile calls over WebSocket and HTTP with results or typed errors, and keeps the database intact', async () => {
    const { db, file } = dbCopy();
    db.close();
    // Warm start: one valid call of each read method first, so first-use work (capability tables that are still
    // created lazily, outside the migrations) is not counted as the fuzzer's; then the reference hash.
    const warm = createEngine({ db: file });
    const warmSrv = await startServer(warm, { port: 0, log: () => {} });
    for (const m of SAFE_VALID) expect((await raw(warmSrv.port, { method: 'POST', path: `/api/call/${m}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(VALID[m] ?? null) })).status).toBe(200);
    await warmSrv.close();
    await closeEngine(warm);
    const before = fileHash(file);
    const tablesBefore = tableDigests(file);

    const engine = createEngine({ db: file });
    const srv = await startServer(engine, { port: 0, limits: { callsPerSecond: 1e9, burst: 1e9 }, log: () => {} });
    const r = mulberry32(20261201);
    const seen = new Map<string, number>();
    let answered = 0;
    let closes = 0;
    try {
      // WebSocket: calls, raw garbage and binary frames; a frame over 64 KiB closes the socket (1009) → reconnect.
      const connect = async () => {
        const o = await openWs(srv.port);
        if (!('ws' in o)) throw new Error(`WebSocket refused (${o.status})`);
        return new WsClient(o.ws);
      };
      let c = await connect();
      for (let i = 1; i <= WS_CALLS; i++) {
        const kind = r();
        let text: string | Buffer;
        let binary = false;
        let method: string | undefined;
        if (kind < 0.05) {
          text = Buffer.from(Array.from({ length: 1 + Math.floor(r() * 64) }, () => Math.floor(r() * 256)));
          binary = true;
        } else if (kind < 0.12) text = weird(r);
        else if (kind < 0.16) text = `{"kind":"call","id":${i},"method":"listSeasons","args":${weird(r)}`; // truncated
        else if (kind < 0.2) text = JSON.stringify({ kind: pick(r, ['call', 'result', 'event', 'CALL', null]), id: pick(r, [i, -1, 1.5, '7', null, 1e300]), method: 'health' });
        else {
          method = methodFor(r);
          let a = argsText(r, method);
          if (unsafe(method, a)) a = '{"extra":true}';
          text = `{"kind":"call","id":${i},"method":${JSON.stringify(method)}${a === undefined ? '' : `,"args":${a}`}}`;
        }
        const reply = (await c.send(text, binary)) as { ok?: boolean; error?: { code: string }; value?: unknown; closed?: number };
        if (reply.closed !== undefined) {
          expect(reply.closed).toBe(1009); // over the frame limit
          expect(Buffer.byteLength(text)).toBeGreaterThan(64 * 1024);
          closes++;
          c = await connect();
        } else
          checkAnswer({ ok: reply.ok === true, code: reply.error?.code, bytes: JSON.stringify(reply).length, method, value: reply.value }, seen);
        answered++;
      }
      c.ws.close();

      // HTTP: POST /api/call/<method> with mutated bodies, wrong content types, invalid JSON, other verbs.
      let prev = '';
      for (let i = 0; i < HTTP_CALLS; i++) {
        const method = methodFor(r);
        let body = argsText(r, method);
        if (unsafe(method, body)) body = '{"extra":true}';
        const k = r();
        const ct = k < 0.05 ? pick(r, ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) : 'application/json';
        if (k > 0.95) body = pick(r, ['{', 'nul', '"\\', '\u0000', '{"a":1}{"b":2}']);
        const req = {
          method: k > 0.02 && k < 0.04 ? pick(r, ['GET', 'PUT', 'DELETE']) : 'POST',
          path: `/api/call/${encodeURIComponent(method)}`,
          headers: (ct ? { 'content-type': ct } : {}) as Record<string, string>,
          body: body ?? '',
        };
        const res = await raw(srv.port, req).catch((e: Error) => {
          throw new Error(`${req.method} ${req.path.slice(0, 60)} (${req.headers['content-type']}, ${req.body.length} bytes: ${req.body.slice(0, 60)}): ${e.message}; previous: ${prev}`);
        });
        prev = `${req.method} ${req.path.slice(0, 60)} (${req.headers['content-type']}, ${req.body.length} bytes) → ${res.status} ${res.text.slice(0, 80)}`;
        let parsed: { error?: { code: string } } | unknown;
        try {
          parsed = JSON.parse(res.text);
        } catch {
          throw new Error(`HTTP ${res.status} for ${method.slice(0, 40)} is not JSON: ${res.text.slice(0, 80)}`);
        }
        const err = res.status === 200 ? undefined : (parsed as { error?: { code: string } }).error;
        if (res.status !== 200) expect(err?.code, `HTTP ${res.status}: ${res.text.slice(0, 100)}`).toBeDefined();
        checkAnswer({ ok: res.status === 200, code: err?.code, bytes: res.text.length, method, value: parsed }, seen);
        answered++;
      }
      expect(answered).toBeGreaterThanOrEqual(10_000);
      expect(closes).toBeGreaterThan(0);
      expect(seen.get('ok')).toBeGreaterThan(500);
      expect(seen.get('bad_request')).toBeGreaterThan(3000);
      expect(seen.get('unknown_method')).toBeGreaterThan(100);
      // still serving, prototypes untouched
      expect((await raw(srv.port, { path: '/api/health' })).status).toBe(200);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    } finally {
      await srv.close();
      await closeEngine(engine);
    }
    expect(tableDigests(file)).toEqual(tablesBefore);
    expect(fileHash(file)).toBe(before);
  }, 600_000); // 10,200 calls: minutes on a busy 2-core machine; a behaviour test, not a timing one
});
