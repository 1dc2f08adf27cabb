import type { KnowledgeBase } from '../knowledge/load.js';
import { Condition, Facet, Need, SMALLTALK_IDS } from '../knowledge/schema.js';
import type { Analysis, Analyzer } from '../nlp/analyzer.js';
import type { Ranked as IntentScore, Understanding, Understood } from '../nlp/learned/understanding.js';
import { EmergencyDetector, FacetDetector, FeelingDetector, GuardDetector, PhraseDetector, said, type DangerReading } from './cues.js';
import { DEFAULT_THRESHOLDS, judge, type PolicyThresholds } from './policy.js';
import { maskPersonalData } from '../insights/mask.js';
import { decodePostback } from './postback.js';
import { describeChildren, extractAges, extractFacts, mergeFacts } from './facts.js';
import { assess, recommend } from './eligibility.js';
import { GUIDE_QUESTIONS, NOTHING_SPECIAL, WHO_OPTIONS, guideQuickReplies, guideStartButton, needFromText, type GuideStep } from './guide.js';
import { CONCIERGE_CONTACT, FACET_LABELS, ReplyComposer, postback, handoffButton, menuQuickReplies } from './replies.js';
import { isLatinText } from '../nlp/script.js';
import { normalizeText } from '../nlp/normalize.js';
import { emptyState, type ConversationState, type Decision, type Incoming, type QuickReply, type Reply } from './types.js';
import { FacilityDirectory, type DirectoryAnswer } from './directory.js';
import { directoryLead } from './directory-lead.js';
import { facilityCard } from './facility-cards.js';
import { PhraseSet } from '../nlp/phrases.js';

export interface ConciergeDeps {
  kb: KnowledgeBase;
  analyzer: Analyzer;
  understanding: Understanding;
  thresholds?: PolicyThresholds;
  /** How long a topic stays available for follow-ups like 「料金は？」. */
  contextTtlMs?: number;
}

export interface Turn {
  decision: Decision;
  replies: Reply[];
  quickReplies: QuickReply[];
  state: ConversationState;
}

const SMALLTALK = new Set<string>(SMALLTALK_IDS);
// Openers of a follow-up that refers back to the last topic: 「じゃあ上の子は？」「それって…」.
const FOLLOW_UP = /^(じゃあ|じゃ|では|それ|あと|なら|ほんなら|ほな)|上の子|下の子|うちの子|その|それ|兄|姉|弟|妹|(の|で|だけで|だけ)も(ある|あり|いい|ええ|いける|使え|つかえ|でき|大丈夫|ok|対象|もらえ|受け)/;
const OTHER_CHILD = /上の子|下の子|兄|姉|弟|妹/;
const MAX_TEXT = 2000;
const SMALLTALK_MAX_CHARS = 30;
const SHORT_CONTEXT_CHARS = 20;
/** Below this, a question with a facet cue right after a topic is not read as a new topic. */
const FOLLOW_UP_NEW_TOPIC = 0.5;
const FOLLOW_GUIDE =
  'できること:\n・知りたいことを、ふだんの言葉で送ると答えます（「病児保育の料金は？」など）\n・「自分に合うサービスを知りたい」と送ると、3つの質問であなたの家族に合うサービスを探します\n・「担当者と話す」で、子育て支援課の担当者につなぎます\n急な病気やけがで緊急のときは、迷わず119番に電話してください。';
// An out-of-scope word (狂犬病, 求人) wins unless the message is overwhelmingly about a service.
const OUT_OF_SCOPE_OVERRIDE = 0.8;

/**
 * The conversation core: (message, state, now) → decision, replies and the next state. Pure: no I/O, no
 * clock of its own, so the webhook, the simulator, the CLI and the evaluation all get the same answers.
 */
export class Concierge {
  private readonly facets: FacetDetector;
  private readonly emergency: EmergencyDetector;
  private readonly handoff: PhraseDetector;
  private readonly guideStart: PhraseDetector;
  private readonly eraseRequest: PhraseDetector;
  private readonly guards: GuardDetector;
  private readonly feelings: FeelingDetector;
  private readonly compose: ReplyComposer;
  private readonly directory: FacilityDirectory;
  private readonly serviceKeywords: { intent: string; phrases: PhraseSet }[];
  private readonly thresholds: PolicyThresholds;
  private readonly contextTtlMs: number;

