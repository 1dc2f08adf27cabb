import { toHiragana } from './kana.js';

// Pictographs, skin-tone modifiers and the joiners/selectors that glue emoji sequences together.
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\ufe0e|\ufe0f|\u20e3/gu;
// Punctuation and symbols become spaces; '#' is kept before digits because #8000 and #9110 are numbers parents type.
const PUNCT = /(?!#\d)[\p{P}\p{S}]/gu;

// 送り仮名 left out (申込み for 申し込み) is common in forms and notices, and parents copy it; the dictionary reads 申込
// as a word but 申込み at the start of a phrase as 申(さる)/込み, so its reading, features and cues were lost. Written
// out in full, every spelling reads もうしこみ and meets the facet cue 申し込.
const OKURIGANA = /申込(?=[みまめんも])/g;

/**
 * Text as the matcher sees it: NFKC (full/half width, ｶﾀｶﾅ, ＬＩＮＥ, １２), lower case, emoji and punctuation
 * removed, stretched vowels shortened (こんばんは〜, すごーーい), whitespace collapsed.
 */
export function normalizeText(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(OKURIGANA, '申し込')
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
