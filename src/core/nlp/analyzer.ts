import { hasKanji, isKanaOnly, toHiragana } from './kana.js';
import type { Homophones } from './homophones.js';
import type { Lexicon } from './lexicon.js';
import { foldKana, normalizeText } from './normalize.js';
import { readRomaji } from './romaji.js';
import type { Token, Tokenizer } from './tokenizer.js';

/** What the rest of the pipeline knows about one message. */
export interface Analysis {
  /** Normalized text with synonyms and dialect folded to canonical terms. */
  norm: string;
  /** `norm` with katakana folded to hiragana (same length). */
  folded: string;
  /** The hiragana reading of the whole text, spaces removed: lets ほいくえん meet 保育園. */
  reading: string;
  /** Content-word keys: base forms for verbs/adjectives, readings for nouns, so spelling variants meet. */
  terms: string[];
  /** Latin-letter words that were not romaji (English, mostly), lower case, in order. */
  english: string[];
  /** Nouns written in kanji and keyed on their reading: [reading, spelling] (子供 → [こども, 子供]). */
  spellings?: [string, string][];
}

const SKIP_POS = new Set(['助詞', '助動詞', '記号', '接頭詞', 'フィラー', '連体詞', '接続詞']);
const SKIP_NOUN = new Set(['非自立', '代名詞', '接尾', '数']);
// Words that occur in nearly every question and say nothing about its topic.
const STOP = new Set(
  (
    'する ある いる なる できる れる られる せる いう 言う 思う 教える 知る わかる 分かる いい 良い よい ない くださる 下さる くれる もらう ' +
    'いただく おる やる ござる 聞く 見る 行く 来る こと もの 物 ところ とこ よう みたい 感じ 方 さん ちゃん くん たち 今 場合 ' +
    'とる ほしい 欲しい 大丈夫 どう 何 なに なん どれ 本当 お願い 願う よろしい すみません だめ 気 時 ん の ちょっと 少し うち 自分 私 ' +
    'わたし 僕 俺 わし いける いくら している だから してください いけない 教えて 知りたい 困る 迷う 悩む 不安 心配 たい 的 全然 すごい とても 色々 いろいろ やつ 系 件 ため 為'
  ).split(' '),
);

