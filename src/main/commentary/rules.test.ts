// The commentary rules stated one by one: the queue's order, coalescing and stale filter, the pipeline's rate
// limit that never drops a CRITICAL event, and the fact checker's driver names (an invented driver is flagged
// even beside a real one). On 2023 Bahrain (real events) and on hand-made events where a boundary matters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Priority, RaceEvent, RaceEventType } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { sharedDb } from '../../../tests/helpers/db.js';
import { loadRace, type Race } from '../replay/race.js';
import { buildContext, type Facts } from './context.js';
import { CommentaryPipeline } from './pipeline.js';
import { BURST_S, coalesce, EventQueue } from './queue.js';
import { FactChecker, nameBook, RateLimiter } from './validator.js';

let db: Db;
let race: Race;
let checker: FactChecker;
beforeAll(() => {
  db = sharedDb();
  race = loadRace(db, 2023, 1);
  checker = new FactChecker(nameBook(db));
});
afterAll(() => db?.close());

let seq = 0;
const ev = (type: RaceEventType, priority: Priority, time: number, extra: Partial<RaceEvent> = {}): RaceEvent => ({
  id: `e${++seq}`,
  type,
  priority,
  lap: 10,
  time,
  details: {},
  ...extra,
});

describe('event queue', () => {
  it('pops CRITICAL first, then by priority, then the earliest', () => {
    const q = new EventQueue();
    const low = ev('personal_best', 'LOW', 1);
    const high = ev('overtake', 'HIGH', 5, { driver: 'a', other: 'b' });
    const crit = ev('red_flag', 'CRITICAL', 9);
    const high2 = ev('overtake', 'HIGH', 3, { driver: 'c', other: 'd' });
    q.push([low, high, crit]);
    q.push([high2]);
    expect(q.size).toBe(4);
    expect([q.pop(), q.pop(), q.pop(), q.pop()].map((i) => i!.primary.id)).toEqual([crit.id, high2.id, high.id, low.id]);
    expect(q.pop()).toBeUndefined();
    q.push([low]);
    q.clear();
    expect(q.size).toBe(0);
  });

  it('drops stale items older than maxAge, but never a CRITICAL one however old', () => {
    const q = new EventQueue();
    const oldCrit = ev('safety_car', 'CRITICAL', 0);
    const oldHigh = ev('overtake', 'HIGH', 10, { driver: 'a', other: 'b' });
    const edge = ev('personal_best', 'LOW', 380, { driver: 'c' });
    const fresh = ev('personal_best', 'LOW', 450, { driver: 'd' });
    q.push([oldCrit, oldHigh, edge, fresh]);
    expect(q.dropStale(500, 120)).toBe(1); // only the HIGH item from t=10; t=380 is exactly 120 s old: kept
    expect([q.pop(), q.pop(), q.pop()].map((i) => i!.primary.id)).toEqual([oldCrit.id, edge.id, fresh.id]);
    expect(q.size).toBe(0);
  });

  it('coalesces pit stops within BURST_S s (at most six), a pit cycle with its stop, a fastest-lap flurry, an overtake with its lead change', () => {
    const stops = [0, 5, 10, 15, 20, BURST_S].map((t, i) => ev('pit_stop', 'HIGH', 100 + t, { driver: `d${i}`, lap: 12 }));
    const seventh = ev('pit_stop', 'HIGH', 101, { driver: 'd7', lap: 12 });
    const late = ev('pit_stop', 'HIGH', 100 + 3 * BURST_S, { driver: 'd8', lap: 13 });
    const cycle = ev('pit_cycle', 'MEDIUM', 200, { driver: 'd0', lap: 13 });
    const strayCycle = ev('pit_cycle', 'MEDIUM', 201, { driver: 'zz', lap: 13 });
    const fl1 = ev('fastest_lap', 'LOW', 300, { driver: 'a' });
    const fl2 = ev('fastest_lap', 'LOW', 400, { driver: 'b' });
    const fl3 = ev('fastest_lap', 'LOW', 600, { driver: 'c' });
    const lead = ev('lead_change', 'HIGH', 700, { driver: 'x', other: 'y', lap: 20 });
    const pass = ev('overtake', 'HIGH', 701, { driver: 'x', other: 'y', lap: 20 });
    const otherPass = ev('overtake', 'HIGH', 702, { driver: 'y', other: 'x', lap: 20 });
    const items = coalesce([late, ...stops, seventh, cycle, strayCycle, fl1, fl2, fl3, otherPass, pass, lead]);
    const by = (id: string) => items.find((i) => i.primary.id === id);
    // the burst: the stop at t=100, five more within 25 s (the sixth, at t=125, opens its own), and d0's pit cycle
    expect(by(stops[0]!.id)!.also.map((e) => e.id)).toEqual([seventh.id, ...stops.slice(1, 5).map((s) => s.id), cycle.id]);
    expect(by(stops[5]!.id)!.also).toEqual([]);
    expect(by(late.id)!.also).toEqual([]);
    expect(by(strayCycle.id)!.also).toEqual([]); // no stop of its driver
    expect(by(fl1.id)).toBeUndefined(); // replaced by fl2, 100 s later
    expect(by(fl2.id)!.also).toEqual([]);
    expect(by(fl3.id)).toBeDefined(); // 200 s after fl2: a line of its own
    expect(by(lead.id)!.also.map((e) => e.id)).toEqual([pass.id]);
    expect(by(otherPass.id)!.also).toEqual([]); // the other way round: not the pass that made the leader
    expect(items.map((i) => i.primary.id)).toEqual([stops[0]!.id, stops[5]!.id, late.id, strayCycle.id, fl2.id, fl3.id, lead.id, otherPass.id]);
  });

  it('a pit cycle rides with its driver’s stop of the lap before', () => {
    const stop = ev('pit_stop', 'HIGH', 100, { driver: 'd0', lap: 12 });
    const cycle = ev('pit_cycle', 'MEDIUM', 200, { driver: 'd0', lap: 13 });
    const tooLate = ev('pit_cycle', 'MEDIUM', 300, { driver: 'd0', lap: 15 });
    const items = coalesce([stop, cycle, tooLate]);
    expect(items.map((i) => [i.primary.id, i.also.map((e) => e.id)])).toEqual([
      [stop.id, [cycle.id]],
      [tooLate.id, []],
    ]);
  });
});

