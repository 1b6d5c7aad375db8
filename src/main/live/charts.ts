// The strategist charts of the live feed: the live laps a client may see (its broadcast delay applied) as the
// replay's timing source (events.ts), so the replay's own Timeline and chart builder (replay/charts.ts) make the
// same RaceCharts a replay gives, as of the moment the client is shown.
import type { RaceCharts } from '../../shared/domain.js';
import type { LiveLap, LiveTower } from '../../shared/live.js';
import { raceChartsAt } from '../replay/charts.js';
import { Timeline } from '../replay/timeline.js';
import { liveTimingSource } from './events.js';

/** The charts of `laps` (all completed by the tower's moment) as of the tower's moment; null without a tower or
 *  its stream offset. */
export function liveRaceCharts(laps: readonly LiveLap[], tower: LiveTower | null): RaceCharts | null {
  if (!tower || tower.offsetMs === null) return null;
  return raceChartsAt(new Timeline(liveTimingSource(laps, tower)), tower.offsetMs / 1000);
}
