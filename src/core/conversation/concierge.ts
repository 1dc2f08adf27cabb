import { japanDate } from '../knowledge/freshness.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import { Condition, Facet, Need, SMALLTALK_IDS, type EmergencyKind } from '../knowledge/schema.js';
import type { Analysis, Analyzer } from '../nlp/analyzer.js';
import type { Ranked as IntentScore, Understanding, Understood } from '../nlp/learned/understanding.js';
import { readByRequest, REREAD_FROM_NONE, splitRequest } from './request.js';
import { EmergencyDetector, FacetDetector, FeelingDetector, GuardDetector, PhraseDetector, said, type DangerReading, type Said } from './cues.js';
import { DEFAULT_THRESHOLDS, MISSES_BEFORE_OFFER, type PolicyThresholds } from './policy.js';
import { decideText, type Reading, type TurnKit } from './text-steps.js';
import type { Turn } from './turn.js';
import { maskPersonalData } from '../privacy/mask.js';
import { decodePostback } from './postback.js';
import { describeChildren, extractAges, extractFacts, mergeFacts } from './facts.js';
import { assess, recommend } from './eligibility.js';
import { NOTHING_SPECIAL, WHO_OPTIONS, needFromText, type GuideStep } from './guide.js';
import { fill, japaneseCopy, conciergeContact, type Copy } from './copy/ja.js';
import { ReplyComposer, postback } from './replies.js';
import { japaneseVoice, voiceIn, type Voice } from './voice.js';
import { detectLanguage } from '../nlp/language.js';
import { languageForProfile } from '../knowledge/languages/load.js';
import { BASE_LANGUAGE } from '../knowledge/languages/schema.js';
import { isLatinText } from '../nlp/script.js';
import { normalizeText } from '../nlp/normalize.js';
import { readRomaji } from '../nlp/romaji.js';
import { emptyState, type ConversationState, type Decision, type Incoming, type QuickReply, type Reply } from './types.js';
import { FacilityDirectory, type DirectoryAnswer } from './directory.js';
import { directoryLead } from './directory-lead.js';
import { facilityCard } from './facility-cards.js';
import { PhraseSet } from '../nlp/phrases.js';
import { blendWithJapanese, type ForeignRead, type ForeignUnderstanding } from '../nlp/foreign/understanding.js';

export interface ConciergeDeps {
  kb: KnowledgeBase;
  analyzer: Analyzer;
  understanding: Understanding;
  /** Models and cues of the languages read apart from Japanese (English, Tiếng Việt, 中文); without them, all is Japanese. */
  foreign?: Pick<ForeignUnderstanding, 'read' | 'dangerAnywhere'>;
  thresholds?: PolicyThresholds;
  /** How long a topic stays available for follow-ups like 「料金は？」. */
  contextTtlMs?: number;
}

export type { Turn } from './turn.js';

const SMALLTALK = new Set<string>(SMALLTALK_IDS);
// Openers of a follow-up that refers back to the last topic: 「じゃあ上の子は？」「それって…」.
const FOLLOW_UP =
  /^(じゃあ|じゃ|では|それ|あと|なら|ほんなら|ほな)|上の子|下の子|うちの子|その|それ|兄|姉|弟|妹|(の|で|だけで|だけ)も(ある|あり|いい|ええ|いける|使え|つかえ|でき|大丈夫|ok|対象|もらえ|受け)/;
const OTHER_CHILD = /上の子|下の子|兄|姉|弟|妹/;
const SHORT_FOLLOW_UP = /(も|でも|は|とか)(ある|あります|あり|いる|いける|ok|大丈夫|できる|できます)?(か|の|かな)?$/u;
const SHORT_FOLLOW_UP_CHARS = 8;
// A question: a question mark anywhere, or a question's ending (か, かな, の, ん, のう, でしょう).
const ASKS = /[?？]|(か|かな|かね|の|ん|のう|でしょう)[\s。…!！]*$/u;
const TOPICLESS_MAX_CHARS = 30;
// What may be left of a follow-up once its facet words are taken out (「土曜日もあいてる」 → 「日もる」) for it to name no topic.
const BARE_RESIDUAL = 4;
const MAX_TEXT = 2000;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const SMALLTALK_MAX_CHARS = 30;
/** Below this, a question with a facet cue right after a topic is not read as a new topic. */
const FOLLOW_UP_NEW_TOPIC = 0.5;

/**
 * The conversation core: (message, state, now) → decision, replies and the next state. Pure: no I/O, no
 * clock of its own, so the webhook, the simulator, the CLI and the evaluation all get the same answers.
 */
export class Concierge implements TurnKit {
  private readonly facets: FacetDetector;
  private readonly emergency: EmergencyDetector;
  private readonly handoff: PhraseDetector;
  private readonly guideStart: PhraseDetector;
  private readonly eraseRequest: PhraseDetector;
  private readonly guards: GuardDetector;
  private readonly feelings: FeelingDetector;
  private readonly compose: ReplyComposer;
  /** Every fixed sentence, with the concierge's line from knowledge/_contacts.yaml. */
  readonly copy: Copy;
  readonly thresholds: PolicyThresholds;
  private readonly directory: FacilityDirectory;
  private readonly serviceKeywords: { intent: string; phrases: PhraseSet }[];
  private readonly contextTtlMs: number;
  /** The voices of the languages met so far (made once each: they hold no state). */
  private readonly voices = new Map<string, Voice>();
  private readonly japanese: Voice;
  /**
   * The voice of the turn being made: the parent's language. `respond` is synchronous and sets it for the length of
   * one turn, so every step below speaks the parent's language without passing it along.
   */
  private v: Voice;

  constructor(private readonly deps: ConciergeDeps) {
    this.facets = new FacetDetector(deps.kb.facetCues, (cue, o) => deps.analyzer.kanaSpelling(cue, o));
    this.emergency = new EmergencyDetector(
      deps.kb.emergency,
      deps.kb.guards.about_a_child,
      (phrase, min) => deps.analyzer.spokenForm(phrase, min),
      (phrase) => deps.analyzer.negativeForms(phrase),
    );
    this.handoff = new PhraseDetector(deps.kb.handoff);
    this.guideStart = new PhraseDetector(deps.kb.guide);
    this.eraseRequest = new PhraseDetector(deps.kb.erase);
    this.guards = new GuardDetector(deps.kb.guards);
    this.feelings = new FeelingDetector(deps.kb.feelings);
    this.copy = japaneseCopy(conciergeContact(deps.kb));
    this.compose = new ReplyComposer(deps.kb, this.copy);
    this.japanese = japaneseVoice(deps.kb, this.copy, this.compose);
    this.voices.set(BASE_LANGUAGE, this.japanese);
    this.v = this.japanese;
    this.serviceKeywords = [...deps.kb.intents.values()].filter((i) => !SMALLTALK.has(i.id)).map((i) => ({ intent: i.id, phrases: new PhraseSet(i.keywords) }));
    this.directory = new FacilityDirectory(
      deps.kb.facilities,
      (s) => deps.analyzer.analyze(s).folded,
      (s) => deps.analyzer.readingOf(s),
    );
    this.thresholds = deps.thresholds ?? DEFAULT_THRESHOLDS;
    this.contextTtlMs = deps.contextTtlMs ?? 30 * 60 * 1000;
  }

