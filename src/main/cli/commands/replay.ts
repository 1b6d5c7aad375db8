import type { Command } from '../command.js';
import { numberArg, UsageError } from '../command.js';
import type { RaceEvent } from '../../../shared/domain.js';

const fmtTime = (s: number) => `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${(s % 60).toFixed(1).padStart(4, '0')}`;

export function parseSpeed(v: unknown): number {
  if (v === undefined || v === 'max') return 0;
  const n = Number(String(v).replace(/x$/i, ''));
  if (!Number.isFinite(n) || n < 1 || n > 100) throw new UsageError(`--speed must be max or 1–100 (got "${String(v)}")`);
  return n;
}

export const command: Command = {
  name: 'replay',
  summary: 'replay a race from lap data: timing snapshots and detected events (pit stops, overtakes, SC …)',
  usage: 'pitwall replay --season 2023 --round 1 [--speed max|1-100] [--events] [--json]',
  options: [
    { name: 'season', type: 'number', description: 'season (year)' },
    { name: 'round', type: 'number', description: 'round number' },
    { name: 'speed', type: 'string', description: 'max (as fast as possible) or 1–100 × real time', default: 'max' },
    { name: 'events', type: 'boolean', description: 'output the detected events (JSON array with --json)' },
    { name: 'type', type: 'string', description: 'only events of these types (comma-separated)' },
  ],
  async run(ctx) {
    const season = numberArg(ctx, 'season');
    const round = numberArg(ctx, 'round');
    const speed = parseSpeed(ctx.opts.speed);
    const { loadRace } = await import('../../replay/race.js');
    const { snapshotAt } = await import('../../replay/snapshot.js');
    const race = loadRace(ctx.db(), season, round);
    const types = typeof ctx.opts.type === 'string' ? new Set(ctx.opts.type.split(',')) : null;
    const events = race.events.filter((e) => !types || types.has(e.type));
    const line = (e: RaceEvent) =>
      `L${String(e.lap).padStart(2)} ${fmtTime(e.time)} ${e.priority.padEnd(8)} ${e.type.padEnd(13)} ${e.code ?? ''}${e.otherCode ? ` → ${e.otherCode}` : ''} ${Object.entries(e.details)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`;

    if (speed === 0) {
      if (ctx.opts.events || !ctx.json) {
        ctx.print(events, `${race.tl.meta.season} ${race.tl.meta.name}: ${events.length} events\n${events.map(line).join('\n')}`);
      } else {
        ctx.print(snapshotAt(race.tl, race.tl.raceEnd));
      }
      return;
    }
    // Real-time-ish playback: one line per event as the clock passes it, and the order at every lap.
    const { ReplayController } = await import('../../replay/controller.js');
    await new Promise<void>((resolve) => {
      let lastLap = -1;
      const c = new ReplayController(race, {
        snapshot: (s) => {
          if (s.lap !== lastLap && !ctx.json) {
            lastLap = s.lap;
            console.log(`— lap ${s.lap}/${s.totalLaps} [${s.trackState}] ${s.rows.slice(0, 5).map((r) => r.code).join(' ')}`);
          }
          if (ctx.json) console.log(JSON.stringify(s));
          if (!s.playing && s.sessionTime >= race.tl.raceEnd) resolve();
        },
        event: (e) => {
          if (ctx.opts.events && (!types || types.has(e.type))) console.log(ctx.json ? JSON.stringify(e) : line(e));
        },
      });
      c.setSpeed(speed);
      c.play();
      const timer = setInterval(() => {
        if (!c.clock.playing) {
          clearInterval(timer);
          resolve();
        }
      }, 200);
    });
  },
};