export class Analyzer {
  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly lexicon: Lexicon,
    /** Known domain words by reading: kanji spans misconverted by an IME are rewritten to them (homophones.ts). */
    private readonly homophones?: Homophones,
  ) {}

  analyze(raw: string): Analysis {
    const latin = readRomaji(normalizeText(raw));
    let norm = this.lexicon.apply(latin.text);
    let pieces = this.pieces(norm);
    if (this.homophones) {
      // A corrected span may be a lexicon variant (学童保育) or complete a term, so the lexicon reads the text again.
      const fixed = this.homophones.correctPieces(pieces);
      if (fixed !== undefined) pieces = this.pieces((norm = this.lexicon.apply(fixed)));
    }
    const terms: string[] = [];
    const spellings: [string, string][] = [];
    let reading = '';
    for (const piece of pieces) {
      const { tokens } = piece;
      for (const t of tokens) if (t.surface_form.trim() !== '') reading += tokenReading(t);
      if (piece.term) {
        if (!STOP.has(piece.text)) terms.push(piece.text);
        continue;
      }
      for (const t of tokens) {
        const key = contentKey(t);
        if (key && !STOP.has(key)) {
          terms.push(key);
          if (t.pos === '名詞' && key !== t.surface_form && hasKanji(t.surface_form)) spellings.push([key, t.surface_form]);
        }
      }
    }
    return { norm, folded: foldKana(norm), reading, terms, english: latin.english, spellings };
  }

  // Known domain terms are kept whole: IPADIC splits 健診 into 健/診る and 病児保育 into 病/児/保育.
  private pieces(norm: string) {
    return this.lexicon.split(norm).map((p) => ({ ...p, tokens: this.tokenizer.tokenize(p.text) }));
  }

  /** The hiragana reading of a short phrase (a keyword), with the same folding as messages get. */
  readingOf(text: string): string {
    return this.analyze(text).reading;
  }

  /**
   * How a keyword built on a kanji compound is spelled in kana (申請 → しんせい, 自己負担 → じこふたん), when that
   * spelling is safe to look for in kana text: 3 characters or more, and not itself a word of its own that carries no
   * topic (何課 reads なんか, a filler; 用紙 reads ようし, an interjection; 資格 reads しかく, also an adverb).
   * `compound: false` also spells a word with one kanji (使え → つかえ, 上の子 → うえのこ): for a word inside a regular
   * expression, whose neighbours already narrow it down.
   */
  kanaSpelling(phrase: string, { compound = true }: { compound?: boolean } = {}): string | undefined {
    if (!(compound ? /\p{Script=Han}{2}/u : /\p{Script=Han}/u).test(phrase)) return undefined;
    const kana = this.spokenForm(phrase, 3);
    if (kana === undefined) return undefined;
    const alone = this.tokenizer.tokenize(kana);
    if (alone.length === 1 && FUNCTION_POS.has(alone[0]!.pos)) return undefined;
    return kana;
  }

  /**
   * How a phrase with kanji in it sounds, in hiragana (蹴ってる → けってる, 息してない → いきしてない), when that is long
   * enough to look for in text typed in kana: `min` characters or more. Danger rules use it (see EmergencyDetector).
   */
  spokenForm(phrase: string, min = 4): string | undefined {
    if (!/\p{Script=Han}/u.test(phrase)) return undefined;
    const tokens = spokenTokens(this.tokenizer, phrase);
    const cut = cutVerb(tokens);
    const verb = cut === undefined ? undefined : this.cutVerbReading(phrase, tokens, cut);
    if (verb === null) return undefined;
    const kana = verb ?? readingOfTokens(tokens);
    return kana.length >= min && /^[ぁ-ゖー]+$/u.test(kana) ? kana : undefined;
  }

  /**
   * The other forms of a phrase that ends in a plain negative (息ができない, 反応がない, 目を開けない): its polite form
   * (息ができません, 反応がありません, 目を開けません), and its stem (息ができな), which also ends なくなった・なくて・
   * なかった, when that stem is 4 characters or more (起きな would also be 起きなさい).
   */
  negativeForms(phrase: string): string[] {
    if (!phrase.endsWith('ない')) return [];
    const tokens = spokenTokens(this.tokenizer, phrase);
    const [verb, last] = tokens.slice(-2);
    if (!last || last.surface_form !== 'ない') return [];
    const head = phrase.slice(0, -2);
    const out: string[] = [];
    if (last.pos === '形容詞') out.push(`${head}ありません`);
    else if (last.pos === '助動詞' && verb?.pos === '動詞' && verb.conjugated_form === '未然形') {
      const polite = continuative(verb);
      if (polite !== undefined) out.push(`${head.slice(0, head.length - verb.surface_form.length)}${polite}ません`);
    }
    if (head.length + 1 >= 4) out.push(`${head}な`);
    return out;
  }

  /**
   * The reading of a phrase that ends in a verb cut before its okurigana (呼吸が止, 変な方向に曲が): kuromoji reads the
   * cut kanji as a word of its own (止 → とめ, 曲 → きょく), which nobody writes in kana. The verb is completed with the
   * first ending that makes it one (止る, 曲がる), and the ending's kana is taken off its reading again (こきゅうがとま,
   * へんなほうこうにまが). Null when the verb's stem is one kana (頭を打 → あたまをう, 一緒に死 → いっしょにし): so short a
   * stem starts other words too (いっしょにしよう). Undefined when no ending makes one verb of it (呼んでも目を: a noun).
   */
  private cutVerbReading(phrase: string, tokens: readonly Token[], at: number): string | null | undefined {
    const kept = tokens.slice(0, at);
    const tail = tokens
      .slice(at)
      .map((t) => t.surface_form)
      .join('');
    for (const ending of OKURIGANA) {
      const completed = spokenTokens(this.tokenizer, phrase + ending);
      const verb = completed.at(-1);
      const same = completed.length === kept.length + 1 && kept.every((t, i) => completed[i]!.surface_form === t.surface_form);
      if (!same || verb?.pos !== '動詞' || verb.surface_form !== tail + ending || verb.conjugated_form !== '基本形') continue;
      const reading = tokenReading(verb);
      if (!reading.endsWith(ending)) continue;
      const stem = reading.slice(0, -ending.length);
      return stem.length >= 2 ? readingOfTokens(kept) + stem : null;
    }
    return undefined;
  }
}