  constructor(private readonly deps: ConciergeDeps) {
    this.facets = new FacetDetector(deps.kb.facetCues);
    this.emergency = new EmergencyDetector(deps.kb.emergency);
    this.handoff = new PhraseDetector(deps.kb.handoff);
    this.guideStart = new PhraseDetector(deps.kb.guide);
    this.eraseRequest = new PhraseDetector(deps.kb.erase);
    this.guards = new GuardDetector(deps.kb.guards);
    this.feelings = new FeelingDetector(deps.kb.feelings);
    this.compose = new ReplyComposer(deps.kb);
    this.serviceKeywords = [...deps.kb.intents.values()].filter((i) => !SMALLTALK.has(i.id)).map((i) => ({ intent: i.id, phrases: new PhraseSet(i.keywords) }));
    this.directory = new FacilityDirectory(deps.kb.facilities, (s) => deps.analyzer.analyze(s).folded, (s) => deps.analyzer.readingOf(s));
    this.thresholds = deps.thresholds ?? DEFAULT_THRESHOLDS;
    this.contextTtlMs = deps.contextTtlMs ?? 30 * 60 * 1000;
  }

  respond(message: Incoming, state: ConversationState, now: number): Turn {
    switch (message.kind) {
      case 'text': {
        const turn = this.withQuestion(this.onText(message.text, this.withFacts(message.text, state), now), message.text, now);
        return this.inTheirWords(turn, message.text);
      }
      case 'postback':
        return this.onPostback(message.data, state, now);
      case 'follow':
        return this.turn(
          { action: 'smalltalk', intent: 'greeting', reason: 'follow' },
          [
            { type: 'text', text: '友だち追加ありがとうございます。' },
            this.compose.smalltalk('greeting'),
            { type: 'text', text: FOLLOW_GUIDE },
          ],
          [guideStartButton, ...menuQuickReplies()],
          state,
          now,
        );
      case 'join':
        return this.turn(
          { action: 'smalltalk', intent: 'greeting', reason: 'join' },
          [{ type: 'text', text: '笠岡市の子育てコンシェルジュです。グループでは、メッセージの最初に「コンシェルジュ」と付けるか、@メンションで話しかけてください。そのときだけお答えします。\n個人的なご相談は、1対1のトークでどうぞ。' }],
          [],
          state,
          now,
        );
      case 'unsupported':
        return this.onUnsupported(message.what, state, now);
    }
  }

