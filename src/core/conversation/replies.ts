import { encodePostback } from './postback.js';
import { informationDate, oldestChecked } from '../knowledge/dates.js';
import { facetTextOn } from '../knowledge/effective.js';
import { FACET_LABELS } from '../knowledge/labels.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import { FACETS, type EmergencyKind, type Facet } from '../knowledge/schema.js';
import { conciergeContact, japaneseCopy, type Copy } from './copy/ja.js';
import type { PhoneRef, QuickReply, Reply } from './types.js';

export { FACET_LABELS };

/** The six entry points of the main menu; the same topics as the rich menu. */
export const MENU_TOPICS = [
  { topic: 'azuketai', label: '預けたい' },
  { topic: 'okane', label: 'お金・手当' },
  { topic: 'kenshin', label: '健診・予防接種' },
  { topic: 'ninshin', label: '妊娠・出産' },
  { topic: 'soudan', label: '相談したい' },
] as const;

/** Button data in the typed postback vocabulary (see postback.ts). */
export const postback = encodePostback;

export const HANDOFF_LABEL = '担当者と話す';
export const HANDOFF_DISPLAY_TEXT = '担当者と話したい';
export const handoffButton: QuickReply = { label: HANDOFF_LABEL, postback: postback({ a: 'handoff' }), displayText: HANDOFF_DISPLAY_TEXT };

export const cancelHandoffButton: QuickReply = { label: '取り消す', postback: postback({ a: 'cancel' }), displayText: '担当者へのおつなぎを取り消す' };

export const menuQuickReplies = (): QuickReply[] => [
  ...MENU_TOPICS.map((m) => ({ label: m.label, postback: postback({ a: 'menu', t: m.topic }), displayText: m.label })),
  handoffButton,
];

/** Composes replies from the knowledge base. Holds no state. */
export class ReplyComposer {
  /** A composer with the copy made from the knowledge base's own contact ledger. */
  static for(kb: KnowledgeBase): ReplyComposer {
    return new ReplyComposer(kb, japaneseCopy(conciergeContact(kb)));
  }

  constructor(
    private readonly kb: KnowledgeBase,
    private readonly copy: Pick<Copy, 'conciergeTel' | 'unconfirmedDetail'>,
  ) {}

  title(intent: string): string {
    return this.kb.entries.get(intent)?.title ?? intent;
  }

  phones(ids: readonly string[]): PhoneRef[] {
    return ids.flatMap((id) => {
      const c = this.kb.contacts.get(id);
      return c ? [{ name: c.name, tel: c.tel, ...(c.asOf ? { asOf: c.asOf } : {}) }] : [];
    });
  }

  /**
   * The card for one facet as told on `today` (YYYY-MM-DD in Japan, from the caller's clock): statements with
   * effective dates are chosen for that day (src/core/knowledge/effective.ts).
   */
  answer(intent: string, asked: Facet, today: string): Reply {
    const entry = this.kb.entries.get(intent);
    if (!entry) throw new Error(`no knowledge entry for ${intent}`);
    const facet: Facet = entry.facets[asked] ? asked : 'overview';
    const f = entry.facets[facet]!;
    const sources = entry.sources.filter((s) => f.sources.includes(s.id));
    const told = facetTextOn(f, today);
    const text =
      f.unconfirmed && !told.includes(this.copy.conciergeTel)
        ? `${told}
${this.copy.unconfirmedDetail}`
        : told;
    return {
      type: 'answer',
      intent,
      title: entry.title,
      facet,
      facetLabel: FACET_LABELS[facet],
      text,
      unconfirmed: f.unconfirmed,
      asOf: informationDate(sources.map((s) => s.asOf)),
      checked: oldestChecked(sources.map((s) => s.checked)),
      sources: sources.map((s) => ({ title: s.title, url: s.url, asOf: s.asOf, thirdParty: s.thirdParty })),
      phones: this.phones(f.phones),
      otherFacets: FACETS.filter((x) => x !== facet && entry.facets[x]).map((x) => ({ facet: x, label: FACET_LABELS[x] })),
    };
  }

  feedback(intent: string): QuickReply[] {
    return [
      { label: '役に立った', postback: postback({ a: 'fb', i: intent, v: 'up' }), displayText: '役に立った' },
      { label: '役に立たなかった', postback: postback({ a: 'fb', i: intent, v: 'down' }), displayText: '役に立たなかった' },
      handoffButton,
    ];
  }

  smalltalk(intent: string): Reply {
    const entry = this.kb.entries.get(intent);
    return { type: 'text', text: entry?.facets.overview.text ?? 'こんにちは。子育てのことなら何でも聞いてください。' };
  }

  emergency(kind: EmergencyKind): Reply {
    const g = this.kb.emergency.guidance[kind];
    return { type: 'emergency', kind, title: g.title, text: g.text, phones: this.phones(g.phones) };
  }

  choices(intents: readonly string[], facet: Facet): QuickReply[] {
    return intents.map((id) => ({ label: this.title(id), postback: postback({ a: 'pick', i: id, f: facet }), displayText: this.title(id) }));
  }

  topicEntries(topic: string): string[] {
    return [...this.kb.entries.values()].filter((e) => e.topic === topic).map((e) => e.id);
  }
}
