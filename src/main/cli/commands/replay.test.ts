// The CLI shapes the acceptance checks and scripts rely on: replay --events --json and commentary --json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../command.js';
import type { Db } from '../../data/db.js';
import { sharedDb } from '../../../../tests/helpers/db.js';
import { command as replay, parseSpeed } from './replay.js';
import { command as commentary } from './commentary.js';

let db: Db;
beforeAll(() => {
  db = sharedDb();
});
afterAll(() => db?.close());

async function run(cmd: typeof replay, opts: CommandContext['opts']): Promise<unknown> {
  let out: unknown;
  const ctx: CommandContext = { opts, positionals: [], json: true, dbFile: ':memory:', db: () => db, print: (v) => (out = v), log: () => undefined };
  await cmd.run!(ctx);
  return out;
}

describe('pitwall replay / commentary --json', () => {
  it('replay --speed max --events gives typed events with driverRef and code', async () => {
    const ev = (await run(replay, { season: 2023, round: 1, speed: 'max', events: true })) as Record<string, unknown>[];
    expect(ev.length).toBeGreaterThan(100);
    for (const e of ev) for (const k of ['type', 'priority', 'lap', 'time']) expect(e).toHaveProperty(k);
    const pit = ev.find((e) => e.type === 'pit_stop' && e.driver === 'max_verstappen')!;
    expect(pit).toMatchObject({ priority: 'HIGH', lap: 14, code: 'VER' });
    expect(parseSpeed('max')).toBe(0);
    expect(parseSpeed('100')).toBe(100);
    expect(() => parseSpeed('500')).toThrow(/--speed/);
  });

  it('commentary --style dramatic --llm offline gives {event,text,style,source,validation}', async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      const lines = (await run(commentary, { season: 2023, round: 1, style: 'dramatic', llm: 'auto', seed: 1, 'per-minute': 6 })) as Record<string, unknown>[];
      expect(lines.length).toBeGreaterThan(100);
      for (const l of lines.slice(0, 20)) {
        expect(l).toMatchObject({ style: 'dramatic', source: 'offline', validation: { ok: true, issues: [] } });
        expect(typeof l.text).toBe('string');
        expect(l.event).toHaveProperty('type');
      }
      await expect(run(commentary, { season: 2023, round: 1, style: 'poetic', llm: 'auto' })).rejects.toThrow(/--style/);
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });
});
