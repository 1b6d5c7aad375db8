// Recording a finished session (the FP2 fixture from a fake archive) and importing the recording: the laps written
// are the archive import's laps, row for row; a recording cut off mid-line still imports; bad input names the file.
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbCopy } from '../../../tests/helpers/db.js';
import { FP2_KEY, startFakeArchive } from '../../../tests/helpers/fake-archive.js';
import { updateFromArchive } from '../update/f1archive.js';
import { importRecording } from './import.js';
import { recordLive } from './record.js';
import { readRecording } from './recording.js';
import { openLiveSource } from './sources/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pw-rec-'));
const file = join(dir, 'fp2.jsonl');
let fake: Awaited<ReturnType<typeof startFakeArchive>>;
beforeAll(async () => {
  fake = await startFakeArchive();
});
afterAll(() => fake.close());

const lapRows = (db: ReturnType<typeof dbCopy>['db']) =>
  db.prepare(`SELECT driver, lap_number, lap_time_s, compound, tyre_life, stint, position, sector1_s, pit_in_s IS NOT NULL AS pin FROM laps
              WHERE season = 2020 AND round = 5 AND session = 'fp2' ORDER BY driver, lap_number`).all();

describe('live record + import --recording', () => {
  it('records every update of the session with its offset, and the recording imports as the archive import’s laps', async () => {
    const report = await recordLive(
      openLiveSource({ kind: 'f1-archive', season: 2020, sessionKey: FP2_KEY, baseUrl: fake.base, cacheDir: join(dir, 'cache'), http: { limits: [] } }),
      file,
    );
    expect(report).toMatchObject({ messages: 17979, initials: 1, skipped: 0, ended: 'ended', lastOffsetMs: 6_768_534, session: { key: FP2_KEY, name: 'Practice 2' } });
    const rec = readRecording(file, { strict: true });
    expect(rec.header).toMatchObject({ source: 'f1-archive', session: { season: 2020, meeting: '70th Anniversary Grand Prix' } });
    expect(rec.events.filter((e) => e.kind === 'message').every((e) => e.kind === 'message' && typeof e.message.offsetMs === 'number')).toBe(true);

    const a = dbCopy().db;
    const r = importRecording(a, file);
    expect(r).toMatchObject({ season: 2020, round: 5, session: 'fp2', laps: 539, drivers: 20 });
    const b = dbCopy().db;
    await updateFromArchive(b, { seasons: [2020], round: 5, sessions: ['practice'], baseUrl: fake.base, cacheDir: join(dir, 'cache2'), http: { limits: [] } });
    expect(lapRows(a)).toEqual(lapRows(b));
    expect(lapRows(a)).toHaveLength(539);
  });

  it('a recording cut off mid-line (a crash while recording) imports what it has; one without timing names the file', () => {
    const cut = join(dir, 'cut.jsonl');
    const text = readFileSync(file, 'utf8');
    writeFileSync(cut, text.slice(0, Math.floor(text.length / 2)));
    const r = importRecording(dbCopy().db, cut);
    expect(r.skippedLines).toBe(1);
    expect(r.laps).toBeGreaterThan(150);
    expect(r.laps).toBeLessThan(539);
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, text.split('\n')[0] + '\n');
    appendFileSync(empty, JSON.stringify({ topic: 'WeatherData', data: { AirTemp: '20' }, utc: '2020-08-07T14:00:00Z' }) + '\n');
    expect(() => importRecording(dbCopy().db, empty)).toThrow(/empty\.jsonl: the recording has no TimingData updates/);
  });
});
