import { detectLanguage } from '../language.js';

/** The languages read by models of their own (languages/<code>/_examples.yaml); everything else is read as Japanese. */
export const FOREIGN_CODES = ['en', 'vi', 'zh'] as const;
export type ForeignCode = (typeof FOREIGN_CODES)[number];

const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HAN = /\p{Script=Han}/u;
// Everyday Chinese words Japanese does not write without kana (pronouns, particles, question words, measure words):
// a kanji-only Japanese query (「病児保育料金」「説明会日程」) has at most one of them.
const ZH_MARKERS = /[我你他她们吗呢吧了么没怎哪谁这那给跟想能会要还就都把被让说个些是在往很太]/gu;
// Simplified forms Japanese writes otherwise (車 岡 頭 見 話 間 門 開 関 費 …), beside those detectLanguage knows.
const ZH_SIMPLIFIED = /[车冈头见话间门开关费买卖读语认识护药疗发缴纳约续经结线练组织终东长马鸟鱼丢进远级红绿总动务摔过习乐听阳阴]/u;
// The comma Chinese writes (Japanese writes 、).
const ZH_COMMA = /，/u;
// Vietnamese letters with tone marks or hooks, including the plain-accent ones (à, é…) when other Vietnamese words are there.
const VI_LETTERS = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu;
const VI_ACCENTS = /[àáèéìíòóùúýãõĩũ]/iu;
// Vietnamese syllables typed without diacritics that are neither English words nor romaji a parent would write.
const VI_WORDS = new Set(
  (
    'khong ko k0 duoc dc nhieu nguoi toi muon voi chuyen noi gap giup lam sao vay nhe roi chua hoi biet minh ban cho em be co con ' +
    'benh vien phi hoc mien tro cap dich vu cham soc tam thoi sinh thai kham tiem chung sot om khoc thuoc chet chiu dau nao gi tre ' +
    'nha thi la bao tien thang ngay tuoi cua cac mot hai ba chi anh oi nhung dang ky the xin chao cam on het gui nga cau tinh ' +
    'nguoc tron giat uong nuot dung phieu truoc lich dat cuoi tuan nay su kien viec nhan vien phong van dung vo thue dan gia ' +
    'hang xom danh bi bo me duong ho tro vao trong ra len xuong di den ve khi neu nen phai can biet'
  ).split(' '),
);
const ENGLISH_TOO = new Set('be can the me do an so no hi ban bit on ra pin'.split(' '));
const LATIN_WORD = /[a-z0-9]+/giu;
// Tagalog and Portuguese words: such a message stays with the Japanese models, which learned them from training/written/.
const OTHER_LATIN = new Set('po ang ng mga ba pwede hindi sa ko nasceu meu minha você voce está esta não nao filho filha uma para com'.split(' '));

/**
 * Which language's models read a message. Kana → Japanese. Han without kana → Chinese when it has a simplified form
 * Japanese does not use, the Chinese comma, or two everyday Chinese words; otherwise Japanese (a kanji-only query).
 * Latin letters → Vietnamese when it has Vietnamese letters or mostly Vietnamese syllables typed without diacritics;
 * otherwise English or romaji as detectLanguage tells (romaji is Japanese: the Japanese models read it as kana).
 */
export function understandingLanguage(text: string): ForeignCode | 'ja' | undefined {
  const t = text.normalize('NFC');
  if (KANA.test(t)) return 'ja';
  if (HAN.test(t)) {
    if (detectLanguage(t)?.code === 'zh' || ZH_COMMA.test(t) || ZH_SIMPLIFIED.test(t)) return 'zh';
    const markers = new Set(t.match(ZH_MARKERS) ?? []);
    return markers.size >= 2 ? 'zh' : 'ja';
  }
  const words = (t.toLowerCase().match(LATIN_WORD) ?? []).filter((w) => !/^\d+$/.test(w));
  if (!words.length) return undefined;
  const viLetters = new Set(t.toLowerCase().match(new RegExp(VI_LETTERS.source, 'giu')) ?? []).size;
  const vi = words.filter((w) => VI_WORDS.has(w) && !ENGLISH_TOO.has(w)).length;
  const viLoose = words.filter((w) => VI_WORDS.has(w)).length;
  if (viLetters >= 2 || (viLetters && vi >= 1) || (vi >= 2 && viLoose / words.length >= 0.5) || (vi >= 1 && VI_ACCENTS.test(t))) return 'vi';
  return detectLanguage(t)?.code === 'en' && !words.some((w) => OTHER_LATIN.has(w)) ? 'en' : 'ja';
}
