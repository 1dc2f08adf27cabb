import { describe, expect, it } from 'vitest';
import type { messagingApi } from '@line/bot-sdk';
import type { QuickReply, Reply } from '../../../src/core/conversation/types.js';
import {
  bubbleBytes,
  checkedLine,
  firstChars,
  graphemeLength,
  LINE_LIMITS,
  postbackData,
  renderLine,
  renderLineMessages,
  splitText,
  telUri,
  truncateGraphemes,
} from '../../../src/adapters/line/render.js';
import { cliChoices, renderPlainText } from '../../../src/adapters/cli/render.js';
import { lineMessagesProblems } from '../../support/line-openapi.js';

type AnswerReply = Extract<Reply, { type: 'answer' }>;

const answer = (over: Partial<AnswerReply> = {}): AnswerReply => ({
  type: 'answer',
  intent: 'hoikuen-nyuen',
  title: '保育園の入園申し込み',
  facet: 'how',
  facetLabel: '申込方法',
  text: '入園の申し込みは子育て支援課の窓口で受け付けています。必要な書類は市のホームページからダウンロードできます。',
  unconfirmed: false,
  asOf: '2017年時点',
  checked: '2026-11-05',
  sources: [
    { title: '笠岡市 保育所等の入所案内', url: 'https://www.city.kasaoka.okayama.jp/soshiki/hoiku/nyusho.html', asOf: '2017年時点', thirdParty: false },
  ],
  phones: [{ name: '子育て支援課', tel: '0865-69-2132', asOf: '掲載時期不明' }],
  otherFacets: [
    { facet: 'cost', label: '料金' },
    { facet: 'who', label: '対象' },
  ],
  ...over,
});

const emergency: Reply = {
  type: 'emergency',
  kind: 'medical',
  title: '今すぐ119番へ',
  text: '意識がない、けいれんが止まらないときは、迷わず119番に電話してください。迷うときは #8000 に相談できます。',
  phones: [
    { name: '救急', tel: '119' },
    { name: '小児救急電話相談', tel: '#8000' },
  ],
};

const qr = (n: number): QuickReply[] =>
  Array.from({ length: n }, (_, i) => ({
    label: `選択肢${i + 1}`,
    postback: postbackData({ a: 'pick', i: `item-${i}`, f: 'overview' }),
    displayText: `選択肢${i + 1}`,
  }));

const flexOf = (m: messagingApi.Message | undefined) => {
  expect(m?.type).toBe('flex');
  return m as messagingApi.FlexMessage;
};
const bubbleOf = (m: messagingApi.Message | undefined) => flexOf(m).contents as messagingApi.FlexBubble;

/** Every component of a box tree, depth first. */
function components(box: messagingApi.FlexBox | undefined): messagingApi.FlexComponent[] {
  if (!box) return [];
  return box.contents.flatMap((c) => (c.type === 'box' ? [c, ...components(c as messagingApi.FlexBox)] : [c]));
}
const texts = (box: messagingApi.FlexBox | undefined) => components(box).filter((c): c is messagingApi.FlexText => c.type === 'text');
const buttons = (box: messagingApi.FlexBox | undefined) => components(box).filter((c): c is messagingApi.FlexButton => c.type === 'button');

const expectValid = (messages: messagingApi.Message[]) => expect(lineMessagesProblems(messages)).toEqual([]);

describe('the schema validator used by these tests', () => {
  it('rejects what LINE rejects, so a passing render means something', () => {
    expect(lineMessagesProblems([{ type: 'text' }])).not.toEqual([]);
    expect(lineMessagesProblems([{ type: 'flex', contents: { type: 'bubble' } }])).not.toEqual([]); // no altText
    expect(lineMessagesProblems([{ type: 'text', text: 'x'.repeat(5001) }])).not.toEqual([]);
    expect(lineMessagesProblems([{ type: 'text', text: 'a', quickReply: { items: [{ type: 'action', action: { type: 'buton', label: 'x' } }] } }])).not.toEqual(
      [],
    );
    expect(lineMessagesProblems(Array.from({ length: 6 }, () => ({ type: 'text', text: 'a' })))).not.toEqual([]);
    expect(lineMessagesProblems([{ type: 'text', text: 'ok' }])).toEqual([]);
  });
});

