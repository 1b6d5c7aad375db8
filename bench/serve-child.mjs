// `pitwall serve` as a child process for the benchmarks: started on a free port over a database, its URL read from
// its --json line; stopped with SIGTERM.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Starts the server; `url` resolves once it listens (rejects if it exits first); `t0` is when it was spawned. */
export function startServe(dbFile) {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['bin/pitwall.mjs', 'serve', '--port', '0', '--db', dbFile, '--json'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const m = /"url":"([^"]+)"/.exec(buf);
      if (m) resolve(m[1]);
    });
    child.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
  });
  return { t0, child, url };
}

/** Stops the server and waits for it to exit. */
export const stopServe = (child) =>
  new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM'))));
