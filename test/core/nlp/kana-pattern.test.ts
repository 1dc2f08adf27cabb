import { describe, expect, it } from 'vitest';
import { withKanaSpellings } from '../../../src/core/nlp/kana-pattern.js';

const words: Record<string, string> = { 使え: 'つかえ', 高校生: 'こうこうせい', 大丈夫: 'だいじょうぶ', 年生: 'としせい', 代: 'だい', 仕事: 'しごと' };
const spell = (run: string) => words[run];

describe('withKanaSpellings', () => {
  it('gives each word with kanji its kana as an alternative', () => {
    expect(withKanaSpellings('(高校生|中学生)(でも|も)\\S{0,8}(使え)', spell)).toBe('((?:高校生|こうこうせい)|中学生)(でも|も)\\S{0,8}((?:使え|つかえ))');
    const re = new RegExp(withKanaSpellings('(高校生|中学生)(でも|も)\\S{0,8}(使え)', spell), 'u');
    expect(re.test('こうこうせいでもつかえる')).toBe(true);
    expect(re.test('高校生でも使える')).toBe(true);
  });
  it('leaves a word alone that does not start an alternative: after \\d+ or a group it ends one (年生 alone is not ねんせい)', () => {
    expect(withKanaSpellings('\\d+年生', spell)).toBe('\\d+年生');
    expect(withKanaSpellings('(?<![時世年交初\\d])代(は|って)', spell)).toBe('(?<![時世年交初\\d])代(は|って)');
  });
  it('keeps the letter a quantifier binds outside the alternation, and leaves escapes, classes and kana alone', () => {
    expect(withKanaSpellings('(仕事?|大丈夫)', (r) => (r === '仕' ? undefined : spell(r)))).toBe('(仕事?|(?:大丈夫|だいじょうぶ))');
    expect(withKanaSpellings('(大丈夫)+', spell)).toBe('((?:大丈夫|だいじょうぶ))+');
    expect(withKanaSpellings('[使え]\\d(?<!どうし|と)ても', spell)).toBe('[使え]\\d(?<!どうし|と)ても');
  });
  it('keeps a word the speller gives nothing for', () => {
    expect(withKanaSpellings('(入れ|使え)', (r) => (r === '入れ' ? undefined : spell(r)))).toBe('(入れ|(?:使え|つかえ))');
  });
});
