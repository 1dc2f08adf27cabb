import type { KnowledgeBase } from '../knowledge/load.js';
import { FACILITY_KIND_LABELS, type Facility } from '../knowledge/facilities/schema.js';
import type { FacilityCard, PhoneRef } from './types.js';

/** The contact a card gives when the facts sheet has no number or address for the facility. */
export const FALLBACK_CONTACT_ID = 'kosodate-shien';

/** Google Maps' documented search URL (api=1): opens the app or the web on any phone, no key needed. */
export const mapsSearchUrl = (query: string) => `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(query)}`;

// A street address (笠岡市金浦737-1, 笠岡市中央町1番地の1, 福山市三吉町南二丁目11番22号) finds the place by itself; a
// district or a building (笠岡市笠岡, 岡山大学病院内) only together with the facility's name.
const STREET = /(市|町|村).*(\d+(-\d+)*$|番地|丁目.*号$)/;

export function mapQuery(f: Pick<Facility, 'name' | 'address'>): string | undefined {
  if (!f.address) return undefined;
  return STREET.test(f.address) ? f.address : `${f.name.replace(/（[^）]*）/g, '')} ${f.address}`;
}

/**
 * A facility record as the card the parent sees: every value with its source and the source's own date, the missing
 * ones named (住所・電話), and 子育て支援課's number when the card cannot give the facility's own.
 */
export function facilityCard(kb: KnowledgeBase, f: Facility): FacilityCard {
  const sources = kb.facilities.sources.filter((s) => f.sources.includes(s.id));
  const phone: PhoneRef | undefined = f.tel ? { name: [...kb.contacts.values()].find((c) => c.tel === f.tel)?.name ?? f.name, tel: f.tel } : undefined;
  const fallback = kb.contacts.get(FALLBACK_CONTACT_ID);
  const missing = [...(f.address ? [] : ['住所']), ...(f.tel ? [] : ['電話番号'])];
  const area = kb.facilities.areas.find((a) => a.name === f.area);
  const query = mapQuery(f);
  const topic = f.topics.map((t) => kb.entries.get(t)).find((e) => e !== undefined);
  return {
    id: f.id,
    name: f.name,
    kindLabel: `${FACILITY_KIND_LABELS[f.kind]}${f.public === undefined ? '' : f.public ? '（公立）' : '（私立）'}`,
    ...(f.area ? { area: area?.island ? `${f.area}（島しょ部）` : f.area } : {}),
    ...(f.address ? { address: f.address } : {}),
    ...(f.addressNote ? { addressNote: f.addressNote } : {}),
    ...(query ? { mapUrl: mapsSearchUrl(query) } : {}),
    ...(phone ? { phone } : {}),
    ...(f.hours ? { hours: f.hours.text } : {}),
    ...(f.ages ? { ages: f.ages.text } : {}),
    offers: f.offers,
    ...(f.note ? { note: f.note } : {}),
    missing,
    ...(missing.length && fallback ? { fallback: { name: fallback.name, tel: fallback.tel } } : {}),
    sources: sources.map((s) => ({ title: s.title, url: s.url, asOf: s.asOf, thirdParty: s.thirdParty })),
    checked: sources.map((s) => s.checked).sort()[0] ?? '',
    ...(topic ? { related: { intent: topic.id, title: topic.title } } : {}),
  };
}
