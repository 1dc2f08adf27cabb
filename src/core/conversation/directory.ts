import type { Facility, FacilitiesFile, FacilityKind } from '../knowledge/facilities/schema.js';
import type { Analysis } from '../nlp/analyzer.js';
import { extractAges, type AgeSpan } from '../nlp/ages.js';
import { looseKana } from '../nlp/kana.js';
import { foldKana, normalizeText } from '../nlp/normalize.js';

/**
 * The facility directory's understanding: which facilities a message names (by name, alias or reading), and which
 * kinds, areas, hours and ages it asks about. Pure: built once per knowledge base from its facility records, so a
 * facility staff add is findable by its name and reading without touching code. Everything is matched on the same
 * normalised, kana-folded text the rest of the core reads (and readings on the whole message's reading), so 新川こども園,
 * しんかわこどもえん and しんかわ子ども園 meet.
 */

export interface DirectoryQuery {
  /** Facilities named, in the order they appear. */
  named: Facility[];
  kinds: FacilityKind[];
  /** Area names asked about (islands when only 「島」 was said). */
  areas: string[];
  /** Open until at least this time (minutes after midnight): 「19時まで開いてる」. */
  closesBy?: number;
  /** Open at or before this time: 「7時から預けられる」. */
  opensBy?: number;
  ages: AgeSpan[];
  /** What the parent wants from the answer: how to reach it (phone, mail), or where and when it is. */
  wants?: 'contact' | 'place';
  /** Asked where or which (どこ・近く・一覧・電話…), not only about the service in general. */
  locator: boolean;
  /** Asked about places to play (遊べる), which may be parks or a nursery's open garden. */
  play: boolean;
  /**
   * Some sentence names a kind together with what narrows or locates it (金浦の近くのこども園、5歳が遊べるとこ): the
   * kind is what is asked for, not only the setting of another question (風邪で病院に行ったあと…お金は？).
   */
  focused: boolean;
  /**
   * Nothing but the facility's name and what the directory answers (電話番号・場所・何時まで・教えて): the name is the
   * whole question, whatever else the models make of a bare proper noun.
   */
  bare: boolean;
}

export interface DirectoryAnswer {
  query: DirectoryQuery;
  facilities: Facility[];
  /** How many more matched than the carousel holds. */
  more: number;
  /** Nothing of the asked kind in the asked area: `facilities` are the same kind elsewhere. */
  elsewhere: boolean;
}

/** LINE shows at most 12 bubbles in one carousel. */
export const MAX_FACILITY_CARDS = 12;

/**
 * The words parents use for each kind. 保育園 means any place that looks after a child in the day: parents say it of
 * こども園 too. Kana spellings are listed because kind words are matched on the text as written (their readings, short
 * and common — こうえん is also 講演 — would match too much of the message's reading).
 */
const KIND_WORDS: [FacilityKind[], string[]][] = [
  [['kodomoen'], ['こども園', '子ども園', '子供園', 'こどもえん', '認定こども園']],
  [
    ['kodomoen', 'nursery'],
    ['保育園', '保育所', 'ほいくえん', 'ほいくしょ', '託児所'],
  ],
  [
    ['kindergarten', 'kodomoen'],
    ['幼稚園', 'ようちえん'],
  ],
  [['sick_child'], ['病児保育', '病後児保育', '病児', 'びょうじほいく']],
  [['midwife'], ['助産院', '助産所', 'じょさんいん']],
  [['hospital'], ['病院', '診療所', '小児科', 'クリニック', 'びょういん', 'しんりょうじょ', 'お医者']],
  [['development'], ['発達支援センター', '療育']],
  [['consultation'], ['児童相談所', '相談所', '相談室', '相談センター', 'じそう', '児相']],
  [['park'], ['公園', '遊び場', 'あそびば', 'こうえん', '遊具', '博物館']],
  [['office'], ['出張所', '支所']],
];
const PLAY = /遊べ|あそべ|遊ぶ(?:所|とこ|場)|遊ばせ|あそばせ|遊びに行|あそびにい/;
const ISLANDS_IN_GENERAL = /島しょ|離島|(?<![\p{Script=Han}])島(?=で|に|の|は|じゃ|から|には|にも)/u;
const LOCATOR =
  /どこ|どっち|どちら|近く|ちかく|近所|そば|場所|住所|地図|行き方|一覧|リスト|電話|でんわ|番号|連絡先|何時|なんじ|開いて|開いと|あいて|あいと|やって|やっと|営業|おすすめ|オススメ|知りたい/u;
