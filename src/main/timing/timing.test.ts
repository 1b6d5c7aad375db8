// The live-timing archive format on the real fixture session (2020 70th Anniversary GP, FP2): stream parsing, the
// merge rules, `.z` payloads, and per-lap rows derived from the merged streams.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../tests/helpers/data.js';
import { deriveLaps } from './laps.js';
import { mergeUpdate, TimingState } from './state.js';
import { decodePayload, inflatePayload, parseJsonStream, type StreamUpdate } from './stream.js';

const FIX = join(PROJECT_ROOT, 'tests', 'fixtures', 'f1-livetiming');
const SESSION = join(FIX, '2020', '2020-08-09_70th_Anniversary_Grand_Prix', '2020-08-07_Practice_2');
const streams: Record<string, StreamUpdate[]> = {};
for (const f of readdirSync(SESSION)) {
  const topic = f.replace('.jsonStream.gz', '');
  streams[topic] = parseJsonStream(gunzipSync(readFileSync(join(SESSION, f))).toString('utf8'), topic, f);
}

/** The merged TimingData at an offset, as the archive's consumers see it. */
function timingAt(ms: number): Record<string, Record<string, unknown>> {
  const s = new TimingState();
  for (const u of streams.TimingData!) if (u.offsetMs <= ms) s.apply('TimingData', u.data);
  return (s.get<{ Lines: Record<string, Record<string, unknown>> }>('TimingData')!).Lines;
}

describe('merge rules', () => {
  it('deep-merges objects, updates lists through index keys, drops _kf, applies _deleted, replaces lists', () => {
    let s: unknown = { Lines: { '44': { Sectors: [{ Value: '' }, { Value: '' }], Position: '3', Line: 3 } } };
    s = mergeUpdate(s, { _kf: true, Lines: { '44': { Sectors: { '1': { Value: '34.739' } }, Position: '1' } } });
    expect(s).toEqual({ Lines: { '44': { Sectors: [{ Value: '' }, { Value: '34.739' }], Position: '1', Line: 3 } } });
    s = mergeUpdate(s, { Lines: { '44': { _deleted: ['Line'] } } });
    expect(s).toEqual({ Lines: { '44': { Sectors: [{ Value: '' }, { Value: '34.739' }], Position: '1' } } });
    s = mergeUpdate(s, { Lines: { '44': { Sectors: [{ Value: '1' }] } } });
    expect((s as { Lines: { '44': { Sectors: unknown } } }).Lines['44'].Sectors).toEqual([{ Value: '1' }]);
    expect(mergeUpdate(['a', 'b'], { x: 1 })).toEqual({ '0': 'a', '1': 'b', x: 1 });
  });

  it('gives the tower the raw stream gives (positions, laps, best and last lap at 00:30 and 01:30)', () => {
    // Reference values from merging TimingData.jsonStream with an independent script (acceptance lib).
    const at30 = timingAt(30 * 60_000);
    expect([at30['44']!.Position, at30['44']!.NumberOfLaps, at30['3']!.Position, at30['3']!.NumberOfLaps]).toEqual(['19', 1, '9', 5]);
    expect((at30['3']!.BestLapTime as { Value: string }).Value).toBe('1:27.736');
    const at90 = timingAt(90 * 60_000);
    expect([at90['44']!.NumberOfLaps, at90['77']!.NumberOfLaps, at90['99']!.NumberOfLaps]).toEqual([22, 21, 23]);
    expect((at90['77']!.LastLapTime as { Value: string }).Value).toBe('1:39.681');
  });
});

