import { Buffer } from 'node:buffer';
import type { messagingApi } from '@line/bot-sdk';

// LINE's documented limits, the text measures they are counted in, and the actions cut to fit them: shared by every
// Flex message we build (answer cards in render.ts, facility carousels in facility-bubbles.ts).

export const LINE_LIMITS = {
  /** Messages per reply/push request. */
  messages: 5,
  /** Text message length in UTF-16 code units (JS `.length`). */
  text: 5000,
  quickReplyItems: 13,
  /** Quick-reply button label, grapheme clusters. */
  quickReplyLabel: 20,
  /** Flex button label, grapheme clusters. */
  flexButtonLabel: 40,
  /** Postback `data`, `displayText` and message-action `text`. */
  postbackData: 300,
  displayText: 300,
  actionText: 300,
  altText: 1500,
  /** JSON size of one bubble in bytes. */
  /** Bubbles in one carousel. */
  carouselBubbles: 12,
  bubbleBytes: 30 * 1024,
} as const;

/** Source titles shown as link text are cut to this many graphemes. */
export const SOURCE_TITLE_MAX = 40;

const segmenter = new Intl.Segmenter('ja', { granularity: 'grapheme' });
export const graphemes = (s: string): string[] => Array.from(segmenter.segment(s), (g) => g.segment);

/** Length as LINE counts action labels: grapheme clusters (👨‍👩‍👧 is one). */
export const graphemeLength = (s: string): number => graphemes(s).length;

/** Cuts to at most `max` grapheme clusters, ending with 「…」 when something was cut. */
export function truncateGraphemes(s: string, max: number): string {
  // A grapheme is at least one UTF-16 unit, so a string this short cannot be too long (most labels; segmenting
  // every label of every reply was a measurable share of the webhook's CPU).
  if (s.length <= max) return s;
  const g = graphemes(s);
  return g.length <= max ? s : `${g.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Cuts to at most `max` UTF-16 code units (as LINE counts text), never inside a grapheme, ending with 「…」. */
export function truncateUnits(s: string, max: number): string {
  if (s.length <= max) return s;
  let out = '';
  for (const g of graphemes(s.slice(0, max + 16))) {
    if (out.length + g.length > max - 1) break;
    out += g;
  }
  return `${out}…`;
}

/** A `tel:` URI for a Japanese number as written on city pages: hyphens removed, `#8000` → `tel:%238000`. */
export function telUri(tel: string): string {
  const dial = tel.replace(/[^\d#*+]/g, '');
  return `tel:${dial.replace(/#/g, '%23')}`;
}

export const bubbleBytes = (b: messagingApi.FlexBubble): number => Buffer.byteLength(JSON.stringify(b), 'utf8');

/**
 * Whether a payload LINE counts in UTF-16 units fits `max`. One that does not is dropped, or, when `strict` (outside
 * production), throws so the bug surfaces in development and tests: LINE would refuse the whole request.
 */
export function checkPayload(what: string, value: string, max: number, strict: boolean): boolean {
  if (value.length <= max) return true;
  if (strict) throw new Error(`LINE ${what} is ${value.length} chars; at most ${max} are allowed: "${value.slice(0, 40)}…"`);
  return false;
}

/** A postback button's action: the label cut to `labelMax` graphemes, the echoed text to LINE's limit; none if `data` is too long. */
export function postbackAction(label: string, data: string, displayText: string, labelMax: number, strict: boolean): messagingApi.PostbackAction | undefined {
  if (!checkPayload('postback data', data, LINE_LIMITS.postbackData, strict)) return undefined;
  return {
    type: 'postback',
    label: truncateGraphemes(label, labelMax),
    data,
    displayText: truncateUnits(displayText, LINE_LIMITS.displayText),
  };
}
