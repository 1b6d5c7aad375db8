// Hand-made race events for the commentary tests: `eventMaker('q')` returns a factory whose events are numbered
// q1, q2, … (unique within the file), at lap 10 with no details unless `extra` says otherwise.
import type { Priority, RaceEvent, RaceEventType } from '../../src/shared/domain.js';

export function eventMaker(prefix: string) {
  let seq = 0;
  return (
    type: RaceEventType,
    priority: Priority,
    time: number,
    extra: Partial<RaceEvent> = {},
  ): RaceEvent => ({
    id: `${prefix}${++seq}`,
    type,
    priority,
    lap: 10,
    time,
    details: {},
    ...extra,
  });
}
