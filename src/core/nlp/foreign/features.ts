import type { ForeignCode } from './route.js';
import { foldDiacritics, foreignNorm, latinWords } from './text.js';

// Crude English stemming: enough that "swallowed"/"swallows", "babies"/"baby" and "breathing"/"breathe" meet.
function stem(w: string): string {
  if (w.length <= 3) return w;
  return w
    .replace(/ies$/, 'y')
    .replace(/(ing|ed|es|s)$/, '')
    .replace(/e$/, '');
}

const HAN = /\p{Script=Han}/u;

function lengthClass(n: number): string {
  return `len:${n <= 1 ? 'xs' : n <= 4 ? 's' : n <= 10 ? 'm' : n <= 25 ? 'l' : 'xl'}`;
}

/**
 * What a language's models see of a message, as named binary features (docs/languages.md):
 * - English: stemmed words, adjacent pairs, and the character trigrams of longer words (so a typo spoils only the
 *   grams it touches: unconcious still shares most of unconscious);
 * - Tiếng Việt: syllables and syllable pairs with their diacritics folded (typed with or without them, they meet),
 *   and the syllables as written, which keep what folding merges (bà/ba/bá);
 * - 中文: characters and character pairs (no word segmentation: two-character words are most of the vocabulary);
 * - the message's length, coarsely (greetings are short, consultations long).
 */
export function foreignFeatures(code: ForeignCode, raw: string): string[] {
  const norm = foreignNorm(raw);
  const f = new Set<string>();
  let units = 0;
  if (code === 'zh') {
    const chars = [...norm].filter((c) => HAN.test(c));
    units = chars.length / 2;
    chars.forEach((c, i) => {
      f.add(`h:${c}`);
      if (i > 0) f.add(`hh:${chars[i - 1]}${c}`);
    });
    for (const w of latinWords(norm.replace(/\p{Script=Han}/gu, ' '))) if (!/^\d+$/.test(w)) f.add(`w:${stem(w)}`);
  } else if (code === 'vi') {
    const written = latinWords(norm).filter((w) => !/^\d+$/.test(w));
    const folded = written.map(foldDiacritics);
    units = written.length;
    folded.forEach((s, i) => {
      f.add(`s:${s}`);
      if (i > 0) f.add(`ss:${folded[i - 1]}|${s}`);
      if (s !== written[i]) f.add(`d:${written[i]}`);
    });
  } else {
    const words = latinWords(norm)
      .filter((w) => !/^\d+$/.test(w))
      .map(stem);
    units = words.length;
    words.forEach((w, i) => {
      f.add(`w:${w}`);
      if (i > 0) f.add(`ww:${words[i - 1]}|${w}`);
      if (w.length >= 5) for (let j = 0; j + 3 <= w.length + 2; j++) f.add(`g:${` ${w} `.slice(j, j + 3)}`);
    });
  }
  f.add(lengthClass(units));
  return [...f];
}