  /** The voice of a language code (日本語 for none or one the knowledge base does not have). */
  voiceFor(code: string | undefined): Voice {
    if (code === undefined || !this.deps.kb.languages.has(code)) return this.japanese;
    let voice = this.voices.get(code);
    if (!voice) this.voices.set(code, (voice = voiceIn(this.deps.kb, code)));
    return voice;
  }

  respond(message: Incoming, state: ConversationState, now: number): Turn {
    const turn = this.respondInLanguage(message, state, now);
    // A 「まちがっている」 tap waits for one message only: whatever comes next closes it.
    if (turn.state.report && turn.decision.report?.step !== 'opened') {
      const { report: _closed, ...rest } = turn.state;
      return { ...turn, state: rest };
    }
    return turn;
  }

  private respondInLanguage(message: Incoming, state: ConversationState, now: number): Turn {
    try {
      // A message that is only a language's name (「English」「Tiếng Việt」「英語」) or 「Language」「言語」: the menu's choice, typed.
      const named = message.kind === 'text' ? this.languageNamed(message.text) : undefined;
      if (named !== undefined) {
        this.v = this.voiceFor(state.language);
        return named === LANGUAGE_MENU
          ? this.respondIn({ kind: 'postback', data: postback({ a: 'lang' }) }, state, now)
          : this.switchLanguage(named, state, now);
      }
      // Writing plainly in another language is a choice of language: the answer (and the rest) comes in it.
      const switched = message.kind === 'text' ? this.languageOfText(message.text, state) : undefined;
      const s = switched === undefined ? state : withLanguage(state, switched);
      this.v = this.voiceFor(s.language);
      const turn = this.respondIn(message, s, now);
      if (switched === undefined) return turn;
      // An emergency card is never delayed, not even by one line.
      const note: Reply = { type: 'text', text: this.v.copy.languageSwitched };
      const replies = turn.decision.action === 'emergency' ? [...turn.replies, note] : [note, ...turn.replies];
      return { ...turn, replies: replies.slice(0, MAX_REPLIES), switchedTo: switched };
    } finally {
      this.v = this.japanese;
    }
  }

  /**
   * The language a message asks to be answered in, when it differs from the parent's and says so clearly: English,
   * Tiếng Việt or 中文 written plainly (detectLanguage's `confident`), or Japanese written with kana in a sentence
   * (a single word, or romaji, from someone who chose another language is not a change of mind). やさしい日本語 is
   * only ever chosen: Japanese text keeps it.
   */
  private languageOfText(text: string, state: ConversationState): string | undefined {
    const d = detectLanguage(text);
    if (!d?.confident) return undefined;
    const current = state.language ?? BASE_LANGUAGE;
    if (d.code === BASE_LANGUAGE) {
      if (current === BASE_LANGUAGE || this.japaneseFamily(current)) return undefined;
      const kana = text.match(/[\p{Script=Hiragana}\p{Script=Katakana}]/gu)?.length ?? 0;
      return kana >= JAPANESE_SWITCH_MIN_KANA ? BASE_LANGUAGE : undefined;
    }
    if (d.code === current || !this.deps.kb.languages.has(d.code)) return undefined;
    // Latin letters must make words, not a keyboard run (「qwertyuiop zxcv」 is no request for English); Vietnamese
    // marks almost every word, while one 「ê」 is as likely Portuguese or French (「Nasceu meu bebê」).
    if (d.code === 'zh') return d.code;
    if (d.code === 'vi' && (text.normalize('NFC').match(VIETNAMESE_LETTERS)?.length ?? 0) < 2) return undefined;
    return wordLike(text) >= 2 ? d.code : undefined;
  }

  /** The language a message names and nothing else, or LANGUAGE_MENU for the word 「Language」 itself. */
  private languageNamed(text: string): string | undefined {
    const key = nameKey(text);
    if (!key || key.length > 24) return undefined;
    if (LANGUAGE_WORDS.has(key)) return LANGUAGE_MENU;
    for (const pack of this.deps.kb.languages.values()) if ([pack.meta.name, pack.meta.nameJa].some((n) => nameKey(n) === key)) return pack.meta.code;
    return undefined;
  }

  /** やさしい日本語 (and any language whose words fall back to Japanese directly). */
  private japaneseFamily(code: string): boolean {
    return this.deps.kb.languages.get(code)?.meta.fallback === BASE_LANGUAGE;
  }

  /** The turn in the parent's language (this.v). */
  private respondIn(message: Incoming, state: ConversationState, now: number): Turn {
    switch (message.kind) {
      case 'text': {
        const turn = this.withQuestion(this.onText(message.text, this.withFacts(message.text, state), now), message.text, now);
        const detail = this.reportDetail(turn, state, now);
        return detail ?? this.inTheirWords(turn, message.text);
      }
      case 'postback':
        return this.onPostback(message.data, state, now);
      case 'follow':
        return this.follow(message.language, state, now);
      case 'join':
        return this.turn({ action: 'smalltalk', intent: 'greeting', reason: 'join' }, [{ type: 'text', text: this.v.copy.joinGroup }], [], state, now);
      case 'unsupported':
        return this.onUnsupported(message.what, state, now);
    }
  }

  /**
   * The greeting. A LINE profile in a language the bot speaks sets the conversation's language; any other profile
   * language gets やさしい日本語, with one English line saying how to choose another.
   */
  private follow(profileLanguage: string | undefined, state: ConversationState, now: number): Turn {
    const known = profileLanguage === undefined ? undefined : languageForProfile(this.deps.kb.languages, profileLanguage, '') || undefined;
    const other = profileLanguage !== undefined && !known;
    const code = known ?? (other && this.deps.kb.languages.has(OTHER_PROFILE_LANGUAGE) ? OTHER_PROFILE_LANGUAGE : state.language);
    const s = withLanguage(state, code ?? BASE_LANGUAGE);
    this.v = this.voiceFor(s.language);
    const turn = this.turn(
      { action: 'smalltalk', intent: 'greeting', reason: 'follow' },
      [
        { type: 'text', text: this.v.copy.follow.thanks },
        this.v.compose.smalltalk('greeting'),
        { type: 'text', text: this.v.copy.follow.guide },
        ...(other ? [{ type: 'text' as const, text: this.v.copy.follow.otherLanguage }] : []),
      ],
      [this.v.guideStart, ...this.v.menu(), ...(this.v === this.japanese ? [this.v.languageButton] : [])],
      s,
      now,
    );
    // The menu follows the profile's language whenever LINE told it (a returning friend may have had another).
    return profileLanguage === undefined ? turn : { ...turn, switchedTo: this.v.code };
  }

