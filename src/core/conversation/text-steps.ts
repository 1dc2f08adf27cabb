import type { EmergencyKind, Facet } from '../knowledge/schema.js';
import type { Analysis } from '../nlp/analyzer.js';
import type { Ranked, Understood } from '../nlp/learned/understanding.js';
import type { DangerReading, Said } from './cues.js';
import { judge, type PolicyThresholds } from './policy.js';
import type { ConversationState } from './types.js';
import type { Turn } from './turn.js';

/**
 * What one text message says, read once before any rule looks at it: the analysis, the models' reading (of the
 * part after 「じゃなくて」 when there is one), the danger concepts, and the cues the rules share.
 */
export interface Reading {
  /** The message as received, cut to the length the core reads. */
  text: string;
  a: Analysis;
  /** The models' reading; for 「AじゃなくてB」 the topic is read from B, danger and a person wanted from all of it. */
  u: Understood;
  danger: DangerReading;
  /** The danger the message reports now, when there is one (see TurnKit.danger). */
  emergency: EmergencyKind | undefined;
  message: Said;
  /** The intents ranked, without greetings and thanks when they only wrap a longer question. */
  ranking: Ranked[];
  best: Ranked | undefined;
  guard: 'judgment' | 'out_of_scope' | undefined;
  /** A facet named by a cue word (「料金」「どこで」). */
  cue: Facet | undefined;
  /** The facet asked: the cue, or the facet model when it is sure of one other than the overview. */
  facet: Facet | undefined;
  /** Read by another language's models (their probabilities have their own answer threshold). */
  foreign?: boolean;
  /** Japanese written with spaces between its words (grandparents, voice input), about a child. */
  spaced?: boolean;
}

/** What the rules of a turn may use from the conversation core: its parts, its thresholds and its ways to reply. */
export interface TurnKit {
  readonly thresholds: PolicyThresholds;
  isSmalltalk(intent: string): boolean;
  detectsErase(s: Said): boolean;
  detectsHandoff(s: Said): boolean;
  detectsGuideStart(s: Said): boolean;
  /** The facet cue words taken out of a text (what is left names the topic, if anything does). */
  stripFacetWords(norm: string): string;
  freshTopic(state: ConversationState, now: number): ConversationState['topic'];
  freshGuide(state: ConversationState, now: number): boolean;
  emergencyTurn(kind: EmergencyKind, state: ConversationState, now: number): Turn;
  dangerOverTurn(state: ConversationState, now: number): Turn;
  eraseConfirmTurn(state: ConversationState, now: number): Turn;
  handoffTurn(state: ConversationState, now: number, reason: 'requested' | 'judgment' | 'repeated_misses'): Turn;
  guideStartTurn(state: ConversationState, now: number): Turn;
  guideAnswer(text: string, state: ConversationState, now: number): Turn | undefined;
  followUp(r: Reading, state: ConversationState, now: number): Turn | undefined;
  /** Facilities named, or asked for by kind, area, hours or age; `otherBusiness` when the models read other business. */
  directoryTurn(r: Reading, state: ConversationState, now: number, otherBusiness: boolean): Turn | undefined;
  facetOnlyTurn(ids: string[], facet: Facet, state: ConversationState, now: number): Turn;
  answer(intent: string, facet: Facet, score: number | undefined, reason: string, state: ConversationState, now: number): Turn;
  smalltalk(intent: string, score: number, state: ConversationState, now: number): Turn;
  clarifyTurn(candidates: string[], score: number, facet: Facet | undefined, state: ConversationState, now: number): Turn;
  fallback(state: ConversationState, now: number, reason: string, score?: number): Turn;
}

export interface TurnContext {
  r: Reading;
  state: ConversationState;
  now: number;
  kit: TurnKit;
}

/** Hands the turn to the next step, with a changed context when the step has one (grammY's and Hono's `next`). */
export type Next = (ctx?: TurnContext) => Turn;
/** One rule of the turn: answers it, or passes it on. */
export type Step = (ctx: TurnContext, next: Next) => Turn;

/** Runs the steps in order; the first that answers ends the turn, and `last` answers when none does. */
export function compose(steps: readonly Step[], last: (ctx: TurnContext) => Turn): (ctx: TurnContext) => Turn {
  const run = (i: number, ctx: TurnContext): Turn => {
    const step = steps[i];
    return step ? step(ctx, (changed = ctx) => run(i + 1, changed)) : last(ctx);
  };
  return (ctx) => run(0, ctx);
}

