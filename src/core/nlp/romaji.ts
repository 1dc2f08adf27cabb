import { toKana } from 'wanakana';

// English words that are also valid romaji (can → かん, time → ちめ, safe → さふぇ): in a message with Latin words,
// these stay English. Short function words of both languages (no, to, ka) are decided by their neighbours below.
const ENGLISH = new Set(
  (
    'a an are be can care come date done fine game go gone hate he here hi home hope i like made make me mine more move name ' +
    'nine none note one ride safe same sane sea see site so some sure take time tone use wake we wife woke yes you ' +
    'please tomorrow line bye take make site'
  ).split(' '),
);
// Romaji particles and endings: evidence that the words around them are Japanese.
const ROMAJI_MARKERS = new Set(
  'desu masu ka wa ga wo ni de no to mo ne yo kara made shitai dekimasu arimasu imasu kudasai onegai nani doko itsu ikura'.split(' '),
);
const WORD = /[0-9]*[a-z][a-z'-]*/g;

/** True when `word` is romaji through and through: wanakana leaves no Latin letter behind. */
function romajiKana(word: string): string | undefined {
  if (word.length < 2 && word !== 'o' && word !== 'e') return undefined;
  const kana = toKana(word.replace(/-/g, '')).replace(/^\d+/, '');
  return /[a-z]/.test(kana) ? undefined : kana;
}

/**
 * Japanese written in Latin letters, as foreign residents often type it (「hoikuen ni hairitai」「kodomo netsu,
 * byouin doko?」), read as kana; English words are left as they are, so mixed messages keep both. A word is romaji
 * when it converts to kana without a Latin letter left over and is not a common English word — or, for the short
 * ones both languages have (no, to, ka), when the message has other romaji in it.
 */
export function readRomaji(norm: string): { text: string; english: string[] } {
  if (!/[a-z]/.test(norm)) return { text: norm, english: [] };
  const words = norm.match(WORD) ?? [];
  // Long words that can only be romaji: how sure we are that short ambiguous ones are Japanese too.
  const japanese = words.filter((w) => w.length >= 4 && !ENGLISH.has(w) && romajiKana(w) !== undefined).length;
  const english: string[] = [];
  const text = norm.replace(WORD, (w) => {
    const kana = romajiKana(w);
    const long = w.length >= 4;
    if (kana !== undefined && !ENGLISH.has(w) && (long || japanese >= 2 || (ROMAJI_MARKERS.has(w) && japanese >= 1)))
      return w === 'wa' ? 'は' : w.replace(/[a-z'-]+$/, kana);
    english.push(w.replace(/^\d+/, ''));
    return w;
  });
  return { text, english };
}
