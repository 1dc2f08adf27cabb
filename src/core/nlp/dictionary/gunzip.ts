import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

/**
 * The uncompressed size a gzip file announces in its trailer (ISIZE, the last 4 bytes, little-endian), and
 * the CRC-32 before it: together a cheap fingerprint of the content.
 */
export function gzipTrailer(file: string): { size: number; crc: number; isize: number } {
  const fd = fs.openSync(file, 'r');
  try {
    const { size } = fs.fstatSync(fd);
    const tail = Buffer.alloc(8);
    if (size < 18 || fs.readSync(fd, tail, 0, 8, size - 8) !== 8) throw new Error(`${file}: not a gzip file`);
    return { size, crc: tail.readUInt32LE(0), isize: tail.readUInt32LE(4) };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Decompresses a single-member gzip file straight into one exactly-sized buffer. zlib.gunzip would collect
 * the output in chunks and concatenate them (twice the size at the peak); kuromoji's loader then copies the
 * result once more.
 */
export async function gunzipFile(file: string): Promise<Uint8Array> {
  const out = new Uint8Array(gzipTrailer(file).isize);
  let filled = 0;
  await pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), zlib.createGunzip({ chunkSize: 1 << 20 }), async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) {
      if (filled + chunk.length > out.length) throw new Error(`${file}: more data than its gzip trailer announces (multi-member gzip?)`);
      out.set(chunk, filled);
      filled += chunk.length;
    }
  });
  if (filled !== out.length) throw new Error(`${file}: ${filled} bytes, its gzip trailer announces ${out.length}`);
  return out;
}
