import { toHiragana } from './kana.js';

// Pictographs, skin-tone modifiers and the joiners/selectors that glue emoji sequences together.
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\ufe0e|\ufe0f|\u20e3/gu;
// Punctuation and symbols become spaces; '#' is kept before digits because #8000 and #9110 are numbers parents type.
const PUNCT = /(?!#\d)[\p{P}\p{S}]/gu;

/**
 * Text as the matcher sees it: NFKC (full/half width, ｶﾀｶﾅ, ＬＩＮＥ, １２), lower case, emoji and punctuation
 * removed, stretched vowels shortened (こんばんは〜, すごーーい), whitespace collapsed.
 */
export function normalizeText(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(EMOJI, ' ')
    .replace(/[〜~]+/g, ' ')
    .replace(/ー{2,}/g, 'ー')
    .replace(PUNCT, ' ')
    .replace(/([a-zぁ-ん])\1{3,}/g, '$1$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The normalized text with katakana folded to hiragana: same length, so offsets carry over. */
export const foldKana = toHiragana;
