import type { messagingApi } from '@line/bot-sdk';
import { HANDOFF_DISPLAY_TEXT, HANDOFF_LABEL, postback as postbackData } from '../../core/conversation/replies.js';
import type { PhoneRef, QuickReply, Reply } from '../../core/conversation/types.js';
import { japaneseDay, sourceDateLabel } from '../../core/knowledge/dates.js';
import { facilityCarousel } from './facility-bubbles.js';

/**
 * Turns the platform-neutral replies of the conversation core into LINE message objects. Pure functions: no I/O,
 * no clock. Every LINE limit from docs/line-platform.md section 4 that applies to what we send is enforced here,
 * because LINE rejects the whole request (and the reply token with it) when one message breaks one rule.
 */

type Message = messagingApi.Message;
type FlexBubble = messagingApi.FlexBubble;
type FlexBox = messagingApi.FlexBox;
type FlexComponent = messagingApi.FlexComponent;
type Action = messagingApi.Action;

import {
  LINE_LIMITS,
  SOURCE_TITLE_MAX,
  bubbleBytes,
  checkPayload,
  graphemeLength,
  graphemes,
  postbackAction,
  telUri,
  truncateGraphemes,
  truncateUnits,
} from './line-limits.js';
export { LINE_LIMITS, SOURCE_TITLE_MAX, bubbleBytes, graphemeLength, telUri, truncateGraphemes, truncateUnits };

export const UNCONFIRMED_NOTE = '※ 詳細は未確認です';
// The postback vocabulary belongs to the dialogue layer, which parses it; rendering only re-uses it.
export { HANDOFF_DISPLAY_TEXT, HANDOFF_LABEL, postbackData };

const BRAND = '#2E7D6B';
const EMERGENCY_RED = '#C62828';
const MUTED = '#888888';
const LINK = '#1A73E8';
const WARN = '#B45309';
const DATE = '#666666';

export interface RenderOptions {
  /**
   * Throw on payloads that cannot be sent (postback data or message-action text over 300 chars) instead of
   * dropping the button. Defaults to true outside production so such bugs surface in development and tests.
   */
  strict?: boolean;
}

export interface RenderResult {
  messages: Message[];
  /** Messages left out because more than 5 remained after merging texts. Logged by the caller. */
  dropped: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Text helpers

/** Largest grapheme boundary at or before `max` UTF-16 units. */
function boundaryAtOrBefore(s: string, max: number): number {
  let at = 0;
  for (const g of graphemes(s.slice(0, max + 16))) {
    if (at + g.length > max) break;
    at += g.length;
  }
  return at > 0 ? at : Math.min(max, s.length);
}

/**
 * Splits text into chunks of at most `max` UTF-16 units, preferring paragraph, line and sentence ends in the
 * second half of each chunk, and never splitting a grapheme (so no broken surrogate pairs).
 */
export function splitText(text: string, max: number = LINE_LIMITS.text): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = -1;
    for (const sep of ['\n\n', '\n', '。', '、', ' ', '　']) {
      const i = window.lastIndexOf(sep);
      if (i >= max / 2) {
        cut = i + sep.length;
        break;
      }
    }
    if (cut < 0) cut = boundaryAtOrBefore(rest, max);
    const chunk = rest.slice(0, cut).trimEnd();
    if (chunk) chunks.push(chunk);
    rest = rest.slice(cut).replace(/^\n+/, '');
  }
  if (rest.trim()) chunks.push(rest);
  return chunks;
}

/**
 * The two dates of an answer card (the rule is in src/core/knowledge/dates.ts): when its information is from, shown
 * under the answer, and when it was last checked, shown apart and small at the end. Never the day an entry was
 * written: a card said 「2026年11月時点の情報」 under a 2017 source.
 */
export const asOfLine = (asOf: string): string => `情報の時点: ${asOf}`;

