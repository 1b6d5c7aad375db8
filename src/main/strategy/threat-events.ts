// Undercut threats over a whole race, as replay events: on every lap whose predecessor was green for the whole
// field, each car within THREAT_GAP of the car ahead (same lap, neither on an in- or out-lap) whose stop this lap
// would take the place with a chance of at least EVENT_CHANCE (threat.ts); one event per pair within REPEAT_LAPS laps. Only the
// state at the end of the previous lap is used, so the events never give away the future.
import type { RaceEvent } from '../../shared/domain.js';
import { hashSeed, Rng } from '../util/rng.js';
import type { CircuitPitLoss } from './pit-loss.js';
import { fieldGreen, type RaceState } from './race-state.js';
import { chance, freshGain } from './threat.js';
import type { TyreModel } from './tyre-model.js';

export const THREAT_GAP = 3.0; // s
export const REPEAT_LAPS = 8;
/** The chance a stop this lap takes the place, from which a threat is an event (the tower flags from 0.5). */
export const EVENT_CHANCE = 0.6;

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** The race's undercut-threat events; `refOf` maps a 3-letter code to the driverRef events carry. */
export function threatEvents(race: RaceState, pit: CircuitPitLoss, tyre: TyreModel, refOf: (code: string) => string | undefined): RaceEvent[] {
  const out: RaceEvent[] = [];
  if (!pit.samples.length) return out;
  const last = new Map<string, number>();
  const rng = new Rng(hashSeed(11, `${race.season}/${race.round}`));
  for (let lap = 3; lap < race.maxLap; lap++) {
    if (!fieldGreen(race, lap - 1)) continue;
    const cars = [...race.drivers]
      .map(([code, laps]) => ({ code, c: laps[lap - 1] }))
      .filter((x) => x.c?.end != null && x.c.position !== null)
      .sort((a, b) => a.c!.position! - b.c!.position!);
    for (let i = 1; i < cars.length; i++) {
      const a = cars[i]!; // the attacker, behind
      const b = cars[i - 1]!;
      if (a.c!.position !== b.c!.position! + 1) continue;
      if (a.c!.pitIn || a.c!.pitOut || b.c!.pitIn || b.c!.pitOut) continue;
      const gap = a.c!.end! - b.c!.end!;
      if (gap <= 0 || gap > THREAT_GAP) continue;
      const key = `${a.code}>${b.code}`;
      if (lap - (last.get(key) ?? -99) < REPEAT_LAPS) continue;
      const gain = freshGain(tyre, b.c!.compound, b.c!.tyreAge);
      const p = chance(gap, gain, pit, rng);
      if (p < EVENT_CHANCE) continue;
      last.set(key, lap);
      const driver = refOf(a.code) ?? a.code;
      const other = refOf(b.code) ?? b.code;
      out.push({
        id: `undercut_threat-${lap}-${driver}-${other}`,
        type: 'undercut_threat',
        priority: 'MEDIUM',
        lap,
        time: r3(a.c!.end!),
        driver,
        code: a.code,
        other,
        otherCode: b.code,
        details: {
          kind: 'undercut',
          gap: r3(gap),
          freshGain: r3(gain),
          probability: r3(p),
          percent: Math.round(p * 100),
          pitLoss: r3(pit.green.p50),
          position: a.c!.position,
        },
      });
    }
  }
  return out;
}
