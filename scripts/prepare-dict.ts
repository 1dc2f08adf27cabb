// Writes the lean kuromoji dictionary cache (node_modules/.cache/kosodate-dict/<fingerprint>/) so start-up
// reads it instead of decoding the gzip files. The app also writes it on first start when it can; run this
// where node_modules is read-only at run time (the Docker image does, at build).
//   npm run dict:prepare
import { prepareDictionaryCache } from '../src/core/nlp/dictionary/load.js';
import { defaultDictPath } from '../src/core/nlp/tokenizer.js';

const started = performance.now();
const { dir, written } = await prepareDictionaryCache(defaultDictPath());
console.log(`${written ? 'prepared' : 'already prepared'}: ${dir} (${Math.round(performance.now() - started)} ms)`);