describe('archive streams', () => {
  it('reads offsets after a BOM and CRLF line ends', () => {
    const u = parseJsonStream('\uFEFF00:00:05.037{"Status":"Inactive"}\r\n01:35:42.872{"Status":"Aborted"}\r\n', 'SessionStatus', 's');
    expect(u).toEqual([
      { offsetMs: 5037, data: { Status: 'Inactive' } },
      { offsetMs: 5742872, data: { Status: 'Aborted' } },
    ]);
    expect(streams.SessionInfo![0]!.data).toMatchObject({ Key: 5778, Type: 'Practice', Name: 'Practice 2' });
  });
  it('names the source and line of malformed JSON, a truncated last line and a line without an offset', () => {
    const src = 'http://127.0.0.1/static/2020/x/TimingData.jsonStream';
    expect(() => parseJsonStream('00:00:01.000{"a":1}\n00:00:02.000{"a":', 'TimingData', src)).toThrow(
      new RegExp(`^${src.replace(/[./]/g, '\\$&')}, line 2: malformed JSON .*last line cut off: truncated stream`),
    );
    expect(() => parseJsonStream('{"a":1}\n', 'TimingData', src)).toThrow(/line 1: expected "HH:MM:SS.mmm" then JSON/);
  });
  it('inflates a .z payload (base64 raw-deflate JSON) and refuses a cut-off real one with source and line', () => {
    const msg = { Entries: [{ Utc: '2021-03-27T12:00:00.1Z', Cars: { '44': { Channels: { '0': 11000, '2': 290 } } } }] };
    const { topic, data } = decodePayload('CarData.z', deflateRawSync(JSON.stringify(msg)).toString('base64'), 'live');
    expect([topic, data]).toEqual(['CarData', msg]);
    // The fixture's recorded CarData.z payload was cut off mid-way (FastF1 keeps it as a broken line).
    const line = readFileSync(join(FIX, 'cardata-z-line.txt'), 'utf8');
    const b64 = /'CarData\.z', '([^']+)'/.exec(line)![1]!;
    expect(() => inflatePayload(b64, 'http://x/CarData.z.jsonStream', 7)).toThrow(
      /^http:\/\/x\/CarData\.z\.jsonStream, line 7: compressed payload does not inflate/,
    );
    expect(() => parseJsonStream('00:00:01.000"bm90IGRlZmxhdGU="\n', 'Position.z', 'P.z')).toThrow(/P\.z, line 1: compressed payload does not inflate/);
  });
});

describe('laps derived from the merged streams', () => {
  const laps = deriveLaps(streams);
  const final = timingAt(Infinity);
  it('counts every lap the timing counted, and each car’s best lap is its BestLapTime', () => {
    for (const [num, line] of Object.entries(final)) {
      const mine = laps.filter((l) => l.driver_number === Number(num));
      expect(mine.map((l) => l.lap_number), `#${num}`).toEqual(Array.from({ length: line.NumberOfLaps as number }, (_, i) => i + 1));
      const best = Math.min(...mine.map((l) => l.lap_time_s ?? Infinity));
      const want = (line.BestLapTime as { Value: string }).Value;
      const [m, s] = want.split(':');
      expect(best, `#${num} best`).toBeCloseTo(Number(m) * 60 + Number(s), 3);
      expect(mine.filter((l) => l.is_personal_best).some((l) => l.lap_time_s === best), `#${num} PB flag`).toBe(true);
    }
    expect(new Set(laps.map((l) => l.driver))).toContain('HAM');
  });
  it('sector times add up to the lap time on laps with all three', () => {
    const full = laps.filter((l) => l.lap_time_s !== null && l.sector1_s !== null && l.sector2_s !== null && l.sector3_s !== null);
    expect(full.length).toBeGreaterThan(300);
    const off = full.filter((l) => Math.abs(l.sector1_s! + l.sector2_s! + l.sector3_s! - l.lap_time_s!) > 0.01);
    expect(off.length / full.length).toBeLessThan(0.02);
  });
  it('marks the in-lap, the out-lap and the new stint around a stop, and the VSC in the track status', () => {
    const ham = laps.filter((l) => l.driver === 'HAM');
    expect(ham[3]!.lap_time_s).toBe(149.107);
    expect(ham.slice(2, 6).map((l) => [l.lap_number, l.pit_in, l.pit_out, l.stint, l.compound, l.tyre_life, l.fresh_tyre])).toEqual([
      [3, false, false, 1, 'SOFT', 2, true],
      [4, true, false, 1, 'SOFT', 3, true], // the in-lap: its time shows at the line in the pit lane, the count at pit exit
      [5, false, true, 2, 'SOFT', 4, false],
      [6, false, false, 2, 'SOFT', 5, false],
    ]);
    // TrackStatus: VSC (6) from 01:31:35.908 to 01:33:21.203.
    const during = laps.filter((l) => l.time_s > 5496 && l.time_s < 5601 + 60);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((l) => l.track_status!.includes('6') || l.time_s - (l.lap_time_s ?? 0) > 5601)).toBe(true);
    const clean = laps.filter((l) => l.time_s < 5463);
    expect(clean.every((l) => l.track_status === '1')).toBe(true);
  });
});