  /** The parent chose a language: said in it, and the topic the conversation was on, answered again in it. */
  private switchLanguage(code: string, state: ConversationState, now: number): Turn {
    const s = withLanguage(state, code);
    this.v = this.voiceFor(s.language);
    const note: Reply = { type: 'text', text: this.v.copy.languageSwitched };
    const topic = this.freshTopic(s, now);
    if (topic && this.deps.kb.entries.has(topic.intent) && !SMALLTALK.has(topic.intent)) {
      const turn = this.answer(topic.intent, topic.facet, undefined, 'language', s, now);
      return { ...turn, replies: [note, ...turn.replies], switchedTo: this.v.code };
    }
    return { ...this.turn({ action: 'smalltalk', reason: 'language' }, [note], this.v.menu(), s, now), switchedTo: this.v.code };
  }

  private onText(raw: string, state: ConversationState, now: number): Turn {
    return decideText({ r: this.read(raw), state, now, kit: this });
  }

  /** Reads a text message once, for every rule of the turn (text-steps.ts). */
  private read(raw: string): Reading {
    const text = raw.slice(0, MAX_TEXT);
    const a = this.deps.analyzer.analyze(text);
    const foreign = this.deps.foreign?.read(text);
    if (foreign) return this.readForeign(text, a, foreign);
    const whole = this.deps.understanding.read(a);
    // 「AじゃなくてB」: the request is B; what the message is (danger, a person wanted) is read from all of it. B names the
    // service only when it reads as one at least as clearly as the whole message does (or clearly enough to answer):
    // in 「子育てひろばに行ってもええ？母親じゃのうてじいちゃんじゃが」 B is a person, and the service is in A.
    const focus = contrastFocus(text);
    const b = focus ? this.deps.understanding.read(this.deps.analyzer.analyze(focus)) : undefined;
    const serviceScore = (x: Understood) => x.ranking.find((r) => !SMALLTALK.has(r.intent))?.score ?? 0;
    const bNamesService = b && serviceScore(b) >= Math.min(this.thresholds.answer, serviceScore(whole));
    // 「ひとり親じゃなくても使える？」: the topic is read without the condition, whatever the rest makes of it (right after
    // the short stay, nothing: the question is about the short stay).
    const rest = focus ? undefined : withoutCondition(text);
    const read = rest ? this.deps.understanding.read(this.deps.analyzer.analyze(rest)) : undefined;
    // A question with a condition is no chat: 「使える？」 on its own may ask about the bot, not here.
    const c = read && { ...read, ranking: read.ranking.filter((r) => !SMALLTALK.has(r.intent)) };
    const topical = bNamesService ? b : c;
    let u = topical ? { ...topical, emergency: whole.emergency, handoff: whole.handoff } : whole;
    // A story about a child that ends in a question: the question decides whether it is other business.
    const asked = splitRequest(text);
    if (asked && u.none >= REREAD_FROM_NONE && this.guards.aboutAChild(asked.story))
      u = readByRequest(u, this.deps.understanding.read(this.deps.analyzer.analyze(asked.request)));
    const danger = this.readDanger(text);
    // What did not happen (「息が止まるかと思った」) is no evidence of danger for the emergency model either.
    if (danger.real !== undefined) u = { ...u, emergency: this.deps.understanding.read(this.deps.analyzer.analyze(danger.real)).emergency };
    const message = said(a.norm, a.folded);
    let ranking = u.ranking;
    // Greetings, thanks and "how do I use this" are short; in a long message that also asks about a service they are
    // only the wrapping (「こんにちは、保育園の申し込みは…」).
    const service = ranking.find((r) => !SMALLTALK.has(r.intent));
    if (a.norm.length > SMALLTALK_MAX_CHARS && service && service.score >= this.thresholds.fallback) ranking = ranking.filter((r) => !SMALLTALK.has(r.intent));
    // Cue words of several aspects (「料金かかりますか？無償化の対象になる？」): the facet model, when sure of one of
    // them, says which is asked; otherwise the cue groups' order does.
    const sure = u.facet.facet !== 'overview' && u.facet.score >= this.thresholds.facetAmongCues;
    // The cue groups of the whole text, as the models found them (else looked for here).
    const preferred = sure ? u.facet.facet : undefined;
    const cue = whole.cues ? this.facets.fromHits(whole.cues, preferred) : this.facets.detect(a.norm, preferred);
    const facet = cue ?? (u.facet.facet !== 'overview' && u.facet.score >= this.thresholds.facet ? u.facet.facet : undefined);
    // Words spaced out spread the models' probability like a long message does; the bar is lowered only for a message
    // about a child (「わしの 歯の 健診は…今年 80に なるんじゃが」 is an adult's and stays other business).
    const spaced = spacesBetweenWords(text) >= this.thresholds.spacedWords && this.guards.aboutAChild(text);
    return {
      text,
      a,
      u,
      danger,
      emergency: this.danger(danger, u),
      message,
      ranking,
      best: ranking[0],
      guard: this.guards.detect(message),
      cue,
      facet,
      ...(spaced ? { spaced } : {}),
    };
  }

  /**
   * Danger named in the text; for text without kana, also by the other languages' cues; for romaji, also in its kana (「iki shitenai」 is いきしてない),
   * so the rules of intents/_emergency.yaml written in kana meet it. Text in Japanese script is read as before.
   */
  private readDanger(text: string): DangerReading {
    const plain = this.emergency.read(text);
    if (plain.named || KANA.test(text)) return plain;
    // Without kana, the script may not have told the language: any language's danger cues count.
    const other = this.deps.foreign?.dangerAnywhere(text);
    if (other?.named) return { ...plain, named: other.named, calm: plain.calm || other.calm };
    if (!isLatinText(text)) return plain;
    const kana = this.emergency.read(readRomaji(normalizeText(text)).text);
    return kana.named ? { ...plain, named: kana.named, calm: plain.calm || kana.calm } : plain;
  }

