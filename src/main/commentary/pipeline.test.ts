// The commentary pipeline stated exactly, on 2023 Bahrain's timeline with hand-made events, a scripted generator
// and a scripted fact checker: its defaults (style, seed, rate, checker), the line it makes field by field, the
// race time it judges staleness by, duplicates by event and by what was said, the rate limit, a seek (queue, rate
// window and clock reset; the line in flight dropped), the batch windows, reading lines since an id or a time, the
// recent events in the context, and the Claude path: one regeneration with the checker's feedback, the offline
// fallback with every verdict recorded, and the circuit breaker (opens after three failures in a row, 30 s).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CommentaryLine, CommentaryStyle, Priority, RaceEvent } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { sharedDb } from '../../../tests/helpers/db.js';
import { eventMaker } from '../../../tests/helpers/events.js';
import { loadRace, type Race } from '../replay/race.js';
import { buildContext, describeEvent } from './context.js';
import type { GenerateRequest, Generator } from './generator.js';
import { offlineLine } from './offline.js';
import { CommentaryPipeline, type PipelineOptions } from './pipeline.js';
import { buildPrompt } from './prompt.js';
import { FactChecker, type Verdict } from './validator.js';

let db: Db;
let race: Race;
let T: number; // a race time (s) at the end of lap 10
beforeAll(() => {
  db = sharedDb();
  race = loadRace(db, 2023, 1);
  T = race.tl.leaderTimes[9]!;
});
afterAll(() => db?.close());
afterEach(() => {
  vi.useRealTimers();
});

const ev = eventMaker('p');
let seq = 0; // made-up car names for uniq
/** An event with a key of its own (a HIGH overtake of a made-up pair). */
const uniq = (time: number, priority: Priority = 'HIGH', extra: Partial<RaceEvent> = {}) =>
  ev('overtake', priority, time, { driver: 'max_verstappen', other: `x${++seq}`, ...extra });
const pipe = (o: Partial<PipelineOptions> = {}) => new CommentaryPipeline({ timeline: race.tl, db, ...o });
const ids = (lines: CommentaryLine[]) => lines.map((l) => l.event.id);
const offlineText = (e: RaceEvent, style: CommentaryStyle = 'casual', seed = 1, also: RaceEvent[] = []) =>
  offlineLine(buildContext(race.tl, e, also), style, seed, e.id);

/** A checker whose verdicts are scripted by text; it records every text it was asked about. */
class ScriptedChecker extends FactChecker {
  readonly seen: string[] = [];
  constructor(private readonly verdict: (text: string) => Verdict = () => ({ ok: true, issues: [] })) {
    super();
  }
  override check(text: string): Verdict {
    this.seen.push(text);
    return this.verdict(text);
  }
}

/** A generator named claude: reply n (1, 2, …) from `reply`; an Error is thrown. */
const claude = (reply: (n: number) => string | Error) => {
  const calls: GenerateRequest[] = [];
  const gen: Generator = {
    name: 'claude',
    generate(req) {
      calls.push(req);
      const r = reply(calls.length);
      return r instanceof Error ? Promise.reject(r) : Promise.resolve(r);
    },
  };
  return { gen, calls };
};

