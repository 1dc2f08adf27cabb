import type { LexiconFile } from '../knowledge/schema.js';
import { hasKanji, toHiragana } from './kana.js';
import type { Lexicon } from './lexicon.js';
import { normalizeText } from './normalize.js';
import type { Token, Tokenizer } from './tokenizer.js';

/**
 * 変換ミス: a parent types the right reading and the IME picks the wrong kanji (保育量 for 保育料, 園長保育 for 延長保育).
 * The words, features and lexicon then miss a word the message plainly names. Read aloud, the span is the domain
 * word, so where the reading of a run of kanji tokens is the reading of a known domain word written otherwise, the run
 * is rewritten to the known spelling before terms and features are taken.
 *
 * Guards against correcting what the parent meant:
 * - readings of 4 kana or more (3-kana readings are shared by too many words: 保健/保険, 期間/機関);
 * - only runs of tokens that all contain kanji (a misconversion is a kanji word; particles and kana are typed as meant);
 * - at least two tokens, or one the dictionary does not know: one dictionary word (献身, 公演) is a real word the
 *   parent may mean, not a wrong conversion of another;
 * - the run keeps the known word's first or last character (保育量/保育料, 良心学級/両親学級): an IME usually gets one
 *   part of a compound wrong, while a different compound that reads the same (申請時/新生児) shares nothing;
 * - never a run that is itself a known spelling, and never a reading two known words of different meaning share;
 * - the longest known word wins, left to right.
 */
export class Homophones {
  /** Reading → the known spelling, or null when known words of different meaning share the reading. */
  private readonly byReading = new Map<string, string | null>();
  private readonly known = new Set<string>();
  /** A known spelling's reading, as staff spelled it in kana where they did (the last reading given for it). */
  private readonly readings = new Map<string, string>();
  private longest = 0;

  /**
   * @param words [reading, spelling] pairs of known domain words
   * @param meaning what a spelling means (the lexicon's canonical term): spellings of one meaning never conflict
   */
  constructor(words: Iterable<readonly [string, string]>, meaning: (spelling: string) => string = (s) => s) {
    const meanings = new Map<string, string>();
    for (const [reading, spelling] of words) {
      this.known.add(spelling);
      if (READING.test(reading)) this.readings.set(spelling, reading);
      if (reading.length < MIN_READING || !READING.test(reading) || !hasKanji(spelling)) continue;
      const m = meaning(spelling);
      const seen = meanings.get(reading);
      if (seen === undefined) {
        meanings.set(reading, m);
        this.byReading.set(reading, spelling);
        this.longest = Math.max(this.longest, reading.length);
      } else if (seen !== m) this.byReading.set(reading, null);
    }
  }

