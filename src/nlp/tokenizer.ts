import { createRequire } from 'node:module';
import path from 'node:path';
import kuromoji from 'kuromoji';

export type Token = kuromoji.IpadicFeatures;
export interface Tokenizer {
  tokenize(text: string): Token[];
}

const require = createRequire(import.meta.url);

/** Where kuromoji's IPADIC lives, found through module resolution so any install layout works. */
export function defaultDictPath(): string {
  return path.join(path.dirname(require.resolve('kuromoji/package.json')), 'dict');
}

/**
 * Builds kuromoji's tokenizer. Loading the dictionary takes ~0.5 s and ~300 MB, so the process does it
 * once at start-up and shares the instance; tokenize() itself is synchronous and cheap.
 */
export function loadTokenizer(dicPath = defaultDictPath()): Promise<{ tokenizer: Tokenizer; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    kuromoji.builder({ dicPath }).build((err, tokenizer) => {
      if (err) reject(err);
      else resolve({ tokenizer, ms: Math.round(performance.now() - started) });
    });
  });
}