describe('answer → Flex bubble', () => {
  const [message] = renderLineMessages([answer()], []);
  const bubble = bubbleOf(message);

  it('has the title in the header and facet label + text in the body', () => {
    expect(texts(bubble.header).map((t) => t.text)).toEqual(['保育園の入園申し込み']);
    const body = texts(bubble.body).map((t) => t.text);
    expect(body[0]).toBe('申込方法');
    expect(body[1]).toBe(answer().text);
  });

  it('shows when the information is from (its sources’ date), and apart from it when it was last checked', () => {
    const body = texts(bubble.body);
    const lines = body.map((t) => t.text);
    expect(lines).toContain('情報の時点: 2017年時点');
    expect(lines).not.toContain('2026年11月時点の情報');
    // The day it was checked is the last, smallest line: it says when we looked, not when the facts are from.
    expect(body.at(-1)).toMatchObject({ text: '最終確認: 2026年11月5日', size: 'xxs' });
    expect(checkedLine('2026-04-30')).toBe('最終確認: 2026年4月30日');
    expect(checkedLine('')).toBeUndefined();
  });

  it('gives each source its own date, and 時点不明 when it has none', () => {
    const lines = texts(bubble.body).map((t) => t.text);
    expect(lines).toContain('笠岡市 保育所等の入所案内（2017年時点）');
    const undated = bubbleOf(renderLineMessages([answer({ sources: [{ title: 'はぴナビ', url: 'http://www.happynavi-kasaoka.jp/', thirdParty: false }] })])[0]);
    expect(texts(undated.body).map((t) => t.text)).toContain('はぴナビ（時点不明）');
  });

  it('shows the dates of office numbers on an emergency card after the numbers and the guidance', () => {
    const withOffice: Reply = {
      ...emergency,
      phones: [...(emergency as Extract<Reply, { type: 'emergency' }>).phones, { name: '子育て支援課', tel: '0865-69-2132', asOf: '掲載時期不明' }],
    };
    const [m] = renderLineMessages([withOffice]);
    const b = bubbleOf(m);
    const lines = texts(b.body).map((t) => t.text);
    expect(lines.at(-1)).toBe('☎ 子育て支援課 0865-69-2132（番号の時点: 掲載時期不明）');
    expect(components(b.body)[0]!.type).toBe('button');
    expectValid([m!]);
  });

  it('shows an office number with the date its source gave it', () => {
    expect(texts(bubble.body).map((t) => t.text)).toContain('☎ 子育て支援課 0865-69-2132（番号の時点: 掲載時期不明）');
    const national = bubbleOf(renderLineMessages([answer({ phones: [{ name: '小児救急電話相談', tel: '#8000' }] })])[0]);
    expect(texts(national.body).some((t) => t.text?.startsWith('☎'))).toBe(false);
  });

  it('notes unconfirmed details only when the entry says so', () => {
    expect(texts(bubble.body).map((t) => t.text)).not.toContain('※ 詳細は未確認です');
    const unconfirmed = bubbleOf(renderLineMessages([answer({ unconfirmed: true })])[0]);
    expect(texts(unconfirmed.body).map((t) => t.text)).toContain('※ 詳細は未確認です');
  });

  it('links each source with its title (at most 40 graphemes)', () => {
    const long = 'とても長い出典のタイトル'.repeat(6);
    const b = bubbleOf(renderLineMessages([answer({ sources: [{ title: long, url: 'https://example.jp/a b', thirdParty: false }] })])[0]);
    const link = texts(b.body).find((t) => t.action?.type === 'uri');
    expect(link).toBeDefined();
    const [title, date] = link!.text!.split('（');
    expect(graphemeLength(title!)).toBe(40);
    expect(title!.endsWith('…')).toBe(true);
    expect(date).toBe('時点不明）');
    expect((link!.action as messagingApi.URIAction).uri).toBe('https://example.jp/a%20b');
  });

  it('has a tel: button per phone, a postback per other facet, 「担当者と話す」 and 「この情報はまちがっている」 in the footer', () => {
    const actions = buttons(bubble.footer).map((b) => b.action);
    expect(actions[0]).toEqual({ type: 'uri', label: '電話: 子育て支援課', uri: 'tel:0865692132' });
    expect(actions[1]).toEqual({ type: 'postback', label: '料金', data: 'a=facet&i=hoikuen-nyuen&f=cost', displayText: '料金' });
    expect(actions[2]).toMatchObject({ type: 'postback', data: 'a=facet&i=hoikuen-nyuen&f=who', displayText: '対象' });
    const handoff = actions.at(-2) as messagingApi.PostbackAction;
    expect(handoff.label).toBe('担当者と話す');
    expect(new URLSearchParams(handoff.data).get('a')).toBe('handoff');
    // Last: the card reports itself, naming its entry and facet.
    expect(actions.at(-1)).toEqual({
      type: 'postback',
      label: 'この情報はまちがっている',
      data: 'a=wrong&i=hoikuen-nyuen&f=how',
      displayText: 'この情報はまちがっている',
    });
  });

  it('uses title + the first 100 characters of the text as altText', () => {
    const text = 'あ'.repeat(300);
    const alt = flexOf(renderLineMessages([answer({ text })])[0]).altText;
    expect(alt.startsWith('保育園の入園申し込み\n' + 'あ'.repeat(100))).toBe(true);
    expect(alt).not.toContain('あ'.repeat(101));
    expect(alt.length).toBeLessThanOrEqual(LINE_LIMITS.altText);
  });

  it('passes the OpenAPI validator', () => {
    expectValid([message!]);
    expectValid(renderLineMessages([answer({ unconfirmed: true, phones: [], otherFacets: [], sources: [] })]));
  });
});

