// Compounds: the relative compound of a race weekend (SOFT/MEDIUM/HARD, INTERMEDIATE, WET; the one list is
// shared/domain.ts) and absolute softness (Pirelli C-numbers; the 2018 names mapped onto the C-scale).
import { DRY_COMPOUNDS, RACE_COMPOUNDS, type Compound, type DryCompound, type RaceCompound } from '../../shared/domain.js';

export const DRY: readonly DryCompound[] = DRY_COMPOUNDS;

export function dryCompound(c: string | null | undefined): DryCompound | null {
  return (DRY_COMPOUNDS as readonly string[]).includes(c ?? '') ? (c as DryCompound) : null;
}

/** A compound of the race vocabulary, or null (UNKNOWN, TEST_UNKNOWN, missing). */
export function raceCompound(c: string | null | undefined): RaceCompound | null {
  return (RACE_COMPOUNDS as readonly string[]).includes(c ?? '') ? (c as RaceCompound) : null;
}

/** A compound as the tower shows it: the race vocabulary, with the pre-2019 names mapped onto it. */
export function raceCompoundOf(c: string | null | undefined): Compound {
  const u = (c ?? '').toUpperCase();
  const known = raceCompound(u);
  if (known) return known;
  if (u === 'HYPERSOFT' || u === 'ULTRASOFT' || u === 'SUPERSOFT') return 'SOFT';
  if (u === 'SUPERHARD') return 'HARD';
  return 'UNKNOWN';
}

/** 0 SOFT, 1 MEDIUM, 2 HARD; -1 otherwise. */
export function compoundIndex(c: string | null | undefined): number {
  return (DRY_COMPOUNDS as readonly string[]).indexOf(c ?? '');
}

export const isWetCompound = (c: string | null | undefined): boolean => c === 'INTERMEDIATE' || c === 'WET';

// 2018 used names instead of C-numbers; the C-scale started 2019 (C1 ≈ 2018 HARD … C5 ≈ ULTRASOFT/HYPERSOFT).
const SOFTNESS: Record<string, number> = {
  C0: 0,
  C1: 1,
  C2: 2,
  C3: 3,
  C4: 4,
  C5: 5,
  C6: 6,
  SUPERHARD: 0,
  HARD: 1,
  MEDIUM: 2,
  SOFT: 3,
  SUPERSOFT: 4,
  ULTRASOFT: 5,
  HYPERSOFT: 5.5,
};

/** Absolute softness (C-number scale) of a compound name, NaN when unknown. */
export function softness(compoundName: string | null | undefined): number {
  return compoundName ? (SOFTNESS[compoundName.toUpperCase()] ?? Number.NaN) : Number.NaN;
}
