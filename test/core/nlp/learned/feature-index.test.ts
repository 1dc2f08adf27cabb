import { describe, expect, it } from 'vitest';
import { FeatureIndex } from '../../../../src/core/nlp/learned/feature-index.js';

// Names shaped like the models' features: short prefixes and a few kana or kanji, many differing in one character.
const names = (n: number) =>
  Array.from({ length: n }, (_, i) => `${['r3:', 'c2:', 't:', 'tt:'][i % 4]}${String.fromCharCode(0x3041 + (i % 83), 0x4e00 + Math.floor(i / 83))}`);

describe('FeatureIndex', () => {
  it('gives each name its position in the list', () => {
    const list = names(50_000);
    const index = FeatureIndex.of(list);
    expect(index.size).toBe(50_000);
    for (let row = 0; row < list.length; row++) expect(index.get(list[row]!)).toBe(row);
  });

  it('knows nothing it was not given, however close', () => {
    const index = FeatureIndex.of(names(50_000));
    expect(index.get('r3:ほいく')).toBeUndefined();
    expect(index.get('')).toBeUndefined();
    // The same characters under another prefix, or one character longer or shorter.
    const known = names(2);
    expect(index.get(`x${known[0]}`)).toBeUndefined();
    expect(index.get(known[0]!.slice(0, -1))).toBeUndefined();
    expect(index.get(`${known[1]}あ`)).toBeUndefined();
  });

  it('holds an empty list, and one name', () => {
    expect(FeatureIndex.of([]).get('t:ほいくえん')).toBeUndefined();
    const one = FeatureIndex.of(['t:ほいくえん']);
    expect(one.get('t:ほいくえん')).toBe(0);
    expect(one.get('t:ほいくえ')).toBeUndefined();
  });

  it('refuses a list that names one feature twice (two rows for one name)', () => {
    expect(() => FeatureIndex.of(['t:a', 't:b', 't:a'])).toThrow(/hash alike/);
  });
});