// An out-of-scope word (狂犬病, 求人) wins unless the message is overwhelmingly about a service.
const OUT_OF_SCOPE_OVERRIDE = 0.8;
/** A short question may mean the topic just talked about when it is among close candidates. */
const SHORT_CONTEXT_CHARS = 20;

/** Danger now, safety first: the emergency card before anything else. */
const emergency: Step = ({ r, state, now, kit }, next) => (r.emergency ? kit.emergencyTurn(r.emergency, state, now) : next());

/** 「落ち着きました」 after a danger: acknowledged, without the 119 card or a second alert to staff. */
const dangerOver: Step = ({ r, state, now, kit }, next) => {
  const t = kit.thresholds;
  const aboutDanger = r.danger.named || r.danger.services || r.u.emergency >= t.emergencyWithConcept;
  return r.danger.settled && aboutDanger && (r.u.ranking[0]?.score ?? 0) < t.answer ? kit.dangerOverTurn(state, now) : next();
};

/** Nothing left to read (only emoji or punctuation). */
const empty: Step = ({ r, state, now, kit }, next) => (r.a.norm ? next() : kit.fallback(state, now, 'empty'));

/** 「私のデータを消して」: confirm before erasing. */
const erase: Step = ({ r, state, now, kit }, next) => (kit.detectsErase(r.message) ? kit.eraseConfirmTurn(state, now) : next());

/** A person wanted, in the listed words or as the model reads it. */
const handoff: Step = ({ r, state, now, kit }, next) =>
  kit.detectsHandoff(r.message) || (r.u.handoff >= kit.thresholds.handoff && r.u.handoff > (r.best?.score ?? 0))
    ? kit.handoffTurn(state, now, 'requested')
    : next();

/** Topics that need a person's judgment go to staff. */
const judgment: Step = ({ r, state, now, kit }, next) => (r.guard === 'judgment' ? kit.handoffTurn(state, now, 'judgment') : next());

/** 「自分に合うサービスを知りたい」 starts the guided consultation. */
const guideStart: Step = ({ r, state, now, kit }, next) => (kit.detectsGuideStart(r.message) ? kit.guideStartTurn(state, now) : next());

/** A typed answer to the open guide question; anything else leaves the guide. */
const guideAnswer: Step = (ctx, next) => {
  const { r, state, now, kit } = ctx;
  const guided = kit.freshGuide(state, now) ? kit.guideAnswer(r.text, state, now) : undefined;
  if (guided) return guided;
  return state.guide ? next({ ...ctx, state: { ...state, guide: undefined } }) : next();
};

/** The models read other business (adults, employers, other city matters) rather than a service. */
const otherBusiness = (r: Reading, t: PolicyThresholds) => r.u.none >= t.outOfScope && r.u.none > (r.best?.score ?? 0) && !(r.best && r.best.score >= t.sure);
/** A listed out-of-scope word, unless the message is overwhelmingly about a service. */
const listedBusiness = (r: Reading) => r.guard === 'out_of_scope' && (!r.best || r.best.score < OUT_OF_SCOPE_OVERRIDE);

/** A facility named, or places asked for by kind, area, hours or age: before follow-ups, since a name is a new topic. */
const directory: Step = ({ r, state, now, kit }, next) =>
  listedBusiness(r) ? next() : (kit.directoryTurn(r, state, now, otherBusiness(r, kit.thresholds)) ?? next());

/** A message without a topic of its own continues the last one. */
const followUp: Step = ({ r, state, now, kit }, next) => kit.followUp(r, state, now) ?? next();

/** 「料金は？」 with nothing to refer back to names no service: ask which one instead of guessing. */
const facetOnly: Step = ({ r, state, now, kit }, next) => {
  if (!r.cue || kit.stripFacetWords(r.a.norm).replace(/[\sはがもってのをにで]/g, '').length !== 0) return next();
  const ids = r.ranking
    .filter((x) => !kit.isSmalltalk(x.intent))
    .slice(0, 3)
    .map((x) => x.intent);
  return kit.facetOnlyTurn(ids, r.cue, state, now);
};

/** What this account does not handle (other city business, adults, employers): said honestly, not guessed at. */
const outOfScope: Step = ({ r, state, now, kit }, next) =>
  otherBusiness(r, kit.thresholds) || listedBusiness(r) ? kit.fallback(state, now, 'out_of_scope', r.u.none) : next();

