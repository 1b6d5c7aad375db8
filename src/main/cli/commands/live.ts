// `pitwall live`: live timing — record a session (`record`, cli/live-record.ts); the tower side adds its own.
import type { Command } from '../command.js';
import { recordCommand } from '../live-record.js';

export const command: Command = {
  name: 'live',
  summary: 'live timing: record F1 live timing, OpenF1 or an archived session to a JSONL recording',
  subcommands: [recordCommand],
};
