// The shape of a CLI command: one file per command under cli/commands/, discovered at run time.
import type { Db } from '../data/db.js';

export interface OptionSpec {
  name: string; // without dashes
  type: 'string' | 'number' | 'boolean';
  description: string;
  default?: string | number | boolean;
}

export interface CommandContext {
  /** Option values by name (global: db, json, help). */
  opts: Record<string, string | number | boolean | undefined>;
  positionals: string[];
  json: boolean;
  dbFile: string;
  /** Opens the database, building it from the bundled data on first use. */
  db(): Db;
  /** Writes JSON when --json, else the human text. */
  print(value: unknown, human?: string): void;
  log(line: string): void;
}

export interface Command {
  name: string;
  summary: string;
  usage?: string;
  options?: OptionSpec[];
  subcommands?: Command[];
  run?(ctx: CommandContext): Promise<number | void> | number | void;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** "2014-2022" or "2024" → [from, to]. */
export function parseSeasonRange(value: unknown, flag: string): [number, number] {
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(String(value ?? ''));
  if (!m) throw new UsageError(`--${flag} must look like 2014-2022 or 2024 (got "${value}")`);
  const a = Number(m[1]);
  const b = Number(m[2] ?? m[1]);
  if (b < a) throw new UsageError(`--${flag}: ${a}-${b} runs backwards`);
  return [a, b];
}

/** A required number option; the error names the option and what was given. */
export function numberArg(ctx: CommandContext, name: string): number {
  const v = ctx.opts[name];
  if (v === undefined) throw new UsageError(`--${name} is required (a number)`);
  if (typeof v === 'boolean' || !Number.isFinite(Number(v)))
    throw new UsageError(`--${name} must be a number (got "${v}")`);
  return Number(v);
}

/** A required, non-empty string option. */
export function stringArg(ctx: CommandContext, name: string, hint = ''): string {
  const v = ctx.opts[name];
  if (typeof v !== 'string' || !v) throw new UsageError(`--${name} is required${hint}`);
  return v;
}

/** An optional season range option ("2014-2022" or "2024"); undefined when not given. */
export const seasonsArg = (ctx: CommandContext, name: string): [number, number] | undefined =>
  ctx.opts[name] === undefined ? undefined : parseSeasonRange(ctx.opts[name], name);

/** The options that pick one car in one race (--season, --round, --driver). */
export const RACE_OPTIONS: OptionSpec[] = [
  { name: 'season', type: 'number', description: 'season' },
  { name: 'round', type: 'number', description: 'round' },
  { name: 'driver', type: 'string', description: 'driverRef or 3-letter code' },
];

/** --season, --round and --driver, all required. */
export const raceArgs = (ctx: CommandContext): { season: number; round: number; driver: string } => ({
  season: numberArg(ctx, 'season'),
  round: numberArg(ctx, 'round'),
  driver: stringArg(ctx, 'driver', ' (driverRef or 3-letter code)'),
});
