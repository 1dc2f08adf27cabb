import { describe, expect, it } from 'vitest';
import { vocabularyOf, wordsInKana } from '../../../../src/core/nlp/learned/features.js';

describe('wordsInKana', () => {
  const vocabulary = new Set(['しょうがっこう', 'がっこう', 'じゅんび', 'こども']);
  it('finds known words in a reading, longest first, left to right', () => {
    expect(wordsInKana('しょうがっこうにはいるじゅんび', vocabulary)).toEqual(['しょうがっこう', 'じゅんび']);
  });
  it('searches only what is written in kana, one run at a time', () => {
    expect(wordsInKana('こど3も', vocabulary)).toEqual([]);
    expect(wordsInKana('小学校のじゅんび', vocabulary)).toEqual(['じゅんび']);
    expect(wordsInKana('しょうがっこう に はいる', vocabulary)).toEqual(['しょうがっこう']);
  });
  it('finds nothing without a vocabulary', () => {
    expect(wordsInKana('じゅんび', new Set())).toEqual([]);
  });
});

describe('vocabularyOf', () => {
  it('keeps the terms that are readings of three kana or more', () => {
    expect([...vocabularyOf(['t:じゅんび', 't:こう', 't:保育園', 'r3:じゅん', 't:しょうがっこう'])]).toEqual(['じゅんび', 'しょうがっこう']);
  });
});
