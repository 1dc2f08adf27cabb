import { describe, expect, it } from 'vitest';
import { extractFacts, mergeFacts } from '../../src/dialogue/facts.js';

describe('extractFacts reads what a family says about itself', () => {
  it.each([
    ['２歳の子がいます', '2歳'],
    ['うちの子1歳半なんですけど', '1歳半'],
    ['生後３か月の赤ちゃん', '生後3か月'],
    ['4ヶ月の娘', '4か月'],
    ['小３の息子', '小3'],
    ['中学2年生です', '中2'],
    ['年中さんです', '年中'],
    ['妊娠14週です', '妊娠14週'],
    ['来月生まれる予定', '来月出産予定'],
  ])('%s → childAge %s', (text, age) => {
    expect(extractFacts(text).childAge).toBe(age);
  });

  it('does not mistake a duration for an age', () => {
    expect(extractFacts('3ヶ月後に復職します').childAge).toBeUndefined();
  });

  it('knows the islands of Kasaoka, and is not fooled by 広島', () => {
    expect(extractFacts('北木島に住んどります').area).toBe('北木島');
    expect(extractFacts('島に住んでて市役所まで行けん').area).toBe('島しょ部');
    expect(extractFacts('広島から引っ越してきました').area).toBeUndefined();
  });

  it('keeps earlier facts when a later message does not repeat them', () => {
    expect(mergeFacts({ childAge: '2歳', area: '白石島' }, extractFacts('料金は？'))).toEqual({ childAge: '2歳', area: '白石島' });
    expect(mergeFacts({ childAge: '2歳' }, extractFacts('上の子は小1です'))).toEqual({ childAge: '小1' });
  });
});
