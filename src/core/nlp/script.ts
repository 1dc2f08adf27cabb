const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

/** Written without Japanese script but with Latin letters: English, romaji or a mix of them. */
export const isLatinText = (text: string): boolean => !JAPANESE.test(text) && /[a-z]/i.test(text);
