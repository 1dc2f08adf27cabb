import { z } from 'zod';
import { Facet, EmergencyKind, Need } from '../knowledge/schema.js';
import { FamilyFacts } from './facts.js';
import type { CardWords } from './copy/ja.js';

export const ACTIONS = ['answer', 'clarify', 'fallback', 'handoff', 'emergency', 'smalltalk'] as const;
export type Action = (typeof ACTIONS)[number];

/** What the core decided about one incoming message; the evaluation scores exactly this. */
export interface Decision {
  action: Action;
  intent?: string;
  facet?: Facet;
  candidates?: string[];
  score?: number;
  /** Why: e.g. 'keyword', 'context', 'judgment', 'out_of_scope', 'requested', 'low_confidence'. */
  reason?: string;
  emergencyKind?: EmergencyKind;
  /** A 役に立った/役に立たなかった tap on an answer about `intent`. */
  feedback?: { intent: string; vote: 'up' | 'down' };
  /**
   * 「この情報はまちがっている」: `opened` on the tap (the service stores a report for the card's entry and facet),
   * `detail` when the next message says what is wrong (the service adds it, masked, to that report).
   */
  report?: { intent: string; facet: Facet; step: 'opened' | 'detail' };
}

/** A platform-neutral message from a person. Transports map their events onto this. */
export type Incoming =
  | { kind: 'text'; text: string }
  | { kind: 'postback'; data: string }
  /** `language`: the LINE profile's language (BCP 47: `vi`, `zh-Hans`, `en-US`), when the platform told it. */
  | { kind: 'follow'; language?: string }
  /** The bot was added to a group or room. */
  | { kind: 'join' }
  | { kind: 'unsupported'; what: 'sticker' | 'image' | 'video' | 'audio' | 'file' | 'location' | 'other' };

/** A button the person can tap. `data` is a postback payload (≤ 300 chars), `text` a message sent as if typed. */
export type QuickReply = { label: string; postback: string; displayText?: string } | { label: string; text: string };

export interface PhoneRef {
  name: string;
  tel: string;
  /** When the number's source gave it (「2020年時点」「掲載時期不明」); shown beside office numbers. */
  asOf?: string;
}

/** Platform-neutral replies; the LINE adapter turns them into Flex/text, the CLI into plain text. */
export type Reply =
  | { type: 'text'; text: string }
  | {
      type: 'answer';
      intent: string;
      title: string;
      facet: Facet;
      facetLabel: string;
      text: string;
      unconfirmed: boolean;
      /** 「情報の時点」: the cited sources' own date (src/core/knowledge/dates.ts says how), or 時点不明. */
      asOf: string;
      /** The oldest day the cited sources were last compared with the entry (YYYY-MM-DD). */
      checked: string;
      sources: { title: string; url: string; asOf?: string; thirdParty: boolean }[];
      phones: PhoneRef[];
      otherFacets: { facet: Facet; label: string }[];
      /** How the service fits what the family told us (「中1のお子さんは対象外です」), shown above the answer. */
      notice?: { text: string; tone: 'fits' | 'check' | 'not_eligible' };
      /** The card's frame in the parent's language (its labels, dates, buttons); the Japanese frame when absent. */
      words?: CardWords;
    }
  | {
      /** The guided consultation's result: services that fit this family, best first, each with why. */
      type: 'recommendations';
      items: { intent: string; title: string; summary: string; reason: string; fit: 'fits' | 'maybe' }[];
      words?: CardWords;
    }
  | { type: 'emergency'; kind: EmergencyKind; title: string; text: string; phones: PhoneRef[]; words?: CardWords }
  /** Facility directory cards (a carousel on LINE), one per facility, each with its own sources. */
  | { type: 'facilities'; items: FacilityCard[]; words?: CardWords };

/** One facility as a card: only sourced values; `missing` names what the facts sheet does not give. */
export interface FacilityCard {
  id: string;
  name: string;
  /** 「認定こども園（私立）」. */
  kindLabel: string;
  area?: string;
  address?: string;
  addressNote?: string;
  /** A maps search built from the address. */
  mapUrl?: string;
  phone?: PhoneRef;
  hours?: string;
  ages?: string;
  offers: string[];
  note?: string;
  /** 「住所」「電話番号」 when the source does not give them. */
  missing: string[];
  /** Who to call instead when something is missing (子育て支援課). */
  fallback?: PhoneRef;
  sources: { title: string; url: string; asOf?: string; thirdParty: boolean }[];
  /** The oldest date a person compared the record with its sources (YYYY-MM-DD). */
  checked: string;
  /** The knowledge-base entry about the service this facility offers. */
  related?: { intent: string; title: string };
}

export interface Response {
  decision: Decision;
  replies: Reply[];
  /** Shown with the last reply as tappable choices. */
  quickReplies: QuickReply[];
  state: ConversationState;
  /** The parent's language changed in this turn (to this code): the transport shows the menu of that language. */
  switchedTo?: string;
}

export const ConversationState = z.object({
  /**
   * The last topic answered, for follow-ups like 「料金は？」. `question` (masked) is what was asked, so a 役に立たなかった
   * tap or an ignored clarification can be logged with it for staff.
   */
  topic: z.object({ intent: z.string(), facet: Facet, at: z.number(), question: z.string().optional() }).optional(),
  /** The facilities the last directory answer showed (ids only), so 「電話番号は？」 right after is about them. */
  facilities: z.object({ ids: z.array(z.string()).max(12), at: z.number() }).optional(),
  /** Candidates offered in a clarify turn, so a reply naming one can be resolved. */
  pending: z.object({ candidates: z.array(z.string()), at: z.number(), question: z.string().optional() }).optional(),
  /** The guided consultation in progress: which question is open, what is known, what was already asked. */
  guide: z.object({ step: z.enum(['who', 'need', 'special']), need: Need.optional(), asked: z.array(z.string()).default([]), at: z.number() }).optional(),
  /** What the family said about itself (child's age, area), kept for the rest of the conversation. */
  facts: FamilyFacts.optional(),
  /** A 「この情報はまちがっている」 tap: the next message (within a few minutes) says what is wrong. */
  report: z.object({ intent: z.string(), facet: Facet, at: z.number() }).optional(),
  /** When the bot last told a parent, during a handoff, that their message reached staff (once per stretch). */
  heldAckAt: z.number().optional(),
  /**
   * The parent's language (a code of languages/: `en`, `vi`, `ja-easy`); absent for 日本語, as in every state stored
   * before languages existed. Set at follow from the LINE profile, changed by the language menu or by writing in another.
   */
  language: z.string().min(2).max(12).optional(),
  /** Consecutive turns the bot could not help with (fallback or an unanswered clarify). */
  misses: z.number().int().nonnegative().default(0),
  updatedAt: z.number().default(0),
});
export type ConversationState = z.infer<typeof ConversationState>;
export const emptyState = (): ConversationState => ({ misses: 0, updatedAt: 0 });
export { EmergencyKind };
