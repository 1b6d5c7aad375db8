// `update --source f1-archive` against a fake archive on 127.0.0.1 serving the real FP2 fixture (and 404 for what it
// lacks, as the real archive does): laps land as the session's laps, linked to Ergast drivers; re-runs are cheap.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbCopy } from '../../../tests/helpers/db.js';
import { PROJECT_ROOT } from '../../../tests/helpers/data.js';
import type { Db } from '../data/db.js';
import { sessionLaps } from '../data/classification.js';
import { sessionKind, updateFromArchive, type ArchiveOptions } from './f1archive.js';

const FIX = join(PROJECT_ROOT, 'tests', 'fixtures', 'f1-livetiming');
let base = '';
const log: string[] = [];
let corrupt: RegExp | null = null;
const server = createServer((req, res) => {
  const path = decodeURIComponent((req.url ?? '').replace(/^\/static\//, ''));
  log.push(path);
  const f = join(FIX, `${path}.gz`);
  if (path.includes('..') || !existsSync(f)) return void res.writeHead(404).end('<Error>NoSuchKey</Error>');
  let body = gunzipSync(readFileSync(f));
  if (corrupt?.test(path)) body = body.subarray(0, Math.floor(body.length / 2)); // a download cut off mid-line
  res.writeHead(200).end(body);
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/static`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const opts = (extra: Partial<ArchiveOptions> = {}): ArchiveOptions => ({
  seasons: [2020], round: 5, sessions: ['practice'], baseUrl: base, cacheDir: mkdtempSync(join(tmpdir(), 'pitwall-arch-')),
  http: { backoffMs: 1, retries: 1, limits: [] }, ...extra,
});

describe('update from the F1 timing archive', () => {
  let db: Db;
  beforeAll(() => {
    db = dbCopy().db;
  });

  it('maps archive session names onto the laps table’s sessions', () => {
    expect(['Race', 'Sprint', 'Sprint Shootout', 'Qualifying', 'Practice 2', 'Day 1'].map((n) => sessionKind(n)?.session ?? null)).toEqual([
      'race', 'sprint', 'sprint_qualifying', 'qualifying', 'fp2', null,
    ]);
  });

  it('writes FP2 of 2020 round 5 as laps linked to the Ergast entry list; FP1/FP3 (404) write nothing', async () => {
    const o = opts();
    const r = await updateFromArchive(db, o);
    expect(r).toMatchObject({ source: 'f1-archive', races: 1, laps: 539 });
    const laps = sessionLaps(db, 2020, 5, 'fp2');
    expect(laps.length).toBe(539);
    const ham = laps.filter((l) => l.driver === 'HAM').sort((a, b) => a.lap - b.lap);
    expect(ham.slice(3, 5).map((l) => [l.lap, l.lap_time_s, l.compound, l.tyre_life, l.stint, l.pit_in, l.pit_out])).toEqual([
      [4, 149.107, 'SOFT', 3, 1, true, false],
      [5, 171.557, 'SOFT', 4, 2, false, true],
    ]);
    const unlinked = db.prepare(`SELECT COUNT(*) FROM laps WHERE season = 2020 AND round = 5 AND session = 'fp2' AND driver_ref IS NULL`).pluck().get();
    expect(unlinked).toBe(0);
    expect(db.prepare(`SELECT COUNT(*) FROM laps WHERE season = 2020 AND round = 5 AND session IN ('fp1', 'fp3')`).pluck().get()).toBe(0);
    // A re-run asks for the season index only; offline it replays the cache.
    const n = log.length;
    const again = await updateFromArchive(db, { ...o });
    expect([again.laps, log.length - n]).toEqual([0, 1]);
    const off = await updateFromArchive(db, { ...o, offline: true, refresh: true, sessions: ['practice'] });
    expect(off.requests).toBe(0);
    expect(off.laps).toBe(539);
    expect(sessionLaps(db, 2020, 5, 'fp2').length).toBe(539);
  });

  it('a truncated stream names the URL and the session and writes nothing of it', async () => {
    const fresh = dbCopy().db;
    corrupt = /TimingAppData/;
    await expect(updateFromArchive(fresh, opts())).rejects.toThrow(
      /TimingAppData\.jsonStream, line \d+: .*truncated stream.* while updating 2020 round 5 \(70th Anniversary Grand Prix, Practice 2\)/,
    );
    corrupt = null;
    expect(fresh.prepare(`SELECT COUNT(*) FROM laps WHERE season = 2020 AND round = 5 AND session = 'fp2'`).pluck().get()).toBe(0);
  });
});
