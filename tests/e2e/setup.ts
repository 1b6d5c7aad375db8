// Builds the renderer before the browser tests so they always exercise the current source (about 2 s).
import { execFileSync } from 'node:child_process';
import { PROJECT_ROOT } from '../helpers/data.js';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', 'renderer'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}
