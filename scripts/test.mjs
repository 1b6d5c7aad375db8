// `npm test`: build, lint, typecheck, unit + integration tests (Vitest), end-to-end tests (real Chromium).
// Ends with one line "N passed, N failed, N skipped" (checks count as tests) and a non-zero exit on any failure;
// browser tests that could not run (no Chromium) are said to be skipped, with how to get Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { CHROMIUM } from './chromium.mjs';

mkdirSync('test-results', { recursive: true });
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
const notes = [];

function step(name, cmd, args) {
  console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return r.status === 0;
}
function check(name, cmd, args) {
  if (step(name, cmd, args)) passed++;
  else {
    failed++;
    failures.push(name);
  }
}
function vitest(name, config, out) {
  const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}`];
  if (config) args.push('--config', config);
  const ok = step(name, 'npx', args);
  if (!existsSync(out)) {
    failed++;
    failures.push(`${name} (no report)`);
    return 0;
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  const skips = report.numPendingTests + report.numTodoTests;
  skipped += skips;
  if (report.numFailedTests > 0 || !ok) failures.push(name);
  if (!ok && report.numFailedTests === 0) failed++; // e.g. a suite that failed to load
  return skips;
}

check('build', 'node', ['scripts/build.mjs']);
check('lint', 'npx', ['eslint', '.']);
check('typecheck (node)', 'npx', ['tsc', '-p', 'tsconfig.node.json', '--noEmit']);
check('typecheck (web)', 'npx', ['tsc', '-p', 'tsconfig.web.json', '--noEmit']);
vitest('unit + integration', null, 'test-results/unit.json');
if (existsSync('vitest.e2e.config.ts')) {
  const skips = vitest('end-to-end (Chromium)', 'vitest.e2e.config.ts', 'test-results/e2e.json');
  if (!existsSync(CHROMIUM))
    notes.push(`the browser tests did NOT run: no Chromium at ${CHROMIUM} (${skips} skipped). Install it with \`apt-get install -y chromium\`, or set CHROMIUM_PATH.`);
}

if (failures.length) console.log(`\nfailed: ${failures.join(', ')}`);
for (const n of notes) console.log(`\nnote: ${n}`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