describe('defaults and the line', () => {
  it('casual offline lines under seed 1, checked by the given checker; every field of the line', async () => {
    const checker = new ScriptedChecker();
    const p = pipe({ checker });
    expect(p.style).toBe('casual');
    const e = ev('pit_stop', 'HIGH', T, {
      driver: 'max_verstappen',
      lap: 12,
      details: { compoundTo: 'HARD' },
    });
    await p.push([e]);
    const text = offlineText(e);
    expect(p.lines).toEqual([
      {
        id: p.lines[0]!.id,
        event: e,
        text,
        style: 'casual',
        source: 'offline',
        validation: { ok: true, issues: [] },
        lap: 12,
        time: T,
      },
    ]);
    expect(p.lines[0]!.id).toMatch(/^c\d+$/);
    expect(checker.seen).toEqual([text]);
    expect(p.stats).toEqual({
      queued: 1,
      rateLimited: 0,
      stale: 0,
      duplicates: 0,
      regenerated: 0,
      fallbacks: 0,
      claude: 0,
      offline: 1,
    });
  });

  it('line ids count up across pipelines', async () => {
    const a = pipe();
    const b = pipe();
    await a.push([uniq(T)]);
    await b.push([uniq(T)]);
    await a.push([uniq(T + 1)]);
    const n = (l: CommentaryLine) => Number(l.id.slice(1));
    expect([n(b.lines[0]!), n(a.lines[1]!)]).toEqual([n(a.lines[0]!) + 1, n(a.lines[0]!) + 2]);
  });

  it('a seed picks among the templates: seed 1 by default, another seed its own', async () => {
    const e = ev('pit_stop', 'HIGH', T, {
      driver: 'max_verstappen',
      details: { compoundTo: 'HARD', position: 1 },
    });
    const other = [2, 3, 4, 5, 6, 7, 8, 9].find(
      (s) => offlineText(e, 'casual', s) !== offlineText(e, 'casual', 1),
    )!;
    expect(other).toBeDefined();
    for (const [seed, want] of [
      [undefined, 1],
      [1, 1],
      [other, other],
    ] as const) {
      const p = pipe({ seed });
      await p.push([e]);
      expect(
        p.lines.map((l) => l.text),
        String(seed),
      ).toEqual([offlineText(e, 'casual', want)]);
    }
  });

  it('the style at the time of the line: set before a push, it is the line’s style and template', async () => {
    const p = pipe({ style: 'technical' });
    const a = uniq(T);
    await p.push([a]);
    p.style = 'dramatic';
    const b = uniq(T + 1);
    await p.push([b]);
    expect(p.lines.map((l) => [l.style, l.text])).toEqual([
      ['technical', offlineText(a, 'technical')],
      ['dramatic', offlineText(b, 'dramatic')],
    ]);
  });

  it('six lines a minute by default (HIGH), the given rate otherwise', async () => {
    const burst = () => Array.from({ length: 8 }, (_, i) => uniq(T + i));
    const six = pipe();
    await six.push(burst());
    expect([six.lines.length, six.stats.rateLimited]).toEqual([6, 2]);
    const two = pipe({ perMinute: 2 });
    await two.push(burst());
    expect([two.lines.length, two.stats.rateLimited]).toEqual([2, 6]);
  });

  it('every line goes to onLine as it is made, the same object as in lines', async () => {
    const got: CommentaryLine[] = [];
    const p = pipe({ onLine: (l) => got.push(l) });
    await p.push([uniq(T), uniq(T + 1)]);
    expect(got).toHaveLength(2);
    expect(got[0]).toBe(p.lines[0]);
    expect(got[1]).toBe(p.lines[1]);
  });
});

describe('push: race time, queueing, one worker', () => {
  it('counts every event queued; an empty push is a no-op', async () => {
    const p = pipe();
    const a = uniq(T);
    await p.push([a, a]);
    await p.push([]);
    expect(p.stats.queued).toBe(2);
    expect(p.stats.duplicates).toBe(1);
    expect(ids(p.lines)).toEqual([a.id]);
  });

  it('a push while working joins the same run; a later push starts a new one', async () => {
    const p = pipe();
    const a = uniq(T);
    const b = uniq(T + 1);
    const first = p.push([a]);
    const second = p.push([b]);
    expect(second).toBe(first);
    await first;
    expect(ids(p.lines)).toEqual([a.id, b.id]);
    const c = uniq(T + 2);
    const third = p.push([c]);
    expect(third).not.toBe(first);
    await third;
    expect(ids(p.lines)).toEqual([a.id, b.id, c.id]);
  });

  it('with maxAge, "now" is the given time, else the last event’s time as given; it never goes back', async () => {
    const old = uniq(T);
    const fresh = uniq(T + 100);
    const byLast = pipe({ maxAge: 60 });
    await byLast.push([old, fresh]);
    expect([ids(byLast.lines), byLast.stats.stale]).toEqual([[fresh.id], 1]);
    const lastGiven = pipe({ maxAge: 60 });
    const [o2, f2] = [uniq(T), uniq(T + 100)];
    await lastGiven.push([f2, o2]); // now = T: nothing is stale
    expect([ids(lastGiven.lines), lastGiven.stats.stale]).toEqual([[o2.id, f2.id], 0]);
    const given = pipe({ maxAge: 60 });
    const [edge, late] = [uniq(T), uniq(T)];
    await given.push([edge], T + 60);
    await given.push([late], T + 61);
    expect([ids(given.lines), given.stats.stale]).toEqual([[edge.id], 1]);
    const forward = pipe({ maxAge: 60 });
    const [later, earlier] = [uniq(T + 500), uniq(T + 100)];
    await forward.push([later]);
    await forward.push([earlier]); // now stays T + 500
    await forward.push([]);
    expect([ids(forward.lines), forward.stats.stale]).toEqual([[later.id], 1]);
  });

  it('without maxAge nothing is stale, however old', async () => {
    const p = pipe();
    const a = uniq(T);
    await p.push([a], T + 10_000);
    expect([ids(p.lines), p.stats.stale]).toEqual([[a.id], 0]);
  });
});

