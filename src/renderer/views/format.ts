// Number formats of the timing screens: fixed widths so digits never shift while data streams.
import type { Compound, TrackState } from '../../shared/domain.js';

export const DASH = '—';

export function lapTime(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return DASH;
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  return m > 0 ? `${m}:${rest.toFixed(3).padStart(6, '0')}` : rest.toFixed(3);
}

export function gap(s: number | null | undefined, lapsDown = 0): string {
  if (lapsDown > 0) return `+${lapsDown} LAP${lapsDown > 1 ? 'S' : ''}`;
  if (s === null || s === undefined || !Number.isFinite(s)) return DASH;
  return `+${s.toFixed(3)}`;
}

/** Interval to the car ahead, signed (a negative one can appear for a lap while positions settle). */
export function interval(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return DASH;
  return `${s < 0 ? '−' : '+'}${Math.abs(s).toFixed(3)}`;
}

export function sector(s: number | null | undefined): string {
  return s === null || s === undefined || !Number.isFinite(s) ? DASH : s.toFixed(3);
}

export function teamColor(c: string | null | undefined): string {
  if (!c) return '#666';
  return /^[0-9a-f]{6}$/i.test(c) ? `#${c}` : c;
}

export const COMPOUND_COLOR: Record<Compound, string> = {
  SOFT: '#ff3347',
  MEDIUM: '#ffd12e',
  HARD: '#f0f0ec',
  INTERMEDIATE: '#43b02a',
  WET: '#2f8fff',
  UNKNOWN: '#777',
};

export const compoundLetter = (c: Compound): string => (c === 'UNKNOWN' ? '?' : c[0]!);

export const TRACK_LABEL: Record<TrackState, string> = {
  green: 'Track clear',
  yellow: 'Yellow flag',
  sc: 'Safety car',
  vsc: 'Virtual safety car',
  red: 'Red flag',
};

export const pct = (p: number): string => `${Math.round(p * 100)} %`;
export const signed = (s: number, digits = 1): string =>
  `${s >= 0 ? '+' : '−'}${Math.abs(s).toFixed(digits)}`;
