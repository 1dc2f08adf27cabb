/**
 * Removes personal data from what a parent wrote before it is kept for staff to learn from: phone numbers, e-mail
 * addresses, マイナンバー-like digit runs, and names before さん/ちゃん/くん/様. Roles and family words
 * (保健師さん, お母さん, 赤ちゃん) are kept: they carry meaning, not identity.
 */

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
// 12-digit individual numbers, with or without separators (4-4-4).
const MY_NUMBER = /(?<!\d)\d{4}[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;
// Japanese phone numbers: 0X-XXXX-XXXX in any grouping, 10–11 digits, mobile and fixed.
const PHONE = /(?<!\d)0\d{1,4}[\s-]?\d{1,4}[\s-]?\d{3,4}(?!\d)/g;
const LONG_DIGITS = /(?<!\d)\d{7,}(?!\d)/g;
const NAME = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]{1,6}?)(さん|ちゃん|くん|君|様|さま)/gu;

// Words before an honorific that are roles or family, not names.
const NOT_A_NAME =
  /^(お?(母|父|かあ|とう|ばあ|じい|兄|姉|にい|ねえ|医者|客)|ママ|パパ|ばあ|じい|赤|あか|奥|旦那|嫁|娘|息子|孫|妹|弟|上の子|下の子|お子|子ども|子供|こども|皆|みな|みん|先生|.*(師|士|員|者|長|医|屋|局|所|課|園|校))$/u;

export function maskPersonalData(text: string): string {
  return text
    .normalize('NFKC')
    .replace(EMAIL, '［メール］')
    .replace(MY_NUMBER, '［番号］')
    .replace(PHONE, '［電話番号］')
    .replace(LONG_DIGITS, '［番号］')
    .replace(NAME, (all, name: string, honorific: string) => (isRoleOrFamily(name) ? all : `〇〇${honorific}`));
}

/** The word before the honorific may start with particles (「と赤ちゃん」): any ending that is a role keeps it. */
function isRoleOrFamily(word: string): boolean {
  const chars = Array.from(word);
  return chars.some((_, i) => NOT_A_NAME.test(chars.slice(i).join('')));
}
