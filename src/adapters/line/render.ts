import type { messagingApi } from '@line/bot-sdk';
import { HANDOFF_DISPLAY_TEXT, HANDOFF_LABEL, postback as postbackData } from '../../core/conversation/replies.js';
import type { PhoneRef, QuickReply, Reply } from '../../core/conversation/types.js';
import { japaneseDay, sourceDateLabel } from '../../core/knowledge/dates.js';
import { facilityCarousel } from './facility-bubbles.js';
import { datesIn } from './card-dates.js';
import { fill, JA_CARD, type CardWords } from '../../core/conversation/copy/ja.js';

/** The Japanese frame of the cards: used when a reply carries no words of its own (a Japanese-speaking parent). */
export { JA_CARD, datesIn };

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

export const UNCONFIRMED_NOTE = JA_CARD.unconfirmed;
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
export const asOfLine = (asOf: string, w: CardWords = JA_CARD): string => fill(w.asOf, { asOf: datesIn(asOf, w) });

/** `2026-11-29` → 「2026年11月29日」 (or as the card's language writes a day); undefined when it is not YYYY-MM-DD. */
export function cardDay(iso: string, w: CardWords = JA_CARD): string | undefined {
  if (!japaneseDay(iso)) return undefined;
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return fill(w.day, { y, m, d });
}

/** `2026-11-29` → 「最終確認: 2026年11月29日」; undefined when the date is not YYYY-MM-DD. */
export function checkedLine(checked: string, w: CardWords = JA_CARD): string | undefined {
  const day = cardDay(checked, w);
  return day ? fill(w.checked, { day }) : undefined;
}

/** An office number with the date its source gave it: 「☎ 笠岡市 こども育成課 0865-69-1011（番号の時点: 2020年時点）」. */
export const phoneDateLine = (p: PhoneRef, w: CardWords = JA_CARD): string | undefined =>
  p.asOf ? fill(w.phoneAsOf, { name: p.name, tel: p.tel, asOf: datesIn(p.asOf, w) }) : undefined;

/** A source's line: its title (cut to SOURCE_TITLE_MAX) and its own date. */
export const sourceLine = (s: { title: string; asOf?: string; thirdParty: boolean }, w: CardWords = JA_CARD): string =>
  fill(w.source, {
    title: truncateGraphemes(s.thirdParty ? fill(w.reference, { title: s.title }) : s.title, SOURCE_TITLE_MAX),
    date: s.asOf?.trim() ? datesIn(sourceDateLabel(s.asOf), w) : w.undated,
  });

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
export const WRONG_INFO_LABEL = JA_CARD.wrongInfo;

function answerBubble(r: AnswerReply, strict: boolean): FlexBubble {
  const w = r.words ?? JA_CARD;
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
    text(nonEmpty(r.text, w.noContent), { size: 'md', margin: 'sm' }),
  );
  if (r.unconfirmed) body.push(text(w.unconfirmed, { size: 'sm', color: WARN, margin: 'md' }));
  body.push(text(asOfLine(r.asOf, w), { size: 'xs', color: DATE, margin: 'md' }));
  for (const p of r.phones) {
    const line = phoneDateLine(p, w);
    if (line) body.push(text(line, { size: 'xxs', color: DATE }));
  }
  if (r.sources.length) {
    body.push({ type: 'separator', margin: 'md' }, text(w.sources, { size: 'xxs', color: MUTED, margin: 'md' }));
    for (const s of r.sources) {
      const title = sourceLine(s, w);
      const uri = webUri(s.url);
      body.push(
        uri ? text(title, { size: 'xs', color: LINK, decoration: 'underline', action: { type: 'uri', uri } }) : text(title, { size: 'xs', color: MUTED }),
      );
    }
  }
  const checked = checkedLine(r.checked, w);
  if (checked) body.push(text(checked, { size: 'xxs', color: MUTED, margin: 'md', align: 'end' }));

  const footer: FlexComponent[] = r.phones.map((p) => telButton(p, fill(w.call, { name: p.name }), { style: 'primary', height: 'sm', color: BRAND }));
  for (const f of r.otherFacets) {
    const action = postbackAction(f.label, postbackData({ a: 'facet', i: r.intent, f: f.facet }), f.label, LINE_LIMITS.flexButtonLabel, strict);
    if (action) footer.push({ type: 'button', style: 'secondary', height: 'sm', action });
  }
  const [handoffLabel, handoffSaid] = r.words ? [r.words.handoff, r.words.handoffSaid] : [HANDOFF_LABEL, HANDOFF_DISPLAY_TEXT];
  const handoff = postbackAction(handoffLabel, postbackData({ a: 'handoff', i: r.intent }), handoffSaid, LINE_LIMITS.flexButtonLabel, strict);
  if (handoff) footer.push({ type: 'button', style: 'link', height: 'sm', action: handoff });
  // Last and quiet: a parent who knows better tells staff which card (entry and facet) is wrong.
  const wrong = postbackAction(w.wrongInfo, postbackData({ a: 'wrong', i: r.intent, f: r.facet }), w.wrongInfo, LINE_LIMITS.flexButtonLabel, strict);
  if (wrong) footer.push({ type: 'button', style: 'link', height: 'sm', color: MUTED, action: wrong });

  return {
    type: 'bubble',
    header: {
      type: 'box',
      layout: 'vertical',
      backgroundColor: BRAND,
      paddingAll: '16px',
      contents: [text(nonEmpty(r.title, w.fallbackTitle), { size: 'lg', weight: 'bold', color: '#FFFFFF' })],
    },
    body: { type: 'box', layout: 'vertical', spacing: 'sm', contents: body },
    ...(footer.length ? { footer: { type: 'box', layout: 'vertical', spacing: 'sm', contents: footer } satisfies FlexBox } : {}),
  };
}

