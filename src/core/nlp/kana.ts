const KATAKANA = /[ァ-ヶ]/g;

/** Katakana → hiragana, one code unit for one, so string offsets stay aligned. */
export function toHiragana(s: string): string {
  return s.replace(KATAKANA, (k) => String.fromCharCode(k.charCodeAt(0) - 0x60));
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
const PLAIN_VOWEL: Record<string, string> = { あ: 'a', い: 'i', う: 'u', え: 'e', お: 'o' };

// The tables above by character code (hiragana block, U+3040–309F), as looseKanaMapped runs on every message and
// lexicon entry: looking strings up in records cost it most of its time.
const BLOCK = 0x3040;
const BLOCK_SIZE = 0x60;
const VOWELS = 'aiueo';
/** A vowel's number in the tables (1–5), 0 for none. */
const vowel = (v: string) => VOWELS.indexOf(v) + 1;
/** Each kana's large form (small ゃ → や), else itself. */
const LARGE = Uint16Array.from({ length: BLOCK_SIZE }, (_, i) =>
  (SMALL_TO_LARGE[String.fromCharCode(BLOCK + i)] ?? String.fromCharCode(BLOCK + i)).charCodeAt(0),
);
/** The vowel (1–5 for aiueo, 0 none) each kana's syllable ends in. */
const VOWEL = new Uint8Array(BLOCK_SIZE);
for (const [v, chars] of Object.entries(ROWS)) for (const c of chars) VOWEL[c.charCodeAt(0) - BLOCK] = vowel(v);
/** The vowel a plain vowel kana is (あ → 1), else 0. */
const PLAIN = new Uint8Array(BLOCK_SIZE);
for (const [c, v] of Object.entries(PLAIN_VOWEL)) PLAIN[c.charCodeAt(0) - BLOCK] = vowel(v);
const I = vowel('i');
const U = vowel('u');
const E = vowel('e');
const O = vowel('o');
const CHOON = 'ー'.charCodeAt(0);

/**
 * A loose spelling of kana text with a map back to the original offsets. Hiragana/katakana, small kana
 * (ファ/フア), long-vowel marks and spelled-out long vowels (でーれー/でえれえ, しょーと/しょうと) all meet.
 */
export function looseKanaMapped(s: string): { loose: string; offsets: number[] } {
  const h = toHiragana(s);
  const codes: number[] = [];
  const offsets: number[] = [];
  let prevVowel = 0;
  for (let i = 0; i < h.length; i++) {
    const raw = h.charCodeAt(i);
    if (raw === CHOON && prevVowel) continue;
    const inBlock = raw >= BLOCK && raw < BLOCK + BLOCK_SIZE;
    const c = inBlock ? LARGE[raw - BLOCK]! : raw;
    const plain = inBlock ? PLAIN[c - BLOCK]! : 0;
    // A vowel that only lengthens the one before it: でえ, しょう (o+u), せい (e+i).
    if (plain && prevVowel && (plain === prevVowel || (plain === U && prevVowel === O) || (plain === I && prevVowel === E))) continue;
    codes.push(c);
    offsets.push(i);
    // The syllable's vowel; small ゃゅょ set the vowel of the syllable they complete (しょ → o), as their large forms do.
    prevVowel = inBlock ? VOWEL[c - BLOCK]! : 0;
  }
  offsets.push(h.length);
  return { loose: fromCodes(codes), offsets };
}

/** A string of these UTF-16 code units (in chunks: a call takes a limited number of arguments). */
function fromCodes(codes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < codes.length; i += 4096) out += String.fromCharCode(...codes.slice(i, i + 4096));
  return out;
}

export const looseKana = (s: string) => looseKanaMapped(s).loose;

export const isKanaOnly = (s: string) => /^[\p{Script=Hiragana}\p{Script=Katakana}ー]+$/u.test(s);
export const hasKanji = (s: string) => /\p{Script=Han}/u.test(s);
