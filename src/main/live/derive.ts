// What the live service derives from the laps as they complete: the laps (the archive import's derivation), the
// race events (the replay's detector) and commentary on the new ones. Whole-race work (about 0.2–0.5 s at the end
// of a race on this machine), so the service runs it in a worker thread (derive-worker.ts) when it is built, and
// here, in-thread, under vitest (which runs the .ts sources).
import type { CommentaryLine, RaceEvent } from '../../shared/domain.js';
import type { LiveLap, LiveTower } from '../../shared/live.js';
import { deriveLaps } from '../timing/laps.js';
import type { StreamUpdate } from '../timing/stream.js';
import { liveCommentary, liveRaceEvents } from './events.js';
import { toLiveLap } from './live-timing.js';

export interface Derived {
  laps: LiveLap[];
  events: RaceEvent[];
  /** Lines for events not commented before. */
  lines: CommentaryLine[];
}

export type DeriveMessage =
  | { kind: 'keep'; topic: string; offsetMs: number; data: unknown }
  | { kind: 'reset' }
  | { kind: 'derive'; id: number; tower: LiveTower | null };

export class Deriver {
  private streams: Record<string, StreamUpdate[]> = {};
  private commented = new Set<string>();

  keep(topic: string, offsetMs: number, data: unknown): void {
    (this.streams[topic] ??= []).push({ offsetMs, data });
  }

  reset(): void {
    this.streams = {};
    this.commented.clear();
  }

  derive(tower: LiveTower | null): Derived {
    const laps = deriveLaps(this.streams).map(toLiveLap).sort((a, b) => a.timeS - b.timeS || a.driverNumber - b.driverNumber);
    const { events, tl } = liveRaceEvents(laps, tower);
    const lines: CommentaryLine[] = [];
    if (tl)
      for (const [i, e] of events.entries()) {
        if (this.commented.has(e.id)) continue;
        this.commented.add(e.id);
        try {
          const line = liveCommentary(tl, e, events.slice(Math.max(0, i - 5), i));
          if (line) lines.push(line);
        } catch {
          /* an event the facts cannot describe gets no line */
        }
      }
    return { laps, events, lines };
  }
}
