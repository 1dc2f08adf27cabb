import kuromoji from 'kuromoji';
import path from 'node:path';
import { tokenizerFromArrays } from './dictionary/build.js';
import { kuromojiDir } from './dictionary/kuromoji-internals.js';
import { loadDictionaryArrays, type LoadOptions, type LoadedDictionary } from './dictionary/load.js';

export type Token = kuromoji.IpadicFeatures;
export interface Tokenizer {
  tokenize(text: string): Token[];
}

export interface LoadedTokenizer {
  tokenizer: Tokenizer;
  ms: number;
  /** Where the dictionary came from, and why the cache was not used if it was not (for the start-up log). */
  source: LoadedDictionary['source'];
  cacheProblem?: string;
}

/** Where kuromoji's IPADIC lives, found through module resolution so any install layout works. */
export function defaultDictPath(): string {
  return path.join(kuromojiDir, 'dict');
}

/**
 * kuromoji's tokenizer over a lean copy of its dictionary (src/core/nlp/dictionary): ~70 MB instead of the stock
 * builder's ~280 MB, read from a prepared cache in a few tens of ms (decoded from the gzip files and cached
 * on first use). The process loads it once and shares it; tokenize() is synchronous and cheap.
 */
export async function loadTokenizer(dicPath = defaultDictPath(), opts: LoadOptions = {}): Promise<LoadedTokenizer> {
  const started = performance.now();
  const { arrays, source, cacheProblem } = await loadDictionaryArrays(dicPath, opts);
  const tokenizer = tokenizerFromArrays(arrays);
  return { tokenizer, ms: Math.round(performance.now() - started), source, ...(cacheProblem ? { cacheProblem } : {}) };
}

/** kuromoji's own builder: the reference the lean loader is tested against (0.6 s and ~360 MB RSS). */
export function loadStockTokenizer(dicPath = defaultDictPath()): Promise<{ tokenizer: Tokenizer; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    kuromoji.builder({ dicPath }).build((err, tokenizer) => {
      if (err) reject(err);
      else resolve({ tokenizer, ms: Math.round(performance.now() - started) });
    });
  });
}