describe('emergency → red Flex bubble', () => {
  const [message] = renderLineMessages([emergency]);
  const bubble = bubbleOf(message);

  it('has a red header with the title and an altText starting with the title', () => {
    expect(bubble.header?.backgroundColor?.toUpperCase()).toMatch(/^#[C-F][0-9A-F]{5}$/);
    expect(texts(bubble.header).map((t) => t.text)).toEqual(['今すぐ119番へ']);
    expect(flexOf(message).altText.startsWith('今すぐ119番へ')).toBe(true);
    expect(flexOf(message).altText).toContain('119');
  });

  it('puts the numbers first as tel: buttons, then the text', () => {
    const body = bubble.body!.contents;
    expect(body[0]).toMatchObject({ type: 'button', action: { type: 'uri', uri: 'tel:119' } });
    expect(body[1]).toMatchObject({ type: 'button', action: { type: 'uri', uri: 'tel:%238000' } });
    expect(body.at(-1)).toMatchObject({ type: 'text', text: (emergency as { text: string }).text });
  });

  it('passes the OpenAPI validator', () => expectValid([message!]));
});

describe('text and quick replies', () => {
  it('renders text as a text message', () => {
    expect(renderLineMessages([{ type: 'text', text: 'こんにちは' }])).toEqual([{ type: 'text', text: 'こんにちは' }]);
  });

  it('puts quick replies on the last message only, mapping postback and message choices', () => {
    const messages = renderLineMessages(
      [{ type: 'text', text: 'はじめに' }, answer()],
      [
        { label: '料金', postback: 'a=facet&i=x&f=cost', displayText: '料金は？' },
        { label: 'メニュー', text: 'メニュー' },
      ],
    );
    expect(messages).toHaveLength(2);
    expect(messages[0]!.quickReply).toBeUndefined();
    expect(messages[1]!.quickReply?.items).toEqual([
      { type: 'action', action: { type: 'postback', label: '料金', data: 'a=facet&i=x&f=cost', displayText: '料金は？' } },
      { type: 'action', action: { type: 'message', label: 'メニュー', text: 'メニュー' } },
    ]);
    expectValid(messages);
  });

  it('keeps at most 13 quick replies', () => {
    const messages = renderLineMessages([{ type: 'text', text: '選んでください' }], qr(14));
    expect(messages[0]!.quickReply?.items).toHaveLength(13);
    expect(messages[0]!.quickReply?.items?.map((i) => i.action?.label)).toEqual(qr(13).map((q) => q.label));
    expectValid(messages);
  });

  it('cuts quick-reply labels to 20 graphemes ending with 「…」, counting emoji clusters as one', () => {
    const label = 'ほいくえんのもうしこみについてのしつもんです'.slice(0, 25);
    const family = '👨‍👩‍👧'.repeat(25);
    const messages = renderLineMessages(
      [{ type: 'text', text: 'a' }],
      [
        { label, text: '保育園' },
        { label: family, text: '家族' },
      ],
    );
    const labels = messages[0]!.quickReply!.items!.map((i) => i.action!.label!);
    expect(graphemeLength(labels[0]!)).toBe(20);
    expect(labels[0]).toBe(label.slice(0, 19) + '…');
    expect(graphemeLength(labels[1]!)).toBe(20);
    expect(truncateGraphemes('短い', 20)).toBe('短い');
    expectValid(messages);
  });

  it('throws on postback data over 300 chars in development, drops the button in production', () => {
    const tooLong: QuickReply[] = [
      { label: 'x', postback: 'a='.padEnd(301, 'x') },
      { label: 'ok', postback: 'a=ok' },
    ];
    expect(() => renderLineMessages([{ type: 'text', text: 'a' }], tooLong, { strict: true })).toThrow(/300/);
    const items = renderLineMessages([{ type: 'text', text: 'a' }], tooLong, { strict: false })[0]!.quickReply!.items!;
    expect(items.map((i) => (i.action as messagingApi.PostbackAction).data)).toEqual(['a=ok']);
  });

  it('sends quick replies with a short text when there is no other message', () => {
    const messages = renderLineMessages([], qr(2));
    expect(messages).toHaveLength(1);
    expect(messages[0]!.quickReply?.items).toHaveLength(2);
    expectValid(messages);
  });
});

describe('limits', () => {
  it('cuts an alt text preview after n code points, surrogate pairs whole', () => {
    expect(firstChars('保育園', 3)).toBe('保育園');
    expect(firstChars('保育園です', 3)).toBe('保育園…');
    expect(firstChars('𠮷野家の𠮷', 2)).toBe('𠮷野…');
    expect(firstChars('𠮷𠮷', 2)).toBe('𠮷𠮷');
    expect(firstChars('𠮷𠮷𠮷', 2)).toBe('𠮷𠮷…');
    // The same as counting with Array.from, for any text.
    for (const s of ['a\uD800b'.repeat(30), '😀'.repeat(120), 'あ'.repeat(101), '']) {
      const cp = Array.from(s);
      expect(firstChars(s, 100)).toBe(cp.length <= 100 ? s : `${cp.slice(0, 100).join('')}…`);
    }
  });

  it('splits a 6000-character text into messages of at most 5000 UTF-16 units, losing nothing', () => {
    const para = '保育園の申し込みについてのご案内です。'.repeat(20) + '\n\n';
    const text = para.repeat(20).slice(0, 6000);
    const messages = renderLineMessages([{ type: 'text', text }]);
    expect(messages.length).toBe(2);
    for (const m of messages) expect((m as messagingApi.TextMessage).text.length).toBeLessThanOrEqual(5000);
    expect(
      messages
        .map((m) => (m as messagingApi.TextMessage).text)
        .join('')
        .replace(/\s/g, ''),
    ).toBe(text.replace(/\s/g, ''));
    expectValid(messages);
  });

  it('never splits a surrogate pair', () => {
    const text = '𠮷'.repeat(2600); // 5200 UTF-16 units
    const chunks = splitText(text);
    expect(chunks.length).toBe(2);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(5000);
      expect(c.length % 2).toBe(0);
    }
    expect(chunks.join('')).toBe(text);
  });

  it('merges texts to stay within 5 messages', () => {
    const replies: Reply[] = Array.from({ length: 6 }, (_, i) => ({ type: 'text', text: `${i + 1}つめ` }));
    const { messages, dropped } = renderLine(replies, qr(1));
    expect(messages.length).toBeLessThanOrEqual(5);
    expect(dropped).toBe(0);
    expect(messages.map((m) => (m as messagingApi.TextMessage).text).join('\n\n')).toBe(replies.map((r) => (r as { text: string }).text).join('\n\n'));
    expect(messages.at(-1)!.quickReply).toBeDefined();
    expectValid(messages);
  });

  it('drops the last messages beyond 5 but never an emergency bubble', () => {
    const replies: Reply[] = [...Array.from({ length: 5 }, (_, i) => answer({ title: `回答${i + 1}` })), emergency];
    const { messages, dropped } = renderLine(replies, qr(3));
    expect(messages).toHaveLength(5);
    expect(dropped).toBe(1);
    expect(messages.some((m) => m.type === 'flex' && m.altText.startsWith('今すぐ119番へ'))).toBe(true);
    expect(messages.at(-1)!.quickReply?.items).toHaveLength(3);
    expectValid(messages);
  });

  it('keeps Flex button labels within 40 graphemes and altText within 1500', () => {
    const name = '笠岡市役所子育て支援課子育てコンシェルジュ窓口（平日8時30分から17時15分まで）';
    const m = renderLineMessages([answer({ title: 'と'.repeat(40), text: 'x'.repeat(1200), phones: [{ name, tel: '0865-69-2132' }] })]);
    const label = buttons(bubbleOf(m[0]).footer)[0]!.action.label!;
    expect(graphemeLength(label)).toBe(40);
    expect(flexOf(m[0]).altText.length).toBeLessThanOrEqual(1500);
    expectValid(m);
  });

  it('falls back to text when a bubble would exceed 30 KB', () => {
    const sources = Array.from({ length: 200 }, (_, i) => ({ title: `出典${i}`, url: `https://example.jp/${'p'.repeat(100)}/${i}`, thirdParty: false }));
    const big = answer({ sources });
    const { messages } = renderLine([big]);
    for (const m of messages) if (m.type === 'flex') expect(bubbleBytes(m.contents as messagingApi.FlexBubble)).toBeLessThanOrEqual(30 * 1024);
    expect(messages[0]!.type).toBe('text');
    expect((messages[0] as messagingApi.TextMessage).text).toContain('保育園の入園申し込み');
    expectValid(messages);
  });

  it('writes tel: URIs without hyphens', () => {
    expect(telUri('0865-69-2132')).toBe('tel:0865692132');
    expect(telUri('0120-189-783')).toBe('tel:0120189783');
    expect(telUri('#8000')).toBe('tel:%238000');
  });
});

