/**
 * Format and pixel size of a PNG or JPEG, read from its header. LINE rejects a rich menu image whose size differs
 * from the menu's `size`, and only after the menu was created — so we check before creating anything.
 */

export type ImageFormat = 'png' | 'jpeg';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Returns undefined for anything that is not a well-formed PNG or baseline/progressive JPEG. */
export function readImageHeader(buf: Uint8Array): ImageHeader | undefined {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length >= 24 && b.subarray(0, 8).equals(PNG_SIGNATURE) && b.toString('latin1', 12, 16) === 'IHDR')
    return { format: 'png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return jpegSize(b);
  return undefined;
}

// SOFn markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
const isStartOfFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function jpegSize(b: Buffer): ImageHeader | undefined {
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    // Markers without a length field.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      i += 2;
      continue;
    }
    const length = b.readUInt16BE(i + 2);
    if (isStartOfFrame(marker)) return i + 9 <= b.length ? { format: 'jpeg', height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) } : undefined;
    i += 2 + length;
  }
  return undefined;
}

export const contentTypeOf = (format: ImageFormat) => (format === 'png' ? 'image/png' : 'image/jpeg');
