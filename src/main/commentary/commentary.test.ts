// Commentary: offline generator, validator, rate limits, and Claude against a fake Anthropic API on 127.0.0.1
// (plain JSON and streaming SSE replies, a wrong driver / position that must be rejected, a timeout).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/api.js';
import type { CommentaryLine, RaceEvent } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { Engine, Session } from '../engine/kernel/session.js';
import { raceSessionHandlers } from '../engine/host/race-session.js';
import { sharedDb } from '../../../tests/helpers/db.js';
import { loadRace, type Race } from '../replay/race.js';
import { replayHandlers } from '../replay/api.js';
import { commentaryHandlers } from './api.js';
import { ClaudeGenerator } from './claude.js';
import { buildContext, type Facts } from './context.js';
import { offlineLine } from './offline.js';
import { CommentaryPipeline } from './pipeline.js';
import { buildPrompt, STYLES } from './prompt.js';
import { coalesce } from './queue.js';
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

const event = (pred: (e: RaceEvent) => boolean) => race.events.find(pred)!;
const verPit = () => event((e) => e.type === 'pit_stop' && e.driver === 'max_verstappen');

describe('offline generator', () => {
  it('is deterministic under a seed, varies with it, and every line of a race passes the fact check', async () => {
    const facts = buildContext(race.tl, verPit(), [], { db });
    const a = STYLES.map((s) => offlineLine(facts, s, 7, 'k'));
    expect(STYLES.map((s) => offlineLine(facts, s, 7, 'k'))).toEqual(a);
    const variants = new Set(Array.from({ length: 20 }, (_, i) => offlineLine(facts, 'dramatic', i, 'k')));
    expect(variants.size).toBeGreaterThan(1);
    for (const style of STYLES) {
      const p = new CommentaryPipeline({ timeline: race.tl, style, db, checker, seed: 3 });
      const lines = await p.runAll(race.events);
      expect(lines.length).toBeGreaterThan(100);
      expect(lines.filter((l) => !l.validation.ok).map((l) => `${l.text} ${l.validation.issues}`)).toEqual([]);
      expect(lines.every((l) => l.source === 'offline' && l.style === style)).toBe(true);
      // No two lines about the same event.
      const ids = lines.flatMap((l) => [l.event.id]);
      expect(new Set(ids).size).toBe(ids.length);
      // Every CRITICAL event gets its line (rate limits never drop them).
      const critical = race.events.filter((e) => e.priority === 'CRITICAL').map((e) => e.id);
      expect(critical.length).toBeGreaterThan(0);
      for (const id of critical) expect(ids, id).toContain(id);
    }
  });

  it('coalesces a pit-stop burst into one line', () => {
    const stops = race.events.filter((e) => e.type === 'pit_stop' && e.lap === 11);
    expect(stops.length).toBeGreaterThan(1);
    const items = coalesce(stops);
    expect(items.length).toBeLessThan(stops.length);
    const facts = buildContext(race.tl, items[0]!.primary, items[0]!.also);
    expect(offlineLine(facts, 'casual', 1, 'x')).toMatch(/ and /);
  });
});

describe('validator', () => {
  let facts: Facts;
  beforeAll(() => {
    facts = buildContext(race.tl, verPit(), [], { db });
  });
  it('accepts a line that agrees with the context', () => {
    const d = facts.event.driver!;
    const v = checker.check(`${d.surname} (${d.team}) pits from P${d.position} on lap ${facts.event.lap}, ${facts.event.details.pitLaneTime} s in the pit lane, off the ${String(facts.event.details.compoundFrom).toLowerCase()} tyres.`, facts);
    expect(v).toEqual({ ok: true, issues: [] });
  });
  it.each([
    ['Schumacher pits on lap 14.', /driver "Schumacher"/],
    ['Verstappen pits from P7 on lap 14.', /position P7/],
    ['Verstappen pits on lap 33.', /lap 33/],
    ['Verstappen pits, 31.4 s in the pit lane.', /figure 31.4 s/],
    ['Verstappen pits for intermediate tyres.', /compound intermediate/],
    ['Verstappen pits for Williams.', /team "Williams"/],
  ])('rejects %s', (text, issue) => {
    const v = checker.check(text, facts);
    expect(v.ok).toBe(false);
    expect(v.issues.join('; ')).toMatch(issue);
  });

  it('rate limit: CRITICAL always passes, LOW is dropped first', () => {
    const rl = new RateLimiter(4);
    expect(rl.admit('LOW', 0)).toBe(true);
    expect(rl.admit('LOW', 1)).toBe(true);
    expect(rl.admit('LOW', 2)).toBe(false); // LOW may use half the budget
    expect(rl.admit('MEDIUM', 3)).toBe(true);
    expect(rl.admit('HIGH', 4)).toBe(true);
    expect(rl.admit('HIGH', 5)).toBe(false);
    expect(rl.admit('CRITICAL', 6)).toBe(true);
    expect(rl.admit('LOW', 66)).toBe(true); // a minute of race time later
  });
});

