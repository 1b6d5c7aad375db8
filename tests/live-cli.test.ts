// `pitwall live record` and `pitwall import --recording` as a user runs them: the FP2 fixture session from a fake
// archive into a recording (JSON report), then its laps into a fresh database; bad arguments are usage errors.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers/data.js';
import { sharedDbPath } from './helpers/db.js';
import { FP2_KEY, startFakeArchive } from './helpers/fake-archive.js';

const run = promisify(execFile);
const BIN = join(PROJECT_ROOT, 'bin', 'pitwall.mjs');
const dir = mkdtempSync(join(tmpdir(), 'pw-live-cli-'));
const db = join(dir, 'l.db');
async function pitwall(args: string[]) {
  try {
    const r = await run(process.execPath, [BIN, ...args], { env: { ...process.env, PITWALL_DB: db }, cwd: PROJECT_ROOT });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let fake: Awaited<ReturnType<typeof startFakeArchive>>;
beforeAll(async () => {
  copyFileSync(sharedDbPath(), db);
  fake = await startFakeArchive();
});
afterAll(() => fake.close());

describe('pitwall live record / import --recording', () => {
  it('records the archived session with every update and imports its laps', async () => {
    const out = join(dir, 'fp2.jsonl');
    const r = await pitwall(['live', 'record', '--source', 'f1-archive', '--base-url', fake.base, '--season', '2020', '--session-key', String(FP2_KEY), '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: 'f1-archive', out, messages: 17979, initials: 1, skipped: 0, ended: 'ended', topics: { TimingData: 17121 } });
    expect(r.stderr).toContain('live record: ended');
    const imp = await pitwall(['import', '--recording', out, '--json']);
    expect(imp.code, imp.stderr).toBe(0);
    expect(JSON.parse(imp.stdout)).toMatchObject({ season: 2020, round: 5, session: 'fp2', laps: 539, drivers: 20 });
  });

  it('explains a missing source, session key or output file', async () => {
    const a = await pitwall(['live', 'record', '--source', 'tv', '--out', join(dir, 'x.jsonl')]);
    expect([a.code, a.stderr]).toEqual([2, expect.stringContaining('--source must be one of f1, openf1, f1-archive (got "tv")')]);
    const b = await pitwall(['live', 'record', '--source', 'f1-archive', '--season', '2020', '--out', join(dir, 'x.jsonl')]);
    expect(b.stderr).toContain('--session-key is required for f1-archive');
    const c = await pitwall(['live', 'record', '--source', 'f1']);
    expect(c.stderr).toContain('--out FILE is required');
  });
});