describe('duplicates and the rate limit', () => {
  it('an event is said once: by its id (also when it rode along in an earlier line) and by type, cars and lap', async () => {
    const p = pipe();
    const s1 = ev('pit_stop', 'HIGH', T, { driver: 'max_verstappen' });
    const s2 = ev('pit_stop', 'HIGH', T + 5, { driver: 'perez' });
    await p.push([s1, s2]); // one burst, one line
    await p.push([s2]); // rode along: said
    const pass = ev('overtake', 'HIGH', T + 10, { driver: 'leclerc', other: 'sainz', lap: 11 });
    const again = ev('overtake', 'HIGH', T + 11, { driver: 'leclerc', other: 'sainz', lap: 11 });
    await p.push([pass]);
    await p.push([again]);
    expect(ids(p.lines)).toEqual([s1.id, pass.id]);
    expect(p.stats.duplicates).toBe(2);
    expect(p.stats.queued).toBe(5);
  });

  it('another driver, other car, lap or type is another event', async () => {
    const p = pipe({ perMinute: 100 });
    const base = { driver: 'leclerc', other: 'sainz', lap: 11 };
    const events = [
      ev('overtake', 'HIGH', T, base),
      ev('overtake', 'HIGH', T + 1, { ...base, driver: 'alonso' }),
      ev('overtake', 'HIGH', T + 2, { ...base, other: 'alonso' }),
      ev('overtake', 'HIGH', T + 3, { ...base, lap: 12 }),
      ev('drs_range', 'HIGH', T + 4, base),
      ev('safety_car', 'CRITICAL', T + 5, { lap: 11 }),
      ev('safety_car', 'CRITICAL', T + 6, { lap: 12 }),
    ];
    for (const e of events) await p.push([e]);
    expect(ids(p.lines)).toEqual(events.map((e) => e.id));
    expect(p.stats.duplicates).toBe(0);
  });

  it('a rate-limited event is counted, not said, and may be said once the minute has passed', async () => {
    const p = pipe({ perMinute: 2 }); // LOW: one a minute
    const a = uniq(T, 'LOW');
    const b = uniq(T + 10, 'LOW');
    await p.push([a]);
    await p.push([b]);
    expect([ids(p.lines), p.stats.rateLimited]).toEqual([[a.id], 1]);
    await p.push([{ ...b, time: T + 61 }]);
    expect([ids(p.lines), p.stats.rateLimited, p.stats.duplicates]).toEqual([[a.id, b.id], 1, 0]);
  });
});

describe('reset (a seek)', () => {
  it('forgets the queue and drops the line in flight; lines already made stay', async () => {
    let release: (t: string) => void = () => undefined;
    const gen: Generator = {
      name: 'claude',
      generate: (req) =>
        req.key === held.id ? new Promise<string>((r) => (release = r)) : Promise.resolve('Other line.'),
    };
    const p = pipe({ generator: gen, checker: new ScriptedChecker() });
    const before = uniq(T - 50);
    await p.push([before]);
    const held = uniq(T);
    const queued = uniq(T + 1);
    const done = p.push([held]);
    void p.push([queued]);
    await Promise.resolve();
    p.reset(T + 500);
    release('Held line.');
    await done;
    expect(ids(p.lines)).toEqual([before.id]);
    const after = uniq(T + 501);
    await p.push([after]);
    expect(ids(p.lines)).toEqual([before.id, after.id]);
    expect(p.lines[1]!.text).toBe('Other line.');
  });

  it('restarts the rate window', async () => {
    const p = pipe({ perMinute: 2 });
    const [a, b, c] = [uniq(T, 'LOW'), uniq(T + 10, 'LOW'), uniq(T + 20, 'LOW')];
    await p.push([a]);
    await p.push([b]);
    p.reset(T + 10);
    await p.push([c]);
    expect([ids(p.lines), p.stats.rateLimited]).toEqual([[a.id, c.id], 1]);
  });

  it('sets the race clock back to the seek time', async () => {
    const p = pipe({ maxAge: 60 });
    const late = uniq(T + 1000);
    await p.push([late]);
    p.reset(T + 100);
    const e = uniq(T + 50);
    await p.push([e], T + 100);
    expect([ids(p.lines), p.stats.stale]).toEqual([[late.id, e.id], 0]);
  });
});

