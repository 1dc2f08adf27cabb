import type { DictionaryArrays } from './arrays.js';
import { kuromojiInternals, type ConnectionCosts, type TokenInfoDictionary, type UnknownDictionary } from './kuromoji-internals.js';
import type kuromoji from 'kuromoji';

/**
 * kuromoji's ViterbiBuilder reads `target_map[trieId]` (then `.length` and `[i]`). The stock loader makes that
 * a JS object of 326k arrays (tens of MB of heap); this answers the same reads from two flat Int32Arrays.
 * Only canonical integer keys with ids behave like the object's keys; everything else is undefined, as there.
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

/** The part of doublearray's trie the tokenizer uses. */
interface DoubleArrayTrie {
  traverse(parent: number, code: number): number;
  bc: { getBase(node: number): number };
  commonPrefixSearch(key: string): { k: string; v?: number }[];
}

const ROOT_ID = 0;
const NOT_FOUND = -1;
const TERM_CODE = 0;
const utf8 = new Uint8Array(4);

/**
 * doublearray's commonPrefixSearch with the same results, without its cost: the library encodes the whole rest of
 * the sentence to UTF-8 (and copies it for every match) at every position, though the walk usually stops after a
 * character or two. This encodes one character at a time and stops where the trie does. Returns undefined (use
 * the library's) where it would differ: a match ending inside a character, which a dictionary of whole words never
 * has, and a broken surrogate pair.
 */
function commonPrefixSearch(trie: DoubleArrayTrie, key: string): { k: string; v?: number }[] | undefined {
  const result: { k: string; v?: number }[] = [];
  let parent = ROOT_ID;
  for (let i = 0; i < key.length; ) {
    const cp = key.codePointAt(i)!;
    // A high surrogate without its pair: the library's own handling (it fails) stays the reference.
    if (cp >= 0xd800 && cp <= 0xdbff) return undefined;
    const units = cp > 0xffff ? 2 : 1;
    const n = cp < 0x80 ? ((utf8[0] = cp), 1)
      : cp < 0x800 ? ((utf8[0] = 0xc0 | (cp >> 6)), (utf8[1] = 0x80 | (cp & 0x3f)), 2)
      : cp < 0x10000 ? ((utf8[0] = 0xe0 | (cp >> 12)), (utf8[1] = 0x80 | ((cp >> 6) & 0x3f)), (utf8[2] = 0x80 | (cp & 0x3f)), 3)
      : ((utf8[0] = 0xf0 | (cp >> 18)), (utf8[1] = 0x80 | ((cp >> 12) & 0x3f)), (utf8[2] = 0x80 | ((cp >> 6) & 0x3f)), (utf8[3] = 0x80 | (cp & 0x3f)), 4);
    for (let b = 0; b < n; b++) {
      const child = trie.traverse(parent, utf8[b]!);
      if (child === NOT_FOUND) return result;
      parent = child;
      const leaf = trie.traverse(child, TERM_CODE);
      if (leaf === NOT_FOUND) continue;
      if (b !== n - 1) return undefined;
      const base = trie.bc.getBase(leaf);
      result.push(base <= 0 ? { v: -base - 1, k: key.slice(0, i + units) } : { k: key.slice(0, i + units) });
    }
    i += units;
  }
  return result;
}

/**
 * A kuromoji Tokenizer over arrays decoded by this module. Objects are made with Object.create because the
 * constructors allocate 10 MB ByteBuffers each that would be replaced at once; the fields set are exactly
 * those the library's own load methods set.
 */
export function tokenizerFromArrays(d: DictionaryArrays): kuromoji.Tokenizer<kuromoji.IpadicFeatures> {
  const k = kuromojiInternals();
  const trie = k.doublearray.load(d.base, d.check) as DoubleArrayTrie;
  const stock = trie.commonPrefixSearch.bind(trie);
  trie.commonPrefixSearch = (key) => commonPrefixSearch(trie, key) ?? stock(key);

  const tokenInfo = Object.create(k.TokenInfoDictionary.prototype) as TokenInfoDictionary;
  tokenInfo.dictionary = new k.ByteBuffer(d.tid);
  tokenInfo.pos_buffer = new k.ByteBuffer(d.tidPos);
  tokenInfo.target_map = targetMapView(d.tidMapOffsets, d.tidMapValues);

  const costs = Object.create(k.ConnectionCosts.prototype) as ConnectionCosts;
  costs.loadConnectionCosts(d.cc);

  const unknown = Object.create(k.UnknownDictionary.prototype) as UnknownDictionary;
  unknown.loadUnknownDictionaries(d.unk, d.unkPos, d.unkMap, d.unkChar, d.unkCompat, d.unkInvoke);

  return new k.Tokenizer(new k.DynamicDictionaries(trie, tokenInfo, costs, unknown));
}
