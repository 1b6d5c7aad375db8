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
  | 'undercut_threat'
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
  position: {
    expected: number;
    p10: number;
    p90: number;
    distribution: { position: number; share: number }[];
  };
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

/** p10 / p50 / p90 of a quantity. */
export interface Spread {
  p10: number;
  p50: number;
  p90: number;
}

export interface PitLossStats extends Spread {
  n: number; // stops it rests on
}

/** Pit loss at a circuit from history (in-lap + out-lap over the reference pace), by track condition. */
export interface PitLossTable {
  circuit: string;
  /** Where the green figures come from: this circuit's stops, its lane durations scaled, or all circuits. */
  basis: 'circuit' | 'lane' | 'all-circuits';
  green: PitLossStats & { inLap: number; outLap: number };
  sc: PitLossStats;
  vsc: PitLossStats;
  /** Ergast pit-lane durations (entry to exit). */
  lane: PitLossStats;
}

/** Where a car rejoins if it boxes on `lap` (state at the end of lap − 1, after the out-lap lap + 1). */
export interface RejoinPrediction {
  season: number;
  round: number;
  driver: string; // 3-letter code
  lap: number; // the in-lap
  position: number; // most likely position after the out-lap
  probabilities: Record<string, number>; // position → share of runs
  gapAhead: number | null; // s behind carAhead (in the most likely position)
  gapBehind: number | null; // s ahead of carBehind
  carAhead: string | null;
  carBehind: string | null;
  gapAheadRange: Spread | null;
  gapBehindRange: Spread | null;
  pitLoss: Spread;
  /** Position at the end of lap − 1, before the stop. */
  current: number | null;
  /** Undercut / overcut with the cars directly ahead and behind (the API's answer; the CLI leaves it out). */
  threats?: RaceThreat[];
}

/**
 * Undercut / overcut between a car and its neighbour on the road: the chance that the car stopping first this lap
 * (this car against the one ahead; the one behind against this car) takes the place.
 */
export interface RaceThreat {
  rival: string; // 3-letter code
  side: 'ahead' | 'behind';
  gap: number; // s on the road at the end of the last lap
  freshGain: number; // s, fresh vs current tyres on the lap the other car stays out (> 0: fresh faster)
  probability: number;
  /** 'undercut': stopping first takes the place (at least even odds); 'overcut': fresh tyres slower, stay out. */
  flag: 'undercut' | 'overcut' | null;
}

/** One completed lap of one car as the strategist charts read it. */
export interface ChartLap {
  lap: number;
  /** Race time at the line: s since the start (the race trace and the gap chart subtract these). */
  raceTime: number;
  lapTime: number | null;
  position: number | null;
  compound: Compound;
  tyreAge: number | null;
  stint: number;
  /** An in-lap (pit entry during it) or an out-lap (left the pits on it). */
  pit: 'in' | 'out' | null;
  /** The worst track state of the race lap with this number (as the seek-bar bands show it). */
  trackState: TrackState;
}

/** One set of tyres a car ran: laps fromLap…toLap (toLap grows while the stint runs). */
export interface ChartStint {
  driver: string;
  stint: number; // 1-based, in the order run
  compound: Compound;
  /** New (never run) when the set went on; null when the feed does not say. */
  fresh: boolean | null;
  /** Tyre age (laps) on the stint's first lap, as the feed counts it (used sets start older). */
  startAge: number | null;
  fromLap: number;
  toLap: number;
}

export interface ChartDriver {
  driver: string; // driverRef
  code: string;
  team: string;
  teamColor: string;
  laps: ChartLap[]; // in lap order, only those completed by `asOf`
}

/**
 * Everything the strategist charts (race trace, gap, lap times, stints) draw, as known at session time `asOf`:
 * nothing completed after it appears. The replay builds it at its clock (engine: replay/charts.ts); a live feed
 * builds the same shape at its clock minus the broadcast delay, so the same chart components draw both.
 */
export interface RaceCharts {
  season: number;
  round: number;
  totalLaps: number;
  asOf: number; // session time, s
  /** Race laps the leader has completed by `asOf`. */
  leaderLaps: number;
  drivers: ChartDriver[];
  stints: ChartStint[];
  /** Pit stops whose in-lap is completed (lap = in-lap). */
  stops: { driver: string; lap: number; stop: number }[];
  /** Track-status bands of the completed race laps. */
  bands: TrackStatusBand[];
}

/** In-race probabilities of one car after a lap (lap 0 = the pre-race model). */
export interface WinProbabilityEntry {
  code: string;
  win: number;
  /** Null at lap 0 (the pre-race model gives P(win) only). */
  podium: number | null;
  points: number | null;
}

/** Win probability over a race: the pre-race values, then the field after every lap. */
export interface WinProbabilityTrace {
  season: number;
  round: number;
  /** Where the model came from: `registry vN` or `shipped`. */
  source: string;
  laps: { lap: number; cars: WinProbabilityEntry[] }[];
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
  /** Races written with results. */
  races: number;
  results: number;
  qualifying: number;
  pit_stops: number;
  laps: number;
  requests: number;
  cached: number;
  joined: number;
}