  private onText(raw: string, state: ConversationState, now: number): Turn {
    const text = raw.slice(0, MAX_TEXT);
    const a = this.deps.analyzer.analyze(text);
    const whole = this.deps.understanding.read(a);
    // 「AじゃなくてB」: the request is B; what the message is (danger, a person wanted) is read from all of it.
    const focus = contrastFocus(text);
    const u = focus ? { ...this.deps.understanding.read(this.deps.analyzer.analyze(focus)), emergency: whole.emergency, handoff: whole.handoff } : whole;
    const t = this.thresholds;
    const reading = this.emergency.read(text);
    const kind = this.danger(reading, u);
    if (kind) return this.turn({ action: 'emergency', emergencyKind: kind, reason: kind }, [this.compose.emergency(kind)], [handoffButton], state, now, { misses: 0 });
    // 「落ち着きました」 after a danger: acknowledged, without the 119 card or a second alert to staff.
    if (reading.settled && (reading.named || reading.services || u.emergency >= t.emergencyWithConcept) && (u.ranking[0]?.score ?? 0) < t.answer)
      return this.turn({ action: 'smalltalk', reason: 'danger_over' }, [{ type: 'text', text: DANGER_OVER }], menuQuickReplies(), state, now, { misses: 0 });
    if (!a.norm) return this.fallback(state, now, 'empty');

    const message = said(a.norm, a.folded);
    if (this.eraseRequest.detect(message))
      return this.turn(
        { action: 'smalltalk', reason: 'erase_confirm' },
        [{ type: 'text', text: 'このLINEでのやりとりの記録（会話の内容・担当者への引き継ぎ）をすべて削除します。よろしいですか？\n削除すると、担当者とのやりとりの続きもできなくなります。' }],
        [{ label: '削除する', postback: postback({ a: 'erase' }), displayText: '記録を削除する' }, ...menuQuickReplies().slice(0, 5)],
        state,
        now,
      );
    let ranking = u.ranking;
    // Greetings, thanks and "how do I use this" are short; in a long message that also asks about a service they are
    // only the wrapping (「こんにちは、保育園の申し込みは…」).
    const service = ranking.find((r) => !SMALLTALK.has(r.intent));
    if (a.norm.length > SMALLTALK_MAX_CHARS && service && service.score >= t.fallback) ranking = ranking.filter((r) => !SMALLTALK.has(r.intent));
    const best = ranking[0];
    if (this.handoff.detect(message) || (u.handoff >= t.handoff && u.handoff > (best?.score ?? 0))) return this.handoffTurn(state, now, 'requested');
    const guard = this.guards.detect(message);
    if (guard === 'judgment') return this.handoffTurn(state, now, 'judgment');
    if (this.guideStart.detect(message)) return this.guideNext({ ...state, guide: { step: 'who', asked: [], at: now } }, now, 'start');
    const guided = this.freshGuide(state, now) ? this.guideAnswer(text, state, now) : undefined;
    if (guided) return guided;
    if (state.guide) state = { ...state, guide: undefined };

    const cue = this.facets.detect(a.norm);
    const facet = cue ?? (u.facet.facet !== 'overview' && u.facet.score >= 0.5 ? u.facet.facet : undefined);
    // What this account does not handle (other city business, adults, employers): said honestly, not guessed at.
    const otherBusiness = u.none >= t.outOfScope && u.none > (best?.score ?? 0) && !(best && best.score >= t.sure);
    const listedBusiness = guard === 'out_of_scope' && (!best || best.score < OUT_OF_SCOPE_OVERRIDE);
    const outOfScope = otherBusiness || listedBusiness;
    // A facility named, or places asked for by kind, area, hours or age: the directory answers before follow-ups,
    // since a name is a new topic of its own.
    const directory = listedBusiness ? undefined : this.directoryTurn(a, text, cue, facet, ranking, state, now, otherBusiness);
    if (directory) return directory;
    const followUp = this.followUp(a, ranking, facet, state, now);
    if (followUp) return followUp;

    // 「料金は？」 with nothing to refer back to names no service: ask which one instead of guessing.
    if (cue && this.facets.strip(a.norm).replace(/[\sはがもってのをにで]/g, '').length === 0) {
      const ids = ranking.filter((r) => !SMALLTALK.has(r.intent)).slice(0, 3).map((r) => r.intent);
      return this.turn(
        { action: 'clarify', candidates: ids, facet: cue, reason: 'facet_only' },
        [{ type: 'text', text: `どのサービスの「${FACET_LABELS[cue]}」について知りたいですか？ サービスの名前を送っていただくか、下から選んでください。` }],
        [...this.compose.choices(ids, cue), ...menuQuickReplies().slice(0, 12 - ids.length)],
        state,
        now,
        { pending: { candidates: ids, at: now } },
      );
    }

    if (outOfScope) return this.fallback(state, now, 'out_of_scope', u.none);

    const verdict = judge(ranking, t);
    if (verdict.action === 'answer') {
      const id = verdict.best.intent;
      if (SMALLTALK.has(id)) return this.smalltalk(id, verdict.best.score, state, now);
      return this.answer(id, facet ?? 'overview', verdict.best.score, 'match', state, now);
    }
    if (verdict.action === 'clarify') {
      const ids = verdict.candidates.map((c) => c.intent);
      // Among close candidates, the topic we were just talking about is what a short question means (「歯医者のもある？」).
      const topic = this.freshTopic(state, now);
      if (topic && ids.includes(topic.intent) && a.norm.length <= SHORT_CONTEXT_CHARS)
        return this.answer(topic.intent, facet ?? 'overview', verdict.candidates.find((c) => c.intent === topic.intent)!.score, 'context', state, now);
      // Only candidates the model gives a real chance are worth offering.
      const service = verdict.candidates.filter((c) => !SMALLTALK.has(c.intent) && c.score >= t.fallback).map((c) => c.intent);
      // Smalltalk is only worth a reply when it is clearly smalltalk; unclear short text is not a greeting.
      if (service.length === 0) return verdict.candidates[0]!.score >= t.answer ? this.smalltalk(ids[0]!, verdict.candidates[0]!.score, state, now) : this.fallback(state, now, 'low_confidence', verdict.candidates[0]!.score);
      return this.turn(
        { action: 'clarify', candidates: service, score: round(verdict.candidates[0]!.score), facet },
        [{ type: 'text', text: 'どれについて知りたいですか？ 近いものを選んでください。' }],
        [...this.compose.choices(service, facet ?? 'overview'), handoffButton],
        state,
        now,
        { pending: { candidates: service, at: now }, misses: state.misses + 1 },
      );
    }
    return this.fallback(state, now, 'low_confidence', verdict.best?.score);
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
    if (named) return !calm || u.emergency >= t.emergencyWithConcept ? named : undefined;
    // The model alone must be surer when the message is calm about what it mentions.
    return u.emergency >= (calm ? t.emergencyCalm : t.emergency) ? 'medical' : undefined;
  }

