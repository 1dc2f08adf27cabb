import path from 'node:path';
import { decodeDictionary } from './arrays.js';
import { defaultCacheRoot, dropCache, fingerprint, readCache, writeCache, type ReadDictionary } from './cache.js';

export interface LoadedDictionary {
  /** Decoded from the gzip files: all in memory; from the cache: the features text left in its file. */
  arrays: ReadDictionary;
  /** 'cache': read from a prepared cache; 'gzip': decoded from kuromoji's files (and cached when possible). */
  source: 'cache' | 'gzip';
  /** Why the cache could not be used or written (read-only node_modules, damaged files…); loading went on without it. */
  cacheProblem?: string;
}

export interface LoadOptions {
  /** Where prepared dictionaries live; false never reads or writes one. */
  cacheRoot?: string | false;
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The dictionary's arrays from the cache when it has them, otherwise from the gzip files (then cached). */
export async function loadDictionaryArrays(dicPath: string, opts: LoadOptions = {}): Promise<LoadedDictionary> {
  const root = opts.cacheRoot ?? defaultCacheRoot();
  if (root === false) return { arrays: await decodeDictionary(dicPath), source: 'gzip' };

  let cacheProblem: string | undefined;
  let fp: string | undefined;
  try {
    fp = fingerprint(dicPath);
    const dir = path.join(root, fp);
    try {
      const arrays = readCache(dir);
      if (arrays) return { arrays, source: 'cache' };
    } catch (e) {
      cacheProblem = `damaged dictionary cache, rebuilt: ${reason(e)}`;
      dropCache(dir);
    }
  } catch (e) {
    cacheProblem = reason(e);
  }
  const arrays = await decodeDictionary(dicPath);
  if (fp) {
    try {
      writeCache(root, fp, arrays);
    } catch (e) {
      cacheProblem = `dictionary cache not written: ${reason(e)}`;
    }
  }
  return { arrays, source: 'gzip', ...(cacheProblem ? { cacheProblem } : {}) };
}

/** Makes sure the cache for dicPath exists (Docker build, CI): returns its directory and whether it was written now. */
export async function prepareDictionaryCache(dicPath: string, root = defaultCacheRoot()): Promise<{ dir: string; written: boolean }> {
  const fp = fingerprint(dicPath);
  const dir = path.join(root, fp);
  try {
    if (readCache(dir)) return { dir, written: false };
  } catch {
    dropCache(dir);
  }
  writeCache(root, fp, await decodeDictionary(dicPath));
  return { dir, written: true };
}
