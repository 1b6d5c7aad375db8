// A stand-in for the OpenF1 REST API on 127.0.0.1: `/v1/<endpoint>?session_key=K&date>X` (also `date_start>X`,
// `>=`, `<`, `<=`; session_key=latest) over tables the test gives. An optional token (Authorization: Bearer) is
// required, as OpenF1 does during a live session (401 otherwise). `horizon` hides records after a moment (a live
// session in progress); `step` moves it on by that much on each polling round (each `laps` request).
import { createServer } from 'node:http';

export type Row = Record<string, unknown>;
export interface FakeOpenF1Options {
  tables: Record<string, Row[]>;
  requireToken?: string;
  /** Records whose date/date_start is later than this (ms) are not published yet. */
  horizon?: number;
  step?: number;
}
export interface FakeOpenF1 {
  base: string;
  log: { path: string; auth?: string }[];
  /** Publishes records up to this moment (ms). */
  setHorizon(ms: number): void;
  close(): Promise<void>;
}

const DATE_FIELD = (r: Row) => (typeof r.date === 'string' ? r.date : typeof r.date_start === 'string' ? r.date_start : null);

function matches(r: Row, key: string, op: string, value: string): boolean {
  const v = r[key];
  if (v === undefined) return false;
  if (key.startsWith('date')) {
    const a = Date.parse(String(v));
    const b = Date.parse(value);
    return op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : op === '<=' ? a <= b : a === b;
  }
  return op === '=' ? String(v) === value : false;
}

export async function startFakeOpenF1(o: FakeOpenF1Options): Promise<FakeOpenF1> {
  const log: FakeOpenF1['log'] = [];
  let horizon = o.horizon ?? Infinity;
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    log.push({ path: decodeURIComponent(url), auth: req.headers.authorization });
    if (o.requireToken && req.headers.authorization !== `Bearer ${o.requireToken}`)
      return void res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: 'Authentication required during live sessions' }));
    const m = /^\/v1\/(\w+)(?:\?(.*))?$/.exec(url);
    const table = m ? o.tables[m[1]!] : undefined;
    if (!m || !table) return void res.writeHead(404).end(JSON.stringify({ detail: 'Not Found' }));
    if (m[1] === 'laps' && o.step) horizon += o.step;
    const filters = (m[2] ?? '').split('&').filter(Boolean).map((p) => /^(\w+)(>=|<=|>|<|=)(.*)$/.exec(decodeURIComponent(p)));
    let rows = table.filter((r) => {
      const d = DATE_FIELD(r);
      return d === null || Date.parse(d) <= horizon;
    });
    for (const f of filters) {
      if (!f) return void res.writeHead(422).end('{"detail":"bad filter"}');
      const [, key, op, value] = f as unknown as [string, string, string, string];
      if (key === 'session_key' && value === 'latest') continue;
      rows = rows.filter((r) => matches(r, key, op, value));
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`,
    log,
    setHorizon: (ms) => {
      horizon = ms;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
