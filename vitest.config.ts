import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
    // isolation: HOME and the data directory in fresh temporary folders (per run, then per test file)
    setupFiles: ['tests/isolated-file.ts'],
    globalSetup: ['tests/global-setup.ts'],
  },
});
