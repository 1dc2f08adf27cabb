import { extractAges } from '../nlp/ages.js';
import type { EmergencyFile, EmergencyKind, Facet, FacetCuesFile, FeelingsFile, GuardsFile, HandoffFile } from '../knowledge/schema.js';
import { foldKana, normalizeText } from '../nlp/normalize.js';
import { withKanaSpellings } from '../nlp/kana-pattern.js';
import { escapeRegExp, PatternSet, PhraseSet } from '../nlp/phrases.js';
import { stillOver } from '../nlp/danger-over.js';

/** A message as the phrase detectors below read it: normalized, and kana-folded without spaces for phrase lists. */
export interface Said {
  norm: string;
  folded: string;
}

/** Made once per message and handed to every detector (`folded`: foldKana(norm), when the caller already has it). */
export const said = (norm: string, folded: string = foldKana(norm)): Said => ({ norm, folded: folded.replace(/\s+/g, '') });

// Cues and messages are compared without spaces: やさしい日本語 and voice input space words out (「どこ に でんわ」).
const compact = (s: string) => s.replace(/\s+/g, '');

/** Finds which facet a question asks for, from the cue lists in intents/_facets.yaml. */
export class FacetDetector {
  private readonly groups: { name: string; facet: Facet; patterns: PatternSet; cues: string[] }[];
  /** Each cue group's facet, by the group's name (what `hits` gives). */
  private readonly facetOf: Map<string, Facet>;
  /**
   * @param kanaSpelling how a cue written in kanji is spelled in kana (Analyzer.kanaSpelling): with it, the cue also
   *   matches that spelling (申請 → しんせい, 自己負担 → じこふたん, 予約 → よやく), as children, やさしい日本語 and fast
   *   typists write them, and so do the words of the patterns (使え → つかえ, 高校生 → こうこうせい: withKanaSpellings).
   */
  constructor(file: FacetCuesFile, kanaSpelling?: (cue: string, opts?: { compound?: boolean }) => string | undefined) {
    // A pattern's words have neighbours that narrow them down: a word with one kanji is spelled too.
    const pattern = (p: string) => (kanaSpelling ? withKanaSpellings(p, (run) => kanaSpelling(run, { compound: false })) : p);
    this.groups = file.order.map((name) => {
      const g = file.facets[name]!;
      // Cues match with kana folded only when written in hiragana: 「タダ」 must not fire on 「ただ」.
      const cues = g.cues.map((c) => compact(normalizeText(c)));
      const kana = kanaSpelling ? cues.flatMap((c) => kanaSpelling(c) ?? []) : [];
      return { name, facet: (g.facet ?? name) as Facet, patterns: new PatternSet(g.patterns.map(pattern)), cues: [...new Set([...cues, ...kana])] };
    });
    this.facetOf = new Map(this.groups.map((g) => [g.name, g.facet]));
  }
  /** The facet the cue words name: the first group's in order, or `preferred` when a cue names it too. */
  detect(norm: string, preferred?: Facet): Facet | undefined {
    if (preferred !== undefined) return this.fromHits(this.hits(norm), preferred);
    // Without a preference the first group found decides: most messages stop there.
    const text = compact(norm);
    return this.groups.find((g) => this.hit(g, text))?.facet;
  }
  /**
   * The same from the cue groups already found (`hits` of the text): the models find them for the facet model, and the
   * concierge does not search the text again.
   */
  fromHits(names: readonly string[], preferred?: Facet): Facet | undefined {
    let first: Facet | undefined;
    for (const name of names) {
      const facet = this.facetOf.get(name);
      if (facet === undefined) continue;
      if (facet === preferred) return preferred;
      first ??= facet;
    }
    return first;
  }
  /** Every cue group found (by name, in order): what the facet model learns to weigh against each other. */
  hits(norm: string): string[] {
    const text = compact(norm);
    return this.groups.filter((g) => this.hit(g, text)).map((g) => g.name);
  }
  private hit(g: { patterns: PatternSet; cues: string[] }, text: string): boolean {
    return g.cues.some((c) => text.includes(c)) || g.patterns.test(text);
  }
  /** The text with every cue removed: what is left says whether the message has a topic of its own. */
  strip(norm: string): string {
    let out = compact(norm);
    // Most cues are absent: looking is cheaper than splitting (this runs on every message).
    for (const g of this.groups) for (const c of g.cues) if (out.includes(c)) out = out.split(c).join(' ');
    return out;
  }
}