describe('terminal rendering', () => {
  it('prints readable text with numbered choices that map back to what a tap sends', () => {
    const out = renderPlainText([answer({ unconfirmed: true })], [{ label: 'メニュー', text: 'メニュー' }]);
    expect(out).toContain('【保育園の入園申し込み】（申込方法）');
    expect(out).toContain('※ 詳細は未確認です');
    expect(out).toContain('情報の時点: 2017年時点');
    expect(out).toContain('最終確認: 2026年11月5日');
    expect(out).toContain('☎ 子育て支援課 0865-69-2132（番号の時点: 掲載時期不明）');
    expect(out).toContain('出典: 笠岡市 保育所等の入所案内（2017年時点）');
    expect(out).toMatch(/1\. 料金\n {2}2\. 対象\n {2}3\. メニュー\n {2}4\. 担当者と話す/);
    const choices = cliChoices([answer()], [{ label: 'メニュー', text: 'メニュー' }]);
    expect(choices[0]!.incoming).toEqual({ kind: 'postback', data: 'a=facet&i=hoikuen-nyuen&f=cost' });
    expect(choices[2]!.incoming).toEqual({ kind: 'text', text: 'メニュー' });
  });

  it('prints emergency numbers before the text', () => {
    const out = renderPlainText([emergency]);
    expect(out.indexOf('119（救急）')).toBeLessThan(out.indexOf('意識がない'));
  });
});