  /**
   * A message in English, Tiếng Việt or 中文, read by that language's models and cues; the rules of the turn then run as
   * for Japanese. Danger is read by both the language's rules and intents/_emergency.yaml (which names some concepts in
   * several languages): either one is enough.
   */
  private readForeign(text: string, a: Analysis, f: ForeignRead): Reading {
    const ja = this.emergency.read(text);
    const danger: DangerReading = {
      ...(f.cues.named || ja.named ? { named: f.cues.named ?? ja.named } : {}),
      calm: f.cues.calm || ja.calm,
      settled: f.cues.settled || ja.settled,
      services: ja.services,
    };
    const u = f.japaneseWeight ? blendWithJapanese(f.u, this.deps.understanding.read(a), f.japaneseWeight) : f.u;
    const service = u.ranking.find((r) => !SMALLTALK.has(r.intent));
    const ranking =
      a.norm.length > SMALLTALK_MAX_CHARS && service && service.score >= this.thresholds.fallback
        ? u.ranking.filter((r) => !SMALLTALK.has(r.intent))
        : u.ranking;
    const cue = f.cues.facet;
    const facet = cue ?? (u.facet.facet !== 'overview' && u.facet.score >= this.thresholds.facet ? u.facet.facet : undefined);
    const message = said(a.norm, a.folded);
    return { text, a, u, danger, emergency: this.danger(danger, u), message, ranking, best: ranking[0], guard: undefined, cue, facet, foreign: true };
  }

  // The TurnKit the steps use.
  isSmalltalk(intent: string): boolean {
    return SMALLTALK.has(intent);
  }
  detectsErase(s: Said): boolean {
    return this.eraseRequest.detect(s);
  }
  detectsHandoff(s: Said): boolean {
    return this.handoff.detect(s);
  }
  detectsGuideStart(s: Said): boolean {
    return this.guideStart.detect(s);
  }
  stripFacetWords(norm: string): string {
    return this.facets.strip(norm);
  }
  emergencyTurn(kind: EmergencyKind, state: ConversationState, now: number): Turn {
    return this.turn({ action: 'emergency', emergencyKind: kind, reason: kind }, [this.v.compose.emergency(kind)], [this.v.handoff], state, now, { misses: 0 });
  }
  dangerOverTurn(state: ConversationState, now: number): Turn {
    return this.turn({ action: 'smalltalk', reason: 'danger_over' }, [{ type: 'text', text: this.v.copy.dangerOver }], this.v.menu(), state, now, {
      misses: 0,
    });
  }
  eraseConfirmTurn(state: ConversationState, now: number): Turn {
    return this.turn(
      { action: 'smalltalk', reason: 'erase_confirm' },
      [{ type: 'text', text: this.v.copy.erase.confirm }],
      [{ ...this.v.copy.erase.button, postback: postback({ a: 'erase' }) }, ...this.v.menu().slice(0, 5)],
      state,
      now,
    );
  }
  guideStartTurn(state: ConversationState, now: number): Turn {
    return this.guideNext({ ...state, guide: { step: 'who', asked: [], at: now } }, now, 'start');
  }
  facetOnlyTurn(ids: string[], facet: Facet, state: ConversationState, now: number): Turn {
    return this.turn(
      { action: 'clarify', candidates: ids, facet, reason: 'facet_only' },
      [{ type: 'text', text: this.v.copy.facetOnly(this.v.facetLabel(facet)) }],
      [...this.v.compose.choices(ids, facet), ...this.v.menu().slice(0, 12 - ids.length)],
      state,
      now,
      { pending: { candidates: ids, at: now } },
    );
  }
  directoryTurn(r: Reading, state: ConversationState, now: number, otherBusiness: boolean): Turn | undefined {
    // The directory steps aside for cost, application and eligibility questions only when they are plain: a cue word,
    // or the facet model at the stricter directoryFacet threshold.
    const plain = r.cue ?? (r.u.facet.facet !== 'overview' && r.u.facet.score >= this.thresholds.directoryFacet ? r.u.facet.facet : undefined);
    return this.directoryAnswer(r.a, r.text, r.cue, plain, r.ranking, state, now, otherBusiness);
  }
  clarifyTurn(candidates: string[], score: number, facet: Facet | undefined, state: ConversationState, now: number): Turn {
    return this.turn(
      { action: 'clarify', candidates, score: round(score), facet },
      [{ type: 'text', text: this.v.copy.clarify }],
      [...this.v.compose.choices(candidates, facet ?? 'overview'), this.v.handoff],
      state,
      now,
      { pending: { candidates, at: now }, misses: state.misses + 1 },
    );
  }

  /**
   * Danger now, safety first: a danger concept named (intents/_emergency.yaml) gives the emergency card unless the
   * message is calm about it (told as past, prevention, news, a pet, a joke) and the model does not see an
   * emergency either; without a concept, the model alone must be sure (surer still when the message is calm).
   */
  private danger({ named, calm, settled }: DangerReading, u: Understood) {
    const t = this.thresholds;
    // Told that it is over (「今は落ち着きました」): only a model that is sure of danger now overrules that.
    if (settled) return u.emergency >= t.emergencyCalm ? (named ?? 'medical') : undefined;
    // A rule met in kana counts as one met in kanji: the calm words are heard in kana too (EmergencyDetector).
    if (named) return !calm || u.emergency >= t.emergencyWithConcept ? named : undefined;
    // The model alone must be surer when the message is calm about what it mentions.
    return u.emergency >= (calm ? t.emergencyCalm : t.emergency) ? 'medical' : undefined;
  }

  /** The services a message names by their keywords (`folded` without spaces, as Said.folded). */
  private servicesNamed(folded: string): string[] {
    return this.serviceKeywords.filter((k) => k.phrases.find(folded) !== undefined).map((k) => k.intent);
  }

