import { japaneseDay } from '../../core/knowledge/dates.js';
import { Buffer } from 'node:buffer';
import type { messagingApi } from '@line/bot-sdk';
import type { FacilityCard } from '../../core/conversation/types.js';
import { postback as postbackData } from '../../core/conversation/replies.js';
import { fill, JA_CARD, type CardWords } from '../../core/conversation/copy/ja.js';
import { datesIn } from './card-dates.js';

import { bubbleBytes, LINE_LIMITS, postbackAction, SOURCE_TITLE_MAX, telUri, truncateGraphemes, truncateUnits } from './line-limits.js';

/**
 * Facility directory cards as a LINE Flex carousel: one bubble per facility with its address, phone, hours, ages and
 * what it offers, each source with the source's own date, when the record was checked, a tap-to-call button (the
 * facility's number, or 子育て支援課's when the facts sheet has none) and a map search built from the address.
 */

type FlexBubble = messagingApi.FlexBubble;
type FlexComponent = messagingApi.FlexComponent;

const BRAND = '#2E7D6B';
const MUTED = '#888888';
const LINK = '#1A73E8';
const WARN = '#B45309';

/** LINE rejects a carousel over 50 KB (docs/line-platform.md section 4 #6). */
export const CAROUSEL_BYTES = 50 * 1024;
/** URI actions take at most 1000 characters. */
const URI_MAX = 1000;

const text = (t: string, style: Partial<messagingApi.FlexText> = {}): messagingApi.FlexText => ({
  type: 'text',
  text: t.trim() ? t : '-',
  wrap: true,
  ...style,
});

const row = (label: string, value: string, valueStyle: Partial<messagingApi.FlexText> = {}): messagingApi.FlexBox => ({
  type: 'box',
  layout: 'baseline',
  spacing: 'sm',
  contents: [text(label, { size: 'xs', color: MUTED, flex: 2 }), text(value, { size: 'sm', flex: 7, ...valueStyle })],
});

/** 2026-12-06 → 2026年12月6日 (the day a person compared the record with its sources): the cards' own rule. */
export const checkedDay = japaneseDay;

/** A day as the card's language writes it. */
function cardDayIn(iso: string, w: CardWords): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return fill(w.day, { y, m, d });
}

function uriButton(label: string, uri: string, style: Partial<messagingApi.FlexButton>): messagingApi.FlexButton | undefined {
  if (uri.length > URI_MAX) return undefined;
  return { type: 'button', height: 'sm', action: { type: 'uri', label: truncateGraphemes(label, LINE_LIMITS.flexButtonLabel), uri }, ...style };
}

/** One facility's bubble; `strict` as in render.ts: a button LINE would refuse throws instead of being left out. */
export function facilityBubble(c: FacilityCard, strict = false, words: CardWords = JA_CARD): FlexBubble {
  const w = words.facility;
  const body: FlexComponent[] = [];
  body.push(row(w.address, c.address ? `${c.address}${c.addressNote ? `\n${c.addressNote}` : ''}` : w.notConfirmed, c.address ? {} : { color: WARN }));
  body.push(row(w.phone, c.phone ? c.phone.tel : w.notConfirmed, c.phone ? {} : { color: WARN }));
  if (c.hours) body.push(row(w.hours, c.hours));
  if (c.ages) body.push(row(w.ages, c.ages));
  for (const o of c.offers) body.push(text(`・${o}`, { size: 'sm', margin: 'sm' }));
  if (c.note) body.push(text(`※ ${c.note}`, { size: 'xs', color: WARN, margin: 'md' }));
  if (c.fallback)
    body.push(
      text(fill(w.missingThen, { missing: c.missing.join(w.missingSeparator), name: c.fallback.name, tel: c.fallback.tel }), { size: 'xs', margin: 'md' }),
    );
  body.push({ type: 'separator', margin: 'md' }, text(w.sourcesAsOf, { size: 'xxs', color: MUTED, margin: 'md' }));
  for (const s of c.sources) {
    const title = truncateGraphemes(s.thirdParty ? fill(words.reference, { title: s.title }) : s.title, SOURCE_TITLE_MAX);
    const label = fill(words.source, { title, date: s.asOf?.trim() ? datesIn(s.asOf, words) : words.undated });
    body.push(
      /^https?:\/\//.test(s.url) && s.url.length <= URI_MAX
        ? text(label, { size: 'xs', color: LINK, decoration: 'underline', action: { type: 'uri', uri: s.url } })
        : text(label, { size: 'xs', color: MUTED }),
    );
  }
  const day = checkedDay(c.checked) && words !== JA_CARD ? cardDayIn(c.checked, words) : checkedDay(c.checked);
  if (day) body.push(text(fill(w.checkedOn, { day }), { size: 'xxs', color: MUTED, margin: 'sm' }));

  const footer: FlexComponent[] = [];
  const call = c.phone
    ? uriButton(fill(w.callIt, { tel: c.phone.tel }), telUri(c.phone.tel), { style: 'primary', color: BRAND })
    : c.fallback
      ? uriButton(fill(w.callOffice, { tel: c.fallback.tel }), telUri(c.fallback.tel), { style: 'secondary' })
      : undefined;
  if (call) footer.push(call);
  const map = c.mapUrl ? uriButton(w.map, c.mapUrl, { style: 'secondary' }) : undefined;
  if (map) footer.push(map);
  const pick = c.related
    ? postbackAction(c.related.title, postbackData({ a: 'pick', i: c.related.intent, f: 'overview' }), c.related.title, LINE_LIMITS.flexButtonLabel, strict)
    : undefined;
  if (pick) footer.push({ type: 'button', style: 'link', height: 'sm', action: pick });
  return {
    type: 'bubble',
    header: {
      type: 'box',
      layout: 'vertical',
      backgroundColor: BRAND,
      paddingAll: '14px',
      contents: [
        text(c.name, { size: 'md', weight: 'bold', color: '#FFFFFF' }),
        text([c.kindLabel, c.area].filter(Boolean).join('・'), { size: 'xs', color: '#FFFFFF', margin: 'xs' }),
      ],
    },
    body: { type: 'box', layout: 'vertical', spacing: 'sm', contents: body },
    ...(footer.length ? { footer: { type: 'box', layout: 'vertical', spacing: 'sm', contents: footer } satisfies messagingApi.FlexBox } : {}),
  };
}

/**
 * The carousel: at most 12 bubbles, each under 30 KB, the whole under 50 KB (bubbles are dropped from the end, which
 * holds the least relevant). Undefined when there is nothing to show.
 */
export function facilityCarousel(items: readonly FacilityCard[], strict = false, words: CardWords = JA_CARD): messagingApi.FlexMessage | undefined {
  const bubbles = items
    .slice(0, LINE_LIMITS.carouselBubbles)
    .map((c) => facilityBubble(c, strict, words))
    .filter((b) => bubbleBytes(b) <= LINE_LIMITS.bubbleBytes);
  while (bubbles.length > 1 && Buffer.byteLength(JSON.stringify({ type: 'carousel', contents: bubbles }), 'utf8') > CAROUSEL_BYTES) bubbles.pop();
  if (!bubbles.length) return undefined;
  const shown = items.slice(0, bubbles.length);
  const alt = fill(words.facility.alt, { list: shown.map((c) => `${c.name}${c.phone ? ` ${c.phone.tel}` : ''}`).join(words.listSeparator) });
  return { type: 'flex', altText: truncateUnits(alt, LINE_LIMITS.altText), contents: { type: 'carousel', contents: bubbles } };
}
