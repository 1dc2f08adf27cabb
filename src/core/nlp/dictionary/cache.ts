import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ARRAY_TYPES, SOURCE_FILES, type ArrayName, type DictionaryArrays, type TypedArrayCtor } from './arrays.js';
import { FeaturesOnDisk } from './features-on-disk.js';
import { gzipTrailer } from './gunzip.js';
import { kuromojiDir, kuromojiInternals } from './kuromoji-internals.js';

/**
 * A prepared dictionary: every array of DictionaryArrays as a raw file, read at start-up straight into an
 * exactly-sized typed array (no gzip, no intermediate copies). One directory per fingerprint of the stock
 * files, written under a temporary name and renamed into place, so concurrent processes (test workers)
 * never see half a cache and never need a lock.
 */

/** Bump when the files' layout or the decoding rules change: old caches are then ignored and pruned. */
const FORMAT = 1;
const MANIFEST = 'manifest.json';

interface Manifest {
  format: number;
  fingerprint: string;
  bytes: Record<ArrayName, number>;
}

/** Beside the packages (node_modules/.cache/kosodate-dict), where build tools keep their caches too. */
export function defaultCacheRoot(): string {
  return path.join(path.dirname(kuromojiDir), '.cache', 'kosodate-dict');
}

/** Names the content of the stock files by what their gzip trailers say (CRC-32 and size of each). */
export function fingerprint(dicPath: string): string {
  const parts = SOURCE_FILES.map((name) => {
    const t = gzipTrailer(path.join(dicPath, name));
    return [name, t.size, t.crc, t.isize];
  });
  const text = JSON.stringify({ format: FORMAT, kuromoji: kuromojiInternals().version, parts });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

const names = Object.keys(ARRAY_TYPES) as ArrayName[];

function readArray<K extends ArrayName>(file: string, name: K, bytes: number): DictionaryArrays[K] {
  const Ctor = ARRAY_TYPES[name] as TypedArrayCtor<DictionaryArrays[K]>;
  const fd = fs.openSync(file, 'r');
  try {
    if (fs.fstatSync(fd).size !== bytes) throw new Error(`${file}: expected ${bytes} bytes`);
    const array = new Ctor(bytes / Ctor.BYTES_PER_ELEMENT);
    const target = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let off = 0; off < bytes;) {
      const n = fs.readSync(fd, target, off, bytes - off, off);
      if (n === 0) throw new Error(`${file}: truncated`);
      off += n;
    }
    return array;
  } finally {
    fs.closeSync(fd);
  }
}

/** The dictionary as the tokenizer reads it: the features text either in memory or left in the cache's file. */
export type ReadDictionary = Omit<DictionaryArrays, 'tidPos'> & { tidPos: Uint8Array | FeaturesOnDisk };

/** The features text's file, opened and checked for its size; read line by line from then on (FeaturesOnDisk). */
function openFeatures(file: string, bytes: number): FeaturesOnDisk {
  const fd = fs.openSync(file, 'r');
  try {
    if (fs.fstatSync(fd).size !== bytes) throw new Error(`${file}: expected ${bytes} bytes`);
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  return new FeaturesOnDisk(fd, bytes);
}

/**
 * The cached arrays, or undefined when this fingerprint has no cache yet; throws when a cache is damaged. The
 * features text (36 of the 56 MB) stays in its file (FeaturesOnDisk); everything else is read into memory.
 */
export function readCache(dir: string): ReadDictionary | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (manifest.format !== FORMAT) throw new Error(`${dir}: cache format ${manifest.format}, expected ${FORMAT}`);
  const out: Partial<Record<ArrayName, unknown>> = {};
  for (const name of names)
    out[name] =
      name === 'tidPos'
        ? openFeatures(path.join(dir, `${name}.bin`), manifest.bytes[name])
        : readArray(path.join(dir, `${name}.bin`), name, manifest.bytes[name]);
  return out as ReadDictionary;
}

/**
 * Writes the arrays as `root/<fingerprint>/`. Returns false when another process got there first (its copy is
 * identical). Other fingerprints' directories and abandoned temporary ones are removed on the way.
 */
export function writeCache(root: string, fp: string, arrays: DictionaryArrays): boolean {
  fs.mkdirSync(root, { recursive: true });
  pruneStale(root, fp);
  const tmp = fs.mkdtempSync(path.join(root, `.tmp-${fp}-`));
  try {
    const bytes = {} as Record<ArrayName, number>;
    for (const name of names) {
      const a = arrays[name];
      fs.writeFileSync(path.join(tmp, `${name}.bin`), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      bytes[name] = a.byteLength;
    }
    const manifest: Manifest = { format: FORMAT, fingerprint: fp, bytes };
    fs.writeFileSync(path.join(tmp, MANIFEST), JSON.stringify(manifest, null, 2));
    // mkdtemp makes the directory private; a cache prepared by root at image build is read by another user.
    fs.chmodSync(tmp, 0o755);
    try {
      fs.renameSync(tmp, path.join(root, fp));
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM') return false;
      throw e;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const ABANDONED_MS = 10 * 60_000;

function pruneStale(root: string, keep: string) {
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === keep) continue;
    const dir = path.join(root, entry.name);
    try {
      // A temporary directory may belong to a process writing right now; only old ones are abandoned.
      if (entry.name.startsWith('.tmp-') && Date.now() - fs.statSync(dir).mtimeMs < ABANDONED_MS) continue;
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort: a leftover directory costs disk space only
    }
  }
}

/** Removes one fingerprint's cache (a damaged one, before it is written again). */
export function dropCache(dir: string) {
  fs.rmSync(dir, { recursive: true, force: true });
}