  /**
   * A message without a topic of its own (「料金は？」「じゃあ上の子は？」) continues the last one, as long as
   * that topic is fresh and the message does not clearly start a new one.
   */
  private followUp(a: Analysis, ranking: IntentScore[], facet: Facet | undefined, state: ConversationState, now: number): Turn | undefined {
    const topic = this.freshTopic(state, now);
    if (!topic) return undefined;
    const compact = a.norm.replace(/\s+/g, '');
    const marker = FOLLOW_UP.test(compact);
    if (!facet && !marker) return undefined;
    const best = ranking[0];
    const ownTopic = best && best.intent !== topic.intent && !SMALLTALK.has(best.intent) && best.score >= this.thresholds.answer;
    const residual = this.facets.strip(a.norm).replace(/\s+/g, '');
    // A short question made only of facet words, or an explicit follow-up opener, stays on the topic.
    // A longer question may name its own topic — unless the topic we are on is nearly as good a reading of it
    // (「どこの病院で受けれる？」 right after 予防接種 is still about 予防接種).
    const topicScore = ranking.find((r) => r.intent === topic.intent)?.score ?? 0;
    // …or when the model is not sure of a new one at all.
    const topicClose = best !== undefined && (best.score - topicScore <= this.thresholds.clarifyBand * 1.5 || best.score < FOLLOW_UP_NEW_TOPIC);
    if (ownTopic && residual.length > 6 && !marker && !topicClose) return undefined;
    if (ownTopic && best.score >= this.thresholds.sure) return undefined;
    const asked: Facet = facet ?? (OTHER_CHILD.test(compact) && /\d|小|中|高|歳|年/.test(compact) ? 'who' : 'overview');
    return this.answer(topic.intent, asked, best?.intent === topic.intent ? best.score : undefined, 'context', state, now);
  }

  /**
   * The facility directory's answer: a lead saying what was looked for, then a card per facility. Questions of cost,
   * application or eligibility stay with the entries (a facility record does not hold those). The decision names the
   * service the parent most likely means among the facilities' topics, so statistics and follow-ups stay per service.
   */
  private directoryTurn(a: Analysis, text: string, cue: Facet | undefined, facet: Facet | undefined, ranking: IntentScore[], state: ConversationState, now: number, otherBusiness: boolean): Turn | undefined {
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
      const named = this.serviceKeywords.filter((k) => k.phrases.find(a.folded.replace(/\s+/g, '')) !== undefined).map((k) => k.intent);
      if (named.length && !named.some((id) => topics.includes(id))) return undefined;
    }
    // A follow-up about the same facilities stays on the service the conversation is about.
    const ranked = again ? undefined : ranking.find((r) => topics.includes(r.intent));
    const intent = again ? state.topic!.intent : (ranked?.intent ?? topics[0]);
    if (!intent) return undefined;
    const lead: Reply = { type: 'text', text: directoryLead(found, this.directory) };
    const cards: Reply = { type: 'facilities', items: found.facilities.map((f) => facilityCard(this.deps.kb, f)) };
    // Nothing of that kind where the family asked, and the message is plainly about a service (夜に熱が出ても島に病院が
    // ない): the service's own answer first, then the places that do exist.
    if (found.elsewhere && best && best.score >= this.thresholds.answer && topics.includes(best.intent)) {
      const turn = this.answer(best.intent, facet ?? 'overview', best.score, 'match', state, now);
      return { ...turn, replies: [...turn.replies, lead, cards] };
    }
    const shown: Facet = found.query.wants === 'contact' ? 'contact' : 'where';
    const related = topics.slice(0, 3);
    return this.turn(
      { action: 'answer', intent, facet: shown, score: ranked ? round(ranked.score) : undefined, reason: 'directory' },
      [lead, cards],
      [...this.compose.choices(related, 'overview'), ...menuQuickReplies()],
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
    const query = { named: facilities, kinds: [], areas: [], ages: [], wants: cue === 'contact' ? ('contact' as const) : ('place' as const), locator: true, play: false, focused: false, bare: true };
    return { query, facilities, more: 0, elsewhere: false };
  }

