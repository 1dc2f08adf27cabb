import { describe, expect, it } from 'vitest';
import { compileLexicon } from '../../../src/core/nlp/lexicon.js';

// A stand-in for kuromoji's readings: enough to show what the lexicon does with them.
const READINGS: Record<string, string> = { 母子手帳: 'ぼしてちょう', 母子健康手帳: 'ぼしけんこうてちょう', 手当: 'てあて' };
const readingOf = (t: string) => READINGS[t] ?? t;
const file = {
  synonyms: [
    { term: '母子手帳', variants: ['母子健康手帳'] },
    { term: '手当', variants: [] },
  ],
};

describe('compileLexicon', () => {
  it('without readings, matches only the spellings listed', () => {
    expect(compileLexicon(file).apply('ぼしてちょう ください')).toBe('ぼしてちょう ください');
  });
  it('with readings, also matches the kana spelling of a kanji term or variant', () => {
    const lexicon = compileLexicon(file, readingOf);
    expect(lexicon.apply('ぼしてちょう ください')).toBe('母子手帳 ください');
    // Loosely, as every listed spelling is: katakana and long vowels meet.
    expect(lexicon.apply('ボシテチョー')).toBe('母子手帳');
  });
  it('leaves readings shorter than four kana alone (they occur inside other words)', () => {
    expect(compileLexicon(file, readingOf).apply('てあて')).toBe('てあて');
  });
  it('reads a kana spelling of a kanji variant as the term', () => {
    expect(compileLexicon(file, readingOf).apply('ぼしけんこうてちょう')).toBe('母子手帳');
  });
});
