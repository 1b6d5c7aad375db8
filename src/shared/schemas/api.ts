// Runtime schemas of the API contract, defined once: every method's arguments (and, where cheap, its result) and
// the role allowed to call it. `src/shared/api.ts` infers the argument types from these schemas, so a field is
// written in one place; `satisfies Record<ApiMethod, …>` makes every method of the contract declare its entry.
// zod 4 (not valibot): see the README's "Security" section for why.
import { z } from 'zod';
import type { CommentaryStyle, DbStatus } from '../domain.js';
import type { ApiMethod } from '../api.js';

const season = z.number().int().min(1950).max(2100);
const round = z.number().int().min(1).max(40);
const lap = z.number().int().min(0).max(200);
/** Identifiers (driverRef, circuitRef, model names): short, printable, no control characters. */
const ident = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w.-]+$/, 'letters, digits, "_", "-" or "."');
const raceRef = { season, round };
const style = z.enum(['technical', 'casual', 'dramatic']) satisfies z.ZodType<CommentaryStyle>;

/** A method without arguments accepts nothing, `null` or `{}` (what HTTP bodies and older clients send). */
const none = z.union([z.undefined(), z.null(), z.strictObject({})]);

export const ARGS = {
  health: none,
  status: none,
  listSeasons: none,
  listRaces: z.strictObject({ season }),
  raceResults: z.strictObject(raceRef),
  replayOpen: z.strictObject(raceRef),
  replayPlay: none,
  replayPause: none,
  replaySeek: z.strictObject({ lap }),
  // 0 = as fast as possible (the clock's max speed)
  replaySetSpeed: z.strictObject({ speed: z.union([z.literal(0), z.number().min(0.1).max(1000)]) }),
  replaySnapshot: none,
  replayEvents: z.strictObject({ sinceLap: lap.optional() }),
  replayCharts: none,
  commentarySince: z.strictObject({ since: z.string().max(64).optional() }),
  commentarySetStyle: z.strictObject({ style }),
  tyreCurves: z.strictObject({ circuit: ident }),
  stintForecast: z.strictObject({ ...raceRef, driver: ident, lap }),
  strategyRecommend: z.strictObject({
    ...raceRef,
    driver: ident,
    lap,
    seeds: z.number().int().min(1).max(10_000).optional(),
  }),
  strategyPitLoss: z.strictObject({ circuit: ident }),
  strategyRejoin: z.strictObject({
    ...raceRef,
    driver: ident,
    lap,
    others: z.enum(['known', 'none']).optional(),
  }),
  predictWinner: z.strictObject(raceRef),
  winProbability: z.strictObject(raceRef),
  modelsList: none,
  modelRuns: z.strictObject({ name: ident }),
  modelCard: z.strictObject({ name: ident, version: z.number().int().min(1).optional() }),
  modelPromote: z.strictObject({ name: ident, version: z.number().int().min(1) }),
  monitorAlerts: none,
  updateRun: z.strictObject({ seasons: z.array(season).min(1).max(3).optional() }),
  updateCancel: none,
  liveSubscribe: none,
  liveStatus: none,
  liveTower: none,
  liveSetDelay: z.strictObject({ seconds: z.number().min(0).max(120) }),
  liveLaps: z.strictObject({ driverNumber: z.number().int().min(0).max(999).optional() }),
  liveForecast: z.strictObject({ driverNumber: z.number().int().min(0).max(999) }),
  liveCharts: none,
  liveRejoin: z.strictObject({ driverNumber: z.number().int().min(0).max(999) }),
  liveTokens: none,
  liveSetToken: z.strictObject({ name: z.enum(['f1LiveToken', 'openf1Token']), value: z.string().max(4096) }),
  // a network feed, or a recording's file name inside the data directory's recordings/ folder (no paths)
  liveStart: z.strictObject({
    source: z.enum(['f1', 'openf1', 'recording']),
    recording: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[\w.-]+\.jsonl$/, 'a file name ending .jsonl')
      .optional(),
    speed: z.number().min(0.1).max(1000).optional(),
  }),
  liveStop: none,
} as const satisfies Record<ApiMethod, z.ZodType>; // covers exactly the contract's methods

/** The argument type of a method taking arguments, as its schema parses it. */
export type ArgsOf<M extends keyof typeof ARGS> = z.output<(typeof ARGS)[M]>;

/** Results cheap to check at run time (tests validate every answer against these). */
const dbStatus = z.strictObject({
  races: z.number().int(),
  results: z.number().int(),
  laps: z.number().int(),
  seasons: z.tuple([z.number().int(), z.number().int()]).nullable(),
  schemaVersion: z.number().int(),
}) satisfies z.ZodType<DbStatus>;
const nothing = z.union([z.null(), z.undefined()]);
export const RESULTS: Partial<Record<ApiMethod, z.ZodType>> = {
  health: z.strictObject({ ok: z.boolean(), version: z.string(), schemaVersion: z.number().int() }),
  status: dbStatus,
  listSeasons: z.array(season),
  replayPlay: nothing,
  replayPause: nothing,
  replaySetSpeed: nothing,
  commentarySetStyle: nothing,
  updateCancel: z.boolean(),
  modelsList: z.array(z.looseObject({ name: z.string() })),
  monitorAlerts: z.array(z.looseObject({ id: z.number(), model: z.string(), message: z.string() })),
};

/**
 * Who may call what over a paired LAN connection. `viewer`: timing, charts, commentary, recommendations (read-only,
 * or state of the caller's own session such as its replay position); `engineer`: anything that changes what every
 * client sees or what is stored (promotions, imports, updates, settings, live-source control).
 */
export type Role = 'viewer' | 'engineer';
export const ROLE = {
  health: 'viewer',
  status: 'viewer',
  listSeasons: 'viewer',
  listRaces: 'viewer',
  raceResults: 'viewer',
  replayOpen: 'viewer',
  replayPlay: 'viewer',
  replayPause: 'viewer',
  replaySeek: 'viewer',
  replaySetSpeed: 'viewer',
  replaySnapshot: 'viewer',
  replayEvents: 'viewer',
  replayCharts: 'viewer',
  commentarySince: 'viewer',
  commentarySetStyle: 'viewer', // the caller's own session's style
  tyreCurves: 'viewer',
  stintForecast: 'viewer',
  strategyRecommend: 'viewer',
  strategyPitLoss: 'viewer',
  strategyRejoin: 'viewer',
  predictWinner: 'viewer',
  winProbability: 'viewer',
  modelsList: 'viewer',
  modelRuns: 'viewer',
  modelCard: 'viewer',
  modelPromote: 'engineer',
  monitorAlerts: 'viewer',
  updateRun: 'engineer', // writes the database every client reads
  updateCancel: 'engineer',
  liveSubscribe: 'viewer',
  liveStatus: 'viewer',
  liveTower: 'viewer',
  liveSetDelay: 'viewer', // the caller's own session's delay
  liveLaps: 'viewer',
  liveForecast: 'viewer',
  liveCharts: 'viewer',
  liveRejoin: 'viewer',
  liveTokens: 'engineer', // which secrets exist is the engineer's business
  liveSetToken: 'engineer',
  liveStart: 'engineer', // changes what every client sees
  liveStop: 'engineer',
} as const satisfies Record<ApiMethod, Role>;

export const mayCall = (role: Role, method: ApiMethod): boolean =>
  role === 'engineer' || ROLE[method] === 'viewer';

/** The envelope of a call over the WebSocket (the arguments are then checked by the method's own schema). */
export const CALL_ENVELOPE = z.strictObject({
  kind: z.literal('call'),
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(100),
  args: z.unknown().optional(),
});