  /** A knowledge-base answer card (staff insert one into a handed-over conversation). */
  answerCard(intent: string, facet: Facet): Reply {
    return this.compose.answer(intent, facet);
  }

  private freshGuide(state: ConversationState, now: number): boolean {
    return !!state.guide && now - state.guide.at < this.contextTtlMs;
  }

  /** A typed answer to the open guide question; undefined when the message is about something else. */
  private guideAnswer(text: string, state: ConversationState, now: number): Turn | undefined {
    const g = state.guide!;
    const t = text.normalize('NFKC').trim();
    if (g.step === 'who' && extractAges(t).length) return this.guideNext({ ...state, guide: { ...g, at: now } }, now, 'who');
    if (g.step === 'need') {
      const need = needFromText(t);
      if (need) return this.guideNext({ ...state, guide: { ...g, need, at: now } }, now, 'need');
    }
    if (g.step === 'special' && (extractFacts(t).conditions?.length || NOTHING_SPECIAL.test(t))) return this.guideNext({ ...state, guide: { ...g, at: now } }, now, 'special');
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
      this.turn(decision(after), [{ type: 'text', text: lead + GUIDE_QUESTIONS[step] }], [...guideQuickReplies(step), handoffButton], state, now, {
        guide: { ...g, step, asked: [...new Set([...g.asked, step])], at: now },
        pending: undefined,
      });
    const lead = after === 'start' ? 'あなたに合うサービスを一緒に探します。3つまで質問します。\n' : '';
    if (!facts.children?.length && !g.asked.includes('who')) return ask('who', lead);
    if (!g.need && !g.asked.includes('need')) return ask('need', lead);
    if (!facts.conditions?.length && !g.asked.includes('special')) return ask('special', lead);

    const found = recommend(this.deps.kb, { facts, needs: g.need ? [g.need] : [] });
    const items = found.flatMap((a) => {
      const e = this.deps.kb.entries.get(a.intent);
      return e && a.fit !== 'no' ? [{ intent: a.intent, title: e.title, summary: e.summary, reason: a.reason, fit: a.fit }] : [];
    });
    const restart = { ...guideStartButton, label: 'もう一度さがす' };
    if (!items.length)
      return this.turn(decision('none_found'), [{ type: 'text', text: `お話の条件に合うサービスが見つかりませんでした。担当の子育てコンシェルジュが一緒に探します。\n${CONCIERGE_CONTACT}` }], [handoffButton, restart], state, now, { guide: undefined });
    const who = describeChildren(facts);
    const intro = `${who ? `${who}のお子さんの` : ''}ご家庭に合いそうなサービスです。「詳しく見る」で内容を確認できます。対象になるかどうか迷うときは、担当者にご相談ください。`;
    return this.turn(decision('results'), [{ type: 'text', text: intro }, { type: 'recommendations', items }], [restart, handoffButton, ...menuQuickReplies().slice(0, 5)], state, now, {
      guide: undefined,
      pending: { candidates: items.map((i) => i.intent), at: now },
    });
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

  private freshTopic(state: ConversationState, now: number) {
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
        return this.turn({ action: 'smalltalk', reason: 'nothing_to_cancel' }, [{ type: 'text', text: 'いま担当者におつなぎしている会話はありません。知りたいことがあれば、いつでも送ってください。' }], menuQuickReplies(), state, now);
      case 'menu': {
        const ids = this.compose.topicEntries(p.t);
        if (ids.length)
          return this.turn({ action: 'clarify', candidates: ids, reason: 'menu' }, [{ type: 'text', text: '知りたいことを選んでください。' }], [...this.compose.choices(ids.slice(0, 12), 'overview'), handoffButton], state, now, { pending: { candidates: ids, at: now } });
        break;
      }
      case 'guide': {
        if (p.s === 'start') return this.guideNext({ ...state, guide: { step: 'who', asked: [], at: now } }, now, 'start');
        const g = this.freshGuide(state, now) ? state.guide! : { step: p.s, asked: [], at: now };
        return this.guideChoice(p.s, p.v ?? '', { ...state, guide: g }, now);
      }
      case 'erase':
        // The service erases on this decision; the new state is empty.
        return { decision: { action: 'smalltalk', reason: 'erase' }, replies: [{ type: 'text', text: 'これまでの記録を削除しました。ご利用ありがとうございました。知りたいことがあれば、いつでも送ってください。' }], quickReplies: menuQuickReplies(), state: { ...emptyState(), updatedAt: now } };
      case 'fb': {
        if (!this.deps.kb.entries.has(p.i)) break;
        const up = p.v === 'up';
        return this.turn(
          { action: 'smalltalk', intent: 'thanks', reason: `feedback:${p.v}`, feedback: { intent: p.i, vote: p.v } },
          [{ type: 'text', text: up ? 'ありがとうございます。ほかにも気になることがあれば、いつでも聞いてください。' : 'お役に立てずすみません。言い方を変えて聞いていただくか、「担当者と話す」から担当者におつなぎします。' }],
          up ? menuQuickReplies() : [handoffButton, ...menuQuickReplies().slice(0, 5)],
          state,
          now,
        );
      }
    }
    return this.fallback(state, now, 'unknown_postback');
  }