/** `2026-11-29` → 「最終確認: 2026年11月29日」; undefined when the date is not YYYY-MM-DD. */
export function checkedLine(checked: string): string | undefined {
  const d = japaneseDay(checked);
  return d ? `最終確認: ${d}` : undefined;
}

/** An office number with the date its source gave it: 「☎ 笠岡市 こども育成課 0865-69-1011（番号の時点: 2020年時点）」. */
export const phoneDateLine = (p: PhoneRef): string | undefined => (p.asOf ? `☎ ${p.name} ${p.tel}（番号の時点: ${p.asOf}）` : undefined);

/** A source's line: its title (cut to SOURCE_TITLE_MAX) and its own date. */
export const sourceLine = (s: { title: string; asOf?: string; thirdParty: boolean }): string =>
  `${truncateGraphemes(s.thirdParty ? `参考: ${s.title}` : s.title, SOURCE_TITLE_MAX)}（${sourceDateLabel(s.asOf)}）`;

/** http(s) URL percent-encoded as LINE requires (section 4 #16); undefined when it is not a usable web URL. */
function webUri(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Actions

function quickReplyAction(q: QuickReply, strict: boolean): Action | undefined {
  if ('postback' in q) return postbackAction(q.label, q.postback, q.displayText ?? q.label, LINE_LIMITS.quickReplyLabel, strict);
  if (!checkPayload('message action text', q.text, LINE_LIMITS.actionText, strict)) return undefined;
  return { type: 'message', label: truncateGraphemes(q.label, LINE_LIMITS.quickReplyLabel), text: q.text };
}

/** At most 13 quick-reply buttons with labels of at most 20 graphemes; unsendable ones are dropped (non-strict). */
export function renderQuickReply(quickReplies: readonly QuickReply[], opts: RenderOptions = {}): messagingApi.QuickReply | undefined {
  const strict = opts.strict ?? isStrictDefault();
  const items: messagingApi.QuickReplyItem[] = [];
  for (const q of quickReplies) {
    if (items.length >= LINE_LIMITS.quickReplyItems) break;
    if (!q.label.trim()) continue;
    const action = quickReplyAction(q, strict);
    if (action) items.push({ type: 'action', action });
  }
  return items.length ? { items } : undefined;
}

const telButton = (p: PhoneRef, label: string, style: Partial<messagingApi.FlexButton>): messagingApi.FlexButton => ({
  type: 'button',
  action: { type: 'uri', label: truncateGraphemes(label, LINE_LIMITS.flexButtonLabel), uri: telUri(p.tel) },
  ...style,
});

// ---------------------------------------------------------------------------------------------------------------
// Bubbles

type AnswerReply = Extract<Reply, { type: 'answer' }>;
type EmergencyReply = Extract<Reply, { type: 'emergency' }>;

const text = (t: string, style: Partial<messagingApi.FlexText> = {}): messagingApi.FlexText => ({ type: 'text', text: t, wrap: true, ...style });
const nonEmpty = (s: string, fallback: string) => (s.trim() ? s : fallback);

const NOTICE_COLORS = {
  fits: { bg: '#E8F5E9', fg: '#1B5E20' },
  check: { bg: '#FFF8E1', fg: '#6D4C00' },
  not_eligible: { bg: '#FDECEA', fg: '#8A1C12' },
} as const;

/** The button on every answer card that reports the card as wrong (the next message may say what is wrong). */
export const WRONG_INFO_LABEL = 'この情報はまちがっている';

function answerBubble(r: AnswerReply, strict: boolean): FlexBubble {
  const body: FlexComponent[] = [];
  if (r.notice) {
    const c = NOTICE_COLORS[r.notice.tone];
    body.push({
      type: 'box',
      layout: 'vertical',
      backgroundColor: c.bg,
      cornerRadius: '8px',
      paddingAll: '10px',
      contents: [text(r.notice.text, { size: 'sm', color: c.fg, weight: 'bold' })],
    });
  }
  body.push(
    text(r.facetLabel, { size: 'xs', color: BRAND, weight: 'bold', ...(r.notice ? { margin: 'md' } : {}) }),
    text(nonEmpty(r.text, '（内容がありません）'), { size: 'md', margin: 'sm' }),
  );
  if (r.unconfirmed) body.push(text(UNCONFIRMED_NOTE, { size: 'sm', color: WARN, margin: 'md' }));
  body.push(text(asOfLine(r.asOf), { size: 'xs', color: DATE, margin: 'md' }));
  for (const p of r.phones) {
    const line = phoneDateLine(p);
    if (line) body.push(text(line, { size: 'xxs', color: DATE }));
  }
  if (r.sources.length) {
    body.push({ type: 'separator', margin: 'md' }, text('出典', { size: 'xxs', color: MUTED, margin: 'md' }));
    for (const s of r.sources) {
      const title = sourceLine(s);
      const uri = webUri(s.url);
      body.push(
        uri ? text(title, { size: 'xs', color: LINK, decoration: 'underline', action: { type: 'uri', uri } }) : text(title, { size: 'xs', color: MUTED }),
      );
    }
  }
  const checked = checkedLine(r.checked);
  if (checked) body.push(text(checked, { size: 'xxs', color: MUTED, margin: 'md', align: 'end' }));

  const footer: FlexComponent[] = r.phones.map((p) => telButton(p, `電話: ${p.name}`, { style: 'primary', height: 'sm', color: BRAND }));
  for (const f of r.otherFacets) {
    const action = postbackAction(f.label, postbackData({ a: 'facet', i: r.intent, f: f.facet }), f.label, LINE_LIMITS.flexButtonLabel, strict);
    if (action) footer.push({ type: 'button', style: 'secondary', height: 'sm', action });
  }
  const handoff = postbackAction(HANDOFF_LABEL, postbackData({ a: 'handoff', i: r.intent }), HANDOFF_DISPLAY_TEXT, LINE_LIMITS.flexButtonLabel, strict);
  if (handoff) footer.push({ type: 'button', style: 'link', height: 'sm', action: handoff });
  // Last and quiet: a parent who knows better tells staff which card (entry and facet) is wrong.
  const wrong = postbackAction(WRONG_INFO_LABEL, postbackData({ a: 'wrong', i: r.intent, f: r.facet }), WRONG_INFO_LABEL, LINE_LIMITS.flexButtonLabel, strict);
  if (wrong) footer.push({ type: 'button', style: 'link', height: 'sm', color: MUTED, action: wrong });

  return {
    type: 'bubble',
    header: {
      type: 'box',
      layout: 'vertical',
      backgroundColor: BRAND,
      paddingAll: '16px',
      contents: [text(nonEmpty(r.title, '子育てコンシェルジュ'), { size: 'lg', weight: 'bold', color: '#FFFFFF' })],
    },
    body: { type: 'box', layout: 'vertical', spacing: 'sm', contents: body },
    ...(footer.length ? { footer: { type: 'box', layout: 'vertical', spacing: 'sm', contents: footer } satisfies FlexBox } : {}),
  };
}

type RecommendationsReply = Extract<Reply, { type: 'recommendations' }>;

/** One card per service that fits: why it fits first, then what it is, and buttons to read more. */
function recommendationBubbles(r: RecommendationsReply, strict: boolean): FlexBubble[] {
  return r.items.slice(0, LINE_LIMITS.carouselBubbles).map((item) => {
    const footer: FlexComponent[] = [];
    const more = postbackAction('詳しく見る', postbackData({ a: 'pick', i: item.intent, f: 'overview' }), item.title, LINE_LIMITS.flexButtonLabel, strict);
    if (more) footer.push({ type: 'button', style: 'primary', height: 'sm', color: BRAND, action: more });
    const who = postbackAction('対象を確認', postbackData({ a: 'pick', i: item.intent, f: 'who' }), `${item.title}の対象`, LINE_LIMITS.flexButtonLabel, strict);
    if (who) footer.push({ type: 'button', style: 'secondary', height: 'sm', action: who });
    const tone = NOTICE_COLORS[item.fit === 'fits' ? 'fits' : 'check'];
    return {
      type: 'bubble',
      size: 'kilo',
      header: {
        type: 'box',
        layout: 'vertical',
        backgroundColor: BRAND,
        paddingAll: '12px',
        contents: [text(nonEmpty(item.title, '子育てコンシェルジュ'), { size: 'md', weight: 'bold', color: '#FFFFFF' })],
      },
      body: {
        type: 'box',
        layout: 'vertical',
        spacing: 'sm',
        contents: [
          {
            type: 'box',
            layout: 'vertical',
            backgroundColor: tone.bg,
            cornerRadius: '8px',
            paddingAll: '8px',
            contents: [text(item.reason, { size: 'sm', color: tone.fg, weight: 'bold' })],
          },
          text(item.summary, { size: 'sm', margin: 'md' }),
        ],
      },
      ...(footer.length ? { footer: { type: 'box', layout: 'vertical', spacing: 'sm', contents: footer } satisfies FlexBox } : {}),
    } satisfies FlexBubble;
  });
}

function emergencyBubble(r: EmergencyReply): FlexBubble {
  const calls: FlexComponent[] = r.phones.map((p) => telButton(p, `${p.tel}（${p.name}）に電話`, { style: 'primary', height: 'md', color: EMERGENCY_RED }));
  return {
    type: 'bubble',
    header: {
      type: 'box',
      layout: 'vertical',
      backgroundColor: EMERGENCY_RED,
      paddingAll: '16px',
      contents: [text(nonEmpty(r.title, '緊急のときは'), { size: 'xl', weight: 'bold', color: '#FFFFFF' })],
    },
    body: {
      type: 'box',
      layout: 'vertical',
      spacing: 'md',
      contents: [
        ...calls,
        ...(calls.length ? [{ type: 'separator', margin: 'lg' } satisfies messagingApi.FlexSeparator] : []),
        text(nonEmpty(r.text, r.title), { size: 'md', margin: 'lg' }),
        // After the numbers and the guidance, never before them: the dates of office numbers, small.
        ...r.phones.flatMap((p) => {
          const line = phoneDateLine(p);
          return line ? [text(line, { size: 'xxs', color: DATE })] : [];
        }),
      ],
    },
  };
}

/** The first `n` code points, with 「…」 when there were more (walks only those, not the whole answer text). */
export const firstChars = (s: string, n: number): string => {
  if (s.length <= n) return s;
  let end = 0;
  for (let count = 0; count < n && end < s.length; count++) end += s.codePointAt(end)! > 0xffff ? 2 : 1;
  return end >= s.length ? s : `${s.slice(0, end)}…`;
};

function flex(altText: string, contents: FlexBubble): messagingApi.FlexMessage {
  return { type: 'flex', altText: truncateUnits(altText.trim() || '子育てコンシェルジュからのお知らせ', LINE_LIMITS.altText), contents };
}

const textMessages = (t: string): messagingApi.TextMessage[] => splitText(t).map((chunk) => ({ type: 'text', text: chunk }));

/** Plain-text stand-in for a bubble that would exceed 30 KB (cannot happen with knowledge entries ≤ 1200 chars). */
function answerAsText(r: AnswerReply): string {
  const lines = [`【${r.title}】${r.facetLabel}`, r.text];
  if (r.unconfirmed) lines.push(UNCONFIRMED_NOTE);
  lines.push(asOfLine(r.asOf));
  for (const p of r.phones) lines.push(`電話: ${p.name} ${p.tel}${p.asOf ? `（番号の時点: ${p.asOf}）` : ''}`);
  for (const s of r.sources) lines.push(`出典: ${sourceLine(s)} ${s.url}`);
  const checked = checkedLine(r.checked);
  if (checked) lines.push(checked);
  return lines.join('\n');
}

interface Item {
  message: Message;
  /** Emergency guidance is never dropped when trimming to 5 messages. */
  keep: boolean;
}

function renderReply(r: Reply, strict: boolean): Item[] {
  switch (r.type) {
    case 'text':
      return textMessages(r.text).map((message) => ({ message, keep: false }));
    case 'answer': {
      const bubble = answerBubble(r, strict);
      if (bubbleBytes(bubble) <= LINE_LIMITS.bubbleBytes) return [{ message: flex(`${r.title}\n${firstChars(r.text, 100)}`, bubble), keep: false }];
      return textMessages(answerAsText(r)).map((message) => ({ message, keep: false }));
    }
    case 'recommendations': {
      const bubbles = recommendationBubbles(r, strict);
      if (!bubbles.length) return [];
      const alt = `おすすめのサービス: ${r.items.map((i) => i.title).join('、')}`;
      return [{ message: { type: 'flex', altText: truncateUnits(alt, LINE_LIMITS.altText), contents: { type: 'carousel', contents: bubbles } }, keep: false }];
    }
    case 'facilities': {
      const carousel = facilityCarousel(r.items, strict);
      return carousel ? [{ message: carousel, keep: false }] : [];
    }
    case 'emergency': {
      const numbers = r.phones.map((p) => `${p.name} ${p.tel}`).join(' / ');
      const bubble = emergencyBubble(r);
      if (bubbleBytes(bubble) <= LINE_LIMITS.bubbleBytes) return [{ message: flex(numbers ? `${r.title}: ${numbers}` : r.title, bubble), keep: true }];
      return textMessages(`${r.title}\n${numbers}\n${r.text}`).map((message) => ({ message, keep: true }));
    }
  }
}

/** Merges adjacent text messages (while that still fits 5000 units), then drops from the end (never emergencies). */
function fitCount(items: Item[], max: number): { items: Item[]; dropped: number } {
  const out = [...items];
  while (out.length > max) {
    const i = out.findIndex((it, k) => {
      const next = out[k + 1];
      return it.message.type === 'text' && next?.message.type === 'text' && it.message.text.length + 2 + next.message.text.length <= LINE_LIMITS.text;
    });
    if (i < 0) break;
    const a = out[i]!.message as messagingApi.TextMessage;
    const b = out[i + 1]!;
    out.splice(i, 2, { message: { type: 'text', text: `${a.text}\n\n${(b.message as messagingApi.TextMessage).text}` }, keep: out[i]!.keep || b.keep });
  }
  let dropped = 0;
  while (out.length > max) {
    let k = out.length - 1;
    while (k >= 0 && out[k]!.keep) k--;
    out.splice(k >= 0 ? k : out.length - 1, 1);
    dropped++;
  }
  return { items: out, dropped };
}

function isStrictDefault(): boolean {
  return process.env.NODE_ENV !== 'production';
}

/**
 * Renders replies and quick replies as at most 5 LINE messages. Quick replies go on the last message only (LINE
 * shows only the last message's anyway).
 */
export function renderLine(replies: readonly Reply[], quickReplies: readonly QuickReply[] = [], opts: RenderOptions = {}): RenderResult {
  const strict = opts.strict ?? isStrictDefault();
  const { items, dropped } = fitCount(
    replies.flatMap((r) => renderReply(r, strict)),
    LINE_LIMITS.messages,
  );
  const messages = items.map((it) => it.message);
  const quickReply = renderQuickReply(quickReplies, { strict });
  const last = messages.at(-1);
  if (quickReply) {
    if (last) messages[messages.length - 1] = { ...last, quickReply };
    // Buttons with nothing to attach them to: LINE needs a message, so say so briefly.
    else messages.push({ type: 'text', text: '選んでください。', quickReply });
  }
  return { messages, dropped };
}

/** Shorthand for `renderLine(...).messages`. */
export function renderLineMessages(replies: readonly Reply[], quickReplies: readonly QuickReply[] = [], opts: RenderOptions = {}): Message[] {
  return renderLine(replies, quickReplies, opts).messages;
}
