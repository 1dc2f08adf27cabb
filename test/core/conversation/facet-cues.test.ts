import { describe, expect, it } from 'vitest';
import { FacetDetector } from '../../../src/core/conversation/cues.js';

const file = {
  order: ['cost', 'how'],
  facets: {
    cost: { cues: ['料金', '自己負担', 'タダ'], patterns: [] },
    how: { cues: ['申請'], patterns: [] },
  },
};
const spellings: Record<string, string> = { 料金: 'りょうきん', 自己負担: 'じこふたん', 申請: 'しんせい' };

describe('FacetDetector', () => {
  it('finds a cue written in kanji in its kana spelling too, when given how to spell it', () => {
    const cues = new FacetDetector(file as never, (cue) => spellings[cue]);
    expect(cues.detect('にんぷけんしん じこふたん あるの')).toBe('cost');
    expect(cues.detect('いりょうひの しんせい')).toBe('how');
    expect(cues.hits('りょうきんと しんせい')).toEqual(['cost', 'how']);
    // What is left once the cues are taken out names the topic, if anything does.
    expect(cues.strip('りょうきんは').trim()).toBe('は');
  });
  it('finds the words of a pattern in kana too, spelled one kanji and up', () => {
    const who = { order: ['who'], facets: { who: { cues: [], patterns: ['(高校生|中学生)(でも|も)\\S{0,8}(使え|受けられ)'] } } };
    const words: Record<string, string> = { 高校生: 'こうこうせい', 中学生: 'ちゅうがくせい', 使え: 'つかえ', 受けられ: 'うけられ' };
    const spelled = new FacetDetector(who as never, (w, o) => (o?.compound === false || /\p{Script=Han}{2}/u.test(w) ? words[w] : undefined));
    expect(spelled.detect('こうこうせいでも つかえますか')).toBe('who');
    expect(spelled.detect('高校生でも使えますか')).toBe('who');
    expect(new FacetDetector(who as never).detect('こうこうせいでも つかえますか')).toBeUndefined();
  });
  it('does not look for kana spellings without them, and never folds a katakana cue onto hiragana', () => {
    expect(new FacetDetector(file as never).detect('じこふたん')).toBeUndefined();
    expect(new FacetDetector(file as never, (cue) => spellings[cue]).detect('ただ聞きたいだけ')).toBeUndefined();
  });
  it('says from the groups already found what detect says of the text, with or without a preferred facet', () => {
    const cues = new FacetDetector({
      ...file,
      order: ['cost', 'how', 'fee'],
      facets: { ...file.facets, fee: { cues: ['保育料'], patterns: [], facet: 'cost' } },
    } as never);
    for (const text of ['料金と申請', '申請の料金', '申請だけ', '保育料', 'なにもない'])
      for (const preferred of [undefined, 'cost', 'how', 'who'] as const)
        expect(cues.fromHits(cues.hits(text), preferred), `${text} ${preferred}`).toBe(cues.detect(text, preferred));
    expect(cues.fromHits(['how', 'cost'], 'cost')).toBe('cost');
    expect(cues.fromHits(['how', 'cost'])).toBe('how');
  });
});
