// The event queue's rules at their boundaries, on hand-made events: a pit-stop burst spans BURST_S s either way
// and holds only pit stops, a pit cycle rides only with a stop of its own driver that leads its item, a fastest-lap
// flurry keeps the newest lap while each is within 120 s of the one before, an overtake joins only its own lead
// change, coalescing works in time order whatever the input order, and the queue pops by priority then time.
import { describe, expect, it } from 'vitest';
import { eventMaker } from '../../../tests/helpers/events.js';
import { BURST_S, coalesce, EventQueue, type QueueItem } from './queue.js';

const ev = eventMaker('q');
/** Each item as [primary id, ids riding along]. */
const shape = (items: QueueItem[]) => items.map((i) => [i.primary.id, i.also.map((e) => e.id)]);

describe('coalesce: pit-stop bursts', () => {
  it('a stop exactly BURST_S s after the burst’s first stop joins it; one a little later opens its own', () => {
    expect(BURST_S).toBe(25);
    const a = ev('pit_stop', 'HIGH', 1000, { driver: 'a' });
    const b = ev('pit_stop', 'HIGH', 1000 + BURST_S, { driver: 'b' });
    const c = ev('pit_stop', 'HIGH', 1000 + BURST_S + 0.5, { driver: 'c' });
    expect(shape(coalesce([a, b, c]))).toEqual([
      [a.id, [b.id]],
      [c.id, []],
    ]);
  });

  it('the window is measured from the burst’s first stop, not from the latest one', () => {
    const a = ev('pit_stop', 'HIGH', 1000, { driver: 'a' });
    const b = ev('pit_stop', 'HIGH', 1020, { driver: 'b' });
    const c = ev('pit_stop', 'HIGH', 1040, { driver: 'c' }); // 20 s after b, 40 s after a
    expect(shape(coalesce([a, b, c]))).toEqual([
      [a.id, [b.id]],
      [c.id, []],
    ]);
  });

  it('a burst holds the first stop and at most five more', () => {
    const stops = [0, 1, 2, 3, 4, 5, 6].map((t, i) => ev('pit_stop', 'HIGH', 1000 + t, { driver: `d${i}` }));
    expect(shape(coalesce(stops))).toEqual([
      [stops[0]!.id, stops.slice(1, 6).map((s) => s.id)],
      [stops[6]!.id, []],
    ]);
  });

  it('a stop never joins another kind of item, however close in time', () => {
    const pass = ev('overtake', 'HIGH', 1000, { driver: 'a', other: 'b' });
    const stop = ev('pit_stop', 'HIGH', 1001, { driver: 'c' });
    expect(shape(coalesce([pass, stop]))).toEqual([
      [pass.id, []],
      [stop.id, []],
    ]);
  });

  it('coalesces in time order whatever order the events come in', () => {
    const a = ev('pit_stop', 'HIGH', 1000, { driver: 'a' });
    const b = ev('pit_stop', 'HIGH', 1010, { driver: 'b' });
    expect(shape(coalesce([b, a]))).toEqual([[a.id, [b.id]]]);
    // the input array is left as it was
    const input = [b, a];
    coalesce(input);
    expect(input.map((e) => e.id)).toEqual([b.id, a.id]);
  });
});

