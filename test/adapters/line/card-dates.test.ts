import { describe, expect, it } from 'vitest';
import { datesIn, JA_CARD, renderLineMessages } from '../../../src/adapters/line/render.js';
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

describe('a source’s date note and title on a card in another language', () => {
  const cardText = async (code: string | undefined) => {
    const core = await getCore();
    const reply = core.concierge.answerCard('birth-money', 'overview', Date.parse('2026-12-07T03:00:00Z'), code);
    return JSON.stringify(renderLineMessages([reply]));
  };

  it('writes a note that is more than a date in the parent’s words (_sources.yaml), keeping the document’s own title', async () => {
    const en = await cardText('en');
    // 「平成22年2月9日制定」 and 「掲載時期不明（要綱は令和4年5月19日制定）」, each beside the source's real (Japanese) name.
    expect(en).toContain('笠岡市島しょ部妊婦等交通費助成事業実施要綱 (enacted 2010/2/9)');
    expect(en).toContain('笠岡市 妊産婦医療費助成 (posting date unknown (city rules enacted 2022/5/19))');
    expect(en).toContain('"Sources (pages in Japanese)"');
    expect(await cardText('zh')).toContain('笠岡市島しょ部妊婦等交通費助成事業実施要綱（2010年2月9日制定）');
    expect(await cardText('ja-easy')).toContain('（2010年2月9日に できた きまり）');
  });

  it('leaves a Japanese card exactly as written', async () => {
    const ja = await cardText(undefined);
    expect(ja).toContain('笠岡市島しょ部妊婦等交通費助成事業実施要綱（平成22年2月9日制定）');
    expect(ja).toContain('"出典"');
  });
});