describe('runAll: the race in windows of 20 s', () => {
  it('events less than 20 s after a window’s first are pushed with it (priority first); at 20 s a new window opens', async () => {
    const low = uniq(T, 'LOW');
    const high = uniq(T + 19.9, 'HIGH');
    const together = pipe({ perMinute: 100 });
    const lines = await together.runAll([low, high]);
    expect(lines).toBe(together.lines);
    expect(ids(lines)).toEqual([high.id, low.id]);
    const [low2, high2] = [uniq(T, 'LOW'), uniq(T + 20, 'HIGH')];
    const apart = pipe({ perMinute: 100 });
    expect(ids(await apart.runAll([low2, high2]))).toEqual([low2.id, high2.id]);
    const [a, b, c] = [uniq(T, 'LOW'), uniq(T + 5, 'LOW'), uniq(T + 30, 'HIGH')];
    const wide = pipe({ perMinute: 100 });
    expect(ids(await wide.runAll([a, b, c], 40))).toEqual([c.id, a.id, b.id]);
    expect(await pipe().runAll([])).toEqual([]);
  });

  it('each window is pushed at the time of its last event (stale items are judged by it)', async () => {
    // the window [T, T + 20) is pushed at T + 19: its item from T is then 19 s old
    const p = pipe({ perMinute: 100, maxAge: 15 });
    const low = uniq(T, 'LOW');
    const high = uniq(T + 19, 'HIGH');
    await p.runAll([low, high]);
    expect([ids(p.lines), p.stats.stale]).toEqual([[high.id], 1]);
  });
});

describe('since', () => {
  // built inside the test, not in a hook: Stryker's per-test coverage attributes hook-run code to no test
  it('the last 200 lines (no id, an empty one, neither a line nor a time), after a line’s id, after a race time', async () => {
    const p = pipe();
    await p.push(Array.from({ length: 205 }, (_, i) => ev('red_flag', 'CRITICAL', T + i, { lap: i + 1 })));
    expect(p.lines).toHaveLength(205);
    for (const id of [undefined, '', 'nonsense', 'c0x'])
      expect(p.since(id), String(id)).toEqual(p.lines.slice(5));
    // after a line's id
    expect(p.since(p.lines[0]!.id)).toEqual(p.lines.slice(1));
    expect(p.since(p.lines[203]!.id)).toEqual(p.lines.slice(204));
    expect(p.since(p.lines[204]!.id)).toEqual([]);
    // after a race time, strictly, not capped
    expect(p.since(String(T + 10))).toEqual(p.lines.slice(11));
    expect(p.since(String(T - 1))).toEqual(p.lines);
    expect(p.since(String(T + 204))).toEqual([]);
  });
});

describe('the context: recent events', () => {
  it('the last five lines’ events, described', async () => {
    const { gen, calls } = claude(() => 'A line.');
    const p = pipe({ generator: gen, checker: new ScriptedChecker(), perMinute: 100 });
    const events = Array.from({ length: 7 }, (_, i) => uniq(T + i, 'HIGH', { code: `C${i}` }));
    for (const e of events) await p.push([e]);
    expect(calls.map((c) => c.facts.recent.length)).toEqual([0, 1, 2, 3, 4, 5, 5]);
    expect(calls[6]!.facts.recent).toEqual(events.slice(1, 6).map(describeEvent));
  });
});