  /**
   * A message without a topic of its own (「料金は？」「じゃあ上の子は？」) continues the last one, as long as
   * that topic is fresh and the message does not clearly start a new one.
   */
  followUp({ a, u, text, message, ranking, facet }: Reading, state: ConversationState, now: number): Turn | undefined {
    const topic = this.freshTopic(state, now);
    if (!topic) return undefined;
    const compact = a.norm.replace(/\s+/g, '');
    // 「入院も？」「公務員でも？」「薬代は？」: a few words ending in a particle of addition or topic, and nothing the
    // models read as a new topic, ask about the one just talked about.
    const marker =
      FOLLOW_UP.test(compact) ||
      (compact.length <= SHORT_FOLLOW_UP_CHARS && SHORT_FOLLOW_UP.test(compact) && !(ranking[0] && ranking[0].score >= this.thresholds.answer));
    const best = ranking[0];
    // 「双子だったら倍になります？」「お弁当はいるのかな」: a short question in which the models find no topic at all, nor
    // other business, asks about the topic just talked about.
    const topicless =
      compact.length <= TOPICLESS_MAX_CHARS &&
      ASKS.test(text.trim()) &&
      (!best || best.intent === topic.intent || best.score < this.thresholds.fallback) &&
      u.none < this.thresholds.outOfScope;
    if (!facet && !marker && !topicless) return undefined;
    const ownTopic = best && best.intent !== topic.intent && !SMALLTALK.has(best.intent) && best.score >= this.thresholds.answer;
    const residual = this.facets.strip(a.norm).replace(/\s+/g, '');
    // A short question made only of facet words, or an explicit follow-up opener, stays on the topic.
    // A longer question may name its own topic — unless the topic we are on is nearly as good a reading of it
    // (「どこの病院で受けれる？」 right after 予防接種 is still about 予防接種).
    const topicScore = ranking.find((r) => r.intent === topic.intent)?.score ?? 0;
    // …or when the model is not sure of a new one at all.
    const topicClose = best !== undefined && (best.score - topicScore <= this.thresholds.clarifyBand * 1.5 || best.score < FOLLOW_UP_NEW_TOPIC);
    if (ownTopic && residual.length > 6 && !marker && !topicClose) return undefined;
    // A sure new topic wins, unless the message is only facet words and names no service (「土曜日もあいてる？」 reads as
    // the holiday doctors to the models, but right after the mother-child handbook it asks about the handbook's desk).
    if (ownTopic && best.score >= this.thresholds.sure && !(residual.length <= BARE_RESIDUAL && !this.servicesNamed(message.folded).length)) return undefined;
    // 「入院も？」 right after 「何歳まで無料？」 asks the same thing of something else: a follow-up without a facet word of
    // its own keeps the aspect just asked about (across writers this answers 3 more facets, and none fewer).
    const asked: Facet = facet ?? (OTHER_CHILD.test(compact) && /\d|小|中|高|歳|年/.test(compact) ? 'who' : marker || topicless ? topic.facet : 'overview');
    return this.answer(topic.intent, asked, best?.intent === topic.intent ? best.score : undefined, 'context', state, now);
  }

  /**
   * The facility directory's answer: a lead saying what was looked for, then a card per facility. Questions of cost,
   * application or eligibility stay with the entries (a facility record does not hold those). The decision names the
   * service the parent most likely means among the facilities' topics, so statistics and follow-ups stay per service.
   */
  private directoryAnswer(
    a: Analysis,
    text: string,
    cue: Facet | undefined,
    facet: Facet | undefined,
    ranking: IntentScore[],
    state: ConversationState,
    now: number,
    otherBusiness: boolean,
  ): Turn | undefined {
    if (cue === 'cost' || cue === 'how' || cue === 'who') return undefined;
    const looked = this.directory.lookup(a, text);
    const again = looked ? undefined : this.shownAgain(a, cue, state, now);
    const found = looked ?? again;
    if (!found) return undefined;
    const topics = [...new Set(found.facilities.flatMap((f) => f.topics))].filter((id) => this.deps.kb.entries.has(id));
    const best = ranking.find((r) => !SMALLTALK.has(r.intent));
    // The models read a bare proper noun (笠岡市立市民病院) as other business or as some service's cost; a message that is
    // only a facility's name and what its card answers is a directory question whatever they say.
    if (!found.query.bare) {
      if (otherBusiness || facet === 'cost' || facet === 'how' || facet === 'who') return undefined;
      // A place named only as the setting of another question (熱で保育園に行けない、預かってくれるところ; 病院で妊娠と言われた):
      // when the model is sure the message is about a service none of these facilities offers, that service answers.
      if (best && best.score >= this.thresholds.answer && !topics.includes(best.intent)) return undefined;
    }
    // …or when the message names another service by its keywords (ワクチン どこ びょういん) and none of theirs.
    if (!found.query.named.length) {
      const named = this.servicesNamed(a.folded.replace(/\s+/g, ''));
      if (named.length && !named.some((id) => topics.includes(id))) return undefined;
    }
    // A follow-up about the same facilities stays on the service the conversation is about.
    const ranked = again ? undefined : ranking.find((r) => topics.includes(r.intent));
    const intent = again ? state.topic!.intent : (ranked?.intent ?? topics[0]);
    if (!intent) return undefined;
    // The lead is written from Japanese query words; another language gets a plain sentence before the cards.
    const lead: Reply = { type: 'text', text: this.v === this.japanese ? directoryLead(found, this.directory) : this.v.t('facilitiesFound') };
    const words = this.v.compose.words;
    const cards: Reply = {
      type: 'facilities',
      items: found.facilities.map((f) => this.v.compose.facilityCard(facilityCard(this.deps.kb, f))),
      ...(words ? { words } : {}),
    };
    // Nothing of that kind where the family asked, and the message is plainly about a service (夜に熱が出ても島に病院が
    // ない): the service's own answer first, then the places that do exist. Not when the places are what is asked for
    // (北木島で子どもが遊べるところ): then the lead says plainly there are none there, first.
    if (found.elsewhere && !found.query.focused && best && best.score >= this.thresholds.answer && topics.includes(best.intent)) {
      const turn = this.answer(best.intent, facet ?? 'overview', best.score, 'match', state, now);
      return { ...turn, replies: [...turn.replies, lead, cards] };
    }
    const shown: Facet = found.query.wants === 'contact' ? 'contact' : 'where';
    const related = topics.slice(0, 3);
    return this.turn(
      { action: 'answer', intent, facet: shown, score: ranked ? round(ranked.score) : undefined, reason: 'directory' },
      [lead, cards],
      [...this.v.compose.choices(related, 'overview'), ...this.v.menu()],
      state,
      now,
      { topic: { intent, facet: shown, at: now }, facilities: { ids: found.facilities.map((f) => f.id), at: now }, pending: undefined, misses: 0 },
    );
  }

  /**
   * 「電話番号は？」「場所は？」 right after a directory answer, and nothing else: the same facilities again (their cards
   * carry the numbers and addresses), not the phone of the service the topic names.
   */
  private shownAgain(a: Analysis, cue: Facet | undefined, state: ConversationState, now: number): DirectoryAnswer | undefined {
    const shown = state.facilities;
    if (!shown || !state.topic || state.topic.at !== shown.at || now - shown.at >= this.contextTtlMs) return undefined;
    if (cue !== 'contact' && cue !== 'where') return undefined;
    if (this.facets.strip(a.norm).replace(/[\sはがもってのをにでそれあと]/g, '').length > 0) return undefined;
    const facilities = shown.ids.flatMap((id) => this.deps.kb.facilities.facilities.filter((f) => f.id === id));
    if (!facilities.length) return undefined;
    const query = {
      named: facilities,
      kinds: [],
      areas: [],
      ages: [],
      wants: cue === 'contact' ? ('contact' as const) : ('place' as const),
      locator: true,
      play: false,
      focused: false,
      bare: true,
    };
    return { query, facilities, more: 0, elsewhere: false };
  }

