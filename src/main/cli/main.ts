// `pitwall` entry: the commands of ./commands/index.ts, parses options, prints help and readable errors.
import type { Command, CommandContext, OptionSpec } from './command.js';
import { UsageError } from './command.js';
import { COMMANDS } from './commands/index.js';
import { DataError } from '../data/errors.js';
import { dbPath } from '../data/paths.js';
import { openBootstrapped } from '../data/bootstrap.js';
import { bootstrapProgress } from './progress.js';
import type { Db } from '../data/db.js';
import { parseDevice, setDevicePreference } from '../compute/device.js';

const GLOBAL: OptionSpec[] = [
  { name: 'db', type: 'string', description: 'database file (default: $PITWALL_DB or the app data directory)' },
  { name: 'json', type: 'boolean', description: 'machine-readable JSON output' },
  { name: 'device', type: 'string', description: 'compute device for models: gpu, cpu or auto (also $PITWALL_DEVICE)' },
  { name: 'help', type: 'boolean', description: 'show help' },
];

export function loadCommands(): Command[] {
  return [...COMMANDS].sort((a, b) => a.name.localeCompare(b.name));
}

export function parseArgs(argv: string[], specs: OptionSpec[]) {
  const opts: Record<string, string | number | boolean | undefined> = {};
  const positionals: string[] = [];
  for (const s of specs) if (s.default !== undefined) opts[s.name] = s.default;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq > 0 ? eq : undefined);
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new UsageError(`unknown option --${name}`);
    if (spec.type === 'boolean') {
      opts[name] = eq > 0 ? a.slice(eq + 1) !== 'false' : true;
      continue;
    }
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (spec.type === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got "${value}")`);
      opts[name] = n;
    } else opts[name] = value;
  }
  return { opts, positionals };
}

function helpText(path: string[], cmd: Command | null, all: Command[]): string {
  const lines: string[] = [];
  if (!cmd) {
    lines.push('pitwall — race-engineer engine for Formula 1', '', 'Usage: pitwall <command> [options]', '', 'Commands:');
    for (const c of all) lines.push(`  ${c.name.padEnd(12)} ${c.summary}`);
    lines.push('', 'Run `pitwall <command> --help` for a command’s options.');
  } else {
    lines.push(`pitwall ${path.join(' ')} — ${cmd.summary}`, '', `Usage: ${cmd.usage ?? `pitwall ${path.join(' ')} [options]`}`);
    if (cmd.subcommands?.length) {
      lines.push('', 'Subcommands:');
      for (const s of cmd.subcommands) lines.push(`  ${s.name.padEnd(12)} ${s.summary}`);
    }
    lines.push('', 'Options:');
    for (const o of [...(cmd.options ?? []), ...GLOBAL]) {
      const flag = `--${o.name}${o.type === 'boolean' ? '' : ` <${o.type === 'number' ? 'n' : 'value'}>`}`;
      lines.push(`  ${flag.padEnd(24)} ${o.description}${o.default !== undefined ? ` (default: ${o.default})` : ''}`);
    }
  }
  return lines.join('\n');
}

function openWithProgress(file: string): Db {
  const progress = bootstrapProgress();
  try {
    return openBootstrapped(file, progress);
  } finally {
    progress.done();
  }
}

export async function main(argv: string[]): Promise<number> {
  const all = loadCommands();
  const [first, ...rest] = argv;
  if (!first || first === '--help' || first === 'help' || first === '-h') {
    console.log(helpText([], null, all));
    return first ? 0 : 1;
  }
  if (first === '--version') {
    console.log((await import('../util/version.js')).VERSION);
    return 0;
  }
  let cmd = all.find((c) => c.name === first);
  if (!cmd) {
    console.error(`pitwall: unknown command "${first}"\n\n${helpText([], null, all)}`);
    return 2;
  }
  const path = [first];
  let args = rest;
  while (cmd.subcommands?.length && args[0] && !args[0].startsWith('--')) {
    const sub: Command | undefined = cmd.subcommands.find((s) => s.name === args[0]);
    if (!sub) {
      console.error(`pitwall ${path.join(' ')}: unknown subcommand "${args[0]}"\n\n${helpText(path, cmd, all)}`);
      return 2;
    }
    path.push(args[0]);
    args = args.slice(1);
    cmd = sub;
  }
  let db: Db | undefined;
  try {
    const { opts, positionals } = parseArgs(args, [...(cmd.options ?? []), ...GLOBAL]);
    if (opts.help || !cmd.run) {
      console.log(helpText(path, cmd, all));
      return opts.help ? 0 : 2;
    }
    if (opts.device !== undefined) {
      try {
        setDevicePreference(parseDevice(opts.device));
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
    const json = Boolean(opts.json);
    const dbFile = dbPath(opts.db as string | undefined);
    const ctx: CommandContext = {
      opts,
      positionals,
      json,
      dbFile,
      db: () => (db ??= openWithProgress(dbFile)),
      print: (value, human) => console.log(json || human === undefined ? JSON.stringify(value, null, json ? 0 : 2) : human),
      log: (line) => console.error(line),
    };
    const code = await cmd.run(ctx);
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`pitwall ${path.join(' ')}: ${e.message}\n\n${helpText(path, cmd, all)}`);
      return 2;
    }
    if (e instanceof DataError) {
      console.error(`pitwall ${path.join(' ')}: ${e.message}`);
      return 1;
    }
    console.error(`pitwall ${path.join(' ')}: ${(e as Error).stack ?? e}`);
    return 1;
  } finally {
    db?.close();
  }
}
