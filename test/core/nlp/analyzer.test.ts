import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { getCore } from '../../support/core.js';

let core: Core;
beforeAll(async () => {
  core = await getCore();
});
const terms = (t: string) => core.analyzer.analyze(t).terms;

describe('Analyzer', () => {
  it('lets kanji, hiragana and katakana spellings of a word meet', () => {
    const key = terms('保育園')[0];
    expect(key).toBeDefined();
    expect(terms('ほいくえん')).toContain(key);
    expect(terms('ホイクエン')).toContain(key);
  });
  it('reduces inflected verbs to one base form', () => {
    expect(terms('預かってくれる')).toEqual(expect.arrayContaining(terms('預ける')));
  });
  it('folds abbreviations and half-width kana through the synonym table', () => {
    expect(core.analyzer.analyze('ﾌｧﾐｻﾎﾟ').norm).toBe('ファミリーサポートセンター');
    expect(core.analyzer.analyze('がくどう').norm).toBe('放課後児童クラブ');
  });
  it('reads Okayama dialect as standard Japanese', () => {
    expect(core.analyzer.analyze('なんぼかかるん').norm).toContain('いくら');
    expect(core.analyzer.analyze('でーれー心配しとる').norm).toBe('とても心配している');
    // 「じゃけど」 is だけど, not 「じゃけ」（だから）and a stray ど.
    expect(core.analyzer.analyze('ゆっくりしたいんじゃけど').norm).toBe('ゆっくりしたいんだけど');
    expect(core.analyzer.analyze('雨じゃけぇ行かん').norm).toContain('だから');
  });
  it('reads everyday paraphrases as the term staff would use', () => {
    expect(terms('おなかに赤ちゃんができたみたい')).toContain('妊娠');
    expect(terms('雨でも遊べるとこ')).toContain('遊び場');
    expect(core.analyzer.analyze('窓口は何時まであいとる？').norm).toContain('開いている');
  });
  it('keeps domain compounds whole that the dictionary would split', () => {
    expect(terms('にんぷけんしんの補助券')).toContain('妊婦健診');
    expect(terms('病児保育の予約')).toContain('病児保育');
  });
  it('reads the kana spelling of a term written in kanji in the synonym table as that term', () => {
    // 健康診査 and 健康診断 are listed in kanji only: spaced やさしい日本語 spells them out.
    expect(terms('あかちゃん の けんこうしんさ は いつ です か')).toContain('健診');
    expect(terms('けんこうしんだん の ひ')).toContain('健診');
  });
  it('drops particles and auxiliaries', () => {
    expect(terms('保育園に入れたいのですが')).not.toContain('に');
    expect(terms('保育園に入れたいのですが')).not.toContain('です');
  });
  it('gives every message a hiragana reading', () => {
    expect(core.analyzer.analyze('児童手当').reading).toBe('じどうてあて');
  });
  it('reads 申込み as もうしこみ wherever it stands, not as 申(さる)/込み', () => {
    expect(core.analyzer.analyze('申込みはいつから').reading).toBe('もうしこみはいつから');
    expect(core.analyzer.analyze('相談できますか、申込みのときに').reading).toContain('もうしこみのときに');
  });
  it('spells a kanji compound keyword in kana, unless that spelling is another, topicless word', () => {
    expect(core.analyzer.kanaSpelling('申請')).toBe('しんせい');
    expect(core.analyzer.kanaSpelling('自己負担')).toBe('じこふたん');
    expect(core.analyzer.kanaSpelling('何課')).toBeUndefined(); // なんか, a filler
    expect(core.analyzer.kanaSpelling('用紙')).toBeUndefined(); // ようし, an interjection
    // Only compounds: the reading of a lone kanji before kana is a guess (持っていく, まで行).
    expect(core.analyzer.kanaSpelling('持っていく')).toBeUndefined();
    expect(core.analyzer.kanaSpelling('まで行')).toBeUndefined();
  });
});
