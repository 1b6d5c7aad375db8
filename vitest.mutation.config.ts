import { defineConfig } from 'vitest/config';

// Stryker's test runner (`npm run test:mutation`): only the test files that exercise the mutated core modules
// (stryker.config.json `mutate`), run in-process so per-test coverage and active mutants reach the code under test.
// Tests that only drive a child process (the built CLI) cannot see a mutant and are left out.
export default defineConfig({
  test: {
    include: [
      'src/main/replay/snapshot.test.ts',
      'src/main/replay/timeline.test.ts',
      'src/main/commentary/*.test.ts',
      'src/main/data/importer.test.ts',
      'src/main/strategy/recommend.test.ts',
      'src/main/models/gbdt/*.test.ts',
      'src/main/monitoring/drift.test.ts',
      'src/main/features/historical.test.ts',
      'tests/session.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // isolation: HOME and the data directory in fresh temporary folders (per run, then per test file)
    setupFiles: ['tests/isolated-file.ts'],
    globalSetup: ['tests/global-setup.ts'],
  },
});
