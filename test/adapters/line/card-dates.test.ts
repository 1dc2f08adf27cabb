import { describe, expect, it } from 'vitest';
import { datesIn, JA_CARD } from '../../../src/adapters/line/render.js';
import { cardWordsFrom } from '../../../src/core/conversation/copy/ja.js';
import { copyLookupFor } from '../../../src/core/conversation/voice.js';
import { getCore } from '../../support/core.js';

const words = async (code: string) => cardWordsFrom(copyLookupFor((await getCore()).kb, code));

describe('the sources’ dates on a card, in the card’s language', () => {
  it('keeps every date as written on a Japanese card', () => {
    for (const asOf of ['2020年時点', '2017年〜2025年11月（一部は時点不明）', '掲載時期不明（2016年頃の記載）', '平成22年2月9日制定'])
      expect(datesIn(asOf, JA_CARD)).toBe(asOf);
  });

  it('writes the date words of the knowledge base in English, Vietnamese and Chinese, leaving the rest as written', async () => {
    const en = await words('en');
    expect(datesIn('2020年時点', en)).toBe('as of 2020');
    expect(datesIn('2024年2月時点', en)).toBe('as of 2/2024');
    expect(datesIn('2025年4月1日現在', en)).toBe('as of 2025/4/1');
    expect(datesIn('2025年11月更新', en)).toBe('updated 11/2025');
    expect(datesIn('2025年度', en)).toBe('fiscal year 2025');
    expect(datesIn('2017年〜2025年11月（一部は時点不明）', en)).toBe('2017–11/2025 (some undated)');
    expect(datesIn('時点不明', en)).toBe(en.undated);
    // What is not a date word (a note about the source) stays as written rather than be guessed at.
    expect(datesIn('掲載時期不明（2016年頃の記載）', en)).toBe('posting date unknown（2016頃の記載）');

    expect(datesIn('2020年時点', await words('vi'))).toBe('thời điểm năm 2020');
    expect(datesIn('2017年〜2025年11月', await words('zh'))).toBe('2017年～2025年11月');
    expect(datesIn('2020年時点', await words('ja-easy'))).toBe('2020年の 情報');
  });
});
