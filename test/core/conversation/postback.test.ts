import { describe, expect, it } from 'vitest';
import { decodePostback, encodePostback } from '../../../src/core/conversation/postback.js';

describe('the postback vocabulary', () => {
  it('round-trips every kind of button', () => {
    for (const p of [
      { a: 'facet', i: 'sick-child-care', f: 'cost' },
      { a: 'pick', i: 'temporary-care', f: 'overview' },
      { a: 'handoff' },
      { a: 'handoff', i: 'vaccination' },
      { a: 'cancel' },
      { a: 'menu', t: 'azuketai' },
      { a: 'fb', i: 'vaccination', v: 'down' },
    ] as const)
      expect(decodePostback(encodePostback(p))).toEqual(p);
  });

  it('rejects what the bot never sends', () => {
    expect(decodePostback('a=facet&i=x&f=price')).toBeUndefined();
    expect(decodePostback('a=delete-everything')).toBeUndefined();
    expect(decodePostback('')).toBeUndefined();
    expect(decodePostback(`a=menu&t=${'x'.repeat(400)}`)).toBeUndefined();
  });

  it('refuses to build data over LINE’s 300 characters', () => {
    expect(() => encodePostback({ a: 'menu', t: 'x'.repeat(300) })).toThrow(RangeError);
    // Every time, not only the first (encodings are remembered).
    expect(() => encodePostback({ a: 'menu', t: 'x'.repeat(300) })).toThrow(RangeError);
  });

  it('refuses a postback outside the vocabulary, every time', () => {
    const bad = { a: 'facet', i: 'sick-child-care', f: 'price' } as unknown as Parameters<typeof encodePostback>[0];
    expect(() => encodePostback(bad)).toThrow();
    expect(() => encodePostback(bad)).toThrow();
  });

  it('encodes the same button the same way each time', () => {
    const p = { a: 'fb', i: 'vaccination', v: 'up' } as const;
    expect(encodePostback(p)).toBe('a=fb&i=vaccination&v=up');
    expect(encodePostback({ ...p })).toBe('a=fb&i=vaccination&v=up');
  });
});
