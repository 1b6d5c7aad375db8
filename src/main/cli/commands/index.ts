// Every `pitwall` command, listed (not discovered): one module per command under this folder.
import type { Command } from '../command.js';
import { command as commentaryCommand } from './commentary.js';
import { command as doctorCommand } from './doctor.js';
import { command as evaluateCommand } from './evaluate.js';
import { command as featuresCommand } from './features.js';
import { command as importCommand } from './import.js';
import { command as lapsCommand } from './laps.js';
import { command as liveCommand } from './live.js';
import { command as modelsCommand } from './models.js';
import { command as monitorCommand } from './monitor.js';
import { command as replayCommand } from './replay.js';
import { command as resultsCommand } from './results.js';
import { command as secretsCommand } from './secrets.js';
import { command as serveCommand } from './serve.js';
import { command as statusCommand } from './status.js';
import { command as strategyCommand } from './strategy.js';
import { command as trainCommand } from './train.js';
import { command as tyresCommand } from './tyres.js';
import { command as updateCommand } from './update.js';

export const COMMANDS: readonly Command[] = [
  commentaryCommand,
  doctorCommand,
  evaluateCommand,
  featuresCommand,
  importCommand,
  lapsCommand,
  liveCommand,
  modelsCommand,
  monitorCommand,
  replayCommand,
  resultsCommand,
  secretsCommand,
  serveCommand,
  statusCommand,
  strategyCommand,
  trainCommand,
  tyresCommand,
  updateCommand,
];
