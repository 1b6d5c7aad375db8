// Every feature view the app ships, one file each. To add one: create views/<name>.ts exporting a FeatureView
// and add it below (see docs/features.md). Lap and stint views for the lap-time and tyre models live here too.
import type { FeatureView } from '../types.js';
import { driverForm } from './driver_form.js';
import { teamForm } from './team_form.js';
import { raceEntry } from './race_entry.js';
import { raceContext } from './race_context.js';
import { stintDegradation } from './stint_degradation.js';
import { racePace } from './race_pace.js';
import { lapState } from './lap_state.js';

export const VIEWS: FeatureView[] = [
  driverForm,
  teamForm,
  raceEntry,
  raceContext,
  stintDegradation,
  racePace,
  lapState,
];
