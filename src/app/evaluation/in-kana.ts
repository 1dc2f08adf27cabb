import { toHiragana } from '../../core/nlp/kana.js';
import type { Tokenizer } from '../../core/nlp/tokenizer.js';

const JAPANESE = /[ぁ-ゖ]/u;
const SPELLED_IN_KANJI = /\p{Script=Han}|\p{Script=Katakana}/u;

/**
 * A Japanese message as someone typing only kana would write it (a child, a parent in a panic, やさしい日本語 without
 * its spaces): each word written with kanji or katakana by its reading, in hiragana; kana, punctuation, numbers and
 * Latin as written. Undefined for a text with no hiragana (English, 中文: not Japanese to respell) and for one that
 * would not change. The readings are kuromoji's and now and then not the writer's (今そばに → こんそばに): the rows
 * built from this measure the bot on kana it could meet, not on kana a person would always write.
 */
export function inKana(tokenizer: Tokenizer, text: string): string | undefined {
  if (!JAPANESE.test(text)) return undefined;
  let out = '';
  for (const t of tokenizer.tokenize(text)) {
    const reading = t.reading && t.reading !== '*' ? t.reading : undefined;
    out += reading && SPELLED_IN_KANJI.test(t.surface_form) ? toHiragana(reading) : t.surface_form;
  }
  return out === text ? undefined : out;
}

/** Evaluation cases (JSON lines) with every Japanese message respelt by inKana; ids and expectations unchanged. */
export function casesInKana(jsonl: string, tokenizer: Tokenizer): string {
  return jsonl
    .split('\n')
    .map((line) => {
      const t = line.trim();
      if (!t || t.startsWith('//')) return line;
      const c = JSON.parse(t) as { text: string };
      const text = inKana(tokenizer, c.text);
      return text === undefined ? line : JSON.stringify({ ...c, text });
    })
    .join('\n');
}
