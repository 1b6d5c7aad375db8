// Vitest setup file: each test file starts with a HOME and data directory of its own (fresh, empty), inside the
// run's isolation folder (tests/global-setup.ts), so a cache or database one file leaves cannot steer another.
import { isolate } from './helpers/isolation.js';

isolate(process.env, process.env.PITWALL_TEST_ISOLATION_ROOT);