  /** A knowledge-base answer card (staff insert one into a handed-over conversation), in the parent's language. */
  answerCard(intent: string, facet: Facet, now: number, language?: string): Reply {
    return this.voiceFor(language).compose.answer(intent, facet, japanDate(now));
  }

  freshGuide(state: ConversationState, now: number): boolean {
    return !!state.guide && now - state.guide.at < this.contextTtlMs;
  }

  /** A typed answer to the open guide question; undefined when the message is about something else. */
  guideAnswer(text: string, state: ConversationState, now: number): Turn | undefined {
    const g = state.guide!;
    const t = text.normalize('NFKC').trim();
    if (g.step === 'who' && extractAges(t).length) return this.guideNext({ ...state, guide: { ...g, at: now } }, now, 'who');
    if (g.step === 'need') {
      const need = needFromText(t);
      if (need) return this.guideNext({ ...state, guide: { ...g, need, at: now } }, now, 'need');
    }
    if (g.step === 'special' && (extractFacts(t).conditions?.length || NOTHING_SPECIAL.test(t)))
      return this.guideNext({ ...state, guide: { ...g, at: now } }, now, 'special');
    return undefined;
  }

  /** A tapped answer to a guide question. */
  private guideChoice(step: GuideStep, v: string, state: ConversationState, now: number): Turn {
    const g = state.guide!;
    if (step === 'who') {
      const option = WHO_OPTIONS.find((o) => o.v === v);
      if (option) state = { ...state, facts: mergeFacts(state.facts, { children: [option.span] }) };
    } else if (step === 'need') {
      const need = Need.safeParse(v);
      if (need.success) state = { ...state, guide: { ...g, need: need.data } };
    } else if (v !== 'none' && Condition.safeParse(v).success) {
      state = { ...state, facts: mergeFacts(state.facts, { conditions: [v as Condition] }) };
    }
    return this.guideNext({ ...state, guide: { ...state.guide!, asked: [...new Set([...state.guide!.asked, step])], at: now } }, now, step);
  }

  /**
   * The next guide question — skipping what the family already told us — or, after at most three, the services
   * that fit, ranked, each saying why.
   */
  private guideNext(state: ConversationState, now: number, after: string): Turn {
    const g = state.guide!;
    const facts = state.facts ?? {};
    const decision = (reason: string): Decision => ({ action: 'answer', intent: 'concierge', facet: 'overview', reason: `guide:${reason}` });
    const ask = (step: GuideStep, lead = ''): Turn =>
      this.turn(
        decision(after),
        [{ type: 'text', text: lead + this.v.copy.guide.questions[step] }],
        [...this.v.guideOptions(step), this.v.handoff],
        state,
        now,
        {
          guide: { ...g, step, asked: [...new Set([...g.asked, step])], at: now },
          pending: undefined,
        },
      );
    const lead = after === 'start' ? this.v.copy.guide.lead : '';
    if (!facts.children?.length && !g.asked.includes('who')) return ask('who', lead);
    if (!g.need && !g.asked.includes('need')) return ask('need', lead);
    if (!facts.conditions?.length && !g.asked.includes('special')) return ask('special', lead);

    const found = recommend(this.deps.kb, { facts, needs: g.need ? [g.need] : [] }, 5, this.v.reasons);
    const items = found.flatMap((a) => {
      const e = this.deps.kb.entries.get(a.intent);
      return e && a.fit !== 'no'
        ? [{ intent: a.intent, title: this.v.compose.title(a.intent), summary: this.v.compose.summary(a.intent), reason: a.reason, fit: a.fit }]
        : [];
    });
    const restart = { ...this.v.guideStart, label: this.v.copy.guide.restart };
    if (!items.length)
      return this.turn(decision('none_found'), [{ type: 'text', text: this.v.copy.guideNoneFound }], [this.v.handoff, restart], state, now, {
        guide: undefined,
      });
    // The children as the family described them are Japanese words (「2歳」): other languages say it without them.
    const who = this.v === this.japanese ? describeChildren(facts) : undefined;
    const intro = this.v.copy.guide.results(who);
    return this.turn(
      decision('results'),
      [
        { type: 'text', text: intro },
        { type: 'recommendations', items, ...(this.v.compose.words ? { words: this.v.compose.words } : {}) },
      ],
      [restart, this.v.handoff, ...this.v.menu().slice(0, 5)],
      state,
      now,
      {
        guide: undefined,
        pending: { candidates: items.map((i) => i.intent), at: now },
      },
    );
  }

  /** The question (masked) stays with the topic or the clarification it opened, for the unanswered log. */
  private withQuestion(turn: Turn, text: string, now: number): Turn {
    const { topic, pending } = turn.state;
    const fresh = (x: { at: number; question?: string } | undefined) => x && x.at === now && x.question === undefined;
    if (!fresh(topic) && !fresh(pending)) return turn;
    const question = maskPersonalData(text.slice(0, 300));
    return {
      ...turn,
      state: { ...turn.state, ...(fresh(topic) ? { topic: { ...topic!, question } } : {}), ...(fresh(pending) ? { pending: { ...pending!, question } } : {}) },
    };
  }

  /** What the family says about itself is kept for the rest of the conversation. */
  private withFacts(text: string, state: ConversationState): ConversationState {
    const said = extractFacts(text.slice(0, MAX_TEXT));
    if (!said.children && !said.conditions && !said.area) return state;
    return { ...state, facts: mergeFacts(state.facts, said, { anotherChild: OTHER_CHILD.test(text) }) };
  }

  freshTopic(state: ConversationState, now: number) {
    return state.topic && now - state.topic.at < this.contextTtlMs ? state.topic : undefined;
  }

