import type { KnowledgeBase } from '../knowledge/load.js';
import { languageChain } from '../knowledge/languages/load.js';
import { BASE_LANGUAGE } from '../knowledge/languages/schema.js';
import { NEEDS, type Facet } from '../knowledge/schema.js';
import { CONCIERGE_CONTACT_ID } from '../knowledge/concierge-contact.js';
import { conciergeContact, copyFrom, JA_COPY, lookupIn, type Copy, type CopyLookup } from './copy/ja.js';
import type { CopyTree } from '../knowledge/languages/schema.js';
import { guideQuickReplies, guideStartButton, SPECIAL_OPTIONS, WHO_OPTIONS, type GuideStep } from './guide.js';
import { cancelHandoffButton, handoffButton, handoffButtonIn, menuQuickReplies, MENU_TOPICS, postback, ReplyComposer } from './replies.js';
import type { QuickReply } from './types.js';
import { ageIn } from './age-words.js';
import { JA_REASON_WORDS, type ReasonWords } from './eligibility.js';

/**
 * Everything the bot says, in one parent's language: the fixed sentences (the language's `_copy.yaml`, falling back
 * along its chain to the Japanese), the knowledge-base cards (./replies.ts with the language's words and the
 * Japanese facts) and the buttons. The Japanese voice is the bot as it always was, built from the same constants.
 */
export interface Voice {
  code: string;
  copy: Copy;
  compose: ReplyComposer;
  menu(): QuickReply[];
  handoff: QuickReply;
  cancel: QuickReply;
  guideStart: QuickReply;
  guideOptions(step: GuideStep): QuickReply[];
  facetLabel(facet: Facet): string;
  /** The words of why a service fits a family, or does not (eligibility notices, the guided consultation's reasons). */
  reasons: ReasonWords;
  /** 「Language / 言語」: opens the list of languages. */
  languageButton: QuickReply;
  /** One button per language, each in its own name, in the menu's order. */
  languageChoices(): QuickReply[];
  t: CopyLookup;
}

export function japaneseVoice(kb: KnowledgeBase, copy: Copy, compose: ReplyComposer): Voice {
  const t = lookupIn(JA_COPY);
  return {
    code: BASE_LANGUAGE,
    copy,
    compose,
    menu: menuQuickReplies,
    handoff: handoffButton,
    cancel: cancelHandoffButton,
    guideStart: guideStartButton,
    guideOptions: guideQuickReplies,
    facetLabel: (f) => compose.facetLabel(f),
    reasons: JA_REASON_WORDS,
    languageButton: languageButton(t),
    languageChoices: () => languageChoices(kb),
    t,
  };
}

/** The fixed sentences of a language: its own, then its fallbacks', then the Japanese. */
export function copyLookupFor(kb: KnowledgeBase, code: string): CopyLookup {
  const trees = languageChain(kb.languages, code)
    .map((c) => kb.languages.get(c)?.copy)
    .filter((c): c is CopyTree => !!c);
  return lookupIn(...trees, JA_COPY);
}

/** The voice of a language of kb.languages (its words over its fallbacks' over the Japanese). */
export function voiceIn(kb: KnowledgeBase, code: string): Voice {
  const chain = languageChain(kb.languages, code);
  const t = copyLookupFor(kb, code);
  const contact = conciergeContact(kb);
  const name = chain.map((c) => (c === BASE_LANGUAGE ? undefined : kb.languages.get(c)?.contacts.get(CONCIERGE_CONTACT_ID)?.name)).find(Boolean);
  const copy = copyFrom(t, { name: name ?? contact.name, tel: contact.tel });
  const compose = new ReplyComposer(kb, copy, { code: chain[0]!, t });
  const said = (label: string, data: string, displayText = label): QuickReply => ({ label, postback: data, displayText });
  const menu = (): QuickReply[] => [
    ...MENU_TOPICS.map((m) => said(t(`labels.menu.${m.topic}`), postback({ a: 'menu', t: m.topic }))),
    handoffButtonIn(t),
    languageButton(t),
  ];
  const labelOf = (step: GuideStep, v: string) => t(step === 'who' ? `labels.who.${v}` : step === 'need' ? `labels.needs.${v}` : `labels.special.${v}`);
  const values: Record<GuideStep, readonly string[]> = { who: WHO_OPTIONS.map((o) => o.v), need: NEEDS, special: SPECIAL_OPTIONS.map((o) => o.v) };
  return {
    code: chain[0]!,
    copy,
    compose,
    menu,
    handoff: handoffButtonIn(t),
    cancel: said(t('labels.cancel'), postback({ a: 'cancel' }), t('labels.cancelSaid')),
    guideStart: said(t('labels.guideStart'), postback({ a: 'guide', s: 'start' }), t('labels.guideStartSaid')),
    guideOptions: (step) => values[step].map((v) => said(labelOf(step, v), postback({ a: 'guide', s: step, v }))),
    facetLabel: (f) => compose.facetLabel(f),
    reasons: {
      t,
      age: (label) => ageIn(t, label),
      // What to confirm is the entry's words: the first of the parent's languages that has it, else the Japanese.
      confirm: (entry) =>
        chain.map((c) => (c === BASE_LANGUAGE ? undefined : kb.languages.get(c)?.entries.get(entry.id)?.eligibility?.confirm)).find(Boolean) ??
        entry.eligibility?.confirm,
    },
    languageButton: languageButton(t),
    languageChoices: () => languageChoices(kb),
    t,
  };
}

const languageButton = (t: CopyLookup): QuickReply => ({ label: t('labels.language'), postback: postback({ a: 'lang' }), displayText: t('labels.language') });

function languageChoices(kb: KnowledgeBase): QuickReply[] {
  return [...kb.languages.values()]
    .sort((a, b) => a.meta.order - b.meta.order || a.meta.code.localeCompare(b.meta.code))
    .slice(0, 13)
    .map((p) => ({ label: p.meta.name, postback: postback({ a: 'lang', l: p.meta.code }), displayText: p.meta.name }));
}
