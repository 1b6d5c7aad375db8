// Event queue: a priority queue (CRITICAL first, then earliest) that coalesces bursts — pit stops close together
// become one item, and a pit-cycle or overtake that explains a lead change or a stop rides along with it.
import type { RaceEvent } from '../../shared/domain.js';
import { PRIORITY_RANK } from '../replay/events.js';

export interface QueueItem {
  primary: RaceEvent;
  also: RaceEvent[];
}

export const BURST_S = 25; // pit stops within this many seconds form one burst

export function coalesce(events: RaceEvent[]): QueueItem[] {
  const items: QueueItem[] = [];
  const byKey = new Map<string, QueueItem>();
  for (const e of [...events].sort((a, b) => a.time - b.time)) {
    if (e.type === 'pit_stop') {
      const burst = items.find((it) => it.primary.type === 'pit_stop' && Math.abs(it.primary.time - e.time) <= BURST_S && it.also.length < 5);
      if (burst) {
        burst.also.push(e);
        continue;
      }
    }
    if (e.type === 'pit_cycle') {
      const stop = items.find((it) => [it.primary, ...it.also].some((x) => x.type === 'pit_stop' && x.driver === e.driver && e.lap - x.lap <= 1));
      if (stop && stop.primary.driver === e.driver) {
        stop.also.push(e);
        continue;
      }
    }
    if (e.type === 'fastest_lap') {
      // A flurry of fastest laps: only the latest (fastest) one is worth a line.
      const fl = items.find((it) => it.primary.type === 'fastest_lap' && e.time - it.primary.time <= 120);
      if (fl) {
        fl.primary = e;
        continue;
      }
    }
    if (e.type === 'overtake') {
      const lead = byKey.get(`lead_change|${e.lap}|${e.driver}|${e.other}`);
      if (lead) {
        lead.also.push(e);
        continue;
      }
    }
    const it: QueueItem = { primary: e, also: [] };
    items.push(it);
    byKey.set(`${e.type}|${e.lap}|${e.driver}|${e.other}`, it);
  }
  return items;
}

export class EventQueue {
  private items: QueueItem[] = [];

  push(events: RaceEvent[]): void {
    this.items.push(...coalesce(events));
    this.items.sort((a, b) => PRIORITY_RANK[b.primary.priority] - PRIORITY_RANK[a.primary.priority] || a.primary.time - b.primary.time);
  }

  pop(): QueueItem | undefined {
    return this.items.shift();
  }

  /** Drops items older than `maxAge` s of race time, except CRITICAL ones. */
  dropStale(now: number, maxAge: number): number {
    const before = this.items.length;
    this.items = this.items.filter((it) => it.primary.priority === 'CRITICAL' || now - it.primary.time <= maxAge);
    return before - this.items.length;
  }

  clear(): void {
    this.items = [];
  }

  get size(): number {
    return this.items.length;
  }
}