/** What a message says about danger, read once from the raw text (the lexicon must never hide a danger word). */
export interface DangerReading {
  /** The kind of the first danger rule the message matches. */
  named?: EmergencyKind;
  /** Calm about what it mentions: past, prevention, news or fiction, a pet, a joke, already over. */
  calm: boolean;
  /** Says the danger is over (calm.over: 落ち着きました, 見つかりました). */
  settled: boolean;
  /** Mentions the emergency services (救急車, 110番). */
  services: boolean;
  /** The message without what it says did not happen (calm.unreal: 「息が止まるかと思った」), when it says any. */
  real?: string;
}

/** A rule's phrases as written, and as they sound where a word starts in text typed in kana. */
interface Spelled {
  written: PhraseSet;
  spoken?: RegExp;
}

/** Where the last of a list's phrases ends in the text, as written or as it sounds, or -1 when none is there. */
function lastEnd(s: Spelled, folded: string): number {
  let end = s.written.lastEnd(folded);
  if (s.spoken) for (const m of folded.matchAll(everywhere(s.spoken))) end = Math.max(end, m.index + m[0].length);
  return end;
}

const GLOBAL = new WeakMap<RegExp, RegExp>();
/** The same expression with the g flag, to find every match (made once per expression). */
function everywhere(re: RegExp): RegExp {
  let g = GLOBAL.get(re);
  if (!g) GLOBAL.set(re, (g = new RegExp(re.source, `${re.flags}g`)));
  return g;
}
/** The shortest calm or settled phrase looked for as it sounds. */
const CALM_KANA = 3;
/**
 * The same for a phrase of a rule whose every group must be met (倒れて + 意識, 帰ってきません + 息子): the other groups
 * already narrow it down, so three kana are enough (いしき, むすこ). A phrase that names danger alone needs four.
 */
const GROUP_KANA = 3;
// Where a word typed in kana can start: the start, after anything not kana, or after a particle or て (「ままを|けってる」
// 「こどもが|いきしてない」「たおれて|うごかない」「ゆうぐから|おちて」), not inside a word (「しめつ|けられて」「あず|けられて」).
const WORD_START = '(?<=^|[^ぁ-ゖー]|[をがにはもでとへやのて]|から|まで|より)';

