import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    // Database tests share one migrated template per backend (global-setup.ts) and each file
    // clones its own copy; browser tests start the real server. Both need more than the defaults.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'db', include: ['src/**/*.test.ts', 'tests/*.test.ts'], globalSetup: ['tests/global-setup.ts'] },
      },
      {
        // Each browser file runs a server, an embedded database and Chromium: on a two-core CI
        // machine they run after the database tests, one file at a time, so none starves another.
        extends: true,
        test: { name: 'browser', include: ['tests/e2e/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
