// The point-in-time join on hand-made feature rows (a fresh database, two SQL views over VALUES): a query at t sees
// the latest value with event_timestamp <= t that was known (created_at <= t) by then, per entity; a ttl hides
// stale values; bad entity rows are DataErrors naming the row and column. Real-data checks: pit.test.ts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../data/db.js';
import { FeatureStore } from './store.js';
import type { FeatureView } from './types.js';

// driver a: 1 @1000, 2 @2000, 3 @3000 corrected to 30 at 3500, and a late row for 2500 (created 4000)
// driver b: 10 @1500; race_driver (r1, a): 7 @1200
// driver c: 7 @1000 written only at 3000; driver d: 1 @1000, and 5 @5000 known in advance (written at 1000)
const ROWS: [string, number, number, number][] = [
  ['c', 1000, 3000, 7],
  ['d', 1000, 1000, 1],
  ['d', 5000, 1000, 5],
  ['a', 1000, 1000, 1],
  ['a', 2000, 2000, 2],
  ['a', 3000, 3000, 3],
  ['a', 3000, 3500, 30],
  ['a', 2500, 4000, 25],
  ['b', 1500, 1500, 10],
];
const values = ROWS.map(([d, t, c, v]) => `SELECT '${d}' AS driver, ${t} AS event_timestamp, ${c} AS created_at, ${v} AS v`).join(' UNION ALL ');
const view = (name: string, ttlSeconds?: number): FeatureView => ({
  name,
  entity: 'driver',
  description: 'hand-made values (test)',
  fields: [{ name: 'v', type: 'float' }],
  ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
  source: { kind: 'sql', sql: values },
});
const pair: FeatureView = {
  name: 'pit_pair',
  entity: 'driver_race',
  description: 'a composite key (test)',
  fields: [{ name: 'w', type: 'int' }],
  source: { kind: 'sql', sql: `SELECT 'r1' AS race, 'a' AS driver, 1200 AS event_timestamp, 1200 AS created_at, 7 AS w` },
};

// two fields, the second a bool stored as 0/1
const multi: FeatureView = {
  name: 'pit_multi',
  entity: 'driver',
  description: 'two fields (test)',
  fields: [
    { name: 'v', type: 'float' },
    { name: 'flag', type: 'bool' },
  ],
  source: { kind: 'sql', sql: `SELECT 'a' AS driver, 1000 AS event_timestamp, 1000 AS created_at, 4.5 AS v, 1 AS flag UNION ALL SELECT 'a', 2000, 2000, 6.5, 0` },
};

let db: Db;
let store: FeatureStore;
beforeAll(() => {
  db = openDb(join(mkdtempSync(join(tmpdir(), 'pitwall-pit-')), 'pit.db'));
  store = new FeatureStore(db, { views: [view('pit_plain'), view('pit_ttl', 1), pair, multi] });
});
afterAll(() => db?.close());

const at = (ref: string, driver: string, t: number) => store.getHistoricalFeatures([{ driver, event_timestamp: t }], [ref]).values[0]![0];

