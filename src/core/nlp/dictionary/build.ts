import type { ReadDictionary } from './cache.js';
import { featuresBuffer } from './features-on-disk.js';
import { kuromojiInternals, type ConnectionCosts, type TokenInfoDictionary, type UnknownDictionary } from './kuromoji-internals.js';
import type kuromoji from 'kuromoji';
import { latticeBuilder } from './lattice.js';
import { installTokenizeForSentence, type TokenizerInternals } from './sentence.js';
import { ViterbiSearch } from './viterbi.js';

/**
 * kuromoji's ViterbiBuilder (still used where lattice.ts or viterbi.ts defers to it) reads `target_map[trieId]`
 * (then `.length` and `[i]`). The stock loader makes that a JS object of 326k arrays (tens of MB of heap); this
 * answers the same reads from two flat Int32Arrays. Only canonical integer keys with ids behave like the object's
 * keys; everything else is undefined, as there.
 */
export function targetMapView(offsets: Int32Array, values: Int32Array): TokenInfoDictionary['target_map'] {
  return new Proxy(Object.create(null) as TokenInfoDictionary['target_map'], {
    get(_target, key) {
      if (typeof key !== 'string') return undefined;
      const id = Number(key);
      if (!(id >= 0 && id < offsets.length - 1) || String(id) !== key) return undefined;
      const start = offsets[id]!;
      const end = offsets[id + 1]!;
      return end > start ? values.subarray(start, end) : undefined;
    },
  });
}

/** What the lattice builder reads of doublearray's trie: BASE and CHECK, as cut by its shrink(). */
interface DoubleArrayTrie {
  bc: { getBaseBuffer(): Int32Array; getCheckBuffer(): Int32Array };
}

/**
 * A kuromoji Tokenizer over arrays decoded by this module. Objects are made with Object.create because the
 * constructors allocate 10 MB ByteBuffers each that would be replaced at once; the fields set are exactly
 * those the library's own load methods set. Its per-sentence loop is replaced by an exact equivalent (sentence.ts)
 * that builds the lattice and searches it in reused typed arrays (lattice.ts, viterbi.ts) instead of the library's
 * per-character and per-node allocations, and decodes each word's features once; the token formatter stays the
 * library's, and so do its builder and searcher, for the sentences the flat ones defer. The features text may stay
 * in the cache's file (FeaturesOnDisk).
 */
export function tokenizerFromArrays(d: ReadDictionary): kuromoji.Tokenizer<kuromoji.IpadicFeatures> {
  const k = kuromojiInternals();
  const trie = k.doublearray.load(d.base, d.check) as DoubleArrayTrie;

  const tokenInfo = Object.create(k.TokenInfoDictionary.prototype) as TokenInfoDictionary;
  tokenInfo.dictionary = new k.ByteBuffer(d.tid);
  // Only getFeatures reads it (getString at an entry's offset): from the cache's file when it was left there.
  tokenInfo.pos_buffer = d.tidPos instanceof Uint8Array ? new k.ByteBuffer(d.tidPos) : featuresBuffer(d.tidPos);
  tokenInfo.target_map = targetMapView(d.tidMapOffsets, d.tidMapValues);

  const costs = Object.create(k.ConnectionCosts.prototype) as ConnectionCosts;
  costs.loadConnectionCosts(d.cc);

  const unknown = Object.create(k.UnknownDictionary.prototype) as UnknownDictionary;
  unknown.loadUnknownDictionaries(d.unk, d.unkPos, d.unkMap, d.unkChar, d.unkCompat, d.unkInvoke);

  const tokenizer = new k.Tokenizer(new k.DynamicDictionaries(trie, tokenInfo, costs, unknown));
  installTokenizeForSentence(tokenizer as unknown as TokenizerInternals, {
    build: latticeBuilder({ ...d, base: trie.bc.getBaseBuffer(), check: trie.bc.getCheckBuffer() }, unknown),
    searcher: new ViterbiSearch(costs),
  });
  return tokenizer;
}
