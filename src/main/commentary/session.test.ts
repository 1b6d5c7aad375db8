// The per-session commentary in process (the kernel's Engine and Session, no server): a session's state starts
// casual with no pipeline; a started pipeline takes the session's style, the engine's name-book checker and
// database, a 120 s stale limit and the generator $ANTHROPIC_API_KEY asks for (a fake Anthropic API on 127.0.0.1);
// its lines are pushed to the session and kept in the engine-wide log (the latest 500), but a replaced pipeline's
// lines go nowhere; a session reads its own race's lines, a session with no race open reads the engine's log.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, PitwallEvents } from '../../shared/api.js';
import type { RaceEvent } from '../../shared/domain.js';
import type { Db } from '../data/db.js';
import { sharedDb, sharedDbPath } from '../../../tests/helpers/db.js';
import { Engine, Session } from '../engine/kernel/session.js';
import { loadRace, type Race } from '../replay/race.js';
import { buildContext, type Facts } from './context.js';
import { checkerFor, commentarySince, engineLog, sessionCommentary, startCommentary } from './session.js';
import { FactChecker } from './validator.js';

let db: Db;
let race: Race;
let verPit: RaceEvent;
beforeAll(() => {
  db = sharedDb();
  race = loadRace(db, 2023, 1);
  verPit = race.events.find((e) => e.type === 'pit_stop' && e.driver === 'max_verstappen')!;
});
afterAll(() => db?.close());

const engine = () => new Engine(db, sharedDbPath());
/** A session whose pushes are recorded. */
const session = (e: Engine) => {
  const sent: { name: EventName; payload: unknown }[] = [];
  const s = new Session(
    e,
    <E extends EventName>(name: E, payload: PitwallEvents[E]) => void sent.push({ name, payload }),
  );
  return { s, sent };
};
/** `n` CRITICAL events, each a line of its own (red flags on laps 1…n, one a second from lap 10's end). */
const flags = (n: number): RaceEvent[] => {
  const t0 = race.tl.leaderTimes[9]!;
  return Array.from({ length: n }, (_, i) => ({
    id: `flag${i}`,
    type: 'red_flag',
    priority: 'CRITICAL',
    lap: i + 1,
    time: t0 + i,
    details: {},
  }));
};

describe('session state and engine services', () => {
  it('a session starts casual with no pipeline; the engine log starts empty; both are kept', () => {
    const e = engine();
    const a = session(e).s;
    const b = session(e).s;
    expect(sessionCommentary(a)).toEqual({ style: 'casual', pipeline: null });
    expect(sessionCommentary(a)).toBe(sessionCommentary(a));
    expect(sessionCommentary(b)).not.toBe(sessionCommentary(a));
    expect(engineLog(e)).toEqual([]);
    expect(engineLog(e)).toBe(engineLog(e));
    expect(engineLog(engine())).not.toBe(engineLog(e));
    expect(commentarySince(a)).toEqual([]);
  });

  it('the engine’s checker knows the drivers of the database', () => {
    const e = engine();
    expect(checkerFor(e)).toBe(checkerFor(e));
    const facts = buildContext(race.tl, verPit);
    expect(checkerFor(e).check('Vettel pits.', facts)).toEqual({
      ok: false,
      issues: ['driver "Vettel" is not in the context'],
    });
    expect(new FactChecker().check('Vettel pits.', facts)).toEqual({ ok: true, issues: [] });
  });
});

describe('startCommentary (offline)', () => {
  it('takes the session’s style; its lines go to the session (commentary:line) and to the engine log', async () => {
    const e = engine();
    const { s, sent } = session(e);
    sessionCommentary(s).style = 'dramatic';
    const p = startCommentary(s, race, 'offline');
    expect(sessionCommentary(s)).toEqual({ style: 'dramatic', pipeline: p });
    expect(p.style).toBe('dramatic');
    await p.push([verPit]);
    expect(p.lines).toHaveLength(1);
    const line = p.lines[0]!;
    expect([line.source, line.style, line.event.id]).toEqual(['offline', 'dramatic', verPit.id]);
    expect(sent).toEqual([{ name: 'commentary:line', payload: line }]);
    expect(engineLog(e)).toEqual([line]);
    expect(commentarySince(s)).toEqual([line]);
  });

  it('drops non-critical items more than 120 s old', async () => {
    const { s } = session(engine());
    const p = startCommentary(s, race, 'offline');
    const t = verPit.time;
    const edge = { ...verPit, id: 'edge' };
    const old = { ...verPit, id: 'old', driver: 'perez', lap: 13 };
    await p.push([edge], t + 120);
    await p.push([old], t + 120.5);
    expect([p.lines.map((l) => l.event.id), p.stats.stale]).toEqual([['edge'], 1]);
  });

  it('a replaced pipeline’s lines are neither pushed nor logged', async () => {
    const e = engine();
    const { s, sent } = session(e);
    const first = startCommentary(s, race, 'offline');
    const second = startCommentary(s, race, 'offline');
    expect(sessionCommentary(s).pipeline).toBe(second);
    await first.push([verPit]);
    expect(first.lines).toHaveLength(1);
    expect(sent).toEqual([]);
    expect(engineLog(e)).toEqual([]);
    expect(commentarySince(s)).toEqual([]);
    await second.push([verPit]);
    expect(sent.map((x) => x.payload)).toEqual(second.lines);
    expect(engineLog(e)).toEqual(second.lines);
  });
});

