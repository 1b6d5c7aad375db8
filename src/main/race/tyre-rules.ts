// Race-specific tyre rules that change what a strategy may do. Pirelli/FIA limits imposed for one event, keyed by
// season and round (Ergast numbering). Qatar 2023: after the tyre-failure analysis of Friday, the FIA capped each set
// at 18 race laps (FIA Document 33, 2023 Qatar GP), forcing at least three stops.

const MAX_STINT_LAPS: Readonly<Record<string, number>> = {
  '2023-17': 18, // Qatar 2023
};

/** The most race laps one set may run in this race, or null when no limit applied. */
export function maxStintLaps(season: number, round: number): number | null {
  return MAX_STINT_LAPS[`${season}-${round}`] ?? null;
}
