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
