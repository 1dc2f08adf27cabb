import fs from 'node:fs';
import { kuromojiInternals, type ByteBuffer } from './kuromoji-internals.js';

/** Bytes read per call: longer than almost every features line (≈ 40–100 bytes), so one read finds its NUL. */
const CHUNK = 256;

// The descriptor is closed with the reader: tests load many tokenizers in one process.
const closing = new FinalizationRegistry<number>((fd) => {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed
  }
});

/**
 * kuromoji's features text (tid_pos: every dictionary entry's "surface,pos,…,reading" line, 36 MB) left in the
 * prepared cache file instead of copied into each process's memory: the tokenizer reads only the lines of the words
 * it meets, each once (sentence.ts caches them), so the rest never needs to be in the process. Each line is read
 * with one positioned read from the open file (the kernel's page cache, shared by every instance on the machine).
 * The file stays open, so a cache directory removed while the process runs (a newer kuromoji's prune) is still read.
 */
export class FeaturesOnDisk {
  private readonly chunk = new Uint8Array(CHUNK);

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {
    closing.register(this, fd);
  }

  /** The bytes from `offset` up to its NUL (not included) or the end of the file, as ByteBuffer.getString reads them. */
  lineAt(offset: number): Uint8Array {
    const parts: Uint8Array[] = [];
    let length = 0;
    for (let at = offset; at < this.size;) {
      const n = fs.readSync(this.fd, this.chunk, 0, Math.min(CHUNK, this.size - at), at);
      if (n === 0) break;
      const end = this.chunk.subarray(0, n).indexOf(0);
      const part = this.chunk.slice(0, end < 0 ? n : end);
      parts.push(part);
      length += part.length;
      if (end >= 0) break;
      at += n;
    }
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(length);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** The whole text (what the in-memory array would hold): for checking a cache against the decoded dictionary. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    for (let off = 0; off < this.size;) {
      const n = fs.readSync(this.fd, out, off, this.size - off, off);
      if (n === 0) throw new Error('features file is truncated');
      off += n;
    }
    return out;
  }
}

/**
 * What kuromoji's TokenInfoDictionary.getFeatures reads of its pos_buffer (`getString(offset)`), answered from the
 * file: the line's bytes are decoded by kuromoji's own ByteBuffer, so the text is exactly what the in-memory buffer
 * gives (same UTF-8 decoder, same stop at NUL or end).
 */
export function featuresBuffer(file: FeaturesOnDisk): ByteBuffer & { getString(offset?: number): string } {
  const k = kuromojiInternals();
  const empty = new Uint8Array(0);
  return {
    buffer: empty,
    position: 0,
    readInt() {
      throw new Error('the features text is read by line only');
    },
    getString(offset?: number) {
      if (offset == null) throw new Error('the features text is read by line only');
      const line = new k.ByteBuffer(file.lineAt(offset)) as ByteBuffer & { getString(offset: number): string };
      return line.getString(0);
    },
  };
}