type RecommendationsReply = Extract<Reply, { type: 'recommendations' }>;

/** One card per service that fits: why it fits first, then what it is, and buttons to read more. */
function recommendationBubbles(r: RecommendationsReply, strict: boolean): FlexBubble[] {
  const w = r.words ?? JA_CARD;
  return r.items.slice(0, LINE_LIMITS.carouselBubbles).map((item) => {
    const footer: FlexComponent[] = [];
    const more = postbackAction(w.more, postbackData({ a: 'pick', i: item.intent, f: 'overview' }), item.title, LINE_LIMITS.flexButtonLabel, strict);
    if (more) footer.push({ type: 'button', style: 'primary', height: 'sm', color: BRAND, action: more });
    const who = postbackAction(
      w.checkWho,
      postbackData({ a: 'pick', i: item.intent, f: 'who' }),
      fill(w.whoOf, { title: item.title }),
      LINE_LIMITS.flexButtonLabel,
      strict,
    );
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
        contents: [text(nonEmpty(item.title, w.fallbackTitle), { size: 'md', weight: 'bold', color: '#FFFFFF' })],
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
  const w = r.words ?? JA_CARD;
  const calls: FlexComponent[] = r.phones.map((p) =>
    telButton(p, fill(w.callNumber, { tel: p.tel, name: p.name }), { style: 'primary', height: 'md', color: EMERGENCY_RED }),
  );
  return {
    type: 'bubble',
    header: {
      type: 'box',
      layout: 'vertical',
      backgroundColor: EMERGENCY_RED,
      paddingAll: '16px',
      contents: [text(nonEmpty(r.title, w.emergencyTitle), { size: 'xl', weight: 'bold', color: '#FFFFFF' })],
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
          const line = phoneDateLine(p, w);
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

function flex(altText: string, contents: FlexBubble, w: CardWords = JA_CARD): messagingApi.FlexMessage {
  return { type: 'flex', altText: truncateUnits(altText.trim() || w.notice, LINE_LIMITS.altText), contents };
}

const textMessages = (t: string): messagingApi.TextMessage[] => splitText(t).map((chunk) => ({ type: 'text', text: chunk }));

/** Plain-text stand-in for a bubble that would exceed 30 KB (cannot happen with knowledge entries ≤ 1200 chars). */
function answerAsText(r: AnswerReply): string {
  const w = r.words ?? JA_CARD;
  const lines = [`【${r.title}】${r.facetLabel}`, r.text];
  if (r.unconfirmed) lines.push(w.unconfirmed);
  lines.push(asOfLine(r.asOf, w));
  for (const p of r.phones)
    lines.push(r.words ? (phoneDateLine(p, w) ?? `☎ ${p.name} ${p.tel}`) : `電話: ${p.name} ${p.tel}${p.asOf ? `（番号の時点: ${p.asOf}）` : ''}`);
  for (const s of r.sources) lines.push(`${w.sources}: ${sourceLine(s, w)} ${s.url}`);
  const checked = checkedLine(r.checked, w);
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
      if (bubbleBytes(bubble) <= LINE_LIMITS.bubbleBytes) return [{ message: flex(`${r.title}\n${firstChars(r.text, 100)}`, bubble, r.words), keep: false }];
      return textMessages(answerAsText(r)).map((message) => ({ message, keep: false }));
    }
    case 'recommendations': {
      const bubbles = recommendationBubbles(r, strict);
      if (!bubbles.length) return [];
      const w = r.words ?? JA_CARD;
      const alt = fill(w.recommendations, { titles: r.items.map((i) => i.title).join(w.listSeparator) });
      return [{ message: { type: 'flex', altText: truncateUnits(alt, LINE_LIMITS.altText), contents: { type: 'carousel', contents: bubbles } }, keep: false }];
    }
    case 'facilities': {
      const carousel = facilityCarousel(r.items, strict, r.words);
      return carousel ? [{ message: carousel, keep: false }] : [];
    }
    case 'emergency': {
      const numbers = r.phones.map((p) => `${p.name} ${p.tel}`).join(' / ');
      const bubble = emergencyBubble(r);
      if (bubbleBytes(bubble) <= LINE_LIMITS.bubbleBytes) return [{ message: flex(numbers ? `${r.title}: ${numbers}` : r.title, bubble, r.words), keep: true }];
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
