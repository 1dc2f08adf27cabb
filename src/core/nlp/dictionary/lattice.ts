import { KNOWN, UNKNOWN, type FlatLattice } from './flat-lattice.js';
import type { CharacterClass, UnknownDictionary } from './kuromoji-internals.js';

/** The arrays the lattice is built from: the trie (as doublearray holds it after shrink) and the token info. */
export interface LatticeArrays {
  base: Int32Array;
  check: Int32Array;
  /** Token info, 10 bytes per entry: left id, right id, cost (int16 LE each), features offset (int32). */
  tid: Uint8Array;
  /** Trie id → token-info ids, as two flat arrays (see arrays.ts). */
  tidMapOffsets: Int32Array;
  tidMapValues: Int32Array;
}

/** A character class as the builder tests it, read once from kuromoji's objects. */
interface UnknownClass {
  alwaysInvoke: boolean;
  grouping: boolean;
  /** Index of class_name: grouping compares names, not classes. */
  name: number;
  /** Its unknown-word entries (undefined where the library would fail on a missing target_map entry). */
  entries: { id: number; left: number; right: number; cost: number }[] | undefined;
}

const UNSEEN = 255;
const NO_CLASS = 254;
const utf8 = new Uint8Array(4);

/**
 * kuromoji's ViterbiBuilder.build into a FlatLattice: the same nodes with the same fields, appended in the same
 * order, at a fraction of the cost. The library, at every character, slices the rest of the sentence, wraps it in a
 * SurrogateAwareString (an index array as long as the rest), walks the trie over the whole rest encoded to UTF-8,
 * reads target_map (here a Proxy), parseInt()s every id and makes a ViterbiNode and a surface string per candidate
 * word. This walks the trie one character's UTF-8 at a time from an offset, reads the flat arrays directly, groups
 * unknown words in one pass per run and keeps a surface as offsets into the sentence.
 *
 * The library's quirks are kept: positions count characters (a surrogate pair is one) but a dictionary word's
 * length is its UTF-16 length; an unknown word's length is 1 when it is one character (a SurrogateAwareString's
 * length) and its UTF-16 length when grouped; max_length is ignored. Returns false, for the caller to use the
 * library's build, where the library would fail or could behave differently: a high surrogate without its pair
 * (the library throws), a trie match ending inside a character, a missing target_map entry or class.
 */
export function latticeBuilder(a: LatticeArrays, unknown: UnknownDictionary): (sentence: string, lattice: FlatLattice) => boolean {
  const { base, check, tid, tidMapOffsets: offsets, tidMapValues: values } = a;
  const classOf = unknownClasses(unknown);
  const lastTrieId = offsets.length - 2;
  // ByteBuffer.getShort: little-endian int16, 0 past the end.
  const short = (at: number) => (tid.length < at + 2 ? 0 : ((tid[at]! | (tid[at + 1]! << 8)) << 16) >> 16);

  return (s, lattice) => {
    lattice.reset();
    const n = s.length;
    let runEnd = 0; // end of the last grouped run: later positions inside it group to the same end
    // pos: kuromoji's 1-based position, in characters; i: the character's UTF-16 offset.
    for (let i = 0, pos = 1; i < n; pos++) {
      const c = s.charCodeAt(i);
      let width = 1;
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = s.charCodeAt(i + 1);
        if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
        width = 2;
      }

      // Dictionary words starting here, shortest first (doublearray's commonPrefixSearch, with traverse inlined).
      let found = 0;
      let parent = 0;
      walk: for (let j = i; j < n;) {
        const cp = s.codePointAt(j)!;
        if (cp >= 0xd800 && cp <= 0xdbff) return false;
        const units = cp > 0xffff ? 2 : 1;
        const bytes = encodeUtf8(cp);
        for (let b = 0; b < bytes; b++) {
          const child = base[parent]! + utf8[b]!;
          if (check[child] !== parent) break walk;
          parent = child;
          const leaf = base[child]!; // traverse(child, TERM_CODE = 0)
          if (check[leaf] !== child) continue;
          if (b !== bytes - 1) return false;
          const trieId = -base[leaf]! - 1;
          if (!(trieId >= 0 && trieId <= lastTrieId) || offsets[trieId + 1]! <= offsets[trieId]!) return false;
          const to = j + units;
          for (let t = offsets[trieId]!, end = offsets[trieId + 1]!; t < end; t++) {
            const id = values[t]!;
            if (id < 0) return false;
            lattice.append(id, short(id + 4), pos, to - i, KNOWN, short(id), short(id + 2), i, to);
          }
          found++;
        }
        j += units;
      }

      // Unknown word: where no word starts, or always for its class; grouped with the following characters of the
      // same class name.
      const head = classOf(c);
      if (!head) return false;
      if (found === 0 || head.alwaysInvoke) {
        if (!head.entries) return false;
        let end = i + width;
        if (head.grouping && end < n) {
          if (i < runEnd) end = runEnd;
          else {
            while (end < n) {
              const next = s.charCodeAt(end);
              const cls = classOf(next);
              if (!cls) return false;
              if (cls.name !== head.name) break;
              end += next >= 0xd800 && next <= 0xdbff ? 2 : 1;
            }
            runEnd = end;
          }
        }
        const length = end > i + width ? end - i : 1;
        for (const e of head.entries) lattice.append(e.id, e.cost, pos, length, UNKNOWN, e.left, e.right, i, end);
      }
      i += width;
    }
    lattice.appendEos();
    return true;
  };
}

