// `npm start`: builds what is missing or stale, then opens the Electron window when the electron package is
// installed, otherwise starts `pitwall serve` and prints the URL to open in a browser.
// Arguments pass through: `npm start -- --season=2023 --round=1 --speed=100 --play` (deep link), `--db FILE`,
// `--port N` (browser mode), `--browser` (skip Electron even when installed).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, URLSearchParams } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const argv = process.argv.slice(2);
const forceBrowser = argv.includes('--browser') || process.env.PITWALL_NO_ELECTRON === '1';
const args = argv.filter((a) => a !== '--browser');

// 1. Build when an output is missing or older than any source file.
const outputs = [
  'out/main/cli/main.js',
  'out/main/app/main.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
];
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, d) => {
    const p = join(dir, d.name);
    return Math.max(m, d.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
const stale =
  outputs.some((o) => !existsSync(o)) ||
  Math.min(...outputs.map((o) => statSync(o).mtimeMs)) <
    Math.max(newest('src'), statSync('vite.config.ts').mtimeMs);
if (stale) {
  console.log('pitwall: building…');
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// 2. Electron where installed (its package's main export is the path of the binary).
function electronBinary() {
  if (forceBrowser) return null;
  try {
    const p = createRequire(join(root, 'package.json'))('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function run(cmd, cmdArgs, opts = {}) {
  const child = spawn(cmd, cmdArgs, { stdio: 'inherit', ...opts });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
  return child;
}

const portFree = (port) =>
  new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

const electron = electronBinary();
if (electron) {
  console.log('pitwall: opening the desktop app (Electron)');
  // In development the engine process runs under this Node, whose ABI the installed native modules match.
  run(electron, ['out/main/app/main.js', ...args], {
    env: { ...process.env, PITWALL_NODE: process.execPath },
  });
} else {
  // 3. Browser mode: the same app served by the headless engine.
  const opt = (name) => {
    const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return undefined;
    return args[i].includes('=') ? args[i].split('=')[1] : args[i + 1];
  };
  const query = new URLSearchParams();
  for (const k of ['season', 'round', 'speed', 'lap']) if (opt(k)) query.set(k, opt(k));
  if (args.some((a) => a === '--play' || a === '--play=1')) query.set('play', '1');
  const port = opt('port') ?? ((await portFree(8765)) ? '8765' : '0');
  const serveArgs = ['bin/pitwall.mjs', 'serve', '--port', port, '--json'];
  if (opt('db')) serveArgs.push('--db', opt('db'));
  console.log(
    'pitwall: Electron is not installed (optional dependency; needs internet at install) — starting the app for your browser',
  );
  const child = run(process.execPath, serveArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    const m = /"url":"([^"]+)"/.exec(buf);
    if (m) {
      const q = query.toString();
      console.log(
        `\n  PitWall is running at ${m[1]}${q ? `?${q}` : ''}\n  Open it in a browser. Ctrl+C stops it.\n`,
      );
      buf = '';
    }
  });
}
