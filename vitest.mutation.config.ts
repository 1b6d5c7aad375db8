import { defineConfig } from 'vitest/config';

// Stryker's test runner (`npm run test:mutation`, stryker.config.json): only the test files that state the
// behaviour of the mutated core modules, small enough to rerun for every mutant. Instrumented code runs many times
// slower, so the large-data checks (gbdt.test.ts, drift.test.ts's false-alarm rate, replay.test.ts over seven
// seasons, pit.test.ts over the full feature store) stay in `npm test` only, and so does commentary.test.ts (its
// fake Anthropic server with timeouts and its full-race runs in five styles made every commentary mutant cost ~10 s;
// rules.test.ts states the same rules in process). Tests that drive only a child process (the built CLI) cannot
// see a mutant and are left out too.
export default defineConfig({
  test: {
    include: [
      'src/main/replay/snapshot.test.ts',
      'src/main/replay/timeline.test.ts',
      'src/main/replay/timeline-details.test.ts',
      'src/main/replay/tower-columns.test.ts',
      'src/main/commentary/rules.test.ts',
      'src/main/commentary/session.test.ts',
      'src/main/commentary/validator.test.ts',
      'src/main/commentary/pipeline.test.ts',
      'src/main/commentary/queue.test.ts',
      'src/main/data/importer.test.ts',
      'src/main/data/import-fresh.test.ts',
      'src/main/strategy/recommend.test.ts',
      'src/main/strategy/state-at.test.ts',
      'src/main/strategy/recommend-exact.test.ts',
      'src/main/models/gbdt/train.test.ts',
      'src/main/models/gbdt/train-sampling.test.ts',
      'src/main/models/gbdt/train-rules.test.ts',
      'src/main/monitoring/drift-rules.test.ts',
      'src/main/features/historical.test.ts',
      'tests/server.test.ts',
      'tests/security.test.ts',
      'tests/server-wire.test.ts',
      'tests/session.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // isolation: HOME and the data directory in fresh temporary folders (per run, then per test file)
    setupFiles: ['tests/isolated-file.ts'],
    // the renderer build (tests/e2e/setup.ts): the server serves its page (tests/server.test.ts)
    globalSetup: ['tests/global-setup.ts', 'tests/e2e/setup.ts'],
  },
});