describe('coalesce: a pit cycle rides with its own driver’s stop', () => {
  it('on the stop’s lap or the next, not two laps later', () => {
    const stop = ev('pit_stop', 'HIGH', 1000, { driver: 'a', lap: 12 });
    const same = ev('pit_cycle', 'MEDIUM', 1001, { driver: 'a', lap: 12 });
    const next = ev('pit_cycle', 'MEDIUM', 1090, { driver: 'a', lap: 13 });
    const later = ev('pit_cycle', 'MEDIUM', 1180, { driver: 'a', lap: 14 });
    expect(shape(coalesce([stop, same, next, later]))).toEqual([
      [stop.id, [same.id, next.id]],
      [later.id, []],
    ]);
  });

  it('only a pit stop of that driver counts: not another item of the driver, not another driver’s stop', () => {
    const pass = ev('overtake', 'HIGH', 1000, { driver: 'a', other: 'b', lap: 12 });
    const otherStop = ev('pit_stop', 'HIGH', 1100, { driver: 'b', lap: 12 });
    const cycle = ev('pit_cycle', 'MEDIUM', 1200, { driver: 'a', lap: 12 });
    expect(shape(coalesce([pass, otherStop, cycle]))).toEqual([
      [pass.id, []],
      [otherStop.id, []],
      [cycle.id, []],
    ]);
  });

  it('only a pit cycle rides with a stop: not the driver’s other events of that lap, nor a later stop of his', () => {
    const stop = ev('pit_stop', 'HIGH', 1000, { driver: 'a', lap: 12 });
    const pass = ev('overtake', 'HIGH', 1030, { driver: 'a', other: 'z', lap: 12 });
    const fl = ev('fastest_lap', 'LOW', 1100, { driver: 'a', lap: 13 });
    const again = ev('pit_stop', 'HIGH', 1110, { driver: 'a', lap: 13 });
    expect(shape(coalesce([stop, pass, fl, again]))).toEqual([
      [stop.id, []],
      [pass.id, []],
      [fl.id, []],
      [again.id, []],
    ]);
  });

  it('a stop riding in another driver’s burst does not take the cycle: the item must lead with that driver', () => {
    const first = ev('pit_stop', 'HIGH', 1000, { driver: 'b', lap: 12 });
    const mine = ev('pit_stop', 'HIGH', 1005, { driver: 'a', lap: 12 });
    const cycle = ev('pit_cycle', 'MEDIUM', 1100, { driver: 'a', lap: 13 });
    expect(shape(coalesce([first, mine, cycle]))).toEqual([
      [first.id, [mine.id]],
      [cycle.id, []],
    ]);
  });

  it('the driver’s old stop leading a burst does not match through another driver’s newer stop in it', () => {
    const old = ev('pit_stop', 'HIGH', 1000, { driver: 'a', lap: 10 });
    const theirs = ev('pit_stop', 'HIGH', 1020, { driver: 'b', lap: 11 });
    const cycle = ev('pit_cycle', 'MEDIUM', 1300, { driver: 'a', lap: 12 }); // two laps after a's stop
    expect(shape(coalesce([old, theirs, cycle]))).toEqual([
      [old.id, [theirs.id]],
      [cycle.id, []],
    ]);
  });
});

describe('coalesce: fastest laps and lead changes', () => {
  it('a fastest lap within 120 s of the held one replaces it (the window moves with it); 120.5 s later it stands alone', () => {
    const f1 = ev('fastest_lap', 'LOW', 1000, { driver: 'a' });
    const f2 = ev('fastest_lap', 'LOW', 1120, { driver: 'b' }); // exactly 120 s: replaces f1
    const f3 = ev('fastest_lap', 'LOW', 1200, { driver: 'c' }); // 80 s after f2 (200 s after f1): replaces f2
    const f4 = ev('fastest_lap', 'LOW', 1320.5, { driver: 'd' }); // 120.5 s after f3: its own item
    expect(shape(coalesce([f1, f2, f3, f4]))).toEqual([
      [f3.id, []],
      [f4.id, []],
    ]);
  });

  it('a fastest lap never replaces another kind of item', () => {
    const pass = ev('overtake', 'HIGH', 1000, { driver: 'a', other: 'b' });
    const fl = ev('fastest_lap', 'LOW', 1010, { driver: 'a' });
    expect(shape(coalesce([pass, fl]))).toEqual([
      [pass.id, []],
      [fl.id, []],
    ]);
  });

  it('an overtake joins the lead change of its lap and cars only', () => {
    const lead = ev('lead_change', 'HIGH', 1000, { driver: 'x', other: 'y', lap: 20 });
    const pass = ev('overtake', 'HIGH', 1001, { driver: 'x', other: 'y', lap: 20 });
    const otherLap = ev('overtake', 'HIGH', 1002, { driver: 'x', other: 'y', lap: 21 });
    const otherCar = ev('overtake', 'HIGH', 1003, { driver: 'x', other: 'z', lap: 20 });
    const otherDriver = ev('overtake', 'HIGH', 1004, { driver: 'w', other: 'y', lap: 20 });
    const sameCarsPass = ev('overtake', 'HIGH', 1005, { driver: 'x', other: 'y', lap: 20, id: 'again' });
    expect(shape(coalesce([lead, pass, otherLap, otherCar, otherDriver, sameCarsPass]))).toEqual([
      [lead.id, [pass.id, 'again']],
      [otherLap.id, []],
      [otherCar.id, []],
      [otherDriver.id, []],
    ]);
  });

  it('only an overtake joins a lead change: not another event of the same cars and lap', () => {
    const lead = ev('lead_change', 'HIGH', 1000, { driver: 'x', other: 'y', lap: 20 });
    const drs = ev('drs_range', 'MEDIUM', 1001, { driver: 'x', other: 'y', lap: 20 });
    const lead2 = ev('lead_change', 'HIGH', 1002, { driver: 'x', other: 'y', lap: 20 });
    expect(shape(coalesce([lead, drs, lead2]))).toEqual([
      [lead.id, []],
      [drs.id, []],
      [lead2.id, []],
    ]);
  });

  it('an overtake of the same cars and lap as an earlier overtake is an item of its own', () => {
    const a = ev('overtake', 'HIGH', 1000, { driver: 'x', other: 'y', lap: 20 });
    const b = ev('overtake', 'HIGH', 1001, { driver: 'x', other: 'y', lap: 20 });
    expect(shape(coalesce([a, b]))).toEqual([
      [a.id, []],
      [b.id, []],
    ]);
  });

  it('no events, no items', () => {
    expect(coalesce([])).toEqual([]);
  });
});

