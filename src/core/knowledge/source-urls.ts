import { FACET_LABELS } from './labels.js';
import type { KnowledgeBase } from './load.js';
import { FACETS } from './schema.js';

/** Where the knowledge base relies on one source page: an answer (entry × facet), a contact's number, a facility. */
export interface SourceUse {
  kind: 'answer' | 'contact' | 'facility';
  label: string;
  /** The console page that edits it. */
  href: string;
}

/** One page the knowledge base cites, with everything that rests on it. */
export interface CitedSource {
  url: string;
  title: string;
  /** The oldest day a person compared what rests on it with the page (YYYY-MM-DD). */
  checked: string;
  uses: SourceUse[];
}

/**
 * Every source URL of the knowledge base — entries' sources, the contact ledger's and the facility directory's — once
 * each, with what relies on it. The source watch fetches exactly these; the freshness page says who depends on each.
 */
export function citedSources(kb: KnowledgeBase): CitedSource[] {
  const byUrl = new Map<string, CitedSource>();
  const add = (url: string, title: string, checked: string, use: SourceUse | undefined) => {
    let s = byUrl.get(url);
    if (!s) byUrl.set(url, (s = { url, title, checked, uses: [] }));
    if (checked < s.checked) s.checked = checked;
    if (use && !s.uses.some((u) => u.href === use.href && u.label === use.label)) s.uses.push(use);
  };
  for (const e of kb.entries.values())
    for (const src of e.sources) {
      const facets = FACETS.filter((f) => e.facets[f]?.sources.includes(src.id));
      if (!facets.length) add(src.url, src.title, src.checked, { kind: 'answer', label: e.title, href: `/console/kb/entries/${e.id}` });
      for (const f of facets) add(src.url, src.title, src.checked, { kind: 'answer', label: `${e.title}（${FACET_LABELS[f]}）`, href: `/console/kb/entries/${e.id}` });
    }
  for (const c of kb.contacts.values()) add(c.source, c.name, c.checked, { kind: 'contact', label: `電話番号「${c.name}」`, href: `/console/kb/contacts/${c.id}` });
  const facilitySources = new Map(kb.facilities.sources.map((s) => [s.id, s]));
  for (const f of kb.facilities.facilities)
    for (const id of f.sources) {
      const src = facilitySources.get(id);
      if (src) add(src.url, src.title, src.checked, { kind: 'facility', label: `施設「${f.name}」`, href: `/console/kb/facilities/${f.id}` });
    }
  return [...byUrl.values()];
}
