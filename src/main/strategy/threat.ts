// Undercut / overcut threat between neighbours on the road, from the state at the end of lap L−1: the car that
// stops first on lap L gains the place when the gap is smaller than its fresh-tyre gain on the lap its rival stays
// out (the tyre model's delta of the rival's current set one lap older vs a fresh set) plus the difference of their
// pit losses (drawn from the circuit's spread) and lap-time noise. 'undercut' when that chance is at least even;
// 'overcut' when fresh tyres would be slower than the current ones (staying out is the better play).
import type { RaceThreat } from '../../shared/domain.js';
import { compoundIndex } from '../race/compounds.js';
import { DRY_COMPOUNDS } from '../../shared/domain.js';
import { hashSeed, Rng } from '../util/rng.js';
import type { CircuitPitLoss } from './pit-loss.js';
import type { RaceState } from './race-state.js';
import { fieldAt, REJOIN_PARAMS } from './rejoin.js';
import { tyreDelta, type TyreModel } from './tyre-model.js';

/** Laps the rival stays out after the first stop (it answers on the next lap). */
export const RESPONSE_LAPS = 1;
const DRAWS = 1000;

/** Fresh vs current tyres over the next `laps` laps for a car on `compound` aged `age` (s; > 0: fresh is faster). */
export function freshGain(tyre: TyreModel, compound: string | null, age: number | null, laps = RESPONSE_LAPS): number {
  const c = compoundIndex(compound);
  if (c < 0 || age === null) return 0;
  let best = Infinity;
  for (let k = 0; k < DRY_COMPOUNDS.length; k++) {
    if (k === c) continue;
    let t = 0;
    for (let h = 1; h <= laps; h++) t += tyreDelta(tyre, k, h);
    best = Math.min(best, t);
  }
  let old = 0;
  for (let h = 1; h <= laps; h++) old += tyreDelta(tyre, c, age + h);
  return old - best;
}

/** Chance that `first` (stopping on L) gets ahead of `second` (stopping on L+1) that is `gap` s ahead of it. */
export function chance(gap: number, gain: number, pit: CircuitPitLoss, rng: Rng): number {
  let won = 0;
  const s = pit.samples;
  for (let k = 0; k < DRAWS; k++) {
    const diff = (s[Math.floor(rng.next() * s.length)] ?? 0) - (s[Math.floor(rng.next() * s.length)] ?? 0);
    if (gain + diff + rng.normal() * REJOIN_PARAMS.sigma * 2 > gap) won++;
  }
  return won / DRAWS;
}

/** The threats between `driver` and the cars directly ahead and behind it on the road at the end of lap L−1. */
export function threatsAt(race: RaceState, driver: string, lap: number, pit: CircuitPitLoss, tyre: TyreModel): RaceThreat[] {
  const cars = fieldAt(race, driver, lap, 'none');
  const i = cars.findIndex((c) => c.code === driver);
  if (i < 0 || !pit.samples.length) return [];
  const rng = new Rng(hashSeed(7, `${race.season}/${race.round}/${driver}/${lap}`));
  const cell = (code: string) => race.drivers.get(code)?.[lap - 1];
  const out: RaceThreat[] = [];
  const me = cars[i]!;
  for (const [side, j] of [['ahead', i - 1], ['behind', i + 1]] as const) {
    const rival = cars[j];
    if (!rival || cell(rival.code)?.pitIn || cell(driver)?.pitIn) continue;
    const gap = Math.abs(me.t0 - rival.t0);
    // ahead: this car stops first against the rival's current tyres; behind: the rival stops first against ours
    const defender = side === 'ahead' ? cell(rival.code) : cell(driver);
    const gain = freshGain(tyre, defender?.compound ?? null, defender?.tyreAge ?? null);
    const p = chance(gap, gain, pit, rng);
    out.push({
      rival: rival.code,
      side,
      gap: Math.round(gap * 100) / 100,
      freshGain: Math.round(gain * 100) / 100,
      probability: Math.round(p * 1000) / 1000,
      flag: p >= 0.5 ? 'undercut' : gain < 0 ? 'overcut' : null,
    });
  }
  return out;
}
