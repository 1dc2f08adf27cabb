// kuromoji 0.1.2's own dictionary classes, reached through its package directory. The lean loader fills them
// with arrays it decoded itself, so tokenizing still runs kuromoji's code (its tokenizer and formatter; the lattice
// building and Viterbi search are exact equivalents, lattice.ts and viterbi.ts, with the library's own as the
// fallback) and the output stays identical to the stock builder's.
import { createRequire } from 'node:module';
import path from 'node:path';
import type kuromoji from 'kuromoji';

const require = createRequire(import.meta.url);

/** kuromoji's package directory, found through module resolution so any install layout works. */
export const kuromojiDir = path.dirname(require.resolve('kuromoji/package.json'));
/** Resolves as kuromoji itself does, so its own copy of `doublearray` is used. */
const fromKuromoji = createRequire(path.join(kuromojiDir, 'package.json'));

export interface ByteBuffer {
  buffer: Uint8Array;
  position: number;
  readInt(): number;
}

/** A token-info dictionary's state as kuromoji's ViterbiBuilder and Tokenizer read it. */
export interface TokenInfoDictionary {
  dictionary: ByteBuffer;
  pos_buffer: ByteBuffer;
  /** trie id → token-info ids; only indexed (`target_map[id]`), never iterated. */
  target_map: Record<number, ArrayLike<number> | undefined>;
}

export interface UnknownDictionary {
  dictionary: ByteBuffer & { getShort(index: number): number };
  /** Character class id → ids of its unknown-word entries (numbers as read, in the object the library builds). */
  target_map: Record<number, ArrayLike<number> | undefined>;
  /** The character's class: by its first UTF-16 unit (a high surrogate is DEFAULT); undefined for an id the map lacks. */
  lookup(ch: string): CharacterClass | undefined;
  loadUnknownDictionaries(unk: Uint8Array, unkPos: Uint8Array, unkMap: Uint8Array, catMap: Uint8Array, compatCatMap: Uint32Array, invokeDef: Uint8Array): void;
}

export interface ConnectionCosts {
  /** [forward dimension, backward dimension, costs…], as loaded. */
  buffer: Int16Array;
  backward_dimension: number;
  loadConnectionCosts(buffer: Int16Array): void;
}

export interface CharacterClass {
  class_id: number;
  class_name: string;
  /** 0 or 1, compared with === 1 by the library. */
  is_always_invoke: number;
  is_grouping: number;
}

export interface ViterbiNode {
  name: number;
  cost: number;
  start_pos: number;
  length: number;
  left_id: number;
  right_id: number;
  prev: ViterbiNode | null | undefined;
  surface_form: string;
  shortest_cost: number;
  type: string;
}

export interface ViterbiLattice {
  nodes_end_at: (ViterbiNode[] | undefined)[];
  eos_pos: number;
  append(node: ViterbiNode): void;
  appendEos(): void;
}

type Proto<T> = { prototype: T };

export interface KuromojiInternals {
  version: string;
  ByteBuffer: new (bytes: Uint8Array) => ByteBuffer;
  TokenInfoDictionary: Proto<TokenInfoDictionary>;
  UnknownDictionary: Proto<UnknownDictionary>;
  ConnectionCosts: Proto<ConnectionCosts>;
  DynamicDictionaries: new (trie: unknown, tokenInfo: TokenInfoDictionary, costs: ConnectionCosts, unknown: UnknownDictionary) => unknown;
  Tokenizer: new (dic: unknown) => kuromoji.Tokenizer<kuromoji.IpadicFeatures>;
  doublearray: { load(base: Int32Array, check: Int32Array): unknown };
}

let cached: KuromojiInternals | undefined;

export function kuromojiInternals(): KuromojiInternals {
  cached ??= {
    version: (fromKuromoji('./package.json') as { version: string }).version,
    ByteBuffer: fromKuromoji('./src/util/ByteBuffer.js'),
    TokenInfoDictionary: fromKuromoji('./src/dict/TokenInfoDictionary.js'),
    UnknownDictionary: fromKuromoji('./src/dict/UnknownDictionary.js'),
    ConnectionCosts: fromKuromoji('./src/dict/ConnectionCosts.js'),
    DynamicDictionaries: fromKuromoji('./src/dict/DynamicDictionaries.js'),
    Tokenizer: fromKuromoji('./src/Tokenizer.js'),
    doublearray: fromKuromoji('doublearray'),
  };
  return cached;
}