const WANTS_CONTACT = /電話|でんわ|番号|連絡先|メール|めーる|アドレス|あどれす|fax|tel/i;
const WANTS_PLACE = /どこ|場所|住所|地図|行き方|近く|ちかく/;
// Hours asked win over a phone mentioned in passing (「受付は何時から？電話したらつながらんかった」).
const WANTS_HOURS = /何時|なんじ|時間|開いて|あいて|やって(?:る|ます)/;
const OPEN_VERB = /開い|開と|あい|やって|やっと|営業|預か|預け|あずか|あずけ|見てもら|みてもら|とこ|ところ|所|施設|園/;

/** Times in a message: 「19時まで」「夜7時まで」「18時半すぎまで」「7時から」「7:30から」. */
function readHours(t: string): { closesBy?: number; opensBy?: number } {
  const at = (h: string, m: string | undefined, half: string | undefined, before: string) => {
    let hour = Number(h);
    if (hour < 12 && /(夜|夕方|午後|よる|ゆうがた)\s*$/.test(before)) hour += 12;
    return hour * 60 + (m ? Number(m) : half ? 30 : 0);
  };
  const out: { closesBy?: number; opensBy?: number } = {};
  const until = /(\d{1,2})(?:時|じ|:(\d{2}))(半)?\s*(?:過ぎ|すぎ|以降)?\s*(?:くらい|ぐらい|頃|ごろ)?\s*まで/u.exec(t);
  if (until) out.closesBy = at(until[1]!, until[2], until[3], t.slice(0, until.index));
  const after = /(\d{1,2})(?:時|じ|:(\d{2}))(半)?\s*(?:過ぎ|すぎ|以降)\s*(?:も|に|で|まで)?\s*(?:開|あい|やって|預|あず|見て|みて)/u.exec(t);
  if (!out.closesBy && after) out.closesBy = at(after[1]!, after[2], after[3], t.slice(0, after.index)) + 1;
  const from = /(\d{1,2})(?:時|じ|:(\d{2}))(半)?\s*(?:から|より前|前から)/u.exec(t);
  if (from) out.opensBy = at(from[1]!, from[2], from[3], t.slice(0, from.index));
  return out;
}

// After a name typed in kana comes a particle, punctuation or the end: しみんかの, not しみんか|いかん (市民会館).
const AFTER_NAME = /^($|[\sのはがにでとへもっやを、。?？!！□])/u;

/** Where `key` occurs in `text` as a whole word (followed by a particle or the end), or -1. */
function wordAt(text: string, key: string): number {
  for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) if (AFTER_NAME.test(text.slice(at + key.length))) return at;
  return -1;
}

// What a question about a named facility may add without asking anything the card does not answer.
const BARE =
  /電話番号|電話|でんわ|番号|連絡先|メール|住所|場所|地図|行き方|どこ|何時|なんじ|から|まで|開いて(?:る|ます)?|あいて(?:る|ます)?|営業時間|時間|近く|教えて|おしえて|ください|下さい|知りたい|です|ます|ますか|ですか|って|の|は|が|を|に|で|へ|か|な|ね|よ|□|[\s\p{P}\p{S}]/gu;

const TIME = /\d\s*(時|じ|:\d)/;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** Name variants parents type: without 「認定」, the brackets' 「（福山市）」, the city prefix; the name inside 「」. */
function nameVariants(name: string): string[] {
  const out = new Set<string>([name]);
  const bare = name.replace(/（[^）]*）/g, '').trim();
  out.add(bare);
  for (const v of [...out]) {
    out.add(v.replace(/^笠岡市立?\s*/, ''));
    out.add(v.replace(/認定/g, ''));
  }
  const inner = /「([^」]+)」/.exec(name);
  if (inner) out.add(inner[1]!);
  return [...out].filter((v) => v.replace(/\s/g, '').length >= 3);
}

