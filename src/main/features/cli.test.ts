// The `pitwall features` commands end to end on a copy of the real database.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dbCopy } from '../../../tests/helpers/db.js';
import { main } from '../cli/main.js';

let file: string;
const dir = mkdtempSync(join(tmpdir(), 'pitwall-fcli-'));
beforeAll(() => {
  const c = dbCopy();
  c.db.close();
  file = c.file;
});
afterEach(() => vi.restoreAllMocks());

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += a.join(' ') + '\n'));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += a.join(' ') + '\n'));
  const code = await main([...args, '--db', file]);
  vi.restoreAllMocks();
  return { code, out, err };
}

describe('pitwall features', () => {
  it('historical writes the entity columns plus one column per ref; a race start does not see its own result', async () => {
    const ent = join(dir, 'ent.csv');
    const outFile = join(dir, 'out.csv');
    // 2023 Saudi Arabia (start 17:00Z), Verstappen 2nd. Before: Mexico 1, Brazil 6, Abu Dhabi 1, Bahrain 1 and
    // USA 1 → 2.0; after: USA drops out, Saudi's 2 comes in → 2.2.
    writeFileSync(
      ent,
      'driver,event_timestamp\nmax_verstappen,2023-03-19T17:00:00Z\nmax_verstappen,2023-03-20T17:00:00Z\n',
    );
    const r = await run(
      'features',
      'historical',
      '--entities',
      ent,
      '--features',
      'driver_form:avg_finish_last_5,team_form:constructor_position',
      '--out',
      outFile,
    );
    expect(r.code, r.err).toBe(0);
    const lines = readFileSync(outFile, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'driver,event_timestamp,driver_form:avg_finish_last_5,team_form:constructor_position',
    );
    const [before, after] = lines.slice(1).map((l) => Number(l.split(',')[2]));
    expect(before).toBeCloseTo(2, 9);
    expect(after).toBeCloseTo(2.2, 9);
    expect(lines[1]!.split(',')[3]).toBe('1'); // Red Bull led after Bahrain
  });

  it('historical names the bad line of an entity file and an unknown ref', async () => {
    const ent = join(dir, 'bad.csv');
    writeFileSync(ent, 'driver,event_timestamp\nhamilton,2020-01-01T00:00:00Z\nhamilton,not-a-time\n');
    const r = await run(
      'features',
      'historical',
      '--entities',
      ent,
      '--features',
      'driver_form:avg_finish_last_5',
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.csv, line 3, column "event_timestamp"/);
    writeFileSync(ent, 'driver,event_timestamp\nhamilton,2020-01-01T00:00:00Z\n');
    const u = await run(
      'features',
      'historical',
      '--entities',
      ent,
      '--features',
      'driver_form:avg_finsh_last_5',
    );
    expect(u.code).toBe(1);
    expect(u.err).toMatch(/no feature "avg_finsh_last_5"/);
  });

  it('online, list and materialize speak JSON', async () => {
    const o = await run(
      'features',
      'online',
      '--features',
      'driver_form:avg_finish_last_5,race_entry:grid_position',
      '--entity',
      'driver=max_verstappen,race=2024-24',
      '--json',
    );
    expect(o.code, o.err).toBe(0);
    const j = JSON.parse(o.out) as {
      features: Record<string, number>;
      versions: { view: string; version: number }[];
    };
    expect(j.features['race_entry:grid_position']).toBe(4); // Abu Dhabi 2024
    expect(typeof j.features['driver_form:avg_finish_last_5']).toBe('number');
    expect(j.versions.map((v) => v.view)).toEqual(['driver_form', 'race_entry']);
    const l = JSON.parse((await run('features', 'list', '--json')).out) as {
      views: { name: string }[];
      services: { name: string }[];
    };
    expect(l.views.map((v) => v.name)).toEqual(
      expect.arrayContaining(['driver_form', 'team_form', 'race_entry', 'race_context']),
    );
    expect(l.services.map((s) => s.name)).toContain('race_winner');
    const m = JSON.parse((await run('features', 'materialize', '--json')).out) as {
      views: { mode: string }[];
    };
    expect(m.views.every((v) => v.mode === 'up-to-date')).toBe(true);
  });
});