/** Acute danger, from intents/_emergency.yaml. Checked before anything else. */
export class EmergencyDetector {
  private readonly rules: { kind: EmergencyKind; any?: Spelled; all?: Spelled[] }[];
  /** Calm and settled phrases, as written and as they sound (3 kana or more, anywhere). */
  private readonly calmContexts: Spelled;
  private readonly settledContexts: Spelled;
  private readonly services: PhraseSet;
  private readonly animals: { subject?: RegExp; persons: PhraseSet; acts: PhraseSet };
  /**
   * childWords: the words for a child (intents/_guards.yaml about_a_child), persons whose danger counts.
   * spokenForm: how a phrase with kanji sounds (Analyzer.spokenForm), `min` kana or more: with it, a rule also meets the
   * phrase typed in kana (けってる, いきしてない, みずにおちました), as children and people in a panic write; matched
   * where a word can start, so 蹴られて is not found in しめつけられて. The calm words and the animals are heard in kana
   * too (きょねん, にゅーすで, きんぎょが): a danger word typed in kana is no more urgent than one typed in kanji.
   */
  constructor(
    file: EmergencyFile,
    childWords: readonly string[] = [],
    spokenForm?: (phrase: string, min?: number) => string | undefined,
    /** Other forms of a rule's phrase that say the same (Analyzer.negativeForms: 息ができない → 息ができません, 息ができな). */
    otherForms?: (phrase: string) => readonly string[],
  ) {
    const sounds = (phrases: readonly string[], min?: number) => (spokenForm ? [...new Set(phrases.flatMap((p) => spokenForm(p, min) ?? []))] : []);
    // An animal is a subject only before が・は・も, so its name may be short (いぬ, ねこ are in the list already).
    const animals = [...file.animals.subjects, ...sounds(file.animals.subjects, 2)];
    const subjects = [...new Set(animals.map((w) => foldKana(normalizeText(w)).replace(/\s+/g, '')).filter(Boolean))];
    this.animals = {
      ...(subjects.length ? { subject: new RegExp(`(?:${subjects.map(escapeRegExp).join('|')})(?:が|は|も)`, 'u') } : {}),
      persons: new PhraseSet([...file.animals.persons, ...childWords]),
      acts: new PhraseSet(file.animals.acts),
    };
    const alternatives = (kana: readonly string[]) => `(?:${kana.map(escapeRegExp).join('|')})`;
    const spokenRe = (kana: readonly string[]) => new RegExp(`${WORD_START}${alternatives(kana)}`, 'u');
    // Calm words in kana are looked for anywhere, not only where a word starts: many begin with a particle or end a word
    // (が怖くて, と聞いて, 転落防止, とまでは思わない).
    const anywhere = (kana: readonly string[]) => new RegExp(alternatives(kana), 'u');
    const allKana = new Set<string>();
    const spelled = (phrases: readonly string[], min?: number, re = spokenRe): Spelled => {
      const kana = sounds(phrases, min);
      if (re === spokenRe) for (const k of kana) allKana.add(k);
      return { written: new PhraseSet(phrases), ...(kana.length ? { spoken: re(kana) } : {}) };
    };
    const forms = (phrases: readonly string[]) => (otherForms ? [...new Set(phrases.flatMap((p) => [p, ...otherForms(p)]))] : phrases);
    this.rules = file.rules.map((r) => ({ kind: r.kind, any: r.any && spelled(forms(r.any)), all: r.all?.map((g) => spelled(forms(g), GROUP_KANA)) }));
    this.anySpoken = allKana.size ? spokenRe([...allKana]) : undefined;
    this.calmContexts = spelled(Object.values(file.calm).flat(), CALM_KANA, anywhere);
    this.settledContexts = spelled(file.calm.over ?? [], CALM_KANA, anywhere);
    this.services = new PhraseSet(file.services);
    const unreal = (file.calm.unreal ?? []).map((p) => foldKana(normalizeText(p)).replace(/\s+/g, '')).filter(Boolean);
    // The clause before an ending of calm.unreal, back to the last punctuation: 「息が止まるかと思った」 says what did not happen.
    this.unreal = unreal.length ? new RegExp(`[^。．！？!?、,]*(?:${unreal.map(escapeRegExp).join('|')})`, 'gu') : undefined;
  }
  private readonly unreal: RegExp | undefined;
  /** Every rule's phrases as they sound: most messages have none of them, and then no rule's kana is tried. */
  private readonly anySpoken: RegExp | undefined;

  read(raw: string): DangerReading {
    const norm = normalizeText(raw);
    const spaced = foldKana(norm);
    const { folded } = said(norm, spaced);
    // Danger rules read the message without what it says did not happen, nor its clauses about an animal; the clause
    // still makes the message calm.
    const people = this.aboutPeople(raw, folded) ?? folded;
    const real = this.unreal ? people.replace(this.unreal, '、') : people;
    // Kana is searched with the punctuation kept as spaces: 「…しもうた、ちがどくどく」 has a word start after the comma.
    const heard = real === folded ? spaced : real;
    // The first rule met as written names the danger; failing that, the first met with some phrase in kana. One pass:
    // each phrase list is searched once, its kana only when the written phrases are absent.
    let named: EmergencyKind | undefined;
    let spoken: EmergencyKind | undefined;
    // …and without its spaces too, for a phrase of several words typed spaced (「うでが へんなほうこうに まがってる」).
    const joined = heard.replace(/\s+/g, '');
    const texts = joined === heard ? [heard] : [heard, joined];
    const anySpoken = this.anySpoken;
    const kana = !!anySpoken && texts.some((t) => anySpoken.test(t)) && texts;
    for (const r of this.rules) {
      const met = r.any ? this.meets(r.any, real, kana) : this.meetsAll(r.all ?? [], real, kana);
      if (met === 'written') {
        named = r.kind;
        break;
      }
      if (met === 'spoken') spoken ??= r.kind;
    }
    named ??= spoken;
    return {
      ...(named ? { named } : {}),
      ...(real !== folded ? { real } : {}),
      calm: !!this.meets(this.calmContexts, folded, [folded]),
      settled: this.over(folded),
      services: !!this.services.find(folded),
    };
  }

  /**
   * Whether the message says the danger is over: a settled phrase, and no new danger named after the last one (stillOver).
   * Most messages have no settled phrase: one search says so before any position is looked for.
   */
  private over(folded: string): boolean {
    if (!this.meets(this.settledContexts, folded, [folded])) return false;
    return stillOver(
      folded,
      lastEnd(this.settledContexts, folded),
      (after) => !!this.read(after).named,
      (text) => this.dangerWords(text),
    );
  }

