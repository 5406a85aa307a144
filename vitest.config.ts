import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // Database tests share one migrated template per backend (global-setup.ts) and each file
    // clones its own copy; browser tests start the real server. Both need more than the defaults.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
