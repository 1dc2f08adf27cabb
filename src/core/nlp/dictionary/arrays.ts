import path from 'node:path';
import { gunzipFile } from './gunzip.js';
import { kuromojiInternals } from './kuromoji-internals.js';

/**
 * kuromoji's IPADIC as the typed arrays its classes read, each sized to what is actually used. The stock
 * files are zero-padded to powers of two (tid_pos 40 MB for 36 MB of text, unk.dat 10 MB for 398 bytes) and
 * the stock loader keeps every array twice until GC, plus tid_map as a JS object of 326k small arrays.
 */
export interface DictionaryArrays {
  /** Double-array trie of surface forms (BASE and CHECK), cut where kuromoji's own shrink() cuts them. */
  base: Int32Array;
  check: Int32Array;
  /** Token info: left id, right id, cost (int16 each) and the offset of its features (int32), 10 bytes per entry. */
  tid: Uint8Array;
  /** Features, NUL-terminated UTF-8 "surface,pos,…,reading,pronunciation". */
  tidPos: Uint8Array;
  /** Trie id → token-info ids: ids of trie id k are tidMapValues[tidMapOffsets[k] .. tidMapOffsets[k + 1]). */
  tidMapOffsets: Int32Array;
  tidMapValues: Int32Array;
  /** Connection costs: [forward dim, backward dim, costs…]. */
  cc: Int16Array;
  /** The unknown-word dictionary and character definitions, in kuromoji's own formats. */
  unk: Uint8Array;
  unkPos: Uint8Array;
  unkMap: Uint8Array;
  unkChar: Uint8Array;
  unkCompat: Uint32Array;
  unkInvoke: Uint8Array;
}

export type ArrayName = keyof DictionaryArrays;
export interface TypedArrayCtor<T> {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
  readonly name: string;
}

/** Element type of every array (the cache stores raw little-endian bytes, as kuromoji's own files do). */
export const ARRAY_TYPES: { [K in ArrayName]: TypedArrayCtor<DictionaryArrays[K]> } = {
  base: Int32Array,
  check: Int32Array,
  tid: Uint8Array,
  tidPos: Uint8Array,
  tidMapOffsets: Int32Array,
  tidMapValues: Int32Array,
  cc: Int16Array,
  unk: Uint8Array,
  unkPos: Uint8Array,
  unkMap: Uint8Array,
  unkChar: Uint8Array,
  unkCompat: Uint32Array,
  unkInvoke: Uint8Array,
};

/** The stock gzip files the arrays come from (also what the cache fingerprint covers). */
export const SOURCE_FILES = [
  'base.dat.gz',
  'check.dat.gz',
  'tid.dat.gz',
  'tid_pos.dat.gz',
  'tid_map.dat.gz',
  'cc.dat.gz',
  'unk.dat.gz',
  'unk_pos.dat.gz',
  'unk_map.dat.gz',
  'unk_char.dat.gz',
  'unk_compat.dat.gz',
  'unk_invoke.dat.gz',
] as const;

/**
 * Zero bytes kept after the last non-zero byte of a ByteBuffer-read file. ByteBuffer returns 0 for a read
 * that runs past the end, so a cut tail reads the same as the zeros it replaced — provided no int (4 bytes)
 * that starts in the content runs past the end, hence some slack.
 */
const ZERO_SLACK = 16;

/** The same bytes seen as another element type (no copy). */
function view<T>(Ctor: TypedArrayCtor<T>, bytes: Uint8Array): T {
  if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT)
    throw new Error(`dictionary array of ${bytes.byteLength} bytes is not a whole number of ${Ctor.name} elements`);
  return new Ctor(bytes.buffer, bytes.byteOffset, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
}

/** Drops the zero padding (copying into an exactly-sized buffer so the padded one can be freed). */
export function trimZeros(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  end = Math.min(bytes.length, end + ZERO_SLACK);
  return end === bytes.length ? bytes : bytes.slice(0, end);
}