// 「あ、違う、幼稚園の方です」「間違えました、病気のときに預かってくれるほうです」: the service was misread, the question was not.
const CORRECTION = /違う|違った|違います|ちがう|ちがった|ちがいます|間違え|まちがえ|じゃなくて|ではなくて/u;

// 「じゃあ子どもの医療費の受給者証は？」 right after 「児童手当の申請ってどこで？」: the same question of another service.
const SWITCH = /^(じゃあ|じゃ|では|それなら|それじゃ|なら|ほんなら)/u;

/**
 * The facet a correction or a switch still asks: a message that only says which service was meant (or, opening with
 * 「じゃあ」, names another), right after an answer about one aspect of another, asks that aspect of the service it
 * names. A facet word in the message wins; after 「じゃあ」 the aspect just asked also wins over the facet model's guess,
 * which reads only the service's name (「じゃあ妊娠届は？」 is not a question about how to apply).
 */
function askedFacet(r: Reading, intent: string, state: ConversationState, now: number, kit: TurnKit): Facet | undefined {
  const carried = () => {
    const topic = kit.freshTopic(state, now);
    return topic && topic.intent !== intent && topic.facet !== 'overview' ? topic.facet : undefined;
  };
  if (!r.cue && SWITCH.test(r.a.norm)) return carried() ?? r.facet;
  if (!r.facet && CORRECTION.test(r.a.norm)) return carried();
  return r.facet;
}

/**
 * The thresholds a message is judged by: other languages' models have an answer threshold of their own, and long
 * messages and spaced writing about a child are judged by the long one.
 */
export function answerThresholds(r: Pick<Reading, 'a' | 'foreign' | 'spaced'>, t: PolicyThresholds): PolicyThresholds {
  if (r.foreign) return { ...t, answer: t.foreignAnswer };
  return r.a.norm.length > t.longChars || r.spaced ? { ...t, answer: t.longAnswer } : t;
}

/** The policy over the ranking: answer, ask among close candidates, or say it was not understood. */
function byPolicy({ r, state, now, kit }: TurnContext): Turn {
  const t = answerThresholds(r, kit.thresholds);
  const verdict = judge(r.ranking, t, Math.max(r.u.none, r.u.handoff));
  if (verdict.action === 'answer') {
    const id = verdict.best.intent;
    if (kit.isSmalltalk(id)) return kit.smalltalk(id, verdict.best.score, state, now);
    return kit.answer(id, askedFacet(r, id, state, now, kit) ?? 'overview', verdict.best.score, 'match', state, now);
  }
  if (verdict.action === 'clarify') {
    const ids = verdict.candidates.map((c) => c.intent);
    const first = verdict.candidates[0]!;
    // Among close candidates, the topic we were just talking about is what a short question means (「歯医者のもある？」).
    const topic = kit.freshTopic(state, now);
    if (topic && ids.includes(topic.intent) && r.a.norm.length <= SHORT_CONTEXT_CHARS)
      return kit.answer(topic.intent, r.facet ?? 'overview', verdict.candidates.find((c) => c.intent === topic.intent)!.score, 'context', state, now);
    // Only candidates the model gives a real chance are worth offering.
    const service = verdict.candidates.filter((c) => !kit.isSmalltalk(c.intent) && c.score >= t.fallback).map((c) => c.intent);
    // Smalltalk is only worth a reply when it is clearly smalltalk; unclear short text is not a greeting.
    if (service.length === 0)
      return first.score >= t.answer ? kit.smalltalk(ids[0]!, first.score, state, now) : kit.fallback(state, now, 'low_confidence', first.score);
    return kit.clarifyTurn(service, first.score, r.facet, state, now);
  }
  return kit.fallback(state, now, 'low_confidence', verdict.best?.score);
}

/**
 * The rules of a text turn, in the order they are tried. Safety first, then what the parent asks of the
 * conversation itself (erase, a person, the guide), then the question: a facility, a follow-up, a facet alone, out of scope,
 * and the policy over the models' ranking. A new rule is a new step in this list.
 */
export const TEXT_STEPS: readonly Step[] = [
  emergency,
  dangerOver,
  empty,
  erase,
  handoff,
  judgment,
  guideStart,
  guideAnswer,
  directory,
  followUp,
  facetOnly,
  outOfScope,
];

export const decideText = compose(TEXT_STEPS, byPolicy);
