import { defineConfig } from 'vitest/config';

// End-to-end: real Chromium (and Electron where installed) against the built app. The setups build the engine
// and the renderer, and import the real data once.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    // isolation: HOME and the data directory in fresh temporary folders (per run, then per test file)
    setupFiles: ['tests/isolated-file.ts'],
    globalSetup: ['tests/global-setup.ts', 'tests/e2e/setup.ts'],
  },
});
