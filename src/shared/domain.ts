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
  stops: { lap: number; compound: DryCompound }[];
  expectedTime: number; // s, remaining race
  deltaToBest: number;
  expectedPosition: number;
}

export interface PitRecommendation {
  driver: string;
  lap: number;
  action: 'stay' | 'pit_soft' | 'pit_medium' | 'pit_hard';
  headline: string; // "Box now for HARD: +1.8 s expected, P4 → P3 with 62 %"
  gain: number;
  positionFrom: number;
  positionTo: number;
  probability: number;
  plans: StrategyPlanOption[];
  counterfactuals: string[];
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