/** Writes the code point's UTF-8 bytes to `utf8`, returning how many (as doublearray encodes: surrogates as 3 bytes). */
function encodeUtf8(cp: number): number {
  if (cp < 0x80) {
    utf8[0] = cp;
    return 1;
  }
  if (cp < 0x800) {
    utf8[0] = 0xc0 | (cp >> 6);
    utf8[1] = 0x80 | (cp & 0x3f);
    return 2;
  }
  if (cp < 0x10000) {
    utf8[0] = 0xe0 | (cp >> 12);
    utf8[1] = 0x80 | ((cp >> 6) & 0x3f);
    utf8[2] = 0x80 | (cp & 0x3f);
    return 3;
  }
  utf8[0] = 0xf0 | (cp >> 18);
  utf8[1] = 0x80 | ((cp >> 12) & 0x3f);
  utf8[2] = 0x80 | ((cp >> 6) & 0x3f);
  utf8[3] = 0x80 | (cp & 0x3f);
  return 4;
}

/**
 * Each UTF-16 unit's character class, asked of the library itself (its lookup reads only the first unit) on first
 * use and remembered (all 65,536 up front would add ~10 ms to start-up), with each class's unknown-word entries read
 * as the builder reads them (parseInt, then getShort). undefined where the library has no class.
 */
function unknownClasses(unknown: UnknownDictionary): (unit: number) => UnknownClass | undefined {
  const index = new Map<CharacterClass, number>();
  const names = new Map<string, number>();
  const classes: (UnknownClass | undefined)[] = [];
  const classOf = new Uint8Array(0x10000).fill(UNSEEN);
  return (unit) => {
    let k = classOf[unit]!;
    if (k === UNSEEN) {
      const cls = unknown.lookup(String.fromCharCode(unit));
      k = cls ? (index.get(cls) ?? index.size) : NO_CLASS;
      if (cls && k === index.size) {
        if (k >= NO_CLASS) throw new Error('too many character classes');
        index.set(cls, k);
        if (!names.has(cls.class_name)) names.set(cls.class_name, names.size);
        const ids = unknown.target_map[cls.class_id];
        classes[k] = {
          alwaysInvoke: cls.is_always_invoke === 1,
          grouping: cls.is_grouping === 1,
          name: names.get(cls.class_name)!,
          entries:
            ids &&
            Array.from(ids, (raw) => {
              const id = parseInt(String(raw));
              return { id, left: unknown.dictionary.getShort(id), right: unknown.dictionary.getShort(id + 2), cost: unknown.dictionary.getShort(id + 4) };
            }),
        };
      }
      classOf[unit] = k;
    }
    return classes[k];
  };
}
