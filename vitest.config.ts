import { defineConfig } from 'vitest/config';

// Tests talk to a real Redis: run them with `npm test` (scripts/run-tests.mjs), which starts a throwaway
// redis-server unless REDIS_URL is set. Vitest 4 has no `poolOptions`; worker limits are top-level options.
//
// Two projects. The pure core's tests (test/core) share one module graph per worker (isolate: false): they mock
// nothing, set no environment and keep no state outside the values they build, so a fresh module graph per file
// bought nothing but importing the whole core again, file after file, and building a kuromoji core (test/support/
// core.ts) in each. Every other test keeps a process of its own per file: those start servers, stores and clocks.
const CORE = ['test/core/**/*.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/support/prepare-models.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    fileParallelism: true,
    // The CI machine has 2 cores.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'core', include: CORE, isolate: false } },
      { extends: true, test: { name: 'rest', include: ['test/**/*.test.ts'], exclude: CORE } },
    ],
  },
});