interface Key {
  key: string;
  facility: Facility;
}

export class FacilityDirectory {
  private readonly written: Key[] = [];
  private readonly spoken: Key[] = [];
  private readonly kinds: { key: string; kinds: FacilityKind[] }[] = [];
  private readonly areas: { key: string; name: string }[] = [];
  private readonly islandAreas: string[];
  private readonly areaOf: Map<string, FacilitiesFile['areas'][number]>;
  /** Kind and area words folded without the lexicon, for telling sentences apart cheaply (no tokenizer per message). */
  private readonly plainKeys: string[];
  private readonly plainAreas: string[];

  /**
   * `fold` is how the core folds a message (the analyzer's lexicon included), so names are compared in the same
   * form; `readingOf` gives the reading of a written name or alias (kuromoji), so kana-only questions find them.
   */
  constructor(
    private readonly file: FacilitiesFile,
    fold: (text: string) => string,
    readingOf: (text: string) => string,
  ) {
    const compact = (s: string) => fold(s).replace(/\s+/g, '');
    for (const f of file.facilities) {
      const written = new Set([...nameVariants(f.name), ...f.aliases.flatMap(nameVariants)].map(compact));
      for (const key of written) if (key.length >= 3) this.written.push({ key, facility: f });
      // The reading as written, and as the core reads it (the lexicon turns こどもえん into 認定こども園, read にんていこどもえん).
      const spoken = new Set(
        [f.reading, readingOf(f.reading.replace(/\s+/g, '')), ...f.aliases.map(readingOf)].map((r) => looseKana(foldKana(r).replace(/\s+/g, ''))),
      );
      // Without 「にんてい」, as 「あおぞらこどもえん」 is said.
      for (const r of [...spoken]) spoken.add(r.replace(/にんてい/g, ''));
      for (const key of spoken) if (key.length >= 4) this.spoken.push({ key, facility: f });
    }
    // Longest first, so 新川こども園 wins over a shorter name inside it.
    this.written.sort((a, b) => b.key.length - a.key.length);
    this.spoken.sort((a, b) => b.key.length - a.key.length);
    for (const [kinds, words] of KIND_WORDS) for (const w of words) this.kinds.push({ key: compact(w), kinds });
    this.kinds.sort((a, b) => b.key.length - a.key.length);
    // 笠岡 is also the city's own name: 「笠岡の公園」 asks about the whole city, not the district.
    for (const a of file.areas.filter((x) => x.name !== '笠岡'))
      this.areas.push({ key: compact(a.name), name: a.name }, { key: foldKana(a.reading), name: a.name });
    this.areas.sort((a, b) => b.key.length - a.key.length);
    const plain = (s: string) => plainFold(s).replace(/\s+/g, '');
    this.plainKeys = KIND_WORDS.flatMap(([, words]) => words.map(plain));
    const cityAreas = file.areas.filter((x) => x.name !== '笠岡');
    this.plainAreas = [...cityAreas.map((a) => plain(a.name)), ...cityAreas.map((a) => foldKana(a.reading))];
    this.islandAreas = file.areas.filter((a) => a.island).map((a) => a.name);
    this.areaOf = new Map(file.areas.map((a) => [a.name, a]));
  }

  area(name: string | undefined) {
    return name === undefined ? undefined : this.areaOf.get(name);
  }

