// The strategist's tools across floors: the rejoin and pit-loss API methods through the host's dispatch, and the
// undercut threats merged into a replayed race whose offline commentary lines pass the fact check (real data).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContext } from '../src/main/commentary/context.js';
import { offlineLine } from '../src/main/commentary/offline.js';
import { STYLES } from '../src/main/commentary/prompt.js';
import { FactChecker, nameBook } from '../src/main/commentary/validator.js';
import { openDb, type Db } from '../src/main/data/db.js';
import { closeEngine, createEngine } from '../src/main/engine/host/engine.js';
import { dispatch } from '../src/main/engine/host/handlers.js';
import { withStrategistEvents } from '../src/main/engine/host/strategist.js';
import { Engine, Session } from '../src/main/engine/kernel/session.js';
import { loadRace } from '../src/main/replay/race.js';
import { rejoinAt } from '../src/main/strategy/rejoin-service.js';
import { sharedDb, sharedDbPath } from './helpers/db.js';

let db: Db;
beforeAll(() => {
  db = sharedDb();
});
afterAll(() => db.close());

describe('API', () => {
  let engine: Engine;
  beforeAll(() => {
    engine = createEngine({ db: sharedDbPath() });
  });
  afterAll(() => closeEngine(engine));

  it('strategyRejoin and strategyPitLoss answer through dispatch, with validated arguments', async () => {
    const s = new Session(engine, () => undefined);
    const known = (await dispatch(s, 'strategyRejoin', { season: 2023, round: 1, driver: 'HAM', lap: 12, others: 'known' }, 'viewer')) as { position: number };
    expect(known).toEqual(rejoinAt(db, { season: 2023, round: 1, driver: 'HAM', lap: 12, threats: true }));
    expect((known as { threats?: unknown[] }).threats?.length).toBe(2);
    const none = await dispatch(s, 'strategyRejoin', { season: 2023, round: 1, driver: 'HAM', lap: 12 }, 'viewer');
    expect(none).toEqual(rejoinAt(db, { season: 2023, round: 1, driver: 'HAM', lap: 12, others: 'none', threats: true }));
    const t = (await dispatch(s, 'strategyPitLoss', { circuit: 'bahrain' }, 'viewer')) as { circuit: string; green: { n: number } };
    expect(t.circuit).toBe('bahrain');
    expect(t).not.toHaveProperty('samples');
    await expect(dispatch(s, 'strategyRejoin', { season: 2023, round: 1, driver: 'HAM' }, 'viewer')).rejects.toThrow(/lap/);
  });
});

describe('undercut threats in the replay and the commentary', () => {
  it('2023 round 1: the replay opened through the host carries them, and every style of their line passes the fact check', async () => {
    const engine = new Engine(openDb(sharedDbPath()), sharedDbPath());
    const race = loadRace(db, 2023, 1);
    const merged = withStrategistEvents(engine, race);
    const threats = merged.events.filter((e) => e.type === 'undercut_threat');
    expect(threats.length).toBeGreaterThan(5);
    expect(merged.events.length).toBe(race.events.length + threats.length);
    for (let i = 1; i < merged.events.length; i++) expect(merged.events[i]!.time).toBeGreaterThanOrEqual(merged.events[i - 1]!.time);
    expect(threats.every((e) => race.tl.meta.drivers.some((d) => d.driver === e.driver))).toBe(true);
    const checker = new FactChecker(nameBook(db));
    for (const e of threats.slice(0, 5))
      for (const style of STYLES) {
        const facts = buildContext(race.tl, e, [], { db });
        const line = offlineLine(facts, style, 1, e.id);
        expect(line).not.toMatch(/undercut threat\.$/); // a real line, not the generic fallback
        expect(checker.check(line, facts).issues, line).toEqual([]);
      }
    engine.db.close();
  }, 120_000);
});
