import { describe, expect, it } from 'vitest';
import { readImageHeader } from '../../../src/adapters/richmenu/image-header.js';
import { fakeJpeg, fakePng } from '../../support/fake-images.js';

describe('readImageHeader', () => {
  it('reads the size of a PNG and of a JPEG', () => {
    expect(readImageHeader(fakePng(2500, 1686))).toEqual({ format: 'png', width: 2500, height: 1686 });
    expect(readImageHeader(fakeJpeg(2500, 1686))).toEqual({ format: 'jpeg', width: 2500, height: 1686 });
  });

  it('refuses anything else', () => {
    expect(readImageHeader(Buffer.from('GIF89a......'))).toBeUndefined();
    expect(readImageHeader(Buffer.alloc(0))).toBeUndefined();
    expect(readImageHeader(fakePng(10, 10).subarray(0, 20))).toBeUndefined();
    expect(readImageHeader(Buffer.from([0xff, 0xd8, 0x00, 0x00, 0x00]))).toBeUndefined();
  });
});
