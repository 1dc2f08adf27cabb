import type kuromoji from 'kuromoji';
import { FlatLattice, TYPE_NAMES, UNKNOWN } from './flat-lattice.js';
import type { ViterbiLattice, ViterbiNode } from './kuromoji-internals.js';
import type { ViterbiSearch } from './viterbi.js';

type Token = kuromoji.IpadicFeatures;

/** The parts of kuromoji's Tokenizer that tokenizeForSentence uses. */
export interface TokenizerInternals {
  token_info_dictionary: { getFeatures(id: number): string | null };
  unknown_dictionary: { getFeatures(id: number): string | null };
  viterbi_searcher: { search(lattice: ViterbiLattice): ViterbiNode[] };
  formatter: {
    formatEntry(id: number, position: number, type: string, features: readonly string[]): Token;
    formatUnknownEntry(id: number, position: number, type: string, features: readonly string[], surface: string): Token;
  };
  getLattice(sentence: string): ViterbiLattice;
  tokenizeForSentence(sentence: string, tokens?: Token[] | null): Token[];
}

/** The flat lattice builder (lattice.ts; false where the library's builder must be used) and search (viterbi.ts). */
export interface FlatTokenizing {
  build(sentence: string, lattice: FlatLattice): boolean;
  searcher: ViterbiSearch;
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
 * kuromoji's Tokenizer.prototype.tokenizeForSentence, statement for statement, with the lattice and search flat
 * (one lattice reused for every sentence: tokenizing is synchronous) and the features read through the caches.
 * Where the flat builder or search defers, the sentence goes through the library's builder and searcher. As in the
 * library, a token's position is the node's plus the position of the last token of the sentences before (not their
 * length).
 */
export function installTokenizeForSentence(t: TokenizerInternals, flat: FlatTokenizing): void {
  const known = cachedFeatures((id) => t.token_info_dictionary.getFeatures(id));
  const unknown = cachedFeatures((id) => t.unknown_dictionary.getFeatures(id));
  const lattice = new FlatLattice();
  const { build, searcher } = flat;
  const token = (name: number, position: number, type: string, surface: string) =>
    type === 'KNOWN'
      ? t.formatter.formatEntry(name, position, type, known(name))
      : type === 'UNKNOWN'
        ? t.formatter.formatUnknownEntry(name, position, type, unknown(name), surface)
        : t.formatter.formatEntry(name, position, type, []);

  t.tokenizeForSentence = function (sentence, tokens) {
    tokens ??= [];
    const lastPos = tokens.length > 0 ? tokens[tokens.length - 1]!.word_position : 0;
    const length = build(sentence, lattice) ? searcher.search(lattice) : undefined;
    if (length === undefined) {
      for (const node of this.viterbi_searcher.search(this.getLattice(sentence)))
        tokens.push(token(node.name, lastPos + node.start_pos, node.type, node.surface_form));
      return tokens;
    }
    const { path } = searcher;
    for (let k = 0; k < length; k++) {
      const node = path[k]!;
      const type = lattice.type[node]!;
      // Only an unknown word's token reads the surface; a known word's comes from its features.
      const surface = type === UNKNOWN ? sentence.slice(lattice.from[node], lattice.to[node]) : '';
      tokens.push(token(lattice.name[node]!, lastPos + lattice.startPos[node]!, TYPE_NAMES[type]!, surface));
    }
    return tokens;
  };
}
