// Vitest global setup: train the understanding models once, before the test files start, so that every file's core
// loads them from the cache (node_modules/.cache/kosodate-model) instead of all files training at once on a fresh
// clone, each slowing the others past their timeouts.
import { loadCore } from '../../src/core/build-core.js';

export default async function setup(): Promise<void> {
  await loadCore();
}