describe('the engine log and commentarySince', () => {
  // one test that builds its lines itself: Stryker's per-test coverage attributes hook-run code to no test
  it('keeps the latest 500 lines; a session with no race open reads them, one with a race open its own only', async () => {
    const e = engine();
    const { s } = session(e);
    const p = startCommentary(s, race, 'offline');
    await p.push(flags(501));
    expect(p.lines).toHaveLength(501);
    const log = engineLog(e);
    expect(log).toEqual(p.lines.slice(1)); // the latest 500, in order
    expect([log.length, log[0]!.event.id, log[499]!.event.id]).toEqual([500, 'flag1', 'flag500']);
    // no race open: the last 200, after an id, after a race time (strictly, not capped)
    const reader = session(e).s;
    for (const since of [undefined, '', 'nonsense'])
      expect(commentarySince(reader, since), String(since)).toEqual(log.slice(300));
    expect(commentarySince(reader, log[0]!.id)).toEqual(log.slice(1));
    expect(commentarySince(reader, log[450]!.id)).toEqual(log.slice(451));
    expect(commentarySince(reader, log[499]!.id)).toEqual([]);
    expect(commentarySince(reader, String(log[100]!.time))).toEqual(log.slice(101));
    expect(commentarySince(reader, '0')).toEqual(log);
    // a race open: its own lines only, even before the first
    const watcher = session(e).s;
    startCommentary(watcher, race, 'offline');
    expect(commentarySince(watcher)).toEqual([]);
    expect(commentarySince(watcher, '0')).toEqual([]);
    expect(commentarySince(s, p.lines[499]!.id)).toEqual([p.lines[500]]);
  });
});

// ---- the generator $ANTHROPIC_API_KEY chooses, against a fake Anthropic API ----
describe('startCommentary: the generator', () => {
  let server: Server;
  let reply = '';
  const bodies: { messages: { content: string }[] }[] = [];
  const saved = { key: process.env.ANTHROPIC_API_KEY, url: process.env.ANTHROPIC_BASE_URL };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: { content: string }[] });
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (type: string, data: object) =>
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    send('message_start', {
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'fake',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 0 },
      },
    });
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: reply } });
    send('content_block_stop', { index: 0 });
    send('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 5 },
    });
    send('message_stop', {});
    res.end();
  }

  beforeAll(async () => {
    server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    process.env.ANTHROPIC_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    for (const [k, v] of [
      ['ANTHROPIC_API_KEY', saved.key],
      ['ANTHROPIC_BASE_URL', saved.url],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const one = async (mode: 'auto' | 'claude' | 'offline' | undefined) => {
    const { s } = session(engine());
    const p = mode === undefined ? startCommentary(s, race) : startCommentary(s, race, mode);
    await p.push([verPit]);
    expect(p.lines).toHaveLength(1);
    return p.lines[0]!;
  };

  it('no key: offline, whatever the mode', async () => {
    delete process.env.ANTHROPIC_API_KEY;
    bodies.length = 0;
    reply = 'Verstappen pits on lap 14.';
    for (const mode of [undefined, 'auto', 'claude', 'offline'] as const)
      expect((await one(mode)).source, String(mode)).toBe('offline');
    expect(bodies).toEqual([]);
  });

  it('with a key: Claude ("auto", the default, or "claude"), unless offline is asked for', async () => {
    process.env.ANTHROPIC_API_KEY = 'test-key';
    reply = 'Verstappen pits on lap 14.';
    for (const mode of [undefined, 'auto', 'claude'] as const) {
      bodies.length = 0;
      const line = await one(mode);
      expect([line.source, line.text, line.validation], String(mode)).toEqual([
        'claude',
        reply,
        { ok: true, issues: [] },
      ]);
      expect(bodies).toHaveLength(1);
    }
    bodies.length = 0;
    expect((await one('offline')).source).toBe('offline');
    expect(bodies).toEqual([]);
  });

  it('Claude’s lines are checked against the database’s drivers, and its facts carry the database’s background', async () => {
    process.env.ANTHROPIC_API_KEY = 'test-key';
    reply = 'Vettel pits on lap 14.';
    bodies.length = 0;
    const line = await one('claude');
    expect(line.source).toBe('offline');
    expect(line.validation.issues).toEqual([
      'claude attempt 1: driver "Vettel" is not in the context',
      'claude attempt 2: driver "Vettel" is not in the context',
    ]);
    expect(bodies).toHaveLength(2);
    const facts = JSON.parse(
      /Facts \(JSON\):\n(.*)\n\nWrite/s.exec(bodies[0]!.messages[0]!.content)![1]!,
    ) as Facts;
    expect(facts.background).toEqual(buildContext(race.tl, verPit, [], { db }).background);
    expect(facts.background.map((b) => b.code)).toEqual(['VER']);
  });
});
