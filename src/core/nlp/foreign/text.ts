/** Text as the per-language models and cue lists read it: NFKC, lower case, curly quotes straightened, spaces collapsed. */
export function foreignNorm(raw: string): string {
  return raw
    .normalize('NFKC')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** Vietnamese without its tone marks and hooks (đ → d): how many parents type it on a phone without a Vietnamese keyboard. */
export const foldDiacritics = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').normalize('NFC');

/** Words of a Latin-script message (apostrophes dropped: can't → cant, won't → wont). */
export const latinWords = (norm: string): string[] => norm.replace(/'/g, '').match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * The same text with word boundaries marked by single spaces around every word, so a cue matches whole words
 * (「fee」 not inside 「coffee」). Chinese has no spaces: its cues match anywhere, on the text without spaces.
 */
export function cueText(norm: string, code: string, fold = false): string {
  if (code === 'zh') return norm.replace(/\s+/g, '');
  const words = latinWords(fold ? foldDiacritics(norm) : norm);
  return ` ${words.join(' ')} `;
}

/**
 * Whether a Vietnamese text was typed with its diacritics: then cues match as written (học is not hóc); typed without
 * them, cues match folded, which is all that text can say.
 */
export const typedWithDiacritics = (norm: string): boolean => foldDiacritics(norm) !== norm;
