import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../../src/core/build-core.js';
import { getCore } from '../../../support/core.js';

let core: Core;
beforeAll(async () => {
  core = await getCore();
});
const read = (t: string) => core.understanding.read(core.analyzer.analyze(t));
const top = (t: string) => read(t).ranking[0]?.intent;

describe('Understanding (the trained models)', () => {
  it.each([
    ['熱が下がらない子を仕事の日に預けられる施設', 'sick-child-care'],
    ['ファミサポの会員になりたい', 'family-support-center'],
    ['じどうてあての振込日', 'child-allowance'],
    ['母子手帳ってどこでもらえる', 'pregnancy-notification'],
    ['おたふくかぜワクチンの助成', 'vaccination'],
    ['学童は何年生まで', 'after-school-club'],
  ])('ranks 「%s」 under %s', (text, intent) => {
    expect(top(text)).toBe(intent);
  });

  it('reads kana-only and romaji spellings as the words they spell', () => {
    expect(top('びょうじほいくの予約したい')).toBe('sick-child-care');
    expect(top('hoikuen no moushikomi shitai')).toBe('nursery-admission');
  });

  it('gives every label a probability, best first; the emergency model gives its own', () => {
    const u = read('保育園の申し込みの書類');
    const total = u.ranking.reduce((s, r) => s + r.score, 0) + u.handoff + u.none;
    // The intent model's own @emergency share is left out and the rest shared again: the emergency model decides danger.
    expect(total).toBeCloseTo(1, 9);
    expect(u.ranking.map((r) => r.score)).toEqual([...u.ranking.map((r) => r.score)].sort((a, b) => b - a));
    expect(u.emergency).toBeLessThan(0.05);
    expect(read('子どもが息をしていない').emergency).toBeGreaterThan(0.5);
  });

  it('knows none of the features of text in no language it has seen', () => {
    expect(read('ﾟ∀ﾟ').known).toBe(0);
  });
});
