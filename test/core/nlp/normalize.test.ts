import { describe, expect, it } from 'vitest';
import { looseKana, looseKanaMapped, toHiragana } from '../../../src/core/nlp/kana.js';
import { normalizeText } from '../../../src/core/nlp/normalize.js';

describe('normalizeText', () => {
  it('folds full- and half-width forms with NFKC', () => {
    expect(normalizeText('ＬＩＮＥで３歳')).toBe('lineで3歳');
    expect(normalizeText('ｼｮｰﾄｽﾃｲ')).toBe('ショートステイ');
  });
  it('removes emoji and punctuation but keeps #8000', () => {
    expect(normalizeText('熱が出た😢！！どうしよ🙏')).toBe('熱が出た どうしよ');
    expect(normalizeText('＃８０００ってなに？')).toBe('#8000ってなに');
  });
  it('shortens stretched vowels and wave dashes', () => {
    expect(normalizeText('こんばんは〜〜')).toBe('こんばんは');
    expect(normalizeText('すごーーーい')).toBe('すごーい');
  });
  it('writes out the 送り仮名 of 申込み, which the dictionary misreads as さるこみ at the start of a phrase', () => {
    expect(normalizeText('申込みはいつから？')).toBe('申し込みはいつから');
    expect(normalizeText('申込んだけど')).toBe('申し込んだけど');
    expect(normalizeText('申込書')).toBe('申込書');
  });
  it('collapses line breaks and spaces', () => {
    expect(normalizeText('来年4月から\n保育園に\u3000入れたい')).toBe('来年4月から 保育園に 入れたい');
  });
  it('turns text made only of symbols into an empty string', () => {
    expect(normalizeText('🍙🍙🍙')).toBe('');
  });
});

describe('kana folding', () => {
  it('maps katakana to hiragana one for one', () => {
    expect(toHiragana('ホイクエン')).toBe('ほいくえん');
    expect(toHiragana('保育エン')).toBe('保育えん');
  });
  it('gives small-kana and long-vowel variants one loose key', () => {
    expect(looseKana('ファミサポ')).toBe(looseKana('フアミサポ'));
    expect(looseKana('でーれー')).toBe(looseKana('でえれえ'));
    expect(looseKana('ショートステイ')).toBe(looseKana('しょうとすてい'));
  });
  it('keeps what is not kana, and a long-vowel mark with no vowel before it', () => {
    expect(looseKana('保育エーン 2人')).toBe('保育えん 2人');
    expect(looseKana('ーあ')).toBe('ーあ');
  });
  it('maps each loose character back to where it was written', () => {
    // し ょ ー と ス テ イ → しよとすて: the long vowels (ー, the い after て) are dropped, ょ becomes よ.
    const { loose, offsets } = looseKanaMapped('しょーとステイ');
    expect(loose).toBe('しよとすて');
    expect(offsets).toEqual([0, 1, 3, 4, 5, 7]);
  });
});
