// `pitwall results` / `pitwall laps` data, checked against the bundled CSVs and the FastF1 lap files.
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sharedDb, sharedDbPath } from '../../../tests/helpers/db.js';
import { ERGAST_DIR, PROJECT_ROOT } from '../../../tests/helpers/data.js';
import { readCsv } from './csv.js';
import { findFile } from './ergast.js';
import { classification, sessionLaps } from './classification.js';

const csv = (name: string) => {
  const t = readCsv(findFile(ERGAST_DIR, name)!);
  return t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i]!])));
};

describe('classification and session laps', () => {
  const db = sharedDb();
  it('gives 2024 round 5 exactly as results.csv has it, unclassified cars with a null position', () => {
    const race = csv('races.csv').find((r) => r.year === '2024' && r.round === '5')!;
    const refs = new Map(csv('drivers.csv').map((d) => [d.driverId, d.driverRef]));
    const want = csv('results.csv')
      .filter((r) => r.raceId === race.raceId)
      .sort((a, b) => Number(a.positionOrder) - Number(b.positionOrder))
      .map((r) => [r.position === '\\N' ? null : Number(r.position), refs.get(r.driverId), Number(r.grid), Number(r.points)]);
    const got = classification(db, 2024, 5).map((r) => [r.position, r.driver, r.grid, r.points]);
    expect(got).toEqual(want);
    expect(got.some((r) => r[0] === null)).toBe(true);
    expect(classification(db, 2024, 5)[0]).toEqual({
      position: 1, positionOrder: 1, driver: 'max_verstappen', code: 'VER', constructor: 'red_bull', grid: 1, points: 25,
      status: 'Finished', laps: 56,
    });
    expect(() => classification(db, 2031, 1)).toThrow(/no race 2031 round 1/);
  });

  it('marks in- and out-laps around every pit stop of the race', () => {
    const laps = sessionLaps(db, 2024, 5);
    const ver = laps.filter((l) => l.driver === 'VER');
    expect(ver.map((l) => l.lap)).toEqual(Array.from({ length: 56 }, (_, i) => i + 1));
    const stops = db
      .prepare(`SELECT p.lap FROM pit_stops p JOIN races r ON r.race_id = p.race_id JOIN drivers d ON d.driver_id = p.driver_id
                WHERE r.year = 2024 AND r.round = 5 AND d.driver_ref = 'max_verstappen' ORDER BY p.lap`)
      .pluck()
      .all() as number[];
    expect(stops.length).toBeGreaterThan(0);
    expect(ver.filter((l) => l.pit_in).map((l) => l.lap)).toEqual(stops);
    expect(ver.filter((l) => l.pit_out).map((l) => l.lap)).toEqual(stops.map((s) => s + 1));
    expect(new Set(ver.map((l) => l.stint)).size).toBe(stops.length + 1);
  });

  it('prints exactly the listed fields from the CLI', () => {
    const env = { ...process.env, PITWALL_DB: sharedDbPath() };
    const bin = join(PROJECT_ROOT, 'bin', 'pitwall.mjs');
    const res = JSON.parse(execFileSync(process.execPath, [bin, 'results', '--season', '2024', '--round', '5', '--json'], { env, encoding: 'utf8' }));
    expect(Object.keys(res[0]).sort()).toEqual(['code', 'constructor', 'driver', 'grid', 'laps', 'points', 'position', 'positionOrder', 'status']);
    const laps = JSON.parse(execFileSync(process.execPath, [bin, 'laps', '--season', '2024', '--round', '5', '--session', 'race', '--json'], { env, encoding: 'utf8' }));
    expect(Object.keys(laps[0]).sort()).toEqual(
      ['compound', 'driver', 'lap', 'lap_time_s', 'pit_in', 'pit_out', 'position', 'stint', 'track_status', 'tyre_life'].sort(),
    );
    expect(laps.length).toBe(sessionLaps(db, 2024, 5).length);
  });
});