  /** What the message asks of the directory. `a` is the core's analysis of the message; `text` what was written. */
  parse(a: Analysis, text: string): DirectoryQuery {
    const folded = a.folded.replace(/\s+/g, '');
    // Spaces kept as word ends too: 「たここうえん どこ」. (Loose spelling is the costly step: done once per text.)
    const spaced = looseKana(a.folded.replace(/\s+/g, '□'));
    const loose = spaced.replace(/□/g, '');
    const reading = looseKana(a.reading);
    const named: { at: number; facility: Facility }[] = [];
    let rest = folded;
    for (const k of this.written) {
      const at = rest.indexOf(k.key);
      if (at < 0) continue;
      if (!named.some((n) => n.facility === k.facility)) named.push({ at, facility: k.facility });
      rest = rest.slice(0, at) + '□'.repeat(k.key.length) + rest.slice(at + k.key.length);
    }
    let restLoose: string | undefined;
    for (const k of this.spoken) {
      if (!loose.includes(k.key) && !(k.key.length >= 6 && reading.includes(k.key))) continue;
      if (named.some((n) => n.facility === k.facility)) continue;
      restLoose ??= looseKana(rest);
      if (restLoose.includes(k.key)) restLoose = restLoose.split(k.key).join('□');
      const inWords = wordAt(spaced, k.key);
      const at = inWords >= 0 ? inWords : wordAt(loose, k.key);
      // The whole message's reading is matched only for longer names: short readings (しみんか) hide in others (しみんかいかん).
      if (at >= 0 || (k.key.length >= 6 && reading.includes(k.key))) named.push({ at: at >= 0 ? at : folded.length, facility: k.facility });
    }
    const kinds: FacilityKind[] = [];
    let left = rest;
    for (const k of this.kinds) {
      const at = left.indexOf(k.key);
      if (at < 0) continue;
      for (const kind of k.kinds) if (!kinds.includes(kind)) kinds.push(kind);
      left = left.slice(0, at) + '□'.repeat(k.key.length) + left.slice(at + k.key.length);
    }
    const areas: string[] = [];
    let unnamed = rest;
    for (const k of this.areas) {
      const at = unnamed.indexOf(k.key);
      if (at < 0) continue;
      if (!areas.includes(k.name)) areas.push(k.name);
      unnamed = unnamed.slice(0, at) + '□'.repeat(k.key.length) + unnamed.slice(at + k.key.length);
    }
    const t = text.normalize('NFKC');
    if (!areas.length && ISLANDS_IN_GENERAL.test(t)) areas.push(...this.islandAreas);
    const play = PLAY.test(t);
    if (play && !kinds.includes('park')) kinds.push('park');
    // Most messages name no facility, no kind and no time: they are not the directory's, and the rest (ages, hours,
    // sentences) is not read for them — this runs on every message.
    const relevant = named.length > 0 || kinds.length > 0 || TIME.test(t);
    const hours = relevant && (OPEN_VERB.test(t) || kinds.length) ? readHours(t) : {};
    // 「19時まで」 is a time, not an age; ages are read from what is left.
    const untimed = t.replace(/\d{1,2}\s*(時|じ|:\d{2})/g, '□');
    const ages = relevant ? extractAges(untimed) : [];
    // 「0歳から入れる」: the age reader leaves 「N歳から」 alone (a rule's lower bound, not a child), here it is the child.
    const from = /(\d{1,2})\s*(?:歳|才)\s*(?:から|以上|〜)/.exec(untimed);
    if (relevant && !ages.length && from) ages.push(...extractAges(`${from[1]}歳`));
    return {
      bare: named.length > 0 && (restLoose ?? rest).replace(BARE, '') === '',
      focused: kinds.length > 0 && t.split(/[。！？!?\n]+/).some((sentence) => this.focusedSentence(sentence)),
      named: named.sort((x, y) => x.at - y.at).map((n) => n.facility),
      kinds,
      areas,
      ...hours,
      ages,
      wants: WANTS_HOURS.test(t) ? 'place' : WANTS_CONTACT.test(t) ? 'contact' : WANTS_PLACE.test(t) ? 'place' : undefined,
      locator: LOCATOR.test(t),
      play,
    };
  }

  /** One sentence that names a kind and narrows or locates it. */
  private focusedSentence(sentence: string): boolean {
    const folded = plainFold(sentence).replace(/\s+/g, '');
    const kind = PLAY.test(sentence) || this.plainKeys.some((k) => folded.includes(k));
    if (!kind) return false;
    const hours = readHours(sentence);
    const untimed = sentence.replace(/\d{1,2}\s*(時|じ|:\d{2})/g, '□');
    return (
      LOCATOR.test(sentence) ||
      ISLANDS_IN_GENERAL.test(sentence) ||
      this.plainAreas.some((a) => folded.includes(a)) ||
      hours.closesBy !== undefined ||
      hours.opensBy !== undefined ||
      extractAges(untimed).length > 0 ||
      /\d{1,2}\s*(?:歳|才)\s*(?:から|以上|〜)/.test(untimed)
    );
  }