// ---- fake Anthropic API ----
type Mode = 'good' | 'wrong-driver' | 'wrong-position' | 'wrong-then-good' | 'hang';
let mode: Mode = 'good';
let requests: { stream: boolean; user: string }[] = [];
let server: Server;
const hanging: ServerResponse[] = [];
const env = { key: process.env.ANTHROPIC_API_KEY, url: process.env.ANTHROPIC_BASE_URL };

function reply(facts: Facts, n: number): string {
  const d = facts.event.driver!;
  if (mode === 'wrong-driver' || (mode === 'wrong-then-good' && n === 1)) return `Schumacher pits on lap ${facts.event.lap}!`;
  if (mode === 'wrong-position') return `${d.surname} pits from P${d.position + 4} on lap ${facts.event.lap}!`;
  return `${d.surname} pits from P${d.position} on lap ${facts.event.lap}.`;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { stream?: boolean; messages: { content: string }[] };
  const user = body.messages[0]!.content;
  requests.push({ stream: Boolean(body.stream), user });
  const auth = req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
  if (req.url !== '/v1/messages' || auth !== 'test-key') {
    res.writeHead(404).end();
    return;
  }
  if (mode === 'hang') {
    hanging.push(res);
    return;
  }
  const facts = JSON.parse(/Facts \(JSON\):\n(.*)\n\nWrite/s.exec(user)![1]!) as Facts;
  const text = reply(facts, requests.length);
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: 'fake', content: [{ type: 'text', text }], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 1 } }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const send = (type: string, data: object) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'fake', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 0 } } });
  send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  for (const piece of text.match(/.{1,8}/gs) ?? []) send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } });
  send('content_block_stop', { index: 0 });
  send('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } });
  send('message_stop', {});
  res.end();
}