describe('the Claude path', () => {
  const verdicts = (map: Record<string, string[]>) =>
    new ScriptedChecker((t) => ({ ok: !map[t], issues: map[t] ?? [] }));

  it('a generator not named claude is never asked: the offline templates speak', async () => {
    const calls: GenerateRequest[] = [];
    const gen: Generator = {
      name: 'offline',
      generate: (req) => (calls.push(req), Promise.resolve('Made up.')),
    };
    const p = pipe({ generator: gen });
    const e = uniq(T);
    await p.push([e]);
    expect(calls).toEqual([]);
    expect(p.lines.map((l) => [l.source, l.text])).toEqual([['offline', offlineText(e)]]);
  });

  it('a reply that passes is the line; the request carries the facts, the prompt, the style and the event id', async () => {
    const { gen, calls } = claude(() => 'Good line.');
    const checker = verdicts({});
    const p = pipe({ generator: gen, checker, style: 'dramatic' });
    const e = uniq(T);
    await p.push([e]);
    expect(p.lines.map((l) => [l.source, l.text, l.style, l.validation])).toEqual([
      ['claude', 'Good line.', 'dramatic', { ok: true, issues: [] }],
    ]);
    expect(calls).toHaveLength(1);
    const req = calls[0]!;
    expect([req.style, req.key, req.facts.event.type]).toEqual(['dramatic', e.id, 'overtake']);
    expect(req.prompt).toEqual(buildPrompt('dramatic', req.facts));
    expect(checker.seen).toEqual(['Good line.']);
    expect(p.stats).toMatchObject({ claude: 1, offline: 0, regenerated: 0, fallbacks: 0 });
  });

  it('a rejected reply is asked again once with the issues as feedback; a right second reply is kept', async () => {
    const { gen, calls } = claude((n) => (n === 1 ? 'Bad.' : 'Good.'));
    const p = pipe({ generator: gen, checker: verdicts({ 'Bad.': ['x1', 'x2'] }) });
    await p.push([uniq(T)]);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.prompt).toEqual(buildPrompt('casual', calls[1]!.facts, ['x1', 'x2']));
    expect(p.lines.map((l) => [l.source, l.text, l.validation])).toEqual([
      ['claude', 'Good.', { ok: true, issues: ['claude attempt 1: x1', 'claude attempt 1: x2'] }],
    ]);
    expect(p.stats).toMatchObject({ claude: 1, offline: 0, regenerated: 1, fallbacks: 0 });
  });

  it('two rejected replies: the offline line, with every verdict (its own too)', async () => {
    const e = uniq(T);
    const off = offlineText(e);
    const { gen, calls } = claude((n) => `Bad ${n}.`);
    const p = pipe({ generator: gen, checker: verdicts({ 'Bad 1.': ['a'], 'Bad 2.': ['b'], [off]: ['c'] }) });
    await p.push([e]);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.prompt).toEqual(buildPrompt('casual', calls[1]!.facts, ['a']));
    expect(p.lines.map((l) => [l.source, l.text, l.validation])).toEqual([
      ['offline', off, { ok: false, issues: ['claude attempt 1: a', 'claude attempt 2: b', 'offline: c'] }],
    ]);
    expect(p.stats).toMatchObject({ claude: 0, offline: 1, regenerated: 1, fallbacks: 1 });
  });

  it('a failing call falls back at once; a failure on the second try after a rejection too', async () => {
    const first = claude(() => new Error('boom'));
    const p = pipe({ generator: first.gen, checker: verdicts({}) });
    const e = uniq(T);
    await p.push([e]);
    expect(first.calls).toHaveLength(1);
    expect(p.lines.map((l) => [l.source, l.text, l.validation])).toEqual([
      ['offline', offlineText(e), { ok: true, issues: ['claude failed: boom'] }],
    ]);
    expect(p.stats).toMatchObject({ claude: 0, offline: 1, regenerated: 0, fallbacks: 1 });
    const second = claude((n) => (n === 1 ? 'Bad.' : new Error('down')));
    const q = pipe({ generator: second.gen, checker: verdicts({ 'Bad.': ['x'] }) });
    await q.push([uniq(T)]);
    expect(second.calls).toHaveLength(2);
    expect(q.lines[0]!.validation).toEqual({
      ok: true,
      issues: ['claude attempt 1: x', 'claude failed: down'],
    });
    expect(q.stats).toMatchObject({ claude: 0, offline: 1, regenerated: 1, fallbacks: 1 });
  });

  it('three failures in a row open the breaker for 30 s; a success in between resets the count', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const script = ['F', 'F', 'ok', 'F', 'F', 'F'];
    const { gen, calls } = claude((n) => (script[n - 1] === 'ok' ? 'Fine.' : new Error(`e${n}`)));
    const p = pipe({ generator: gen, checker: verdicts({}), perMinute: 1000 });
    for (let i = 0; i < 7; i++) await p.push([uniq(T + i)]);
    expect(calls).toHaveLength(6);
    expect(p.lines.map((l) => l.source)).toEqual([
      'offline',
      'offline',
      'claude',
      'offline',
      'offline',
      'offline',
      'offline',
    ]);
    expect(p.lines[5]!.validation.issues).toEqual(['claude failed: e6']);
    expect(p.lines[6]!.validation.issues).toEqual(['claude skipped: unavailable, retrying later']);
    expect(p.stats).toMatchObject({ claude: 1, offline: 6, fallbacks: 5 }); // a skipped line is no fallback
    vi.advanceTimersByTime(29_999);
    await p.push([uniq(T + 10)]);
    expect(calls).toHaveLength(6);
    vi.advanceTimersByTime(1);
    await p.push([uniq(T + 11)]); // 30 s: asked again (and it fails: the fourth in a row opens it again at once)
    expect(calls).toHaveLength(7);
    await p.push([uniq(T + 12)]);
    expect(calls).toHaveLength(7);
  });
});
