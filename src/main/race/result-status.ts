// Result status: the one reading of a classification's status text. Ergast wrote finishers a lap or more down as
// "+1 Lap", "+2 Laps" and most retirements by cause; Jolpica serves seasons from 2024 on with a short list —
// "Finished", "Lapped", "Retired", "Disqualified", "Did not start" (and "Accident" where known).

const FINISHED = /^(Finished|\+\d+ Laps?|Lapped)$/;
const INCIDENT =
  /^(Collision|Accident|Collision damage|Spun off|Disqualified|Puncture|Withdrew|Did not start|Did_not_start|Excluded)$/;
const CRASH = /accident|collision|spun|crash|damage|debris/i;

/** Took the chequered flag (on the lead lap or laps down). */
export function isFinished(status: string | null | undefined): boolean {
  return FINISHED.test(status ?? '');
}

/** Not running at the end for a reason that is not the car's reliability (a crash, a ruling, a non-start). */
export function isIncident(status: string | null | undefined): boolean {
  return INCIDENT.test(status ?? '');
}

/** A retirement worth a track incident (debris, a car stopped at the side): crash wording in the status. */
export function isCrash(status: string | null | undefined): boolean {
  return CRASH.test(status ?? '');
}

/** A car that did not finish for a reason that is neither an incident nor a ruling: a reliability failure. A bare
 *  "Retired" counts (Jolpica gives no cause from 2024 on, Ergast did for a few). */
export function isMechanicalDnf(status: string | null | undefined): boolean {
  return !isFinished(status) && !isIncident(status);
}
