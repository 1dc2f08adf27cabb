import type kuromoji from 'kuromoji';
import type { ViterbiLattice, ViterbiNode } from './kuromoji-internals.js';

type Token = kuromoji.IpadicFeatures;

/** The parts of kuromoji's Tokenizer that tokenizeForSentence uses. */
export interface TokenizerInternals {
  token_info_dictionary: { getFeatures(id: number): string | null };
  unknown_dictionary: { getFeatures(id: number): string | null };
  viterbi_builder: { build(sentence: string): ViterbiLattice };
  viterbi_searcher: { search(lattice: ViterbiLattice): ViterbiNode[] };
  formatter: {
    formatEntry(id: number, position: number, type: string, features: readonly string[]): Token;
    formatUnknownEntry(id: number, position: number, type: string, features: readonly string[], surface: string): Token;
  };
  getLattice(sentence: string): ViterbiLattice;
  tokenizeForSentence(sentence: string, tokens?: Token[] | null): Token[];
}

/**
 * Entries kept per dictionary. A message uses a few dozen words and the bot's traffic a few thousand; an entry is
 * ~0.3 kB, so this caps the cache at ~6 MB. When full it is emptied and refills with what is in use.
 */
const MAX_CACHED = 20_000;

/**
 * A dictionary's features line as the tokenizer splits it, decoded once per token-info id: the library decodes the
 * UTF-8 line byte by byte and splits it for every token. The arrays are shared between tokens, so frozen: the
 * formatter only reads them (it copies the fields into each token); one that wrote to them would throw (it runs in
 * strict mode) instead of changing other tokens' features.
 */
function cachedFeatures(getFeatures: (id: number) => string | null): (id: number) => readonly string[] {
  const cache = new Map<number, readonly string[]>();
  return (id) => {
    let features = cache.get(id);
    if (!features) {
      const line = getFeatures(id);
      features = Object.freeze(line == null ? [] : line.split(','));
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(id, features);
    }
    return features;
  };
}

/**
 * kuromoji's Tokenizer.prototype.tokenizeForSentence, statement for statement, with the features read through the
 * caches. As there, a token's position is the node's plus the position of the last token of the sentences before
 * (not their length).
 */
export function installTokenizeForSentence(t: TokenizerInternals): void {
  const known = cachedFeatures((id) => t.token_info_dictionary.getFeatures(id));
  const unknown = cachedFeatures((id) => t.unknown_dictionary.getFeatures(id));
  t.tokenizeForSentence = function (sentence, tokens) {
    tokens ??= [];
    const bestPath = this.viterbi_searcher.search(this.getLattice(sentence));
    const lastPos = tokens.length > 0 ? tokens[tokens.length - 1]!.word_position : 0;
    for (const node of bestPath) {
      const position = lastPos + node.start_pos;
      tokens.push(
        node.type === 'KNOWN' ? this.formatter.formatEntry(node.name, position, node.type, known(node.name))
        : node.type === 'UNKNOWN' ? this.formatter.formatUnknownEntry(node.name, position, node.type, unknown(node.name), node.surface_form)
        : this.formatter.formatEntry(node.name, position, node.type, []),
      );
    }
    return tokens;
  };
}