  /** The table, sorted: what the analysis depends on (the model cache key names it). */
  entries(): [string, string | null][] {
    return [...this.byReading].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  get size() {
    return this.byReading.size;
  }

  /** The text of these tokens with misconverted spans rewritten, or undefined when there is none. */
  correct(tokens: readonly Token[]): string | undefined {
    return this.correctUnits(tokens.map(unitOf));
  }

  /**
   * The same for a text the lexicon has cut into pieces: a lexicon term (健診) is one unit, read as staff spelled it
   * (けんしん, where kuromoji reads けん/み), so a misconverted compound that ends or starts in one is found
   * (就学児 + 健診 is 就学時健診). A span lying wholly in one term is never rewritten: the term is what the text says.
   */
  correctPieces(pieces: readonly { text: string; term: boolean; tokens: readonly Token[] }[]): string | undefined {
    return this.correctUnits(
      pieces.flatMap((p) =>
        p.term
          ? [
              {
                surface: p.text,
                reading: this.readings.get(p.text) ?? p.tokens.map(readingOfToken).join(''),
                kanji: KANJI_WORD.test(p.text),
                dictionary: true,
              },
            ]
          : p.tokens.map(unitOf),
      ),
    );
  }

  private correctUnits(units: readonly Unit[]): string | undefined {
    let out = '';
    let changed = false;
    for (let i = 0; i < units.length;) {
      const fix = this.fixAt(units, i);
      if (fix) {
        out += fix.spelling;
        i = fix.end;
        changed = true;
      } else out += units[i++]!.surface;
    }
    return changed ? out : undefined;
  }

  private fixAt(units: readonly Unit[], start: number): { spelling: string; end: number } | undefined {
    const readings: string[] = [];
    let reading = '';
    let end = start;
    while (end < units.length && end - start < MAX_TOKENS && units[end]!.kanji) {
      reading += units[end]!.reading;
      if (reading.length > this.longest) break;
      readings.push(reading);
      end++;
    }
    for (let n = readings.length; n >= 1; n--) {
      const spelling = this.byReading.get(readings[n - 1]!);
      if (!spelling) continue;
      const span = units.slice(start, start + n);
      const surface = span.map((t) => t.surface).join('');
      if (surface === spelling || this.known.has(surface)) return undefined;
      if (n === 1 && span[0]!.dictionary) continue;
      if (surface[0] !== spelling[0] && surface.at(-1) !== spelling.at(-1)) continue;
      return { spelling, end: start + n };
    }
    return undefined;
  }
}

/** A token, or a lexicon term kept whole, as the correction reads it. */
interface Unit {
  surface: string;
  reading: string;
  /** Written in kanji only (a misconversion is a kanji word). */
  kanji: boolean;
  /** A word the dictionary or the lexicon knows: alone, it is a word the parent may mean. */
  dictionary: boolean;
}

const KANJI_WORD = /^[\p{Script=Han}々ヶ]+$/u;

const isKanjiWord = (t: Token) => t.pos !== '記号' && !/\s/.test(t.surface_form) && KANJI_WORD.test(t.surface_form);

const unitOf = (t: Token): Unit => ({ surface: t.surface_form, reading: readingOfToken(t), kanji: isKanjiWord(t), dictionary: t.word_type === 'KNOWN' });

const MIN_READING = 4;
// A compound of more dictionary words than this is not one misconverted word.
const MAX_TOKENS = 5;
const READING = /^[ぁ-ゖー]+$/;

function readingOfToken(t: Token): string {
  return toHiragana(t.reading && t.reading !== '*' ? t.reading : t.surface_form);
}

/** Bump when domainWords finds other words in the same texts: the core keeps its table in the model cache. */
export const DOMAIN_WORDS_RECIPE = 2;

// Noun classes that are not part of a domain word: pronouns, numbers, dependent nouns, counters (歳, か月), and the
// nouns of time and circumstance (中, 時, 後, 前) that make a phrase of any word: 求職中 is not a service's name, and as a
// target it turned 休職中 (a real word read the same) into it.
const NOT_WORD = new Set(['代名詞', '数', '非自立', '副詞可能', '助数詞']);
const isWordPart = (t: Token) => (t.pos === '名詞' && !NOT_WORD.has(t.pos_detail_1) && !NOT_WORD.has(t.pos_detail_2)) || t.pos === '接頭詞';

/**
 * The known domain words and their readings: every term and written variant of the lexicon (read by kuromoji, and
 * also by the kana variants staff wrote, which give a term's true reading where kuromoji misreads it: 健診 is read
 * けん/み, けんしん is written beside it), and the compound nouns of the knowledge base's own texts (離乳食, 受給者証,
 * 乳児健診), found with the lexicon's terms kept whole. Deterministic: the same files give the same table.
 */
export function domainWords(tokenizer: Tokenizer, file: LexiconFile, lexicon: Lexicon, texts: Iterable<string>): [string, string][] {
  const found = new Map<string, [string, string]>();
  const out = { push: (w: [string, string]) => void found.set(`${w[0]}\t${w[1]}`, w) };
  const read = (text: string) => tokenizer.tokenize(text).map(readingOfToken).join('');
  // A term's reading as staff spelled it in kana when they did (the first kana variant), else as kuromoji reads it.
  const termReading = new Map<string, string>();
  for (const { term, variants } of file.synonyms) {
    const t = normalizeText(term);
    const spellings = [term, ...variants].map(normalizeText).filter((v) => !/\s/.test(v));
    const kana = spellings.filter((v) => READING.test(toHiragana(v))).map(toHiragana);
    for (const v of spellings) {
      if (!hasKanji(v)) continue;
      out.push([read(v), v]);
      if (v === t) for (const k of kana) out.push([k, v]);
    }
    if (!termReading.has(t) && hasKanji(t)) termReading.set(t, kana[0] ?? read(t));
  }
  for (const text of texts) {
    const units: { surface: string; reading: string; word: boolean }[] = [];
    for (const piece of lexicon.split(lexicon.apply(normalizeText(text)))) {
      const reading = piece.term ? termReading.get(piece.text) : undefined;
      if (reading !== undefined) {
        units.push({ surface: piece.text, reading, word: hasKanji(piece.text) });
        continue;
      }
      for (const t of tokenizer.tokenize(piece.text))
        units.push({ surface: t.surface_form, reading: readingOfToken(t), word: isWordPart(t) && isKanjiWord(t) });
    }
    // Every run of up to MAX_TOKENS kanji nouns: 乳児 + 健診, 受給 + 者 + 証.
    for (let i = 0; i < units.length; i++) {
      let surface = '';
      let reading = '';
      for (let j = i; j < units.length && j - i < MAX_TOKENS && units[j]!.word; j++) {
        surface += units[j]!.surface;
        reading += units[j]!.reading;
        out.push([reading, surface]);
      }
    }
  }
  return [...found.values()];
}
