// A scriptable in-memory client for component tests: records calls, returns canned data, pushes events on demand.
import type { ApiMethod, EventName, PitwallClient, PitwallEvents } from '../../shared/api.js';
import type { CommentaryLine, ReplayInfo, TimingRow, TimingSnapshot } from '../../shared/domain.js';
import type { ApiClient } from '../api/client.js';
import type { ConnectionState } from '../api/transport.js';

export const CODES = [
  'VER',
  'PER',
  'ALO',
  'SAI',
  'HAM',
  'STR',
  'RUS',
  'BOT',
  'GAS',
  'ALB',
  'TSU',
  'SAR',
  'MAG',
  'DEV',
  'HUL',
  'ZHO',
  'NOR',
  'OCO',
  'LEC',
  'PIA',
];

export const INFO: ReplayInfo = {
  season: 2023,
  round: 1,
  name: 'Bahrain Grand Prix',
  circuitRef: 'bahrain',
  totalLaps: 57,
  drivers: CODES.map((c) => ({
    driver: c.toLowerCase(),
    code: c,
    name: c,
    team: 'Team',
    teamColor: '3671C6',
  })),
  bands: [{ fromLap: 20, toLap: 22, state: 'sc' }],
  hasSectors: false,
};

export function snapshotAt(lap: number, extra: Partial<TimingSnapshot> = {}): TimingSnapshot {
  const rows: TimingRow[] = CODES.map((c, i) => ({
    position: i + 1,
    driver: c.toLowerCase(),
    code: c,
    team: 'Team',
    teamColor: '3671C6',
    lap,
    gapToLeader: i === 0 ? null : i * 1.234,
    interval: i === 0 ? null : 1.234,
    lapsDown: 0,
    lastLap: 95 + i * 0.1,
    bestLap: 94.5 + i * 0.1,
    lastLapIsPersonalBest: i === 2,
    lastLapIsOverallBest: i === 0,
    sectors: null,
    compound: i % 2 ? 'HARD' : 'SOFT',
    tyreAge: lap,
    pitStops: 0,
    inPit: i === 5,
    drsRange: i === 3,
    retired: false,
  }));
  return {
    season: 2023,
    round: 1,
    lap,
    totalLaps: 57,
    sessionTime: lap * 95,
    trackState: 'green',
    rows,
    playing: false,
    speed: 1,
    ...extra,
  };
}

export function line(n: number, lap = n): CommentaryLine {
  return {
    id: `c${n}`,
    event: { id: `e${n}`, type: 'overtake', priority: 'HIGH', lap, time: lap * 95, details: {} },
    text: `Line ${n}`,
    style: 'technical',
    source: 'offline',
    validation: { ok: true, issues: [] },
    lap,
    time: lap * 95,
  };
}

type Impl = { [M in ApiMethod]?: (args: never) => unknown };

export interface FakeClient extends ApiClient {
  calls: { method: ApiMethod; args: unknown }[];
  emit<E extends EventName>(name: E, payload: PitwallEvents[E]): void;
  connection(state: ConnectionState): void;
}