describe('Claude generator against a fake Anthropic API', () => {
  beforeAll(async () => {
    server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    process.env.ANTHROPIC_API_KEY = 'test-key';
    process.env.ANTHROPIC_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`; // honoured by the SDK defaults
  });
  afterAll(async () => {
    for (const r of hanging) r.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    for (const [k, v] of [['ANTHROPIC_API_KEY', env.key], ['ANTHROPIC_BASE_URL', env.url]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const one = async (m: Mode, gen: ClaudeGenerator): Promise<CommentaryLine> => {
    mode = m;
    requests = [];
    const p = new CommentaryPipeline({ timeline: race.tl, style: 'dramatic', generator: gen, db, checker });
    await p.push([verPit()]);
    expect(p.lines.length).toBe(1);
    return p.lines[0]!;
  };

  it.each([true, false])('accepts a correct reply (stream=%s)', async (stream) => {
    const line = await one('good', new ClaudeGenerator({ stream, retries: 0 }));
    expect(line.validation.issues).toEqual([]);
    expect(line.source).toBe('claude');
    expect(line.text).toMatch(/^Verstappen pits from P1 on lap 14\.$/);
    expect(line.validation).toEqual({ ok: true, issues: [] });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.stream).toBe(stream);
    expect(requests[0]!.user).toContain('"type":"pit_stop"');
  });

  it.each(['wrong-driver', 'wrong-position'] as const)('rejects a %s reply, regenerates once, then falls back offline', async (m) => {
    const line = await one(m, new ClaudeGenerator({ retries: 0 }));
    expect(requests).toHaveLength(2);
    expect(requests[1]!.user).toMatch(/rejected by the fact checker/);
    expect(line.source).toBe('offline');
    expect(line.text).not.toMatch(/Schumacher|P5/);
    expect(line.validation.ok).toBe(true);
    expect(line.validation.issues.join(' ')).toMatch(m === 'wrong-driver' ? /claude attempt 2: driver "Schumacher"/ : /claude attempt 2: position P5/);
  });

  it('keeps the regenerated line when the second reply is right', async () => {
    const line = await one('wrong-then-good', new ClaudeGenerator({ retries: 0 }));
    expect(requests).toHaveLength(2);
    expect(line.source).toBe('claude');
    expect(line.validation.ok).toBe(true);
    expect(line.validation.issues[0]).toMatch(/claude attempt 1/);
  });

  it('a timeout (with retries and backoff) falls back to the offline line', async () => {
    const t0 = performance.now();
    const line = await one('hang', new ClaudeGenerator({ timeoutMs: 300, retries: 1, backoffMs: 20 }));
    expect(requests).toHaveLength(2); // first try + one retry
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(line.source).toBe('offline');
    expect(line.text.length).toBeGreaterThan(10);
    expect(line.validation.issues.join(' ')).toMatch(/claude failed/);
  });

  it('builds prompts with the style voice and the facts as JSON', () => {
    const facts = buildContext(race.tl, verPit());
    for (const s of STYLES) {
      const p = buildPrompt(s, facts);
      expect(p.system).toMatch(/ONLY the facts/);
      expect(JSON.parse(/Facts \(JSON\):\n(.*)\n\nWrite/s.exec(p.user)![1]!)).toEqual(JSON.parse(JSON.stringify(facts)));
    }
  });
});

describe('session: replay pushes snapshots, events and commentary while playing', () => {
  it('opens 2023 round 1, plays at max speed and streams commentary; GET-style since works', async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY; // offline by default
    const engine = new Engine(db, ':memory:');
    const got: Record<string, number> = {};
    const lines: CommentaryLine[] = [];
    const s = new Session(engine, (name: EventName, payload) => {
      got[name] = (got[name] ?? 0) + 1;
      if (name === 'commentary:line') lines.push(payload as CommentaryLine);
    });
    try {
      const info = await raceSessionHandlers.replayOpen(s, { season: 2023, round: 1 });
      expect(info.totalLaps).toBe(57);
      await commentaryHandlers.commentarySetStyle(s, { style: 'technical' });
      await replayHandlers.replaySetSpeed(s, { speed: 0 });
      await replayHandlers.replayPlay(s, undefined);
      // wait for the race to get going (a condition, not a fixed time): lap 6 and a few lines
      for (let waited = 0; waited < 30_000 && !((await replayHandlers.replaySnapshot(s, undefined))!.lap > 5 && lines.length > 3); waited += 50)
        await new Promise((r) => setTimeout(r, 50));
      const snap = (await replayHandlers.replaySnapshot(s, undefined))!;
      expect(snap.lap).toBeGreaterThan(5);
      expect(got['replay:event']).toBeGreaterThan(10);
      expect(lines.length).toBeGreaterThan(3);
      expect(lines.every((l) => l.style === 'technical' && l.source === 'offline')).toBe(true);
      const since = await commentaryHandlers.commentarySince(s, { since: lines[1]!.id });
      expect(since[0]!.id).toBe(lines[2]!.id);
      // A stateless reader (the HTTP session) sees the engine-wide log.
      const http = new Session(engine, () => undefined);
      expect((await commentaryHandlers.commentarySince(http, {})).length).toBeGreaterThanOrEqual(lines.length);
      await replayHandlers.replayPause(s, undefined);
      const seek = await replayHandlers.replaySeek(s, { lap: 40 });
      expect(seek.lap).toBe(40);
      expect((await replayHandlers.replayEvents(s, { sinceLap: 39 })).every((e) => e.lap >= 39)).toBe(true);
    } finally {
      s.dispose();
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });
});
