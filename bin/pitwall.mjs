#!/usr/bin/env node
// The `pitwall` command: runs the built engine's CLI (npm install builds it; `npm run build` rebuilds).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'out', 'main', 'cli', 'main.js');
if (!existsSync(entry)) {
  console.error('pitwall: the engine is not built yet. Run `npm install` (or `npm run build`) in ' + root);
  process.exit(1);
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
