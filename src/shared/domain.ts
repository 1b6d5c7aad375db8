// Domain types shared by engine and renderer. Pure data: no platform imports.

export type Compound = 'SOFT' | 'MEDIUM' | 'HARD' | 'INTERMEDIATE' | 'WET' | 'UNKNOWN';
/** The one compound list: the relative dry compounds of a race weekend, then intermediates and full wets. */
export const DRY_COMPOUNDS = ['SOFT', 'MEDIUM', 'HARD'] as const;
export const WET_COMPOUNDS = ['INTERMEDIATE', 'WET'] as const;
export const RACE_COMPOUNDS = [...DRY_COMPOUNDS, ...WET_COMPOUNDS] as const;
export type RaceCompound = (typeof RACE_COMPOUNDS)[number];
export type DryCompound = (typeof DRY_COMPOUNDS)[number];

export type TrackState = 'green' | 'yellow' | 'sc' | 'vsc' | 'red';
export type Priority = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
export type CommentaryStyle = 'technical' | 'casual' | 'dramatic';

export interface DbStatus {
  races: number;
  results: number;
  laps: number;
  seasons: [number, number] | null;
  schemaVersion: number;
}

export interface RaceSummary {
  raceId: number;
  season: number;
  round: number;
  name: string;
  circuitRef: string;
  circuitName: string;
  date: string;
  hasLaps: boolean;
}

/** One classified (or not classified) driver of a race, as the results view shows it. */
export interface ResultRow {
  /** Finishing position; null when not classified (positionText says why: R retired, D disqualified …). */
  position: number | null;
  positionOrder: number;
  positionText: string;
  driver: string; // driverRef
  code: string | null;
  name: string;
  constructor: string; // constructor name
  grid: number | null; // null: started from the pit lane
  points: number;
  laps: number | null;
  status: string;
  /** Race time of the winner, gap of the others ("+5.123"), or null. */
  time: string | null;
  fastestLapTime: string | null;
  /** This driver set the race's fastest lap. */
  fastestLap: boolean;
}

export interface RaceResults {
  season: number;
  round: number;
  name: string;
  circuitName: string;
  date: string;
  hasLaps: boolean;
  rows: ResultRow[];
}

export interface TrackStatusBand {
  fromLap: number;
  toLap: number;
  state: TrackState;
}

export interface ReplayInfo {
  season: number;
  round: number;
  name: string;
  circuitRef: string;
  totalLaps: number;
  drivers: { driver: string; code: string; name: string; team: string; teamColor: string }[];
  bands: TrackStatusBand[];
  hasSectors: boolean;
}

export interface TimingRow {
  position: number;
  driver: string; // Ergast driverRef
  code: string;
  team: string;
  teamColor: string;
  lap: number;
  gapToLeader: number | null; // seconds; null for leader
  interval: number | null; // seconds to the car ahead
  lapsDown: number;
  lastLap: number | null;
  bestLap: number | null;
  lastLapIsPersonalBest: boolean;
  lastLapIsOverallBest: boolean;
  sectors: [number | null, number | null, number | null] | null;
  compound: Compound;
  tyreAge: number | null;
  pitStops: number;
  inPit: boolean;
  drsRange: boolean;
  retired: boolean;
}

export interface TimingSnapshot {
  season: number;
  round: number;
  lap: number;
  totalLaps: number;
  sessionTime: number; // seconds since session start
  trackState: TrackState;
  rows: TimingRow[];
  playing: boolean;
  speed: number;
}

export type RaceEventType =
  | 'red_flag'
  | 'safety_car'
  | 'vsc'
  | 'retirement'
  | 'lead_change'
  | 'overtake'
  | 'pit_cycle'
  | 'pit_stop'
  | 'fastest_lap'
  | 'drs_range'
  | 'gap_trend'
  | 'personal_best'
  | 'sector_best';

export interface RaceEvent {
  id: string;
  type: RaceEventType;
  priority: Priority;
  lap: number;
  time: number; // session time, s
  driver?: string; // driverRef
  code?: string;
  other?: string; // second driver (passed / previous leader)
  otherCode?: string;
  details: Record<string, string | number | boolean | null>;
}

export interface CommentaryLine {
  id: string;
  event: RaceEvent;
  text: string;
  style: CommentaryStyle;
  source: 'claude' | 'offline';
  validation: { ok: boolean; issues: string[] };
  lap: number;
  time: number;
}

export interface CurvePoint {
  tyreAge: number;
  p10: number;
  p50: number;
  p90: number;
}

export interface DegradationCurve {
  circuit: string;
  compound: DryCompound;
  points: CurvePoint[]; // fuel-corrected lap-time loss (s) vs tyre age
  stints: number;
}