/** A verb's continuative form (before ます) from its irrealis (before ない): 動か → 動き, 開け → 開け, こ → き. */
function continuative(verb: Token): string | undefined {
  const surface = verb.surface_form;
  const type = verb.conjugated_type ?? '';
  if (type.startsWith('一段') || type.startsWith('サ変')) return surface;
  if (type.startsWith('カ変')) return surface === 'こ' ? 'き' : surface;
  if (!type.startsWith('五段')) return undefined;
  const i = A_TO_I[surface.at(-1) ?? ''];
  return i === undefined ? undefined : surface.slice(0, -1) + i;
}

const A_TO_I: Record<string, string> = { か: 'き', が: 'ぎ', さ: 'し', た: 'ち', な: 'に', ば: 'び', ま: 'み', ら: 'り', わ: 'い' };

/**
 * Where a phrase's last word is a verb cut before its okurigana, the index of its kanji: a one-kanji noun after a
 * particle, at the end or before a particle that is really its okurigana (曲/が). Not after の (車の中, 窓の外: nouns,
 * which 中る and 外す would misread), nor after a noun (何番, 参加費: suffixes, which 番う and 費やす would misread).
 */
function cutVerb(tokens: readonly Token[]): number | undefined {
  const at = tokens.length - (tokens.at(-1)?.pos === '助詞' ? 2 : 1);
  const cut = tokens[at];
  const before = tokens[at - 1];
  if (!cut || !before || before.pos !== '助詞' || before.surface_form === 'の') return undefined;
  return cut.pos === '名詞' && /^\p{Script=Han}$/u.test(cut.surface_form) ? at : undefined;
}

/**
 * Endings that complete a verb cut before its okurigana, tried in order: a godan verb's own kana, then the
 * commonest two-kana endings of ichidan and godan verbs.
 */
const OKURIGANA = [
  ...'るうつくぐすむぶぬ',
  ...'ちる きる じる りる びる みる いる える ける げる せる てる ねる べる める れる'.split(' '),
  ...'まる がる わる かる たる なる らす とす かす ます'.split(' '),
];

// Word classes that carry no topic: a kana spelling that reads as one of these alone is another word.
const FUNCTION_POS = new Set(['フィラー', '感動詞', '副詞', '助詞', '助動詞', '接続詞', '連体詞']);

/** The hiragana reading of a text as kuromoji reads it (unknown words keep their spelling). */
export function readingOf(tokenizer: Tokenizer, text: string): string {
  return readingOfTokens(spokenTokens(tokenizer, text));
}

/** A text's tokens that are read aloud (not its spaces). */
const spokenTokens = (tokenizer: Tokenizer, text: string) => tokenizer.tokenize(text).filter((t) => t.surface_form.trim() !== '');
const readingOfTokens = (tokens: readonly Token[]) => tokens.map(tokenReading).join('');

function tokenReading(t: Token): string {
  const r = t.reading && t.reading !== '*' ? t.reading : t.surface_form;
  return toHiragana(r).replace(/\s+/g, '');
}

function contentKey(t: Token): string | undefined {
  const surface = t.surface_form;
  if (/^[\p{P}\p{S}\s\d]+$/u.test(surface)) return undefined;
  if (SKIP_POS.has(t.pos)) return undefined;
  if (t.pos === '名詞' && SKIP_NOUN.has(t.pos_detail_1)) return undefined;
  if (t.pos === '動詞' && t.pos_detail_1 === '非自立') return undefined;
  if (t.pos === '形容詞' && t.pos_detail_1 === '非自立') return undefined;
  const base = t.basic_form && t.basic_form !== '*' ? t.basic_form : surface;
  if (t.pos === '名詞') {
    // Nouns key on their reading when it is long enough to be unambiguous: 子ども/子供/こども → こども.
    const reading = t.reading && t.reading !== '*' ? toHiragana(t.reading) : undefined;
    if (reading && reading.length >= 3 && hasKanji(surface)) return reading;
    if (isKanaOnly(surface)) return toHiragana(surface);
    return surface;
  }
  if (surface.length === 1 && isKanaOnly(surface)) return undefined;
  // A two-kana verb written in kana (あく, かく, でる) could be any of several words: it says nothing on its own,
  // and in a string of random kana it is what the tokenizer invents.
  if (t.pos === '動詞' && isKanaOnly(surface) && base.length <= 2) return undefined;
  return isKanaOnly(base) ? toHiragana(base) : base;
}
