import type { LexiconFile } from '../knowledge/schema.js';
import { looseKana, looseKanaMapped } from './kana.js';
import { normalizeText } from './normalize.js';
import { escapeRegExp } from './phrases.js';

export interface Lexicon {
  /** Rewrites every known variant in normalized text to its canonical term. */
  apply(norm: string): string;
  /** Canonical terms, for the matcher's term dictionary. */
  terms: string[];
  /** Cuts applied text into known terms and the text between them, in order. */
  split(applied: string): { text: string; term: boolean }[];
}

/**
 * Compiles the synonym table into one alternation, longest variant first, matched on a loose kana spelling
 * so ひらがな/カタカナ, small-kana and long-vowel variants meet; the match is replaced in the original text.
 */
// A kana spelling shorter than this is too likely to occur inside other words (「けんしん」 is also 献身).
const MIN_READING = 4;

/**
 * @param readingOf the hiragana reading of a phrase: with it, every term and variant written in kanji also matches
 *   its kana spelling (健康診査 → けんこうしんさ, 母子手帳 → ぼしてちょう), as spaced やさしい日本語, children and fast
 *   typists write them; the written variants are matched first.
 */
export function compileLexicon(file: LexiconFile, readingOf?: (text: string) => string): Lexicon {
  const canonical = new Map<string, string>();
  for (const { term, variants } of file.synonyms) {
    const t = normalizeText(term);
    for (const v of [term, ...variants]) {
      const key = looseKana(normalizeText(v));
      if (key.length >= 2 && !canonical.has(key)) canonical.set(key, t);
    }
  }
  if (readingOf)
    for (const { term, variants } of file.synonyms) {
      const t = normalizeText(term);
      for (const v of [term, ...variants]) {
        if (!/\p{Script=Han}/u.test(v)) continue;
        const reading = readingOf(normalizeText(v));
        const key = looseKana(reading);
        if (reading.length >= MIN_READING && /^[ぁ-ゖー]+$/.test(reading) && !canonical.has(key)) canonical.set(key, t);
      }
    }
  const keys = [...canonical.keys()].sort((a, b) => b.length - a.length);
  const re = keys.length ? new RegExp(keys.map(escapeRegExp).join('|'), 'g') : null;
  const terms = [...new Set(canonical.values())].filter((t) => t.length >= 2).sort((a, b) => b.length - a.length);
  // Multi-character domain terms only; dialect fold targets like いくら stay ordinary words.
  const kept = terms.filter((t) => /\p{Script=Han}|\p{Script=Katakana}/u.test(t));
  const termRe = kept.length ? new RegExp(kept.map(escapeRegExp).join('|'), 'g') : null;
  return {
    terms,
    split(applied) {
      const out: { text: string; term: boolean }[] = [];
      if (!termRe) return applied ? [{ text: applied, term: false }] : [];
      let last = 0;
      for (const m of applied.matchAll(termRe)) {
        if (m.index > last) out.push({ text: applied.slice(last, m.index), term: false });
        out.push({ text: m[0], term: true });
        last = m.index + m[0].length;
      }
      if (last < applied.length) out.push({ text: applied.slice(last), term: false });
      return out;
    },
    apply(norm) {
      if (!re) return norm;
      // Matched on the loose spelling; offsets map each match back onto the original text.
      const { loose, offsets } = looseKanaMapped(norm);
      let out = '';
      let last = 0;
      for (const m of loose.matchAll(re)) {
        const start = offsets[m.index]!;
        out += norm.slice(last, start) + canonical.get(m[0])!;
        last = offsets[m.index + m[0].length]!;
      }
      return out + norm.slice(last);
    },
  };
}
