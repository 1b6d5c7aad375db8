// Compounds: relative dry compound (SOFT/MEDIUM/HARD per race) and absolute softness (Pirelli C1–C5; 2018 names mapped).
import type { DryCompound } from '../../shared/domain.js';

export const DRY: readonly DryCompound[] = ['SOFT', 'MEDIUM', 'HARD'];

export function dryCompound(c: string | null | undefined): DryCompound | null {
  return c === 'SOFT' || c === 'MEDIUM' || c === 'HARD' ? c : null;
}

/** 0 SOFT, 1 MEDIUM, 2 HARD; -1 otherwise. */
export function compoundIndex(c: string | null | undefined): number {
  return c === 'SOFT' ? 0 : c === 'MEDIUM' ? 1 : c === 'HARD' ? 2 : -1;
}

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
