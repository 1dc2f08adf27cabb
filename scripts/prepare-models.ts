// Trains the understanding models on the repository's knowledge base and training/ data and keeps them in
// node_modules/.cache/kosodate-model/, so start-up loads them instead of training (with the knowledge base's passed
// check against the reference model, so start-up does not load that model at all). The app also writes them on first
// start when it can; run this where node_modules is read-only at run time (the Docker image does, at build).
//   npm run model:prepare
import { loadCore } from '../src/core/build-core.js';
import { defaultModelCacheDir } from '../src/core/nlp/learned/model-cache.js';

const started = performance.now();
await loadCore();
console.log(`models ready in ${defaultModelCacheDir()} (${Math.round(performance.now() - started)} ms)`);
