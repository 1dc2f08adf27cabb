import { defineConfig } from 'vitest/config';

// Tests talk to a real Redis: run them with `npm test` (scripts/run-tests.mjs), which starts a throwaway
// redis-server unless REDIS_URL is set. Vitest 4 has no `poolOptions`; worker limits are top-level options.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/prepare-models.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    fileParallelism: true,
    // The CI machine has 2 cores.
    maxWorkers: 2,
  },
});
