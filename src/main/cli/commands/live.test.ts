// `pitwall live snapshot --json` has the shape the acceptance check reads; `live replay` runs a recording through
// the same path as a live feed; bad input is refused with a message naming what was wrong.
import { describe, expect, it } from 'vitest';
import { archiveRecording, raceRecording } from '../../../../tests/helpers/live.js';
import type { CommandContext } from '../command.js';
import { command as live } from './live.js';

async function run(name: string, opts: CommandContext['opts']): Promise<unknown[]> {
  const out: unknown[] = [];
  const ctx: CommandContext = { opts, positionals: [], json: true, dbFile: ':memory:', db: () => { throw new Error('no database needed'); }, print: (v) => out.push(v), log: () => undefined };
  await live.subcommands!.find((c) => c.name === name)!.run!(ctx);
  return out;
}

describe('pitwall live', () => {
  const fp2 = archiveRecording();
  it('snapshot --json: {at, lap, trackStatus, rows:[…the named fields]}', async () => {
    const [snap] = (await run('snapshot', { recording: fp2, at: '+01:30:00.000' })) as { at: string; lap: number; trackStatus: string; rows: Record<string, unknown>[] }[];
    expect(Object.keys(snap!)).toEqual(['at', 'lap', 'trackStatus', 'rows']);
    expect(snap!.rows).toHaveLength(20);
    expect(Object.keys(snap!.rows[0]!)).toEqual(['position', 'driverNumber', 'code', 'gapToLeader', 'interval', 'lastLap', 'bestLap', 'laps', 'compound', 'tyreAge', 'pitStops', 'inPit']);
    const ham = snap!.rows.find((r) => r.code === 'HAM')!;
    expect(ham.laps).toBe(22);
    expect(snap!.trackStatus).toBe('green'); // the yellow comes at 01:31:03
  });
  it('replay --speed 0 runs the whole recording and reports what it merged', async () => {
    const out = (await run('replay', { recording: raceRecording(1), speed: 0, every: 1000 })) as Record<string, unknown>[];
    const last = out[out.length - 1]!;
    expect(last).toMatchObject({ done: true, skipped: 0 });
    expect(last.laps as number).toBeGreaterThan(1000);
    expect((out[out.length - 2] as { lap: number }).lap).toBe(57);
  });
  it('refuses a missing recording and a bad --at', async () => {
    await expect(run('snapshot', { recording: '/nonexistent.jsonl', at: '+00:10:00' })).rejects.toThrow(/nonexistent\.jsonl: no such recording/);
    await expect(run('snapshot', { recording: fp2, at: 'noon' })).rejects.toThrow(/--at "noon"/);
    await expect(run('replay', { recording: fp2, speed: -1 })).rejects.toThrow(/--speed must be/);
  });
});