  private onPostback(data: string, state: ConversationState, now: number): Turn {
    const p = decodePostback(data);
    switch (p?.a) {
      case 'facet':
      case 'pick':
        if (this.deps.kb.entries.has(p.i) && !SMALLTALK.has(p.i)) return this.answer(p.i, p.f, 1, 'postback', state, now);
        break;
      case 'handoff':
        return this.handoffTurn(state, now, 'requested');
      case 'cancel':
        // Only reaches the core when no handoff is open (the service handles a live one).
        return this.turn(
          { action: 'smalltalk', reason: 'nothing_to_cancel' },
          [{ type: 'text', text: this.v.copy.nothingToCancel }],
          this.v.menu(),
          state,
          now,
        );
      case 'menu': {
        const ids = this.v.compose.topicEntries(p.t);
        if (ids.length)
          return this.turn(
            { action: 'clarify', candidates: ids, reason: 'menu' },
            [{ type: 'text', text: this.v.copy.menuPick }],
            [...this.v.compose.choices(ids.slice(0, 12), 'overview'), this.v.handoff],
            state,
            now,
            { pending: { candidates: ids, at: now } },
          );
        break;
      }
      case 'guide': {
        if (p.s === 'start') return this.guideNext({ ...state, guide: { step: 'who', asked: [], at: now } }, now, 'start');
        const g = this.freshGuide(state, now) ? state.guide! : { step: p.s, asked: [], at: now };
        return this.guideChoice(p.s, p.v ?? '', { ...state, guide: g }, now);
      }
      case 'erase':
        // The service erases on this decision; the new state is empty.
        return {
          decision: { action: 'smalltalk', reason: 'erase' },
          replies: [{ type: 'text', text: this.v.copy.erase.done }],
          quickReplies: this.v.menu(),
          state: { ...emptyState(), updatedAt: now },
        };
      case 'wrong': {
        if (!this.deps.kb.entries.has(p.i) || SMALLTALK.has(p.i)) break;
        return this.turn(
          { action: 'smalltalk', intent: p.i, facet: p.f, reason: 'report_wrong', report: { intent: p.i, facet: p.f, step: 'opened' } },
          [{ type: 'text', text: this.v.copy.wrongInfo.ask }],
          [{ label: this.v.copy.wrongInfo.skip.label, postback: postback({ a: 'wrong-done' }), displayText: this.v.copy.wrongInfo.skip.displayText }],
          state,
          now,
          { report: { intent: p.i, facet: p.f, at: now } },
        );
      }
      case 'wrong-done':
        return this.turn({ action: 'smalltalk', reason: 'report_done' }, [{ type: 'text', text: this.v.copy.wrongInfo.thanks }], this.v.menu(), state, now);
      case 'lang':
        if (p.l === undefined)
          return this.turn(
            { action: 'smalltalk', reason: 'language_menu' },
            [{ type: 'text', text: this.v.copy.languagePick }],
            this.v.languageChoices(),
            state,
            now,
          );
        if (this.deps.kb.languages.has(p.l)) return this.switchLanguage(p.l, state, now);
        break;
      case 'fb': {
        if (!this.deps.kb.entries.has(p.i)) break;
        const up = p.v === 'up';
        return this.turn(
          { action: 'smalltalk', intent: 'thanks', reason: `feedback:${p.v}`, feedback: { intent: p.i, vote: p.v } },
          [{ type: 'text', text: up ? this.v.copy.feedback.up : this.v.copy.feedback.down }],
          up ? this.v.menu() : [this.v.handoff, ...this.v.menu().slice(0, 5)],
          state,
          now,
        );
      }
    }
    return this.fallback(state, now, 'unknown_postback');
  }

  /**
   * The message right after a 「この情報はまちがっている」 tap says what is wrong: it is thanked for and kept (by the
   * service, masked), not answered as a question — unless it is an emergency, asks for a person, or asks to erase
   * one's data: those are what they say, as always.
   */
  private reportDetail(turn: Turn, state: ConversationState, now: number): Turn | undefined {
    const r = state.report;
    if (!r || now - r.at > REPORT_DETAIL_MS) return undefined;
    const { action, reason } = turn.decision;
    if (action === 'emergency' || action === 'handoff' || reason?.startsWith('erase')) return undefined;
    return this.turn(
      { action: 'smalltalk', reason: 'report_detail', report: { intent: r.intent, facet: r.facet, step: 'detail' } },
      [{ type: 'text', text: this.v.copy.wrongInfo.thanks }],
      this.v.menu(),
      state,
      now,
      { misses: 0 },
    );
  }

  private onUnsupported(what: string, state: ConversationState, now: number): Turn {
    const text = what === 'sticker' ? this.v.copy.unsupported.sticker : what === 'location' ? this.v.copy.unsupported.location : this.v.copy.unsupported.other;
    return this.turn({ action: 'smalltalk', reason: `unsupported:${what}` }, [{ type: 'text', text }], this.v.menu(), state, now);
  }

  answer(intent: string, facet: Facet, score: number | undefined, reason: string, state: ConversationState, now: number): Turn {
    let reply = this.v.compose.answer(intent, facet, japanDate(now));
    const shown = reply.type === 'answer' ? reply.facet : facet;
    let quick = this.v.compose.feedback(intent);
    const fit = shown === 'overview' || shown === 'who' ? this.eligibilityNote(intent, state) : undefined;
    if (fit && reply.type === 'answer') {
      reply = { ...reply, notice: fit.notice };
      if (fit.alternatives.length) quick = [...this.v.compose.choices(fit.alternatives, 'overview'), this.v.handoff];
    }
    return this.turn({ action: 'answer', intent, facet: shown, score: score === undefined ? undefined : round(score), reason }, [reply], quick, state, now, {
      topic: { intent, facet: shown, at: now },
      pending: undefined,
      misses: 0,
    });
  }

  /**
   * When the family has told us about itself, how this service fits them: gently saying when it does not (and what
   * does), what to confirm when unsure, and why it fits when it does. Nothing when we know nothing relevant.
   */
  private eligibilityNote(
    intent: string,
    state: ConversationState,
  ): { notice: { text: string; tone: 'fits' | 'check' | 'not_eligible' }; alternatives: string[] } | undefined {
    const facts = state.facts;
    const entry = this.deps.kb.entries.get(intent);
    if (!facts || !entry?.eligibility || (!facts.children?.length && !facts.conditions?.length)) return undefined;
    const a = assess(entry, facts, this.v.reasons);
    if (!a) return undefined;
    if (a.fit === 'no') {
      const alternatives = recommend(this.deps.kb, { facts, needs: entry.eligibility.needs.slice(0, 1) }, 4)
        .filter((x) => x.intent !== intent)
        .slice(0, 3)
        .map((x) => x.intent);
      const more = alternatives.length ? this.v.copy.guide.alternativesBelow : '';
      return { notice: { tone: 'not_eligible', text: fill(this.v.t('eligibility.notForMore'), { reason: a.reason, more }) }, alternatives };
    }
    const relevant = a.ageFit !== undefined || a.met.length > 0 || a.suited.length > 0;
    if (!relevant) return undefined;
    return { notice: { tone: a.fit === 'fits' ? 'fits' : 'check', text: a.reason }, alternatives: [] };
  }

