import type { messagingApi } from '@line/bot-sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { facilityCard } from '../../../src/core/conversation/facility-cards.js';
import type { FacilityCard } from '../../../src/core/conversation/types.js';
import { CAROUSEL_BYTES, checkedDay, facilityBubble } from '../../../src/adapters/line/facility-bubbles.js';
import { bubbleBytes, LINE_LIMITS, renderLineMessages } from '../../../src/adapters/line/render.js';
import { renderPlainText } from '../../../src/adapters/cli/render.js';
import { lineMessagesProblems } from '../../support/line-openapi.js';
import { getCore } from '../../support/core.js';

let core: Core;
let every: FacilityCard[];
beforeAll(async () => {
  core = await getCore();
  every = core.kb.facilities.facilities.map((f) => facilityCard(core.kb, f));
});
const card = (id: string) => every.find((c) => c.id === id)!;

/** Every component of a bubble, depth first. */
function walk(node: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) node.forEach((n) => walk(n, out));
  else if (node && typeof node === 'object') {
    out.push(node as Record<string, unknown>);
    Object.values(node).forEach((v) => walk(v, out));
  }
  return out;
}
const uris = (b: messagingApi.FlexBubble) => walk(b).flatMap((n) => (n.type === 'uri' && typeof n.uri === 'string' ? [n.uri] : []));
const texts = (b: messagingApi.FlexBubble) => walk(b).flatMap((n) => (n.type === 'text' && typeof n.text === 'string' ? [n.text] : []));

describe('facility cards on LINE', () => {
  it('every facility renders as a valid Flex bubble within LINE limits', () => {
    for (const c of every) {
      const [message] = renderLineMessages([{ type: 'facilities', items: [c] }]);
      expect(lineMessagesProblems([message]), c.id).toEqual([]);
      expect(bubbleBytes(facilityBubble(c)), c.id).toBeLessThanOrEqual(LINE_LIMITS.bubbleBytes);
    }
  });

  it('a card has tap-to-call with the facility number and a Google Maps search built from the address', () => {
    const b = facilityBubble(card('shinkawa-kodomoen'));
    expect(uris(b)).toEqual(
      expect.arrayContaining(['tel:0865661668', `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent('岡山県笠岡市金浦737-1')}`]),
    );
    expect(texts(b)).toEqual(expect.arrayContaining(['開園 7:00〜19:00', '新川こども園 園の紹介（2023年以降の園サイト）', '確認日 2026年12月6日']));
  });

  it('a card without address or phone says so and offers 子育て支援課 to call instead, and no map', () => {
    const b = facilityBubble(card('tako-koen'));
    expect(texts(b)).toEqual(expect.arrayContaining(['確認できていません', expect.stringContaining('住所・電話番号が分からないときは') as unknown as string]));
    expect(uris(b).filter((u) => u.startsWith('tel:'))).toEqual(['tel:0865692132']);
    expect(uris(b).some((u) => u.includes('google.com/maps'))).toBe(false);
  });

  it('every source shows its own date, or 時点不明 when it has none', () => {
    for (const c of every)
      for (const s of c.sources)
        expect(
          texts(facilityBubble(c)).some((t) => t.includes(`（${s.asOf ?? '時点不明'}）`)),
          `${c.id} ${s.title}`,
        ).toBe(true);
  });

  it('a carousel holds at most 12 bubbles and 50 KB, and is valid against the OpenAPI spec', () => {
    const [message] = renderLineMessages([{ type: 'facilities', items: every }]);
    const flex = message as messagingApi.FlexMessage;
    const carousel = flex.contents as messagingApi.FlexCarousel;
    expect(carousel.type).toBe('carousel');
    expect(carousel.contents.length).toBeLessThanOrEqual(LINE_LIMITS.carouselBubbles);
    expect(Buffer.byteLength(JSON.stringify(carousel), 'utf8')).toBeLessThanOrEqual(CAROUSEL_BYTES);
    expect(flex.altText.length).toBeLessThanOrEqual(LINE_LIMITS.altText);
    expect(lineMessagesProblems([message])).toEqual([]);
  });

  it('a related-entry button opens that entry through the postback vocabulary', () => {
    const b = facilityBubble(card('sukoyaka-kids'));
    expect(walk(b).some((n) => n.type === 'postback' && n.data === 'a=pick&i=sick-child-care&f=overview')).toBe(true);
  });

  it('the terminal shows the same card as text', () => {
    const text = renderPlainText([{ type: 'facilities', items: [card('tako-koen')] }]);
    expect(text).toContain('住所: 確認できていません');
    expect(text).toContain('0865-69-2132');
    expect(checkedDay('2026-12-06')).toBe('2026年12月6日');
  });
});
