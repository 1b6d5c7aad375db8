// A race with Jolpica's laps only (position and lap time per lap; no FastF1 tyre rows) replays: tower, gaps,
// intervals, pit stops, overtakes, commentary — with the tyre columns unknown. Results-only races open to their
// classification and the winner prediction.
import { beforeAll, describe, expect, it } from 'vitest';
import { dbCopy } from '../../../tests/helpers/db.js';
import type { Db } from '../data/db.js';
import { raceResults } from '../data/classification.js';
import { CommentaryPipeline } from '../commentary/pipeline.js';
import { FactChecker, nameBook } from '../commentary/validator.js';
import { loadRace, type Race } from './race.js';
import { snapshotAt } from './snapshot.js';

/** 2024 round 18 as `update --source jolpica` leaves it: the columns write.ts fills, nothing else. */
function jolpicaOnly(): { db: Db; file: string } {
  const { db, file } = dbCopy();
  db.exec(`CREATE TEMP TABLE k AS SELECT season, round, session, driver, lap_number, driver_number, driver_ref, lap_time_s, position
           FROM laps WHERE season = 2024 AND round = 18 AND session = 'race';
           DELETE FROM laps WHERE season = 2024 AND round = 18;
           INSERT INTO laps (season, round, session, driver, lap_number, driver_number, driver_ref, lap_time_s, position) SELECT * FROM k;`);
  return { db, file };
}

describe('a race with lap times and positions only', () => {
  let db: Db;
  let race: Race;
  let file: string;
  beforeAll(() => {
    ({ db, file } = jolpicaOnly());
    race = loadRace(db, 2024, 18);
  });

  it('the tower follows the official positions lap by lap, with gaps and intervals, and tyres unknown', () => {
    const tl = race.tl;
    expect(tl.totalLaps).toBe(62);
    const pos = db.prepare(`SELECT driver_ref FROM laps WHERE season = 2024 AND round = 18 AND lap_number = ? AND position IS NOT NULL ORDER BY position`).pluck();
    for (const lap of [5, 30, 61]) {
      const top = (pos.all(lap) as string[]).slice(0, 10);
      // just after the top ten have all crossed the line at the end of `lap`
      const snap = snapshotAt(tl, Math.max(...top.map((d) => tl.lapOf(d, lap)!.time)) + 0.1);
      const running = snap.rows.filter((r) => !r.retired).map((r) => r.driver);
      expect(running.slice(0, 10), `lap ${lap}`).toEqual(top);
      for (const r of snap.rows) {
        expect(r.compound).toBe('UNKNOWN');
        expect(r.tyreAge).toBeNull();
      }
      const gaps = snap.rows.slice(1, 10).map((r) => r.gapToLeader);
      expect(gaps.every((g) => typeof g === 'number' && g > 0)).toBe(true);
      expect(snap.rows.slice(1, 10).every((r) => typeof r.interval === 'number' && r.interval >= 0)).toBe(true);
    }
  });

  it('pit stops are the official ones, overtakes and fastest laps are found, compounds stay unknown', () => {
    const stops = race.events.filter((e) => e.type === 'pit_stop').map((e) => `${e.driver}/${e.lap}`).sort();
    const official = (db.prepare(`SELECT d.driver_ref || '/' || p.lap FROM pit_stops p JOIN drivers d USING (driver_id) JOIN races r USING (race_id)
                                  WHERE r.year = 2024 AND r.round = 18`).pluck().all() as string[]).sort();
    expect(stops).toEqual(official);
    for (const e of race.events.filter((x) => x.type === 'pit_stop')) expect([e.details.compoundFrom, e.details.compoundTo]).toEqual(['UNKNOWN', 'UNKNOWN']);
    expect(race.events.filter((e) => e.type === 'overtake').length).toBeGreaterThan(5);
    expect(race.events.some((e) => e.type === 'fastest_lap')).toBe(true);
  });

  it('commentary runs over it offline and every line passes the fact check, none names a compound', async () => {
    const pipeline = new CommentaryPipeline({ timeline: race.tl, style: 'technical', seed: 1, perMinute: 1000, db, checker: new FactChecker(nameBook(db)) });
    const lines = await pipeline.runAll(race.events);
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.filter((l) => !l.validation.ok)).toEqual([]);
    expect(lines.filter((l) => /\b(soft|medium|hard|unknown)s?\b/i.test(l.text)).map((l) => l.text)).toEqual([]);
  });

  it('no pit advice on unknown tyres (the engine answers null); a race with tyre data still gets advice', async () => {
    const { createEngine, closeEngine } = await import('../engine/host/engine.js');
    const { dispatch } = await import('../engine/host/handlers.js');
    const { Session } = await import('../engine/kernel/session.js');
    const engine = createEngine({ db: file });
    try {
      const s = new Session(engine, () => {});
      expect(await dispatch(s, 'strategyRecommend', { season: 2024, round: 18, driver: 'max_verstappen', lap: 20, seeds: 5 })).toBeNull();
      expect(await dispatch(s, 'strategyRecommend', { season: 2024, round: 17, driver: 'max_verstappen', lap: 20, seeds: 5 })).toMatchObject({ lap: 20 });
    } finally {
      await closeEngine(engine);
    }
  }, 120_000);
});

describe('a results-only race (1950–1995)', () => {
  it('has no replay, but its classification and grid, and the winner model predicts it', async () => {
    const { db } = dbCopy();
    expect(() => loadRace(db, 1990, 1)).toThrow(/No lap data for the 1990 United States Grand Prix/);
    const r = raceResults(db, 1990, 1);
    expect(r.hasLaps).toBe(false);
    expect(r.rows[0]).toMatchObject({ driver: 'senna', position: 1 });
    expect(r.rows.filter((x) => x.grid !== null).length).toBeGreaterThan(20);
    const { loadWinner, predictWinner } = await import('../models/service.js');
    const w = await loadWinner(db, ':memory:');
    expect(w).not.toBeNull();
    const p = await predictWinner(db, w!, 1990, 1);
    expect(p.length).toBeGreaterThanOrEqual(26); // the starters (26), and a car that started from the pit lane
    expect(p.reduce((a, x) => a + x.probability, 0)).toBeCloseTo(1, 2);
  });
});