  /**
   * The facilities a message asks for, or undefined when it is not a directory question: a facility named; a kind
   * (or 遊べるところ) narrowed by area, hours or age, or asked where/which; or opening hours asked of places.
   */
  lookup(a: Analysis, text: string): DirectoryAnswer | undefined {
    const q = this.parse(a, text);
    const timed = q.closesBy !== undefined || q.opensBy !== undefined;
    if (q.named.length) return this.answer(q, q.named, false);
    if (!(q.kinds.length && q.focused) && !timed) return undefined;
    const ofKind = this.file.facilities.filter((f) => !q.kinds.length || q.kinds.includes(f.kind));
    const fitting = this.byAge(this.byHours(ofKind, q), q.ages);
    if (!q.areas.length) return fitting.length ? this.answer(q, fitting, false) : undefined;
    const here = fitting.filter((f) => f.area !== undefined && q.areas.includes(f.area));
    if (here.length) return this.answer(q, here, false);
    // Nothing of that kind recorded there: the same kind elsewhere in the city (outside the city last), said so.
    const inCity = fitting.filter((f) => !this.area(f.area)?.outside);
    const elsewhere = [...inCity, ...fitting.filter((f) => this.area(f.area)?.outside)];
    return elsewhere.length ? this.answer(q, elsewhere, true) : undefined;
  }

  private answer(query: DirectoryQuery, found: Facility[], elsewhere: boolean): DirectoryAnswer {
    // Kinds in the order asked: 「幼稚園」 shows the kindergarten before the こども園 that also teach.
    const rank = (f: Facility) => (query.kinds.includes(f.kind) ? query.kinds.indexOf(f.kind) : query.kinds.length);
    const sorted = query.named.length ? found : [...found].sort((x, y) => rank(x) - rank(y));
    return {
      query,
      facilities: sorted.slice(0, MAX_FACILITY_CARDS),
      more: Math.max(0, sorted.length - MAX_FACILITY_CARDS),
      elsewhere,
    };
  }

  /** Only facilities whose source gives times that fit; a place with unknown hours cannot be said to be open. */
  private byHours(list: Facility[], q: DirectoryQuery): Facility[] {
    if (q.closesBy === undefined && q.opensBy === undefined) return list;
    return list.filter((f) => {
      const h = f.hours;
      // Open until 19時 means open before it too: a night clinic opening at 19:00 is not what 「19時まで」 asks for.
      if (q.closesBy !== undefined && !(h?.closes && minutes(h.closes) >= q.closesBy && (!h.opens || minutes(h.opens) < q.closesBy))) return false;
      if (q.opensBy !== undefined && !(h?.opens && minutes(h.opens) <= q.opensBy)) return false;
      return true;
    });
  }

  /** Known to take the child's age first, then unknown ages; known not to, left out. */
  private byAge(list: Facility[], ages: AgeSpan[]): Facility[] {
    if (!ages.length) return list;
    const fits: Facility[] = [];
    const unknown: Facility[] = [];
    for (const f of list) {
      const span = ageSpan(f);
      if (!span) unknown.push(f);
      else if (ages.some((a) => a.max >= span.min && a.min <= span.max)) fits.push(f);
    }
    return [...fits, ...unknown];
  }
}

/** A facility's age range in months, from whichever ends its source gives (open ends are open). */
function ageSpan(f: Facility): { min: number; max: number } | undefined {
  if (!f.ages || (f.ages.from === undefined && f.ages.to === undefined)) return undefined;
  const from = f.ages.from === undefined ? undefined : extractAges(f.ages.from)[0];
  const to = f.ages.to === undefined ? undefined : extractAges(f.ages.to)[0];
  return { min: from?.min ?? -10, max: to?.max ?? 12 * 100 };
}

/** The core's normalisation and kana folding without the lexicon: cheap enough to run on each sentence. */
export const plainFold = (s: string) => foldKana(normalizeText(s));
