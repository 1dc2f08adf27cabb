import type { messagingApi } from '@line/bot-sdk';
import { describe, expect, it } from 'vitest';
import { ReplyComposer } from '../../../src/core/conversation/replies.js';
import { informationDate, japaneseDay, parseAsOf, sourceDateLabel } from '../../../src/core/knowledge/dates.js';
import { loadKnowledgeBase } from '../../../src/core/knowledge/load.js';
import { FACETS, SMALLTALK_IDS, type Facet } from '../../../src/core/knowledge/schema.js';
import { renderLineMessages } from '../../../src/adapters/line/render.js';
import { renderPlainText } from '../../../src/adapters/cli/render.js';

describe('a source’s own date (asOf)', () => {
  it('is read from the date an asOf begins with, western or Japanese era', () => {
    expect(parseAsOf('2025年11月更新')).toEqual({ year: 2025, month: 11 });
    expect(parseAsOf('2017年時点')).toEqual({ year: 2017 });
    expect(parseAsOf('2025年度')).toEqual({ year: 2025 });
    expect(parseAsOf('令和7年3月31日告示')).toEqual({ year: 2025, month: 3 });
    expect(parseAsOf('令和元年制定の規則')).toEqual({ year: 2019 });
    expect(parseAsOf('平成11年要綱')).toEqual({ year: 1999 });
  });

  it('is undated when the asOf does not begin with a date: a later date in it is not the page’s own', () => {
    for (const a of ['掲載時期不明', '時点不明', '報道・掲載年は未確認', '長野県ページのキャッシュ', '掲載時期不明（2024年改正前）', undefined, ''])
      expect(parseAsOf(a), String(a)).toBeUndefined();
  });

  it('tells one date as written, several as their span, and says when some or all are undated', () => {
    expect(informationDate(['2025年11月更新'])).toBe('2025年11月更新');
    expect(informationDate(['2025年11月更新', '2025年11月更新'])).toBe('2025年11月更新');
    expect(informationDate(['2025年11月更新', '2017年時点'])).toBe('2017年〜2025年11月');
    expect(informationDate(['2025年11月更新', '掲載時期不明'])).toBe('2025年11月更新（一部は時点不明）');
    expect(informationDate(['2024年4月更新', '2024年4月更新版'])).toBe('2024年4月');
    expect(informationDate(['掲載時期不明', undefined])).toBe('時点不明');
    expect(informationDate([])).toBe('時点不明');
    expect(sourceDateLabel(undefined)).toBe('時点不明');
    expect(japaneseDay('2026-11-29')).toBe('2026年11月29日');
  });
});

// ------------------------------------------------------------------------------------------------------------
// Every facet's card of the real knowledge base: no date the facet's sources do not support.

const ERA: Record<string, number> = { 令和: 2018, 平成: 1988 };
const DATE_IN_TEXT = /(?:(\d{4})年|(令和|平成)(元|\d{1,2})年)(?:度)?(?:(\d{1,2})月)?/g;

/** Every year and year-month mentioned in a text, as 'YYYY' and 'YYYY-M'. */
function datesIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(DATE_IN_TEXT)) {
    const year = m[1] ? Number(m[1]) : ERA[m[2]!]! + (m[3] === '元' ? 1 : Number(m[3]));
    out.add(String(year));
    if (m[4]) out.add(`${year}-${Number(m[4])}`);
  }
  return out;
}

function bubbleTexts(m: messagingApi.Message): string[] {
  const walk = (c: messagingApi.FlexComponent): string[] => (c.type === 'box' ? (c as messagingApi.FlexBox).contents.flatMap(walk) : c.type === 'text' ? [(c as messagingApi.FlexText).text ?? ''] : []);
  const b = (m as messagingApi.FlexMessage).contents as messagingApi.FlexBubble;
  return b.body ? walk(b.body) : [];
}

const { kb, problems } = loadKnowledgeBase();
const TODAY = '2026-12-06';

