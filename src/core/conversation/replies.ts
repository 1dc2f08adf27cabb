import { encodePostback } from './postback.js';
import { informationDate, oldestChecked } from '../knowledge/dates.js';
import { facetTextOn } from '../knowledge/effective.js';
import { FACET_LABELS } from '../knowledge/labels.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import { FACETS, type EmergencyKind, type Facet } from '../knowledge/schema.js';
import { cardWordsFrom, conciergeContact, fill, japaneseCopy, lookupIn, JA_COPY, type CardWords, type Copy, type CopyLookup } from './copy/ja.js';
import { localizeEntry } from '../knowledge/languages/localize.js';
import { languageChain } from '../knowledge/languages/load.js';
import { BASE_LANGUAGE } from '../knowledge/languages/schema.js';
import type { FacilityCard, PhoneRef, QuickReply, Reply } from './types.js';
import { FALLBACK_CONTACT_ID as FALLBACK_CONTACT } from './facility-cards.js';

export { FACET_LABELS };

/** What informationDate adds when some of the sources have no date: the card's date words translate it. */
const PARTLY_UNDATED = '（一部は時点不明）';

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

/** 「担当者と話す」 in the words of a copy tree. */
export const handoffButtonIn = (t: CopyLookup): QuickReply => ({
  label: t('labels.handoff'),
  postback: postback({ a: 'handoff' }),
  displayText: t('labels.handoffSaid'),
});

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

  /** The languages to take words from, the parent's first (日本語 alone for a Japanese-speaking parent). */
  private readonly chain: string[];
  private readonly t: CopyLookup;

  /**
   * `language`: the parent's language (a code of kb.languages) and its fixed sentences; 日本語 when absent. Facts
   * (numbers, sources, dates) are always the Japanese knowledge base's; only the words are the language's.
   */
  constructor(
    private readonly kb: KnowledgeBase,
    private readonly copy: Pick<Copy, 'conciergeTel' | 'unconfirmedDetail'>,
    private readonly language: { code: string; t: CopyLookup } = { code: BASE_LANGUAGE, t: lookupIn(JA_COPY) },
  ) {
    this.chain = languageChain(kb.languages, language.code);
    this.t = language.t;
  }

  private get translated(): boolean {
    return this.chain[0] !== BASE_LANGUAGE;
  }

  /** The cards' frame in the parent's language; nothing for 日本語 (the adapter's own Japanese frame). */
  get words(): CardWords | undefined {
    return this.translated ? (this.cardWords ??= cardWordsFrom(this.t)) : undefined;
  }
  private cardWords: CardWords | undefined;

  /** The first of the parent's languages that has this word (a pack's map lookup). */
  private word<T>(get: (pack: NonNullable<ReturnType<KnowledgeBase['languages']['get']>>) => T | undefined): T | undefined {
    for (const code of this.chain) {
      if (code === BASE_LANGUAGE) return undefined;
      const pack = this.kb.languages.get(code);
      const found = pack ? get(pack) : undefined;
      if (found !== undefined) return found;
    }
    return undefined;
  }

  facetLabel(facet: Facet): string {
    return this.translated ? this.t(`labels.facets.${facet}`) : FACET_LABELS[facet];
  }

  title(intent: string): string {
    return (this.translated ? this.word((p) => p.entries.get(intent)?.title) : undefined) ?? this.kb.entries.get(intent)?.title ?? intent;
  }

  summary(intent: string): string {
    return (this.translated ? this.word((p) => p.entries.get(intent)?.summary) : undefined) ?? this.kb.entries.get(intent)?.summary ?? '';
  }

  /**
   * A facility card in the parent's words (name, hours, ages, offers, notes, area), its facts (address, number,
   * sources) unchanged; a card as it is for 日本語.
   */
  facilityCard(card: FacilityCard): FacilityCard {
    if (!this.translated) return card;
    const t = this.word((p) => p.facilities.get(card.id));
    const area = card.area?.replace(/（島しょ部）$/, '');
    const w = this.words!.facility;
    const missing = card.missing.map((m) => (m === '住所' ? w.missingAddress : m === '電話番号' ? w.missingPhone : m));
    const areaName = area ? this.word((p) => p.areas[area]) : undefined;
    const record = this.kb.facilities.facilities.find((f) => f.id === card.id);
    const kindLabel = record
      ? `${this.t(`facilityKinds.${record.kind}`)}${record.public === undefined ? '' : this.t(`facilityOwnership.${record.public ? 'public' : 'private'}`)}`
      : card.kindLabel;
    return {
      ...card,
      kindLabel,
      ...(t ? { name: t.name } : {}),
      ...(t?.addressNote ? { addressNote: t.addressNote } : {}),
      ...(t?.hours ? { hours: t.hours } : {}),
      ...(t?.ages ? { ages: t.ages } : {}),
      ...(t && t.offers.length === card.offers.length ? { offers: t.offers } : {}),
      ...(t?.note ? { note: t.note } : {}),
      ...(areaName ? { area: areaName } : {}),
      missing,
      ...(card.fallback ? { fallback: { ...card.fallback, name: this.phones([FALLBACK_CONTACT]).at(0)?.name ?? card.fallback.name } } : {}),
      ...(card.related ? { related: { ...card.related, title: this.title(card.related.intent) } } : {}),
      sources: card.sources.map((s) => ({ ...s, asOf: this.note(s.asOf) })),
    };
  }

  /**
   * A source's date note in the parent's language when it is more than a date (「平成22年2月9日制定」 → "enacted
   * 2010/2/9", from the language's _sources.yaml); as written otherwise, for the card's date words (card.dates).
   */
  note(asOf: string | undefined): string | undefined {
    if (!asOf || !this.translated) return asOf;
    const partly = asOf.endsWith(PARTLY_UNDATED) ? PARTLY_UNDATED : '';
    const own = asOf.slice(0, asOf.length - partly.length).trim();
    const note = this.word((p) => p.asOfNotes.get(own));
    return note === undefined ? asOf : `${note}${partly}`;
  }

  /** A language's name as its speakers write it (「Tiếng Việt」). */
  languageName(code: string): string {
    return this.kb.languages.get(code)?.meta.name ?? code;
  }

  phones(ids: readonly string[]): PhoneRef[] {
    return ids.flatMap((id) => {
      const c = this.kb.contacts.get(id);
      if (!c) return [];
      const t = this.translated ? this.word((p) => p.contacts.get(id)) : undefined;
      const asOf = t?.asOf ?? c.asOf;
      return [{ name: t?.name ?? c.name, tel: c.tel, ...(asOf ? { asOf } : {}) }];
    });
  }

  /**
   * The card for one facet as told on `today` (YYYY-MM-DD in Japan, from the caller's clock): statements with
   * effective dates are chosen for that day (src/core/knowledge/effective.ts).
   */
  answer(intent: string, asked: Facet, today: string): Reply {
    const japanese = this.kb.entries.get(intent);
    if (!japanese) throw new Error(`no knowledge entry for ${intent}`);
    const localized = this.translated ? localizeEntry(this.kb.languages, japanese, this.language.code) : undefined;
    const entry = localized?.entry ?? japanese;
    const facet: Facet = entry.facets[asked] ? asked : 'overview';
    const f = entry.facets[facet]!;
    const sources = entry.sources.filter((s) => f.sources.includes(s.id));
    const told = facetTextOn(f, today);
    const withDetail =
      f.unconfirmed && !told.includes(this.copy.conciergeTel)
        ? `${told}
${this.copy.unconfirmedDetail}`
        : told;
    // A part not yet translated is shown in the next language of the parent's chain, and the card says so.
    const shownIn = localized?.facetLanguage[facet];
    const text =
      localized && shownIn && shownIn !== this.chain[0]
        ? `${fill(this.t('card.fellBack'), { language: this.languageName(shownIn) })}\n${withDetail}`
        : withDetail;
    return {
      type: 'answer',
      intent,
      title: entry.title,
      facet,
      facetLabel: this.facetLabel(facet),
      text,
      unconfirmed: f.unconfirmed,
      asOf: this.note(informationDate(sources.map((s) => s.asOf)))!,
      checked: oldestChecked(sources.map((s) => s.checked)),
      sources: sources.map((s) => ({ title: s.title, url: s.url, asOf: this.note(s.asOf), thirdParty: s.thirdParty })),
      phones: this.phones(f.phones),
      otherFacets: FACETS.filter((x) => x !== facet && entry.facets[x]).map((x) => ({ facet: x, label: this.facetLabel(x) })),
      ...(this.words ? { words: this.words } : {}),
    };
  }

  feedback(intent: string): QuickReply[] {
    const [up, down] = [this.t('labels.helpful'), this.t('labels.notHelpful')];
    return [
      { label: up, postback: postback({ a: 'fb', i: intent, v: 'up' }), displayText: up },
      { label: down, postback: postback({ a: 'fb', i: intent, v: 'down' }), displayText: down },
      handoffButtonIn(this.t),
    ];
  }

  smalltalk(intent: string): Reply {
    const entry = this.kb.entries.get(intent);
    const translated = this.translated ? this.word((p) => p.entries.get(intent)?.facets.overview?.text) : undefined;
    return { type: 'text', text: translated ?? entry?.facets.overview.text ?? 'こんにちは。子育てのことなら何でも聞いてください。' };
  }

  /**
   * The emergency card. A parent who reads another language gets it in that language, with the part for a caller who
   * does not speak Japanese (interpretation at 119, which lines work in which languages) and that part's numbers.
   */
  emergency(kind: EmergencyKind): Reply {
    const g = this.kb.emergency.guidance[kind];
    if (!this.translated) return { type: 'emergency', kind, title: g.title, text: g.text, phones: this.phones(g.phones) };
    const t = this.word((p) => p.emergency[kind]);
    const foreign = t?.foreign ?? g.foreign?.text;
    const text = [t?.text ?? g.text, foreign].filter(Boolean).join('\n\n');
    const phones = [...new Set([...g.phones, ...(g.foreign?.phones ?? [])])];
    return { type: 'emergency', kind, title: t?.title ?? g.title, text, phones: this.phones(phones), ...(this.words ? { words: this.words } : {}) };
  }

  choices(intents: readonly string[], facet: Facet): QuickReply[] {
    return intents.map((id) => ({ label: this.title(id), postback: postback({ a: 'pick', i: id, f: facet }), displayText: this.title(id) }));
  }

  topicEntries(topic: string): string[] {
    return [...this.kb.entries.values()].filter((e) => e.topic === topic).map((e) => e.id);
  }
}
