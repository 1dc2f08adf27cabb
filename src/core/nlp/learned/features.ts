import type { Analysis } from '../analyzer.js';

// Crude English stemming: enough that "swallowed"/"swallows", "babies"/"baby" and "breathing"/"breathe" meet.
function stem(w: string): string {
  if (w.length <= 3) return w;
  return w
    .replace(/'s$/, '')
    .replace(/ies$/, 'y')
    .replace(/(ing|ed|es|s)$/, '')
    .replace(/e$/, '');
}

function grams(prefix: string, s: string, n: number, out: Set<string>) {
  for (let i = 0; i + n <= s.length; i++) out.add(prefix + s.slice(i, i + n));
}

const KANJI = /\p{Script=Han}/u;
/** The prefix of the one feature every message has (its length class). */
export const LENGTH = 'len:';

/** Content words known by their reading (hiragana, 3 characters or more): what a kana spelling can be matched to. */
export type Vocabulary = ReadonlySet<string>;
const NO_WORDS: Vocabulary = new Set();
const LONGEST_WORD = 12;
/** A term key that is a reading (nouns are keyed on their reading: 小学校 → しょうがっこう). */
export const READING_TERM = /^[ぁ-ゖー]{3,12}$/;

/**
 * The known words found in the parts of a message written in kana, longest first from left to right. kuromoji cuts
 * all-kana text badly (しょうがっこう → しょう/がっ/こう, あかちゃん → あか/ちゃん), and spaced やさしい日本語 is all kana;
 * the reading of the same words written in kanji is what the nouns are keyed on, so the words are found again.
 * Only kana the writer typed is searched: the reading of kanji text already gave its words, and searching it across
 * word boundaries finds words nobody wrote.
 */
export function wordsInKana(folded: string, vocabulary: Vocabulary): string[] {
  const out: string[] = [];
  if (!vocabulary.size) return out;
  const starts = startsOf(vocabulary);
  const r = folded.replace(/[^ぁ-ゖー]+/g, ' ');
  for (let i = 0; i < r.length;) {
    let found = '';
    // Most places start no word: one lookup of their first three characters says so, instead of one per length.
    const longest = starts.get(r.slice(i, i + 3)) ?? 0;
    for (let n = Math.min(longest, r.length - i); n >= 3; n--) {
      const w = r.slice(i, i + n);
      if (vocabulary.has(w)) {
        found = w;
        break;
      }
    }
    if (found) out.push(found);
    i += found ? found.length : 1;
  }
  return out;
}

const STARTS = new WeakMap<Vocabulary, Map<string, number>>();

/** Each three characters a vocabulary word starts with, and the longest word that starts so (made once per vocabulary). */
function startsOf(vocabulary: Vocabulary): Map<string, number> {
  let starts = STARTS.get(vocabulary);
  if (!starts) {
    starts = new Map();
    for (const w of vocabulary) if (w.length <= LONGEST_WORD) starts.set(w.slice(0, 3), Math.max(starts.get(w.slice(0, 3)) ?? 0, w.length));
    STARTS.set(vocabulary, starts);
  }
  return starts;
}

/** The vocabulary of a set of messages' features: their terms that are readings. */
export function vocabularyOf(features: Iterable<string>): Set<string> {
  const v = new Set<string>();
  for (const f of features) if (f.startsWith('t:') && READING_TERM.test(f.slice(2))) v.add(f.slice(2));
  return v;
}

/**
 * What the learned models see of a message, as named binary features:
 * - content words (base forms, noun readings) and adjacent pairs of them, and the known words found in kana runs
 *   with the kanji of their usual spelling (so びょうき written in kana counts as 病気: the same word and the same 病);
 * - character bigrams and trigrams of the whole reading, so kanji, kana-only and romaji spellings meet (ほいくえん,
 *   保育園 and hoikuen all read ほいくえん) and a typo spoils only the grams it touches;
 * - kanji and character bigrams of the written text, which keep what readings merge (歯 and 子 both read こ/は);
 * - English words (stemmed) and their pairs;
 * - the message's length, coarsely (greetings are short, consultations long).
 */
/** A reading's usual kanji spelling (びょうき → 病気): a word found in kana also gets the kanji its spelling has. */
export type Spellings = ReadonlyMap<string, string>;
const NO_SPELLINGS: Spellings = new Map();

/** The most frequent kanji spelling of each reading in a set of analyses. */
export function spellingsOf(analyses: Iterable<Analysis>): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const a of analyses)
    for (const [reading, spelling] of a.spellings ?? []) {
      let m = counts.get(reading);
      if (!m) counts.set(reading, (m = new Map()));
      m.set(spelling, (m.get(spelling) ?? 0) + 1);
    }
  const out = new Map<string, string>();
  for (const [reading, m] of counts) out.set(reading, [...m].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]![0]);
  return out;
}

export function messageFeatures(a: Analysis, vocabulary: Vocabulary = NO_WORDS, spellings: Spellings = NO_SPELLINGS): string[] {
  const f = new Set<string>();
  const { terms } = a;
  for (let i = 0; i < terms.length; i++) {
    f.add(`t:${terms[i]}`);
    if (i > 0) f.add(`tt:${terms[i - 1]}|${terms[i]}`);
  }
  for (const w of wordsInKana(a.folded, vocabulary)) {
    f.add(`t:${w}`);
    for (const ch of spellings.get(w) ?? '') if (KANJI.test(ch)) f.add(`k:${ch}`);
  }
  const reading = a.reading.replace(/[a-z]+/g, ' ');
  for (const part of reading.split(' ')) {
    grams('r2:', part, 2, f);
    grams('r3:', part, 3, f);
  }
  const written = a.folded.replace(/[\sa-z]+/g, '');
  for (const ch of written) if (KANJI.test(ch)) f.add(`k:${ch}`);
  grams('c2:', written, 2, f);
  const english = a.english.map(stem);
  for (let i = 0; i < english.length; i++) {
    f.add(`e:${english[i]}`);
    if (i > 0) f.add(`ee:${english[i - 1]}|${english[i]}`);
  }
  const length = written.length + english.length * 3;
  f.add(`${LENGTH}${length <= 4 ? 'xs' : length <= 10 ? 's' : length <= 25 ? 'm' : length <= 60 ? 'l' : 'xl'}`);
  return [...f];
}

// Reading and written bigrams and English word pairs carry a writer's style (endings, particles) as much as the topic:
// across writers (npm run eval) the intent model is 1–5 points more accurate without them, with a third fewer wrong
// answers; the emergency model keeps them (without them it missed emergencies on the safety file).
const STYLE = /^(r2|c2|ee):/;

/** Whether the intent and facet models read this feature (it is not one of the style-laden ones). */
export const isTopicFeature = (f: string): boolean => !STYLE.test(f);

/** The features the intent and facet models read: the message's features without the style-laden ones. */
export const topicFeatures = (features: readonly string[]): string[] => features.filter(isTopicFeature);
