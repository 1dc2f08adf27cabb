import { foldKana, normalizeText } from './normalize.js';

/**
 * A list of phrases matched as substrings of normalized, kana-folded text: the form staff write lists in.
 * Matching ignores width, case and hiragana/katakana differences.
 */
/** A literal string as a regular expression that matches exactly it. */
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class PhraseSet {
  private readonly phrases: { key: string; original: string }[];
  constructor(phrases: readonly string[]) {
    // Messages are matched without their spaces, so phrases are too ("not breathing", "co giật").
    this.phrases = phrases.map((p) => ({ key: foldKana(normalizeText(p)).replace(/\s+/g, ''), original: p })).filter((p) => p.key.length > 0);
  }
  /** The first phrase found in `folded`, or undefined. */
  find(folded: string): string | undefined {
    return this.phrases.find((p) => folded.includes(p.key))?.original;
  }
  /** Every phrase found in `folded`. */
  findAll(folded: string): string[] {
    return this.phrases.filter((p) => folded.includes(p.key)).map((p) => p.original);
  }
  /** Where the last occurrence of any phrase ends in `folded`, or -1 when there is none. */
  lastEnd(folded: string): number {
    let end = -1;
    for (const p of this.phrases) {
      const at = folded.lastIndexOf(p.key);
      if (at >= 0) end = Math.max(end, at + p.key.length);
    }
    return end;
  }
}

/** Regex patterns from data files, compiled once, tested against normalized text. */
export class PatternSet {
  private readonly res: RegExp[];
  constructor(patterns: readonly string[]) {
    this.res = patterns.map((p) => new RegExp(p, 'u'));
  }
  test(text: string): boolean {
    return this.res.some((r) => r.test(text));
  }
}
