// Track status: the one vocabulary and the one parser. The timing feed gives each lap the status codes seen during
// it, in order ('1' clear, '2' yellow, '4' safety car, '5' red flag, '6' VSC deployed, '7' VSC ending; '24' = a
// yellow, then the SC). Codes are normalised once at import (`normaliseTrackStatus`; migration 2 rewrote older
// databases), so readers compare canonical strings and ask `hasState` instead of searching for digits.

export type TrackState = 'green' | 'yellow' | 'sc' | 'vsc' | 'red';

/** The canonical code of a lap that was clear throughout. */
export const TRACK_CLEAR = '1';

const STATE_OF_CODE: Record<string, TrackState> = { '1': 'green', '2': 'yellow', '4': 'sc', '5': 'red', '6': 'vsc', '7': 'vsc' };

/** Canonical form of a raw status ('24', '24.0', 24 → '24'); null when empty; undefined when not a status code. */
export function normaliseTrackStatus(raw: string | number | null | undefined): string | null | undefined {
  if (raw === null || raw === undefined) return null;
  let t = String(raw).trim();
  if (t === '') return null;
  if (t.endsWith('.0')) t = t.slice(0, -2);
  return /^\d+$/.test(t) ? t : undefined;
}

/** The states seen during a lap with this code (empty for unknown or '0'). */
export function trackStates(code: string | null | undefined): Set<TrackState> {
  const out = new Set<TrackState>();
  for (const ch of code ?? '') {
    const s = STATE_OF_CODE[ch];
    if (s) out.add(s);
  }
  return out;
}

/** Whether the lap saw `state` at some moment. */
export function hasState(code: string | null | undefined, state: TrackState): boolean {
  return trackStates(code).has(state);
}

/** Whether the lap's status is known at all (a code other than '' or '0'). */
export const isKnownStatus = (code: string | null | undefined): boolean => trackStates(code).size > 0;

/** Clear for the whole lap: the clean-lap condition. */
export const isClear = (code: string | null | undefined): boolean => code === TRACK_CLEAR;

const SEVERITY: readonly TrackState[] = ['red', 'sc', 'vsc', 'yellow', 'green'];

/** The most severe state seen during the lap ('green' when none is known). */
export function worstState(code: string | null | undefined): TrackState {
  const s = trackStates(code);
  return SEVERITY.find((x) => s.has(x)) ?? 'green';
}