  smalltalk(intent: string, score: number, state: ConversationState, now: number): Turn {
    return this.turn({ action: 'smalltalk', intent, score: round(score) }, [this.v.compose.smalltalk(intent)], this.v.menu(), state, now, {
      misses: 0,
      pending: undefined,
    });
  }

  handoffTurn(state: ConversationState, now: number, reason: 'requested' | 'judgment' | 'repeated_misses'): Turn {
    const text = reason === 'judgment' ? this.v.copy.handoff.judgment : this.v.copy.handoff.requested;
    return this.turn({ action: 'handoff', reason }, [{ type: 'text', text: this.v.copy.handoffCall(text) }], [], state, now, { misses: 0, pending: undefined });
  }

  fallback(state: ConversationState, now: number, reason: string, score?: number): Turn {
    // Other city business is not a miss: it gets where to turn, not an offer of the child-rearing staff.
    const misses = reason === 'out_of_scope' ? state.misses : state.misses + 1;
    const lead = reason === 'out_of_scope' ? this.v.copy.outOfScope : this.v.copy.notUnderstood;
    const offer = misses >= MISSES_BEFORE_OFFER ? this.v.copy.offerPerson : '';
    const quick = misses >= MISSES_BEFORE_OFFER ? [this.v.handoff, ...this.v.menu().slice(0, -1)] : this.v.menu();
    return this.turn(
      { action: 'fallback', reason, score: score === undefined ? undefined : round(score) },
      [{ type: 'text', text: lead + offer }],
      quick,
      state,
      now,
      { misses, pending: undefined },
    );
  }

  /**
   * What the parent's own words ask of the reply besides its content: a long message carrying distress gets a word
   * for the feeling and the offer of consultation first; a message in English or romaji gets a short English note on
   * how to get help (until answers in other languages exist).
   */
  private inTheirWords(turn: Turn, text: string): Turn {
    const replies = [...turn.replies];
    const { action } = turn.decision;
    const norm = normalizeText(text);
    if (norm.length >= DISTRESS_MIN_CHARS && (action === 'answer' || action === 'clarify' || action === 'fallback') && this.feelings.distressed(said(norm)))
      replies.unshift({ type: 'text', text: this.v.copy.distress });
    if (this.v === this.japanese && isLatinText(text))
      replies.push({ type: 'text', text: action === 'emergency' ? this.v.copy.englishEmergencyNote : this.v.copy.englishNote });
    return replies.length === turn.replies.length ? turn : { ...turn, replies: replies.slice(0, MAX_REPLIES) };
  }

  private turn(
    decision: Decision,
    replies: Reply[],
    quickReplies: QuickReply[],
    state: ConversationState,
    now: number,
    patch: Partial<ConversationState> = {},
  ): Turn {
    return { decision, replies, quickReplies, state: { ...state, ...patch, updatedAt: now } };
  }
}

/** How long after a 「まちがっている」 tap the next message is taken as what is wrong. */
const REPORT_DETAIL_MS = 10 * 60_000;

const round = (x: number) => Math.round(x * 1000) / 1000;

// 「AじゃなくてB」「Aではなく、B」: B is what is asked (「保育園じゃなくて幼稚園の申し込みは？」). Not 「じゃなくても」, a
// condition (「毎日じゃなくても使える？」).
const CONTRAST = /(じゃなくて|ではなくて|じゃなく|ではなく|やなくて|じゃのうて|じゃのーて|でなくて)(?!て?も)[、,\s]*/u;

// 「ひとり親じゃなくても使える？」: what comes before 「じゃなくても」 is a condition on the one who asks, not the topic.
const CONDITION = /[^、,，。．！？!?\s]{1,12}(じゃなくても|ではなくても|でなくても|じゃのうても|やなくても)/u;

/** The message without a 「Xじゃなくても」 condition, when it has one: the topic is read from the rest. */
export function withoutCondition(text: string): string | undefined {
  const m = CONDITION.exec(text);
  return m ? worthReading(text.slice(0, m.index) + text.slice(m.index + m[0].length)) : undefined;
}

/** A part of a message with at least two characters besides punctuation and spaces, to be read on its own. */
const worthReading = (part: string) => (part.replace(/[\p{P}\p{S}\s]/gu, '').length >= 2 ? part : undefined);

/** The part after 「じゃなくて」, when there is one worth reading on its own. */
export function contrastFocus(text: string): string | undefined {
  const m = CONTRAST.exec(text);
  if (!m || m.index === 0) return undefined;
  return worthReading(text.slice(m.index + m[0].length).trim());
}

// A space between two characters of Japanese writing only spaces out words.
const WORD_SPACE = /(?<=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー])\s+(?=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー])/gu;
const spacesBetweenWords = (text: string) => text.match(WORD_SPACE)?.length ?? 0;

/** What languageNamed returns for a request for the language menu. */
const LANGUAGE_MENU = '*';
/** A language's name or the word for "language", compared without case, spaces, brackets or punctuation. */
const nameKey = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
// The word "language" in each language we speak, and the menu's own label 「Language / 言語」.
const LANGUAGE_WORDS = new Set(['language', '言語', 'げんご', 'languages', 'ngônngữ', '语言', 'language言語'].map(nameKey));

/** The language a profile we do not speak gets (with an English line on how to choose another). */
const OTHER_PROFILE_LANGUAGE = 'ja-easy';
/** Kana in a message, from a parent who chose another language, that make it a Japanese sentence rather than a word. */
const JAPANESE_SWITCH_MIN_KANA = 6;

// The letters of Vietnamese words (tone marks and ă â đ ê ô ơ ư), as src/core/nlp/language.ts reads them.
const VIETNAMESE_LETTERS = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹàáèéìíòóùúýãõĩũ]/giu;

/** Latin-letter words that can be pronounced: a vowel, and no more than three consonants in a row. */
function wordLike(text: string): number {
  const plain = text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return (plain.match(/[a-zđ]{2,}/g) ?? []).filter((w) => /[aeiouy]/.test(w) && !/[^aeiouy]{4}/.test(w)).length;
}

/** The state in a language; 日本語 is kept as no language at all, as states were before languages existed. */
const withLanguage = (state: ConversationState, code: string): ConversationState => {
  const { language: _, ...rest } = state;
  return code === BASE_LANGUAGE ? rest : { ...rest, language: code };
};

/** LINE takes at most five messages in one reply. */
const MAX_REPLIES = 5;
const DISTRESS_MIN_CHARS = 25;
