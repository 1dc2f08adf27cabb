import { describe, expect, it } from 'vitest';
import { JA_COPY } from '../../../src/core/conversation/copy/ja.js';
import { facilityCard } from '../../../src/core/conversation/facility-cards.js';
import { FACILITY_KIND_LABELS } from '../../../src/core/knowledge/facilities/schema.js';
import { getCore } from '../../support/core.js';

describe('a facility card’s kind in the parent’s language', () => {
  it('is the copy’s word for the kind, with public or private, in every language; 日本語 keeps its own', async () => {
    const { kb, concierge } = await getCore();
    const shinkawa = kb.facilities.facilities.find((f) => f.id === 'shinkawa-kodomoen')!;
    expect(shinkawa.public).toBeDefined();
    const card = facilityCard(kb, shinkawa);
    expect(concierge.voiceFor(undefined).compose.facilityCard(card).kindLabel).toBe(card.kindLabel);
    expect(concierge.voiceFor('en').compose.facilityCard(card).kindLabel).toBe(`Kodomo-en (certified)${shinkawa.public ? ' (public)' : ' (private)'}`);
    expect(concierge.voiceFor('zh').compose.facilityCard(card).kindLabel).toMatch(/^认定儿童园（(公立|私立)）$/);
    // The Japanese words of the copy and of the directory are the same, so a translation translates what 日本語 shows.
    expect(JA_COPY.facilityKinds).toEqual(FACILITY_KIND_LABELS);
  });
});