  private onUnsupported(what: string, state: ConversationState, now: number): Turn {
    const text =
      what === 'sticker'
        ? 'スタンプありがとうございます😊 子育てのことで知りたいことがあれば、文字で送ってください。下のボタンからも選べます。'
        : what === 'location'
          ? '位置情報を受け取りました。ありがとうございます。このLINEでは文字のご質問にお答えしています。知りたいことを文字で送ってください。'
          : 'すみません、画像・動画・音声・ファイルの中身は読み取れません。知りたいことを文字で送ってください。下のボタンからも選べます。';
    return this.turn({ action: 'smalltalk', reason: `unsupported:${what}` }, [{ type: 'text', text }], menuQuickReplies(), state, now);
  }

  private answer(intent: string, facet: Facet, score: number | undefined, reason: string, state: ConversationState, now: number): Turn {
    let reply = this.compose.answer(intent, facet);
    const shown = reply.type === 'answer' ? reply.facet : facet;
    let quick = this.compose.feedback(intent);
    const fit = shown === 'overview' || shown === 'who' ? this.eligibilityNote(intent, state) : undefined;
    if (fit && reply.type === 'answer') {
      reply = { ...reply, notice: fit.notice };
      if (fit.alternatives.length) quick = [...this.compose.choices(fit.alternatives, 'overview'), handoffButton];
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
  private eligibilityNote(intent: string, state: ConversationState): { notice: { text: string; tone: 'fits' | 'check' | 'not_eligible' }; alternatives: string[] } | undefined {
    const facts = state.facts;
    const entry = this.deps.kb.entries.get(intent);
    if (!facts || !entry?.eligibility || (!facts.children?.length && !facts.conditions?.length)) return undefined;
    const a = assess(entry, facts);
    if (!a) return undefined;
    if (a.fit === 'no') {
      const alternatives = recommend(this.deps.kb, { facts, needs: entry.eligibility.needs.slice(0, 1) }, 4)
        .filter((x) => x.intent !== intent)
        .slice(0, 3)
        .map((x) => x.intent);
      const more = alternatives.length ? 'ほかに合いそうなサービスを下に出しました。' : '';
      return { notice: { tone: 'not_eligible', text: `${a.reason}。${more}` }, alternatives };
    }
    const relevant = a.ageFit !== undefined || a.met.length > 0 || a.suited.length > 0;
    if (!relevant) return undefined;
    return { notice: { tone: a.fit === 'fits' ? 'fits' : 'check', text: a.reason }, alternatives: [] };
  }

  private smalltalk(intent: string, score: number, state: ConversationState, now: number): Turn {
    return this.turn({ action: 'smalltalk', intent, score: round(score) }, [this.compose.smalltalk(intent)], menuQuickReplies(), state, now, { misses: 0, pending: undefined });
  }

  private handoffTurn(state: ConversationState, now: number, reason: 'requested' | 'judgment' | 'repeated_misses'): Turn {
    const text =
      reason === 'judgment'
        ? 'このご相談は、ご家庭の事情をうかがって個別に考える必要があるため、担当の子育てコンシェルジュにおつなぎします。'
        : '担当の子育てコンシェルジュにおつなぎします。';
    return this.turn({ action: 'handoff', reason }, [{ type: 'text', text: `${text}\nお急ぎのときは ${CONCIERGE_CONTACT} へお電話ください。` }], [], state, now, { misses: 0, pending: undefined });
  }

  private fallback(state: ConversationState, now: number, reason: string, score?: number): Turn {
    // Other city business is not a miss: it gets where to turn, not an offer of the child-rearing staff.
    const misses = reason === 'out_of_scope' ? state.misses : state.misses + 1;
    const lead =
      reason === 'out_of_scope'
        ? `すみません、そのご用件には、このLINEではお答えできません。このLINEでお答えできるのは、笠岡市の子育て支援（保育園・預かり・手当・健診・予防接種・子育ての相談など）のご案内です。\n市のほかの手続きや大人の方のご用件は、市役所の担当の課にお問い合わせください。どこに聞けばよいか分からないときは ${CONCIERGE_CONTACT} がご案内します。`
        : 'すみません、うまく理解できませんでした。言い方を変えて送っていただくか、下のボタンから選んでください。';
    const offer = misses >= 2 ? '\nうまくお答えできていないようです。担当者におつなぎしましょうか？' : '';
    const quick = misses >= 2 ? [handoffButton, ...menuQuickReplies().slice(0, -1)] : menuQuickReplies();
    return this.turn({ action: 'fallback', reason, score: score === undefined ? undefined : round(score) }, [{ type: 'text', text: lead + offer }], quick, state, now, { misses, pending: undefined });
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
      replies.unshift({ type: 'text', text: DISTRESS_WORD });
    if (isLatinText(text)) replies.push({ type: 'text', text: action === 'emergency' ? ENGLISH_EMERGENCY_NOTE : ENGLISH_NOTE });
    return replies.length === turn.replies.length ? turn : { ...turn, replies: replies.slice(0, MAX_REPLIES) };
  }

  private turn(decision: Decision, replies: Reply[], quickReplies: QuickReply[], state: ConversationState, now: number, patch: Partial<ConversationState> = {}): Turn {
    return { decision, replies, quickReplies, state: { ...state, ...patch, updatedAt: now } };
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

// 「AじゃなくてB」「Aではなく、B」: B is what is asked (「保育園じゃなくて幼稚園の申し込みは？」).
const CONTRAST = /(じゃなくて|ではなくて|じゃなく|ではなく|やなくて|じゃのうて|じゃのーて|でなくて)[、,\s]*/u;

/** The part after 「じゃなくて」, when there is one worth reading on its own. */
export function contrastFocus(text: string): string | undefined {
  const m = CONTRAST.exec(text);
  if (!m || m.index === 0) return undefined;
  const rest = text.slice(m.index + m[0].length).trim();
  return rest.replace(/[\p{P}\p{S}\s]/gu, '').length >= 2 ? rest : undefined;
}

/** LINE takes at most five messages in one reply. */
const MAX_REPLIES = 5;
const DISTRESS_MIN_CHARS = 25;
const DISTRESS_WORD = `毎日本当におつかれさまです。しんどい気持ちを、ひとりで抱えなくて大丈夫です。話を聞いてほしいときは「担当者と話す」から、または ${CONCIERGE_CONTACT} にいつでもご相談ください。`;
const DANGER_OVER = 'ご連絡ありがとうございます。落ち着いたとのことで、ほっとしました。\nまた様子が変わったり心配になったりしたときは、迷わず119番へ。救急車を呼ぶか迷うときは、小児救急電話相談 #8000 でも相談できます。';
const ENGLISH_NOTE = 'This LINE account answers in Japanese for now. To talk with a staff member of the Kasaoka City child-rearing support office, tap 「担当者と話す」 (Talk to staff) or write "talk to staff". Phone (Japanese): 0865-69-2132, weekdays.';
const ENGLISH_EMERGENCY_NOTE = 'Emergency: call 119 for an ambulance or fire, 110 for the police. Say where you are and what happened.';
