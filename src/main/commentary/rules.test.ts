// The commentary rules stated one by one: the queue's order, coalescing and stale filter, the pipeline's rate
// limit that never drops a CRITICAL event, and the fact checker's driver names (an invented driver is flagged
// even beside a real one). On 2023 Bahrain (real events) and on hand-made events where a boundary matters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Priority } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { sharedDb } from '../../../tests/helpers/db.js';
import { eventMaker } from '../../../tests/helpers/events.js';
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

const ev = eventMaker('e');

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

describe('pipeline with a Claude generator (in process): fact check, one regeneration, offline fallback, breaker', () => {
  const verPit = () => race.events.find((e) => e.type === 'pit_stop' && e.driver === 'max_verstappen')!;
  /** A generator named claude whose replies come from `reply(n)` (n = 1, 2, …); errors are thrown. */
  const fake = (reply: (n: number, facts: Facts) => string | Error) => {
    const calls: string[] = [];
    const gen = {
      name: 'claude' as const,
      async generate(req: { facts: Facts; prompt: { user: string } }) {
        calls.push(req.prompt.user);
        const r = reply(calls.length, req.facts);
        if (r instanceof Error) throw r;
        return r;
      },
    };
    return { gen, calls };
  };
  const good = (f: Facts) => `${f.event.driver!.surname} pits from P${f.event.driver!.position} on lap ${f.event.lap}.`;
  const one = async (reply: (n: number, facts: Facts) => string | Error) => {
    const { gen, calls } = fake(reply);
    const p = new CommentaryPipeline({ timeline: race.tl, db, checker, generator: gen });
    await p.push([verPit()]);
    expect(p.lines).toHaveLength(1);
    return { line: p.lines[0]!, calls, stats: p.stats };
  };

  it('keeps a reply that passes the fact check', async () => {
    const { line, calls, stats } = await one((_n, f) => good(f));
    expect(line).toMatchObject({ source: 'claude', text: 'Verstappen pits from P1 on lap 14.', validation: { ok: true, issues: [] } });
    expect(calls).toHaveLength(1);
    expect(stats).toMatchObject({ claude: 1, offline: 0, regenerated: 0, fallbacks: 0 });
  });

  it('regenerates once with the checker’s feedback, and keeps a right second reply', async () => {
    const { line, calls, stats } = await one((n, f) => (n === 1 ? 'Schumacher pits on lap 14.' : good(f)));
    expect(calls).toHaveLength(2);
    expect(calls[0]).not.toMatch(/rejected by the fact checker/);
    expect(calls[1]).toMatch(/rejected by the fact checker/);
    expect(calls[1]).toContain('driver "Schumacher" is not in the context');
    expect(line.source).toBe('claude');
    expect(line.validation.ok).toBe(true);
    expect(line.validation.issues).toEqual(['claude attempt 1: driver "Schumacher" is not in the context']);
    expect(stats).toMatchObject({ claude: 1, regenerated: 1, fallbacks: 0 });
  });

  it('after two wrong replies falls back to the offline line, with both verdicts recorded', async () => {
    const { line, calls, stats } = await one(() => 'Verstappen pits from P7 on lap 14.');
    expect(calls).toHaveLength(2);
    expect(line.source).toBe('offline');
    expect(line.validation.ok).toBe(true);
    expect(line.validation.issues).toEqual(['claude attempt 1: position P7 does not match the context for Verstappen', 'claude attempt 2: position P7 does not match the context for Verstappen']);
    expect(stats).toMatchObject({ claude: 0, offline: 1, regenerated: 1, fallbacks: 1 });
  });

  it('a failing API falls back at once; after three failures in a row it is skipped for a while', async () => {
    const { gen, calls } = fake(() => new Error('overloaded'));
    const p = new CommentaryPipeline({ timeline: race.tl, db, checker, generator: gen });
    const events = race.events.filter((e) => e.priority === 'CRITICAL' || e.priority === 'HIGH').slice(0, 5);
    for (const e of events) await p.push([e]);
    expect(p.lines).toHaveLength(5);
    expect(calls).toHaveLength(3); // one try per line until the breaker opens
    expect(p.lines.map((l) => l.source)).toEqual(['offline', 'offline', 'offline', 'offline', 'offline']);
    expect(p.lines[0]!.validation.issues).toEqual(['claude failed: overloaded']);
    expect(p.lines[3]!.validation.issues).toEqual(['claude skipped: unavailable, retrying later']);
    expect(p.stats).toMatchObject({ fallbacks: 3, offline: 5, claude: 0 }); // the skipped lines never asked Claude
  });

  it('after a seek, a line still being produced is dropped and the queue starts afresh', async () => {
    let release: () => void = () => undefined;
    const gen = {
      name: 'claude' as const,
      generate: (req: { facts: Facts }) => new Promise<string>((r) => (release = () => r(good(req.facts)))),
    };
    const p = new CommentaryPipeline({ timeline: race.tl, db, checker, generator: gen });
    const done = p.push([verPit()]);
    await new Promise((r) => setTimeout(r, 10));
    p.reset(race.tl.leaderTimes[30]!);
    release();
    await done;
    expect(p.lines).toEqual([]);
  });
});

describe('fact checker: every kind of fact', () => {
  let facts: Facts;
  beforeAll(() => {
    facts = buildContext(race.tl, race.events.find((e) => e.type === 'pit_stop' && e.driver === 'max_verstappen')!, [], { db });
  });
  it('accepts a line that agrees with the context', () => {
    const d = facts.event.driver!;
    const v = checker.check(`${d.surname} (${d.team}) pits from P${d.position} on lap ${facts.event.lap}, ${facts.event.details.pitLaneTime} s in the pit lane, off the ${String(facts.event.details.compoundFrom).toLowerCase()} tyres.`, facts);
    expect(v).toEqual({ ok: true, issues: [] });
    expect(checker.check('', facts)).toEqual({ ok: false, issues: ['empty line'] });
  });
  it.each([
    ['Verstappen pits from P7 on lap 14.', 'position P7 does not match the context for Verstappen'],
    ['Verstappen pits from seventh place.', 'position P7 does not match the context for Verstappen'],
    ['Verstappen pits on lap 33.', 'lap 33 does not match the context'],
    ['Verstappen pits with 3 laps to go.', /^3 laps to go does not match \(4[34]\)$/],
    ['Verstappen pits, 31.4 s in the pit lane.', 'figure 31.4 s does not match the context'],
    ['Verstappen pits, 1:59.123 behind.', 'time 1:59.123 does not match the context'],
    ['Verstappen pits for intermediate tyres.', 'compound intermediate does not match the context'],
    ['Verstappen pits for Williams.', 'team "Williams" is not in the context'],
    ['Verstappen pits on 88-lap-old tyres.', 'tyre age 88 laps does not match the context'],
  ] as [string, string | RegExp][])('rejects "%s"', (text, issue) => {
    const v = checker.check(text, facts);
    expect(v.ok).toBe(false);
    expect(v.issues.some((i) => (typeof issue === 'string' ? i === issue : issue.test(i))), v.issues.join('; ')).toBe(true);
  });
});