describe('pipeline: rate limit and stale items never drop a CRITICAL event', () => {
  const critical = () => race.events.filter((e) => e.priority === 'CRITICAL');

  it('says every CRITICAL event of the race at one line a minute', async () => {
    expect(critical().length).toBeGreaterThan(0);
    const p = new CommentaryPipeline({ timeline: race.tl, db, checker, perMinute: 1 });
    const lines = await p.runAll(race.events);
    const said = new Set(lines.map((l) => l.event.id));
    for (const e of critical()) expect(said, `${e.type} lap ${e.lap}`).toContain(e.id);
    expect(p.stats.rateLimited).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(race.events.length / 2);
  });

  it('in live mode a generator far behind skips stale items, never CRITICAL ones', async () => {
    const p = new CommentaryPipeline({ timeline: race.tl, db, checker, maxAge: 60, perMinute: 1000 });
    // everything arrives at once at the chequered flag: all but the last minute is stale
    await p.push(race.events, race.tl.raceEnd);
    const said = new Set(p.lines.map((l) => l.event.id));
    for (const e of critical()) expect(said, `${e.type} lap ${e.lap}`).toContain(e.id);
    expect(p.stats.stale).toBeGreaterThan(50);
    for (const l of p.lines) if (l.event.priority !== 'CRITICAL') expect(race.tl.raceEnd - l.event.time).toBeLessThanOrEqual(60);
  });

  it('rate limiter: LOW may use half, MEDIUM three quarters, HIGH the whole budget of the last minute', () => {
    const rl = new RateLimiter(8);
    const admitted = (p: Priority, from: number, n: number) => Array.from({ length: n }, (_, i) => rl.admit(p, from + i)).filter(Boolean).length;
    expect(admitted('LOW', 0, 10)).toBe(4);
    expect(admitted('MEDIUM', 10, 10)).toBe(2); // 6 of 8
    expect(admitted('HIGH', 20, 10)).toBe(2); // 8 of 8
    expect(admitted('CRITICAL', 30, 5)).toBe(5); // over budget, and counted
    expect(rl.admit('HIGH', 59)).toBe(false);
    expect(rl.admit('HIGH', 95)).toBe(true); // t <= 35 has left the window (the last 60 s)
    rl.reset();
    expect(admitted('LOW', 96, 10)).toBe(4);
    const two = new RateLimiter(2);
    expect(two.admit('LOW', 0)).toBe(true);
    expect(two.admit('LOW', 59.9)).toBe(false);
    expect(two.admit('LOW', 60)).toBe(true); // exactly a minute later
  });
});

describe('fact checker: driver names', () => {
  let facts: Facts;
  beforeAll(() => {
    facts = buildContext(race.tl, race.events.find((e) => e.type === 'pit_stop' && e.driver === 'max_verstappen')!, [], { db });
  });

  it('flags an invented driver beside a real one in the same sentence', () => {
    const v = checker.check('Verstappen pits and rejoins ahead of Vettel.', facts);
    expect(v.ok).toBe(false);
    expect(v.issues).toEqual(['driver "Vettel" is not in the context']);
    expect(checker.check('Verstappen pits.', facts)).toEqual({ ok: true, issues: [] });
    // each sentence is judged on its own names
    expect(checker.check('Verstappen pits. Raikkonen would have stayed out.', facts).issues).toEqual(['driver "Raikkonen" is not in the context']);
  });

  it('names in the context pass by surname, code or full name; a name is a whole word', () => {
    const d = facts.event.driver!;
    expect(checker.check(`${d.code} pits.`, facts).ok).toBe(true);
    expect(checker.check(`${d.name} pits.`, facts).ok).toBe(true);
    const book = new FactChecker({ drivers: [{ surname: 'Verstappen', code: 'VER' }, { surname: 'Stappen', code: null }, { surname: 'Li', code: null }] });
    expect(book.check('Verstappen pits.', facts)).toEqual({ ok: true, issues: [] }); // 'Stappen' inside it is no name
    expect(book.check('Stappen pits with Verstappen.', facts).issues).toEqual(['driver "Stappen" is not in the context']);
    expect(book.check('Li waves.', facts).ok).toBe(true); // 'Li' is too short to be checked
  });
});