/**
 * The length doublearray's shrink() (run by DoubleArray's constructor) cuts BASE and CHECK to: one past the
 * last used node, plus one unused node. The stock loader keeps the full 8 MB arrays behind that view.
 */
export function trieLength(base: Int32Array, check: Int32Array): number {
  let last = Math.max(base.length, check.length) - 1;
  while (last >= 0 && !(0 <= (check[last] ?? -1))) last--;
  return last + 2;
}

/**
 * tid_map ([count, (key, n, value × n)…], read with kuromoji's ByteBuffer exactly as loadTargetMap reads it)
 * as two flat arrays: per-key offsets into the values (counting sort, so each key's values keep their order).
 */
export function compactTargetMap(raw: Uint8Array): { offsets: Int32Array; values: Int32Array } {
  const { ByteBuffer } = kuromojiInternals();
  const buf = new ByteBuffer(raw);
  buf.position = 0;
  buf.readInt(); // number of keys; like kuromoji, read until the end instead
  let keys = new Int32Array(1 << 16);
  let vals = new Int32Array(1 << 16);
  let n = 0;
  let maxKey = -1;
  while (buf.buffer.length >= buf.position + 1) {
    const key = buf.readInt();
    const count = buf.readInt();
    for (let i = 0; i < count; i++) {
      if (n === keys.length) {
        const k2 = new Int32Array(n * 2);
        k2.set(keys);
        keys = k2;
        const v2 = new Int32Array(n * 2);
        v2.set(vals);
        vals = v2;
      }
      keys[n] = key;
      vals[n++] = buf.readInt();
    }
    if (count > 0) {
      if (key < 0 || key > 1 << 26) throw new Error(`tid_map key ${key} is outside the range the compact map supports`);
      maxKey = Math.max(maxKey, key);
    }
  }
  const offsets = new Int32Array(maxKey + 2);
  for (let i = 0; i < n; i++) offsets[keys[i]! + 1]!++;
  for (let k = 1; k < offsets.length; k++) offsets[k]! += offsets[k - 1]!;
  const cursor = offsets.slice();
  const values = new Int32Array(n);
  for (let i = 0; i < n; i++) values[cursor[keys[i]!]!++] = vals[i]!;
  return { offsets, values };
}

/** Decodes the stock gzip files one after another (so decompression peaks do not stack) into the arrays. */
export async function decodeDictionary(dicPath: string): Promise<DictionaryArrays> {
  const file = (name: (typeof SOURCE_FILES)[number]) => gunzipFile(path.join(dicPath, name));

  const fullBase = view(Int32Array, await file('base.dat.gz'));
  const fullCheck = view(Int32Array, await file('check.dat.gz'));
  const len = trieLength(fullBase, fullCheck);
  const base = fullBase.slice(0, len);
  const check = fullCheck.slice(0, len);

  const tid = trimZeros(await file('tid.dat.gz'));
  const tidPos = trimZeros(await file('tid_pos.dat.gz'));
  const { offsets: tidMapOffsets, values: tidMapValues } = compactTargetMap(await file('tid_map.dat.gz'));
  const cc = view(Int16Array, await file('cc.dat.gz'));
  const unk = trimZeros(await file('unk.dat.gz'));
  const unkPos = trimZeros(await file('unk_pos.dat.gz'));
  const unkMap = trimZeros(await file('unk_map.dat.gz'));
  // The character map is indexed by code point and its length is checked: keep it whole.
  const unkChar = await file('unk_char.dat.gz');
  const unkCompat = view(Uint32Array, await file('unk_compat.dat.gz'));
  // Read by InvokeDefinitionMap until its end: the stock padding turns into ~150k empty character classes
  // after the 11 real ones (never referenced, since class ids come from the character map).
  const unkInvoke = trimZeros(await file('unk_invoke.dat.gz'));

  return { base, check, tid, tidPos, tidMapOffsets, tidMapValues, cc, unk, unkPos, unkMap, unkChar, unkCompat, unkInvoke };
}
