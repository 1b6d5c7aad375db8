// Feature services: the named ref lists models consume. All values are known before the race starts.
import type { FeatureService } from './types.js';

export const SERVICES: FeatureService[] = [
  {
    name: 'race_winner',
    description:
      'Pre-race form and entry refs of a (race, driver); entity rows: race, driver, event_timestamp = race start. The ' +
      'race-winner drift monitor watches a subset (the model computes its own weekend features)',
    features: [
      'race_entry:grid_position',
      'race_entry:quali_position',
      'race_entry:quali_gap_pct',
      'race_entry:teammate_quali_gap_pct',
      'race_entry:pit_lane_start',
      'race_entry:field_size',
      'driver_form:avg_finish_last_5',
      'driver_form:avg_quali_last_5',
      'driver_form:dnf_rate_last_10',
      'driver_form:wins_at_circuit',
      'driver_form:championship_points_before',
      'driver_form:championship_position_before',
      'driver_form:win_rate_last_10',
      'driver_form:podium_rate_last_10',
      'driver_form:avg_points_last_5',
      'driver_form:avg_grid_last_5',
      'driver_form:season_wins_before',
      'driver_form:races_entered',
      'driver_form:prev_season_points',
      'driver_form:win_rate_last_5',
      'driver_form:avg_quali_gap_last_5',
      'driver_form:avg_race_gap_pct_last_5',
      'driver_form:avg_fastest_lap_gap_pct_last_5',
      'driver_form:rating',
      'team_form:constructor_position',
      'team_form:constructor_points_before',
      'team_form:team_avg_finish_last_5',
      'team_form:team_win_rate_last_10',
      'team_form:team_podium_rate_last_10',
      'team_form:prev_season_constructor_position',
      'team_form:team_win_rate_last_5',
      'team_form:team_quali_gap_last_5',
      'team_form:team_fastest_lap_gap_last_5',
      'race_context:circuit_pole_win_rate',
    ],
  },
];
