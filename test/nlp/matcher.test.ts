import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/bootstrap.js';
import { getCore } from '../support/core.js';

let core: Core;
beforeAll(async () => {
  core = await getCore();
});
const top = (t: string) => core.matcher.rank(core.analyzer.analyze(t))[0]?.intent;

describe('Matcher', () => {
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

  it('still finds the topic through a typo', () => {
    expect(top('びょうじほいくの予約したい')).toBe('sick-child-care');
  });

  it('gives nothing for text with no known words', () => {
    expect(core.matcher.rank(core.analyzer.analyze('あsdfghjk'))).toEqual([]);
  });

  it('scores within [0, 1], best first', () => {
    const ranking = core.matcher.rank(core.analyzer.analyze('保育園の申し込みの書類'));
    for (const r of ranking) {
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
    }
    expect(ranking.map((r) => r.score)).toEqual([...ranking.map((r) => r.score)].sort((a, b) => b - a));
  });
});