describe('every answer card of the knowledge base', () => {
  it('loads', () => expect(problems).toEqual([]));
  const composer = ReplyComposer.for(kb!);
  const cases = [...kb!.entries.values()]
    .filter((e) => !(SMALLTALK_IDS as readonly string[]).includes(e.id))
    .flatMap((e) => FACETS.filter((f) => e.facets[f]).map((f) => [e.id, f] as [string, Facet]));

  it('covers every facet of every service entry', () => expect(cases.length).toBeGreaterThan(150));

  it.each(cases)('%s %s: every date told about the information or a number is one its sources give', (id, facet) => {
    const entry = kb!.entries.get(id)!;
    const f = entry.facets[facet]!;
    const cited = entry.sources.filter((s) => f.sources.includes(s.id));
    const phones = f.phones.map((p) => kb!.contacts.get(p)!);
    const supported = new Set(cited.flatMap((s) => [...datesIn(s.asOf ?? '')]));
    const phoneSupported = new Set(phones.flatMap((c) => [...datesIn(c.asOf ?? '')]));
    const reply = composer.answer(id, facet, TODAY);
    if (reply.type !== 'answer') throw new Error('not an answer');
    const [message] = renderLineMessages([reply], [], { strict: true });
    const lines = bubbleTexts(message!);
    const body = lines[lines.indexOf(reply.facetLabel) + 1]!;
    expect(body).toBe(reply.text);

    // The lines about time: 情報の時点, each number's date, each source's date, the day it was checked.
    const asOfLine = lines.find((l) => l.startsWith('情報の時点: '));
    expect(asOfLine, 'a card always says when its information is from').toBeDefined();
    for (const d of datesIn(asOfLine!)) expect(supported, `${asOfLine} — ${d} is no cited source's date`).toContain(d);
    if (!cited.some((s) => parseAsOf(s.asOf))) expect(asOfLine).toBe('情報の時点: 時点不明');
    for (const l of lines.filter((x) => x.startsWith('☎ '))) for (const d of datesIn(l.replace(/^☎ .*?\d[\d-]+\d/, ''))) expect(phoneSupported, l).toContain(d);
    for (const c of phones.filter((c) => c.tel.startsWith('0'))) expect(lines.some((l) => l.startsWith('☎ ') && l.includes(c.tel) && l.includes(c.asOf!)), `${c.tel} shown without its date`).toBe(true);
    for (const s of cited) expect(lines.filter((l) => l.endsWith(`（${sourceDateLabel(s.asOf)}）`)).length).toBeGreaterThan(0);
    const checkedLine = lines.at(-1)!;
    expect(checkedLine).toMatch(/^最終確認: \d{4}年\d{1,2}月\d{1,2}日$/);
    expect(cited.map((s) => `最終確認: ${japaneseDay(s.checked)}`)).toContain(checkedLine);

    // The answer itself: where it says how old its information is (「2017年時点の市の案内」「2025年11月更新」),
    // a cited source must be of that date. Dates of events (「2013年4月に広げた」) are facts, not checked here.
    for (const m of body.matchAll(/((?:\d{4}|令和(?:元|\d{1,2})|平成(?:元|\d{1,2}))年(?:度)?(?:\d{1,2}月)?(?:\d{1,2}日)?)(?:時点|更新|現在|の市の案内|の案内|の報道|の市のページ)/g))
      for (const d of datesIn(m[1]!)) expect(supported, `「${m[0]}」 in the answer, but no cited source is of ${d}`).toContain(d);

    // Nowhere a month-precise 「時点の情報」 made from the day the entry was written.
    expect(lines.join('\n')).not.toMatch(/\d{4}年\d{1,2}月時点の情報/);
  });

  it('reads the same in the terminal', () => {
    const reply = composer.answer('medical-subsidy', 'who', TODAY);
    const out = renderPlainText([reply]);
    expect(out).toContain('情報の時点: 2025年11月更新');
    expect(out).toMatch(/最終確認: 2026年\d{1,2}月\d{1,2}日/);
  });
});