  /** The rule phrases a text meets, as written or as they sound (only where a settled phrase is, so not on every message). */
  private dangerWords(folded: string): Set<string> {
    const out = new Set<string>();
    for (const r of this.rules)
      for (const s of r.any ? [r.any] : (r.all ?? [])) {
        for (const p of s.written.findAll(folded)) out.add(p);
        if (s.spoken) for (const m of folded.matchAll(everywhere(s.spoken))) out.add(m[0]);
      }
    return out;
  }

  /**
   * Whether a phrase list is in the text as written, only as its phrases sound in kana, or not at all (`kana`: the text
   * as the kana is searched, with its spaces and without them; false when no rule's kana is in it at all).
   */
  private meets(s: Spelled, text: string, kana: readonly string[] | false): 'written' | 'spoken' | undefined {
    if (s.written.find(text) !== undefined) return 'written';
    const spoken = s.spoken;
    return kana && spoken && kana.some((k) => spoken.test(k)) ? 'spoken' : undefined;
  }

  /** The same for a rule whose every list must be met: `spoken` when any of them is met only in kana. */
  private meetsAll(groups: readonly Spelled[], text: string, kana: readonly string[] | false): 'written' | 'spoken' | undefined {
    let how: 'written' | 'spoken' = 'written';
    for (const g of groups) {
      const met = this.meets(g, text, kana);
      if (!met) return undefined;
      if (met === 'spoken') how = 'spoken';
    }
    return groups.length ? how : undefined;
  }

  /**
   * The text without its clauses about an animal: a clause whose subject is one (「ハムスターがけいれんしてて」), that
   * names no person and no act of the animal on someone. The clauses after it are kept even without a subject of their
   * own: 「犬が飛び出して、転んで頭を打った」 may well be the child's fall.
   */
  private aboutPeople(raw: string, folded: string): string | undefined {
    const { subject, persons, acts } = this.animals;
    // Most messages name no animal: looking is cheaper than cutting every message into clauses.
    if (!subject || !subject.test(folded)) return undefined;
    // Clauses are cut at the raw text's punctuation: normalizeText drops it.
    const clauses = raw.split(/[。．！？!?、,，\n]+/u).map((c) => said(normalizeText(c)).folded);
    const animal = (clause: string) => subject.test(clause) && !persons.find(clause) && !acts.find(clause);
    if (!clauses.some(animal)) return undefined;
    return clauses.map((c) => (animal(c) ? '、' : c)).join('');
  }
}

/**
 * A list of phrases and patterns in data: asking for a person (intents/_handoff.yaml), for the guided consultation
 * (_guide.yaml) or for one's data to be erased (_erase.yaml).
 */
export class PhraseDetector {
  private readonly phrases: PhraseSet;
  private readonly patterns: PatternSet;
  constructor(file: HandoffFile) {
    this.phrases = new PhraseSet(file.phrases);
    this.patterns = new PatternSet(file.patterns);
  }
  detect(s: Said): boolean {
    return !!this.phrases.find(s.folded) || this.patterns.test(s.norm.replace(/\s+/g, ''));
  }
}

/** Topics the bot must not answer itself (intents/_guards.yaml). */
export class GuardDetector {
  private readonly judgment: PhraseSet;
  private readonly outOfScope: PhraseSet;
  private readonly child: PhraseSet;
  constructor(file: GuardsFile) {
    this.judgment = new PhraseSet(file.judgment);
    this.outOfScope = new PhraseSet(file.out_of_scope);
    this.child = new PhraseSet(file.about_a_child);
  }

  /** Whether a text is about a child: a word for one (about_a_child), or a child's age (3歳, 生後2か月, 小3). */
  aboutAChild(text: string): boolean {
    return !!this.child.find(said(normalizeText(text)).folded) || extractAges(text).some((a) => a.min >= 0);
  }

  detect(s: Said): 'judgment' | 'out_of_scope' | undefined {
    if (this.judgment.find(s.folded)) return 'judgment';
    if (this.outOfScope.find(s.folded)) return 'out_of_scope';
    return undefined;
  }
}

/** Words of a parent at the end of their strength (intents/_feelings.yaml). */
export class FeelingDetector {
  private readonly distress: PhraseSet;
  constructor(file: FeelingsFile) {
    this.distress = new PhraseSet(file.distress);
  }
  distressed(s: Said): boolean {
    return !!this.distress.find(s.folded);
  }
}