describe('point-in-time join', () => {
  it('a query at t sees the latest value with event_timestamp <= t, per entity', () => {
    const q = (d: string, t: number) => at('pit_plain:v', d, t);
    expect([q('a', 1000), q('a', 1999), q('a', 2000), q('a', 2999)]).toEqual([1, 1, 2, 2]);
    expect([q('b', 1499), q('b', 1500), q('b', 99_999)]).toEqual([null, 10, 10]);
    expect(q('nobody', 5000)).toBeNull();
  });

  it('as known at t: a correction or a late row counts only from its created_at', () => {
    const q = (t: number) => at('pit_plain:v', 'a', t);
    expect([q(3000), q(3499), q(3500), q(9999)]).toEqual([3, 3, 30, 30]); // the correction of the 3000 value
    expect([q(2500), q(2999)]).toEqual([2, 2]); // the row for 2500 was written at 4000: unknown before
  });

  it('the first value of an entity counts only once written; a value known in advance only from its own time', () => {
    expect([at('pit_plain:v', 'c', 2999), at('pit_plain:v', 'c', 3000)]).toEqual([null, 7]);
    expect([at('pit_plain:v', 'd', 1000), at('pit_plain:v', 'd', 4999), at('pit_plain:v', 'd', 5000)]).toEqual([1, 1, 5]);
  });

  it('each field of a view by name; bools decoded', () => {
    const r = store.getHistoricalFeatures(
      [1500, 2500].map((t) => ({ driver: 'a', event_timestamp: t })),
      ['pit_multi:flag', 'pit_multi:v'],
    );
    expect(r.values).toEqual([
      [true, 4.5],
      [false, 6.5],
    ]);
  });

  it('many rows at once: each row at its own time, in the order given', () => {
    const rows = [5000, 1000, 3200, 2000, 1500].map((t, i) => ({ driver: i === 4 ? 'b' : 'a', event_timestamp: t }));
    const r = store.getHistoricalFeatures(rows, ['pit_plain:v', 'pit_ttl:v']);
    expect(r.values.map((v) => v[0])).toEqual([30, 1, 3, 2, 10]);
    expect(r.refs.map((x) => x.feature)).toEqual(['v', 'v']);
  });

  it('ttl: a value older than ttlSeconds at query time is null', () => {
    const q = (t: number) => at('pit_ttl:v', 'a', t);
    expect([q(1000), q(2999), q(3000), q(4000), q(4001)]).toEqual([1, 2, 3, 30, null]); // 4000: exactly 1 s old
    expect([at('pit_ttl:v', 'b', 2500), at('pit_ttl:v', 'b', 2501)]).toEqual([10, null]);
  });

  it('composite keys join on every key column', () => {
    const q = (race: string, driver: string, t: number) => store.getHistoricalFeatures([{ race, driver, event_timestamp: t }], ['pit_pair:w']).values[0]![0];
    expect([q('r1', 'a', 1200), q('r1', 'a', 5000), q('r2', 'a', 1200), q('r1', 'b', 1200)]).toEqual([7, 7, null, null]);
    expect(() => q('r1', 'a', 1199)).toThrow(/before any feature data/);
  });

  it('bad entity rows: a clear error naming the row (or file and line) and the column', () => {
    const h = (rows: Record<string, unknown>[], refs = ['pit_plain:v'], opts = {}) => () =>
      store.getHistoricalFeatures(rows as never, refs, opts);
    expect(h([{ driver: 'a', event_timestamp: 'yesterday' }])).toThrow(/entity row 0: event_timestamp "yesterday" is not an ISO 8601 UTC time/);
    expect(h([{ driver: 'a', event_timestamp: 1000 }, { driver: 'a', event_timestamp: 999 }])).toThrow(
      /entity row 1: event_timestamp 1970-01-01T00:00:00.999Z is before any feature data \(earliest 1970-01-01T00:00:01.000Z\)/,
    );
    expect(h([{ event_timestamp: 2000 }])).toThrow(/entity rows lack the column "driver" needed by pit_plain/);
    expect(h([{ driver: 'a', event_timestamp: 2000 }, { driver: '', event_timestamp: 2000 }])).toThrow(/entity row 1: "driver" is empty/);
    expect(h([{ race: 'r1', driver: null, event_timestamp: 2000 }], ['pit_pair:w'])).toThrow(/entity row 0: "driver" is empty/);
    expect(h([{ driver: 'a', event_timestamp: 2000 }, { driver: 'a', event_timestamp: 'x' }], ['pit_plain:v'], { file: 'rows.csv', lines: [5, 9] })).toThrow(
      /rows\.csv.*line 9.*event_timestamp "x" is not an ISO 8601 UTC time/,
    );
    // every empty form of a key, single and composite; a later row without the key column at all
    for (const driver of [undefined, null, ''])
      for (const [refs, row] of [
        [['pit_plain:v'], { driver }],
        [['pit_pair:w'], { race: 'r1', driver }],
        [['pit_pair:w'], { race: driver, driver: 'a' }],
      ] as const) {
        const rows = [{ driver: 'a', race: 'r1', event_timestamp: 2000 }, { ...row, event_timestamp: 2000 }];
        expect(h(rows, [...refs]), `${JSON.stringify(row)}`).toThrow(/entity row 1: "(driver|race)" is empty/);
      }
    // with a file: the error carries file, line (the row's, else its index + 2 for a header line) and column
    const err = (rows: Record<string, unknown>[], opts: object) => {
      try {
        h(rows, ['pit_plain:v'], opts)();
      } catch (e) {
        return e as { file?: string; line?: number; column?: string; message: string };
      }
      throw new Error('no error');
    };
    expect(err([{ driver: 'a', event_timestamp: 2000 }, { driver: 'a', event_timestamp: 'x' }], { file: 'rows.csv' })).toMatchObject({
      file: 'rows.csv',
      line: 3,
      column: 'event_timestamp',
      message: 'rows.csv, line 3, column "event_timestamp": event_timestamp "x" is not an ISO 8601 UTC time',
    });
    expect(err([{ driver: 'a', event_timestamp: 10 }], { file: 'rows.csv', lines: [7] })).toMatchObject({ line: 7, column: 'event_timestamp' });
    expect(err([{ driver: '', event_timestamp: 2000 }], { file: 'rows.csv', lines: [4] })).toMatchObject({ line: 4, column: 'driver', message: 'rows.csv, line 4, column "driver": "driver" is empty' });
  });
});
