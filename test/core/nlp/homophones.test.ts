import { beforeAll, describe, expect, it } from 'vitest';
import { sharedTokenizerLoad } from '../../../src/core/build-core.js';
import type { LexiconFile } from '../../../src/core/knowledge/schema.js';
import { Analyzer, readingOf } from '../../../src/core/nlp/analyzer.js';
import { domainWords, Homophones } from '../../../src/core/nlp/homophones.js';
import { compileLexicon } from '../../../src/core/nlp/lexicon.js';
import { normalizeText } from '../../../src/core/nlp/normalize.js';
import type { Tokenizer } from '../../../src/core/nlp/tokenizer.js';

let tokenizer: Tokenizer;
beforeAll(async () => {
  ({ tokenizer } = await sharedTokenizerLoad());
});

const file: LexiconFile = {
  synonyms: [
    { term: '保育園', variants: ['ほいくえん', '保育所'] },
    { term: '妊婦健診', variants: ['にんぷけんしん', '妊婦検診'] },
    { term: '健診', variants: ['けんしん', '検診'] },
  ],
};
/** A table made as the core makes it, from this lexicon and a few texts of a knowledge base. */
function table(texts: string[]) {
  const lexicon = compileLexicon(file, (t) => readingOf(tokenizer, t));
  const homophones = new Homophones(domainWords(tokenizer, file, lexicon, texts), (s) => lexicon.apply(normalizeText(s)));
  return { lexicon, homophones, fix: (text: string) => homophones.correct(tokenizer.tokenize(text)) ?? text };
}

describe('Homophones: a kanji span read as a known word is that word', () => {
  it('rewrites a compound the IME converted wrong to the known spelling with the same reading', () => {
    const { fix } = table(['医療費の受給者証をなくしました']);
    expect(fix('保育縁に入りたい')).toBe('保育園に入りたい');
    expect(fix('需給者証はいつ届く')).toBe('受給者証はいつ届く');
  });

  it("reads a lexicon term by the kana staff wrote beside it, where kuromoji's own reading is wrong", () => {
    // kuromoji reads 健診 as けん/み; its variant にんぷけんしん says how 妊婦健診 is read.
    expect(table([]).fix('妊婦献身の日程')).toBe('妊婦健診の日程');
  });

  it('finds compounds of the texts with the lexicon terms kept whole (乳児 + 健診)', () => {
    const { fix } = table(['乳児健診はどこで受けますか']);
    expect(fix('幼児献身')).toBe('幼児献身');
    expect(table(['幼児健診の持ち物']).fix('幼児献身の持ち物')).toBe('幼児健診の持ち物');
  });

  it('leaves one dictionary word alone: 献身 is a word of its own, not a wrong 健診', () => {
    expect(table([]).fix('献身的に支える')).toBe('献身的に支える');
  });

  it('leaves a real compound read the same alone when it shares no character with the known word (申請時/新生児)', () => {
    expect(table(['新生児の訪問']).fix('申請時に必要なもの')).toBe('申請時に必要なもの');
  });

  it('never takes a phrase of time or circumstance (求職中) for a domain word: 休職中 stays', () => {
    expect(table(['求職中でも保育園に入れますか']).fix('休職中の社員')).toBe('休職中の社員');
  });

  it('leaves short readings, kana and known spellings alone', () => {
    const { fix } = table(['保険証を持っていく', '保健師に相談']);
    // ほけん is 3 kana: 保健 and 保険 are both words.
    expect(fix('保健の窓口')).toBe('保健の窓口');
    expect(fix('ほいくえんに入りたい')).toBe('ほいくえんに入りたい');
    expect(fix('保健師に聞く')).toBe('保健師に聞く');
  });

  it('corrects nothing where known words of different meaning share the reading', () => {
    const h = new Homophones(
      [
        ['こうえんかい', '講演会'],
        ['こうえんかい', '後援会'],
      ],
      (s) => s,
    );
    expect(h.correct(tokenizer.tokenize('公演会'))).toBeUndefined();
    expect(h.entries()).toEqual([['こうえんかい', null]]);
  });

  it('treats spellings of one meaning as one word (検診 and 健診 are both the lexicon term 健診)', () => {
    const { homophones } = table([]);
    expect(homophones.entries().find(([r]) => r === 'にんぷけんしん')?.[1]).toBe('妊婦健診');
  });
});

describe('Analyzer with homophones', () => {
  it('takes terms and the reading from the corrected text, and the lexicon reads the correction', () => {
    const { lexicon, homophones } = table([]);
    const a = new Analyzer(tokenizer, lexicon, homophones).analyze('保育縁の申し込み');
    expect(a.norm).toBe('保育園の申し込み');
    expect(a.terms).toContain('保育園');
    expect(new Analyzer(tokenizer, lexicon).analyze('保育縁の申し込み').norm).toBe('保育縁の申し込み');
  });

  it('corrects a span that ends in a term the lexicon keeps whole (幼時 + 健診 is 幼児健診), never the term alone', () => {
    const { lexicon, homophones } = table(['幼児健診の持ち物']);
    const analyzer = new Analyzer(tokenizer, lexicon, homophones);
    expect(analyzer.analyze('幼時健診はいつ').norm).toBe('幼児健診はいつ');
    expect(analyzer.analyze('健診はいつ').norm).toBe('健診はいつ');
    expect(analyzer.analyze('妊婦健診はいつ').norm).toBe('妊婦健診はいつ');
  });
});
