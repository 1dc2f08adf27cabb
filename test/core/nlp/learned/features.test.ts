import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../../../src/core/nlp/analyzer.js';
import { messageFeatures, spellingsOf, vocabularyOf, wordsInKana } from '../../../../src/core/nlp/learned/features.js';

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

describe('spellingsOf and the kanji of words found in kana', () => {
  const analysis = (folded: string, spellings: [string, string][] = []): Analysis => ({
    norm: folded,
    folded,
    reading: folded,
    terms: [],
    english: [],
    spellings,
  });
  it('keeps the most frequent kanji spelling of each reading', () => {
    const s = spellingsOf([analysis('', [['こども', '子供']]), analysis('', [['こども', '子ども']]), analysis('', [['こども', '子ども']])]);
    expect(s.get('こども')).toBe('子ども');
  });
  it('gives a word written in kana the kanji of its usual spelling, as if written in kanji', () => {
    const vocabulary = new Set(['びょうき']);
    const spellings = new Map([['びょうき', '病気']]);
    const kana = messageFeatures(analysis('びょうき の こ'), vocabulary, spellings);
    expect(kana).toEqual(expect.arrayContaining(['t:びょうき', 'k:病', 'k:気']));
    expect(messageFeatures(analysis('びょうき の こ'), vocabulary)).not.toContain('k:病');
  });
});
