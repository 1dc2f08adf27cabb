import { z } from 'zod';
import { LANGUAGE_CODE_RE } from '../files.js';
import { EmergencyKind, Facet } from '../schema.js';

/**
 * Translations live beside the Japanese knowledge base, one folder per language: `languages/<code>/`. The Japanese
 * files in knowledge/ and intents/ stay the single source of every fact; a translation carries only words. Phone
 * numbers, sources, dates, effective dates, eligibility ages and facility records' structured fields are taken from
 * the Japanese at answer time, so a translation can never give a different number or source (and `kb:check` proves
 * the numbers written inside the words are the same as the Japanese text's).
 *
 * Adding a language is adding a folder with `_language.yaml`; everything else in it is optional, and what is missing
 * falls back along `fallback` (English → やさしい日本語 → 日本語), saying so to the parent.
 */

export const LanguageCode = z.string().regex(LANGUAGE_CODE_RE, '言語コードは「en」「ja-easy」「zh」のように書いてください');
export type LanguageCode = string;

/** The base language: knowledge/ and intents/ are written in it. */
export const BASE_LANGUAGE = 'ja';

/** languages/<code>/_language.yaml: what the language is called and how a parent's LINE profile maps onto it. */
export const LanguageFile = z
  .object({
    code: LanguageCode,
    /** In the language itself, for the language menu: 「English」「Tiếng Việt」「中文（简体）」「やさしい にほんご」. */
    name: z.string().min(1).max(20),
    /** In Japanese, for staff: 「英語」「ベトナム語」. */
    nameJa: z.string().min(1).max(20),
    /** LINE profile `language` values (BCP 47) that select this language, compared case-insensitively: [vi], [zh-Hans, zh-CN]. */
    profileLanguages: z.array(z.string().min(2)).default([]),
    /** Where a missing translation is taken from; the base language when absent. */
    fallback: LanguageCode.optional(),
    /** The code each machine-translation provider uses for this language (`deepl: EN-US`, `google: en`), if it has one. */
    machineTranslation: z.partialRecord(z.enum(['deepl', 'google']), z.string().min(2).max(10)).default({}),
    /** Order in the language menu (smaller first). */
    order: z.number().int().default(100),
  })
  .strict();
export type LanguageFile = z.infer<typeof LanguageFile>;

const words = (max: number) => z.string().min(1).max(max);

export const FacetTranslation = z
  .object({
    text: words(2000),
    /** The facet's dated statements, in the Japanese order; their dates come from the Japanese. */
    statements: z.array(words(1000)).max(10).default([]),
  })
  .strict();
export type FacetTranslation = z.infer<typeof FacetTranslation>;

/** languages/<code>/<entry-id>.yaml: one knowledge entry's words in the language. */
export const EntryTranslation = z
  .object({
    id: z.string().min(1),
    // Also a quick-reply label, which LINE cuts at 20 characters.
    title: z.string().min(1).max(20, 'タイトルは20文字以内にしてください（LINEの選択ボタンに表示できる長さ）'),
    summary: words(240),
    facets: z.object(Object.fromEntries(Facet.options.map((f) => [f, FacetTranslation.optional()])) as Record<Facet, z.ZodOptional<typeof FacetTranslation>>).strict(),
    eligibility: z.object({ confirm: words(400).optional() }).strict().optional(),
  })
  .strict();
export type EntryTranslation = z.infer<typeof EntryTranslation>;

/** languages/<code>/_contacts.yaml: the names (and notes) of the contacts; the numbers stay in knowledge/_contacts.yaml. */
export const ContactsTranslation = z
  .object({ contacts: z.array(z.object({ id: z.string().min(1), name: words(80), note: words(200).optional(), asOf: words(60).optional() }).strict()) })
  .strict();
export type ContactsTranslation = z.infer<typeof ContactsTranslation>;

/** languages/<code>/_facilities.yaml: a facility's words; kind, area, address, tel, times and sources stay Japanese data. */
export const FacilitiesTranslation = z
  .object({
    facilities: z.array(
      z
        .object({
          id: z.string().min(1),
          name: words(80),
          addressNote: words(240).optional(),
          hours: words(240).optional(),
          ages: words(160).optional(),
          offers: z.array(words(240)).max(6).default([]),
          note: words(400).optional(),
        })
        .strict(),
    ),
    /** Area names (金浦 → Kanaura) for cards and questions. */
    areas: z.record(z.string(), words(40)).default({}),
  })
  .strict();
export type FacilitiesTranslation = z.infer<typeof FacilitiesTranslation>;

/** languages/<code>/_emergency.yaml: the emergency cards' words; their numbers stay in intents/_emergency.yaml. */
export const EmergencyTranslation = z
  .object({
    guidance: z.record(
      EmergencyKind,
      // `foreign`: the words of the Japanese card's part for callers who do not speak Japanese (its sources stay Japanese).
      z.object({ title: words(40), text: words(2000), foreign: words(2000).optional() }).strict(),
    ),
  })
  .strict();
export type EmergencyTranslation = z.infer<typeof EmergencyTranslation>;

/**
 * languages/<code>/_copy.yaml: the fixed sentences of src/core/conversation/copy in the language, by the same keys
 * (nested objects allowed); `{placeholder}` names must match the Japanese sentence's.
 */
export type CopyTree = { [key: string]: string | CopyTree };
export const CopyFile: z.ZodType<CopyTree> = z.lazy(() => z.record(z.string(), z.union([z.string().min(1).max(2000), CopyFile])));

/**
 * languages/<code>/_sources.yaml: the sources' date notes in the language, by the Japanese note (`asOf` of a source in
 * knowledge/: 「平成22年2月9日制定」 → "enacted 2010/2/9"). The sources' titles stay the documents' own names.
 */
export const SourcesTranslation = z.object({ asOf: z.record(z.string().min(1), words(200)).default({}) }).strict();
export type SourcesTranslation = z.infer<typeof SourcesTranslation>;

/** Files of a language folder with a schema of their own; every other YAML file there is an entry translation. */
export const LANGUAGE_META_FILE = '_language.yaml';
export const LANGUAGE_FILES = {
  contacts: '_contacts.yaml',
  facilities: '_facilities.yaml',
  emergency: '_emergency.yaml',
  copy: '_copy.yaml',
  sources: '_sources.yaml',
} as const;
