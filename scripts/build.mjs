// Build: engine (src/main, src/shared) transpiled file-by-file to out/ with esbuild (ESM, Node),
// preload bundled to CommonJS (sandboxed preloads cannot load ESM), renderer built with Vite.
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv[2]; // "engine" | "renderer" | undefined (both)
const clean = !process.argv.includes('--no-clean');
const walk = (dir) =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return walk(p);
    return /\.(ts|tsx)$/.test(n) && !/\.test\.tsx?$/.test(n) ? [p] : [];
  });

const t0 = Date.now();
if (only !== 'renderer') {
  if (clean) {
    rmSync('out/main', { recursive: true, force: true });
    rmSync('out/shared', { recursive: true, force: true });
  }
  await build({
    entryPoints: [...walk('src/main'), ...walk('src/shared')],
    outdir: 'out',
    outbase: 'src',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  await build({
    entryPoints: ['src/preload/index.ts'],
    outfile: 'out/preload/index.cjs',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['electron'],
    target: 'node20',
    logLevel: 'warning',
  });
}
if (only !== 'engine') {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
console.log(`build: done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
