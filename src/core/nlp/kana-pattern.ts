/**
 * A regular expression from a data file that also matches its kanji words typed in kana: each run of Japanese letters
 * with kanji in it (申し込め, 小学生, 大丈夫) becomes「(?:申し込め|もうしこめ)」, as children, やさしい日本語 and fast typists
 * write. Everything else is left as written: escapes, character classes ([時世年交初\d]), runs without kanji, and the
 * letter a quantifier binds (「\S{0,3}」「ない?」). So is a run that does not start a word: only a run at the start of the
 * pattern or of an alternative (after 「(」「(?:」「|」) is one; after 「\d+」, a class or a group it ends a word begun
 * there (年生 alone reads としせい; 「(?<![時世年])代」 is a suffix). A run whose kana `spell` does not give (too short to
 * look for, or read as another word) stays as it is.
 */
export function withKanaSpellings(pattern: string, spell: (run: string) => string | undefined): string {
  let out = '';
  let run = '';
  let word = false;
  let inClass = false;
  const flush = (next: string | undefined) => {
    if (!run) return;
    // A quantifier after the run binds its last letter alone: that letter stays outside the alternation.
    const bound = next !== undefined && QUANTIFIER.test(next) ? run.slice(-1) : '';
    const head = bound ? run.slice(0, -1) : run;
    const kana = word && HAN.test(head) ? spell(head) : undefined;
    out += (kana && kana !== head ? `(?:${head}|${kana})` : head) + bound;
    run = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (!inClass && LETTER.test(ch)) {
      if (!run) word = i === 0 || WORD_BEFORE.test(pattern[i - 1]!);
      run += ch;
      continue;
    }
    flush(ch);
    if (ch === '\\') {
      out += ch + (pattern[++i] ?? '');
      continue;
    }
    if (ch === '[' && !inClass) inClass = true;
    else if (ch === ']' && inClass) inClass = false;
    out += ch;
  }
  flush(undefined);
  return out;
}

const LETTER = /[\p{Script=Han}ぁ-ゖァ-ヺー々]/u;
const HAN = /\p{Script=Han}/u;
const QUANTIFIER = /[?*+{]/;
const WORD_BEFORE = /[(|:]/;