/** Defaults answer like a working engine on 2023 Bahrain; `overrides` replace single methods (throw to fail). */
export function fakeClient(overrides: Impl = {}): FakeClient {
  let lap = 1;
  let playing = false;
  let speed = 1;
  const defaults: Impl = {
    listSeasons: () => [2024, 2023],
    listRaces: ({ season }: { season: number }) => [
      {
        raceId: 1,
        season,
        round: 1,
        name: 'Bahrain Grand Prix',
        circuitRef: 'bahrain',
        circuitName: 'Bahrain',
        date: `${season}-03-05`,
        hasLaps: true,
      },
    ],
    raceResults: ({ season, round }: { season: number; round: number }) => ({
      season,
      round,
      name: 'Bahrain Grand Prix',
      circuitName: 'Bahrain International Circuit',
      date: `${season}-03-05`,
      hasLaps: true,
      rows: [
        {
          position: 1,
          positionOrder: 1,
          positionText: '1',
          driver: 'max_verstappen',
          code: 'VER',
          name: 'Max Verstappen',
          constructor: 'Red Bull',
          grid: 1,
          points: 25,
          laps: 57,
          status: 'Finished',
          time: '1:33:56.736',
          fastestLapTime: '1:36.236',
          fastestLap: false,
        },
        {
          position: null,
          positionOrder: 2,
          positionText: 'R',
          driver: 'leclerc',
          code: 'LEC',
          name: 'Charles Leclerc',
          constructor: 'Ferrari',
          grid: 2,
          points: 0,
          laps: 39,
          status: 'Engine',
          time: null,
          fastestLapTime: '1:35.000',
          fastestLap: true,
        },
      ],
    }),
    replayOpen: () => INFO,
    replaySnapshot: () => snapshotAt(lap, { playing, speed }),
    replaySeek: ({ lap: l }: { lap: number }) => snapshotAt((lap = l), { playing, speed }),
    replayPlay: () => void (playing = true),
    replayPause: () => void (playing = false),
    replaySetSpeed: ({ speed: s }: { speed: number }) => void (speed = s),
    commentarySince: () => [line(1)],
    commentarySetStyle: () => undefined,
    tyreCurves: () => [],
    stintForecast: () => null,
    strategyRecommend: () => null,
    strategyPitLoss: ({ circuit }: { circuit: string }) => ({
      circuit,
      basis: 'circuit',
      green: { n: 40, p10: 20.9, p50: 22.7, p90: 25.5, inLap: 5.1, outLap: 17.6 },
      sc: { n: 5, p10: 9, p50: 12, p90: 15 },
      vsc: { n: 3, p10: 14, p50: 16, p90: 18 },
      lane: { n: 60, p10: 22.5, p50: 24.9, p90: 27.4 },
    }),
    strategyRejoin: ({ lap: l }: { lap: number }) => ({
      season: 2023,
      round: 1,
      driver: 'VER',
      lap: l,
      position: 3,
      probabilities: { '2': 0.2, '3': 0.62, '4': 0.18 },
      gapAhead: 1.8,
      gapBehind: 2.4,
      carAhead: 'HAM',
      carBehind: 'ALO',
      gapAheadRange: null,
      gapBehindRange: null,
      pitLoss: { p10: 20.9, p50: 22.7, p90: 25.5 },
      current: 1,
    }),
    winProbability: () => null,
    modelsList: () => [],
    modelRuns: () => [],
    modelCard: () => null,
    modelPromote: () => [],
    monitorAlerts: () => [],
  };
  const calls: FakeClient['calls'] = [];
  const handlers = new Map<string, Set<(p: unknown) => void>>();
  const conn = new Set<(s: ConnectionState) => void>();
  const api = new Proxy({} as PitwallClient, {
    get: (_t, method: string) => async (args: unknown) => {
      calls.push({ method: method as ApiMethod, args });
      const fn = (overrides[method as ApiMethod] ?? defaults[method as ApiMethod]) as
        ((a: unknown) => unknown) | undefined;
      if (!fn) throw new Error(`${method} is not available yet`);
      return fn(args);
    },
  });
  return {
    api,
    calls,
    on(name, handler) {
      const set = handlers.get(name) ?? new Set();
      handlers.set(name, set);
      set.add(handler as (p: unknown) => void);
      return () => set.delete(handler as (p: unknown) => void);
    },
    onConnection(h) {
      conn.add(h);
      return () => conn.delete(h);
    },
    emit(name, payload) {
      handlers.get(name)?.forEach((h) => h(payload));
    },
    connection(state) {
      conn.forEach((h) => h(state));
    },
  };
}

/** Runs scheduled frame callbacks immediately (no requestAnimationFrame in tests). */
export const immediate = (fn: () => void): void => fn();
