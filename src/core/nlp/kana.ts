/** Katakana → hiragana, one code unit for one, so string offsets stay aligned. */
export function toHiragana(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    out += c >= 0x30a1 && c <= 0x30f6 ? String.fromCodePoint(c - 0x60) : ch;
  }
  return out;
}

const SMALL_TO_LARGE: Record<string, string> = {
  ぁ: 'あ',
  ぃ: 'い',
  ぅ: 'う',
  ぇ: 'え',
  ぉ: 'お',
  ゃ: 'や',
  ゅ: 'ゆ',
  ょ: 'よ',
  ゎ: 'わ',
  ゕ: 'か',
  ゖ: 'け',
};
const ROWS: Record<string, string> = {
  a: 'あかさたなはまやらわがざだばぱゃ',
  i: 'いきしちにひみりぎじぢびぴ',
  u: 'うくすつぬふむゆるぐずづぶぷゅ',
  e: 'えけせてねへめれげぜでべぺ',
  o: 'おこそとのほもよろをごぞどぼぽょ',
};
const VOWEL = new Map<string, string>();
for (const [v, chars] of Object.entries(ROWS)) for (const c of chars) VOWEL.set(c, v);
const PLAIN_VOWEL: Record<string, string> = { あ: 'a', い: 'i', う: 'u', え: 'e', お: 'o' };

/**
 * A loose spelling of kana text with a map back to the original offsets. Hiragana/katakana, small kana
 * (ファ/フア), long-vowel marks and spelled-out long vowels (でーれー/でえれえ, しょーと/しょうと) all meet.
 */
export function looseKanaMapped(s: string): { loose: string; offsets: number[] } {
  const h = toHiragana(s);
  let loose = '';
  const offsets: number[] = [];
  let prevVowel: string | undefined;
  for (let i = 0; i < h.length; i++) {
    const raw = h[i]!;
    if (raw === 'ー' && prevVowel) continue;
    const c = SMALL_TO_LARGE[raw] ?? raw;
    const plain = PLAIN_VOWEL[c];
    // A vowel that only lengthens the one before it: でえ, しょう (o+u), せい (e+i).
    if (plain && prevVowel && (plain === prevVowel || (plain === 'u' && prevVowel === 'o') || (plain === 'i' && prevVowel === 'e'))) continue;
    loose += c;
    offsets.push(i);
    // Small ゃゅょ set the vowel of the syllable they complete (しょ → o).
    prevVowel = raw in SMALL_TO_LARGE && 'ゃゅょ'.includes(raw) ? VOWEL.get(raw) : (VOWEL.get(c) ?? plain);
  }
  offsets.push(h.length);
  return { loose, offsets };
}

export const looseKana = (s: string) => looseKanaMapped(s).loose;

export const isKanaOnly = (s: string) => /^[\p{Script=Hiragana}\p{Script=Katakana}ー]+$/u.test(s);
export const hasKanji = (s: string) => /\p{Script=Han}/u.test(s);