describe('EventQueue', () => {
  it('orders by priority (CRITICAL, HIGH, MEDIUM, LOW), then by time, across pushes', () => {
    const q = new EventQueue();
    const med = ev('pit_cycle', 'MEDIUM', 50, { driver: 'm' });
    const low = ev('personal_best', 'LOW', 10, { driver: 'l' });
    const highLate = ev('overtake', 'HIGH', 40, { driver: 'a', other: 'b' });
    const crit = ev('red_flag', 'CRITICAL', 90);
    q.push([med, low]);
    q.push([highLate, crit]);
    const highEarly = ev('overtake', 'HIGH', 30, { driver: 'c', other: 'd' });
    const lowEarly = ev('personal_best', 'LOW', 5, { driver: 'k' });
    q.push([highEarly, lowEarly]);
    expect(q.size).toBe(6);
    const order: string[] = [];
    for (let it = q.pop(); it; it = q.pop()) order.push(it.primary.id);
    expect(order).toEqual([crit.id, highEarly.id, highLate.id, med.id, lowEarly.id, low.id]);
    expect(q.size).toBe(0);
  });

  it('pushes whole coalesced items (a burst is one item)', () => {
    const q = new EventQueue();
    q.push([ev('pit_stop', 'HIGH', 100, { driver: 'a' }), ev('pit_stop', 'HIGH', 110, { driver: 'b' })]);
    expect(q.size).toBe(1);
    expect(q.pop()!.also).toHaveLength(1);
  });

  it('dropStale counts what it drops: older than maxAge and not CRITICAL', () => {
    const q = new EventQueue();
    const crit = ev('red_flag', 'CRITICAL', 0);
    const old1 = ev('personal_best', 'LOW', 10, { driver: 'a' });
    const old2 = ev('pit_cycle', 'MEDIUM', 20, { driver: 'b' });
    const edge = ev('personal_best', 'LOW', 40, { driver: 'c' }); // exactly maxAge old
    const fresh = ev('personal_best', 'LOW', 70, { driver: 'd' });
    const future = ev('personal_best', 'LOW', 200, { driver: 'e' }); // ahead of now
    q.push([crit, old1, old2, edge, fresh, future]);
    expect(q.dropStale(100, 60)).toBe(2);
    expect(q.size).toBe(4);
    expect(q.dropStale(100, 60)).toBe(0);
    const left: string[] = [];
    for (let it = q.pop(); it; it = q.pop()) left.push(it.primary.id);
    expect(left).toEqual([crit.id, edge.id, fresh.id, future.id]);
  });
});
