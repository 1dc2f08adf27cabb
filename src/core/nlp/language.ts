import { readRomaji } from './romaji.js';

const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HAN = /\p{Script=Han}/gu;
// Characters of everyday simplified Chinese that Japanese does not write (question particles, pronouns, simplified
// forms): one is enough, in a message without kana, to tell 中文 from a kanji-only Japanese query (「病児保育料金」).
const SIMPLIFIED_ONLY = /[吗呢们这么哪请问你怎样给说还个吧啊没孩岁钱费该谁带办证报儿园托么为时间让现发过电话码疗补贴领]/u;
// Letters only Vietnamese uses among the Latin-script languages we meet (with its tone marks).
const VIETNAMESE = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu;
const LATIN_WORD = /[a-z]{2,}/gi;

/** The language a message is written in, as far as its script tells: `confident` when it says enough to switch on. */
export interface DetectedLanguage {
  code: 'ja' | 'zh' | 'vi' | 'en';
  confident: boolean;
}

/**
 * Which language a parent wrote in, from the script alone (no model): kana → 日本語; Han characters with a form
 * Japanese does not use → 中文; Vietnamese letters → Tiếng Việt; other Latin text → English, unless it reads as
 * romaji (Japanese typed in Latin letters), which is 日本語. Undefined for digits, emoji and stickers' words.
 * やさしい日本語 cannot be told from 日本語 by script: a parent chooses it.
 */
export function detectLanguage(text: string): DetectedLanguage | undefined {
  const t = text.normalize('NFC');
  if (KANA.test(t)) return { code: 'ja', confident: true };
  const han = t.match(HAN)?.length ?? 0;
  if (han) return SIMPLIFIED_ONLY.test(t) ? { code: 'zh', confident: han >= 3 } : { code: 'ja', confident: han >= 4 };
  const words = t.match(LATIN_WORD) ?? [];
  if (!words.length) return undefined;
  if (VIETNAMESE.test(t)) return { code: 'vi', confident: words.length >= 2 };
  const { english } = readRomaji(t.toLowerCase());
  const romaji = words.length - english.filter((w) => w.length >= 2).length;
  if (romaji > english.length) return { code: 'ja', confident: romaji >= 2 };
  return { code: 'en', confident: words.length >= 2 };
}