export interface StintForecast {
  driver: string;
  compound: Compound;
  observed: { tyreAge: number; lapTime: number }[];
  forecast: { tyreAge: number; lapTime: number; p10?: number; p90?: number }[];
}

export interface StrategyPlanOption {
  label: string; // e.g. "Box lap 24 → HARD"
  stops: { lap: number; compound: RaceCompound }[]; // never before the lap asked
  expectedTime: number; // s, remaining race (field-pace basis: over its horizon)
  deltaToBest: number;
  expectedPosition: number; // mean, unrounded (1.3, not 1)
}

export type PitAction = 'stay' | 'pit_soft' | 'pit_medium' | 'pit_hard' | 'pit_inter' | 'pit_wet';

/** The car and race state a recommendation was computed for: the card compares it with the tower. */
export interface PitAdviceState {
  completedLaps: number; // laps done before the lap asked (lap − 1): the state the simulation starts from
  position: number;
  compound: Compound;
  tyreAge: number;
  stintLaps: number; // laps run on this set in this race
  stops: number;
  trackState: TrackState; // of the last completed lap
  fieldOnWet: number; // share (0–1) of running cars on INTERMEDIATE/WET on that lap
}

/**
 * Pit advice for `driver` deciding on lap `lap` ("box now" = pit in at the end of lap `lap`).
 * `strategyRecommend` returns null when there is nothing left to decide: the car is out of the race (retired by
 * then) or `lap` is the race's last lap (finished). The card tells which from the tower row (`retired`) and
 * `totalLaps` (see renderer/views/StrategyCard.tsx `noAdviceReason`).
 */
export interface PitRecommendation {
  driver: string;
  lap: number; // the lap asked
  state: PitAdviceState;
  action: PitAction;
  /** "Box now for HARD: +1.8 s expected, P4 → P3 with 62 %"; "Stay out" also when the gain is inside its p10–p90. */
  headline: string;
  /**
   * How the options were valued: 'race-sim' (Monte-Carlo whole-field simulation, dry compounds) or 'field-pace'
   * (wet or mixed conditions: the field's recent lap times per compound over a short horizon, see recommend.ts).
   */
  basis: 'race-sim' | 'field-pace';
  gain: number; // s, mean advantage of the best option over the best option of the other kind (stay vs box)
  gainRange: { p10: number; p90: number }; // of that advantage over the runs
  positionFrom: number;
  positionTo: number; // most likely finishing position of the recommended option
  probability: number; // share of runs finishing positionTo or better (never exactly 0 or 1)
  /** Finishing position of the recommended option over the runs. */
  position: { expected: number; p10: number; p90: number; distribution: { position: number; share: number }[] };
  plans: StrategyPlanOption[];
  counterfactuals: string[];
  notes: string[]; // e.g. "stint limit 18 laps per set", "slicks not offered: 80 % of the field on wet tyres"
}

export interface ModelSummary {
  name: string;
  version: number;
  aliases: string[];
  createdAt: string;
  metrics: Record<string, number>;
  baselines: Record<string, Record<string, number>>;
  trainSeasons?: [number, number];
  testSeasons?: [number, number];
}

export interface RunSummary {
  runId: string;
  experiment: string;
  status: string;
  startedAt: string;
  params: Record<string, string>;
  metrics: Record<string, number>;
}

export interface FeatureImportance {
  feature: string;
  gain: number;
  permutation?: number;
}

export interface DriftAlert {
  id: number;
  model: string;
  kind: 'drift' | 'accuracy';
  features: string[];
  message: string;
  createdAt: string;
}

export interface WinnerPrediction {
  driver: string;
  code: string;
  probability: number;
}

/** Progress of the app's "Update data" (Jolpica), pushed to every client as 'update:progress'. */
export interface UpdateProgressEvent {
  state: 'running' | 'done' | 'cancelled' | 'failed';
  /** Races handled / to handle (0/0 while the schedule is read). */
  done: number;
  total: number;
  /** Seconds left at the pace so far; null before the first race is done. */
  etaS: number | null;
  season: number | null;
  round: number | null;
  /** The race being fetched ('' when none). */
  race: string;
  requests: number;
  cached: number;
  /** Why it failed or stopped. */
  message?: string;
}

/** What an update wrote (the CLI's `pitwall update --json` report) and how many logged predictions it settled. */
export interface UpdateSummary {
  source: string;
  seasons: number[];
  races: number;
  results: number;
  qualifying: number;
  pit_stops: number;
  laps: number;
  requests: number;
  cached: number;
  joined: number;
}
