import type { Facet, KnowledgeEntry } from '../schema.js';
import { BASE_LANGUAGE } from './schema.js';
import { languageChain, type Languages } from './load.js';

/** A knowledge entry in a parent's language, with the language each part actually came from. */
export interface LocalizedEntry {
  /** The Japanese entry with its words replaced: sources, phones, dates and eligibility data are the Japanese ones. */
  entry: KnowledgeEntry;
  /** The language of the title and summary. */
  language: string;
  /** The language each present facet's words came from (a facet not yet translated falls back). */
  facetLanguage: Partial<Record<Facet, string>>;
}

/**
 * Replaces an entry's words by the first language of the parent's chain (itself → fallback → 日本語) that has them,
 * facet by facet: a half-translated entry shows what is translated and says, per facet, which language the rest is in.
 */
export function localizeEntry(languages: Languages, entry: KnowledgeEntry, code: string): LocalizedEntry {
  const chain = languageChain(languages, code);
  const translations = chain.map((c) => [c, c === BASE_LANGUAGE ? undefined : languages.get(c)?.entries.get(entry.id)] as const);
  const head = translations.find(([c, t]) => c === BASE_LANGUAGE || t) ?? [BASE_LANGUAGE, undefined];
  const facets = { ...entry.facets };
  const facetLanguage: Partial<Record<Facet, string>> = {};
  for (const [name, ja] of Object.entries(entry.facets) as [Facet, KnowledgeEntry['facets'][Facet]][]) {
    if (!ja) continue;
    const found = translations.find(([c, t]) => c === BASE_LANGUAGE || t?.facets[name]);
    const [lang, t] = found ?? [BASE_LANGUAGE, undefined];
    const ft = t?.facets[name];
    facetLanguage[name] = lang;
    if (ft) facets[name] = { ...ja, text: ft.text, statements: ja.statements.map((s, i) => ({ ...s, text: ft.statements[i] ?? s.text })) };
  }
  const [language, t] = head;
  const confirm = translations.find(([c, tr]) => c === BASE_LANGUAGE || tr?.eligibility?.confirm)?.[1]?.eligibility?.confirm;
  return {
    entry: {
      ...entry,
      title: t?.title ?? entry.title,
      summary: t?.summary ?? entry.summary,
      facets,
      eligibility: entry.eligibility && confirm ? { ...entry.eligibility, confirm } : entry.eligibility,
    },
    language,
    facetLanguage,
  };
}
