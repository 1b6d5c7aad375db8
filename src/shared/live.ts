// The live timing tower as the engine pushes it and the Live screen shows it (src/main/live/tower.ts builds it from
// the merged F1 timing state). Times are seconds; a gap or interval is seconds or a lap string such as "+1 LAP".
import type { TrackState } from './domain.js';

/** A time's colour: the session's fastest (purple), the car's own best (green), or neither. */
export type BestFlag = 'overall' | 'personal' | null;
/** A mini-sector as the timing shows it. */
export type SegmentState = 'none' | 'slower' | 'personal' | 'overall' | 'pit';

export interface LiveSector {
  time: number | null;
  flag: BestFlag;
  segments: SegmentState[];
}

export interface LiveSpeed {
  kmh: number | null;
  flag: BestFlag;
}

export interface LiveRow {
  position: number | null;
  driverNumber: number;
  code: string | null;
  team: string | null;
  teamColor: string | null;
  laps: number | null;
  /** Seconds behind the leader (race) or the fastest lap (practice, qualifying); "+1 LAP"; null when unknown/leader. */
  gapToLeader: number | string | null;
  interval: number | string | null;
  /** The interval to the car ahead is shrinking (catching) or growing (falling back) since the car's last lap. */
  trend: 'catching' | 'falling' | null;
  lastLap: number | null;
  lastLapFlag: BestFlag;
  bestLap: number | null;
  sectors: LiveSector[];
  speeds: { i1: LiveSpeed; i2: LiveSpeed; fl: LiveSpeed; st: LiveSpeed };
  inPit: boolean;
  pitOut: boolean;
  pitStops: number;
  compound: string | null;
  tyreAge: number | null;
  newTyre: boolean | null;
  retired: boolean;
  stopped: boolean;
}

export interface RaceControlMessage {
  utc: string;
  lap: number | null;
  category: string;
  flag: string | null;
  message: string;
}

export interface LiveWeather {
  airTemp: number | null;
  trackTemp: number | null;
  humidity: number | null;
  windSpeed: number | null;
  rain: boolean;
}

export interface LiveTower {
  /** The instant the tower shows (ISO-8601 UTC). */
  at: string;
  /** ms from the session stream's start, when known. */
  offsetMs: number | null;
  /** Sequence number of the last message merged (the bench and tests follow updates with it). */
  seq: number;
  session: {
    name: string | null;
    type: string | null;
    meeting: string | null;
    key: number | null;
    /** The season (StartDate's year) and the circuit's short name (Meeting.Circuit.ShortName), when the feed says. */
    season?: number | null;
    circuit?: string | null;
  } | null;
  /** The race's lap count (LapCount), or the leader's laps outside races. */
  lap: number | null;
  totalLaps: number | null;
  trackStatus: { code: string; state: TrackState; message: string | null };
  /** Session clock: remaining time extrapolated to `at` (ExtrapolatedClock), and time since the stream began. */
  clock: { remainingS: number | null; elapsedS: number | null; running: boolean };
  weather: LiveWeather | null;
  /** Newest first. */
  raceControl: RaceControlMessage[];
  rows: LiveRow[];
}

/** What the header shows: live / reconnecting / recording (a recording replays) / delayed by N s. */
export type LiveConnectionState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'recording' | 'ended' | 'failed';

export interface LiveStatus {
  connection: LiveConnectionState;
  /** e.g. "f1", "openf1", "recording:/path/race.jsonl"; null when no feed runs. */
  source: string | null;
  detail: string | null;
  /** This client's broadcast delay, seconds. */
  delayS: number;
  messages: number;
  skipped: number;
}

/** A lap as it completes on the live feed (the archive import's row shape, in the renderer's names). */
export interface LiveLap {
  driverNumber: number;
  code: string | null;
  lap: number;
  lapTime: number | null;
  sectors: [number | null, number | null, number | null];
  position: number | null;
  compound: string | null;
  tyreAge: number | null;
  stint: number | null;
  pitIn: boolean;
  pitOut: boolean;
  trackStatus: string | null;
  /** Session-stream time at the end of the lap, seconds. */
  timeS: number;
}

export const MAX_DELAY_S = 120;

/** The live feeds' tokens the Settings dialog stores (data/secrets.ts names). */
export type LiveTokenName = 'f1LiveToken' | 'openf1Token';
/** Whether each token is set; the values never leave the engine. */
export type LiveTokens = Record<LiveTokenName, boolean>;
