import path from 'node:path';
import type { z } from 'zod';
import type { KnowledgeFiles } from '../files.js';
import { LANGUAGES_FOLDER } from '../files.js';
import type { FacilitiesFile } from '../facilities/schema.js';
import type { Contact, EmergencyFile, EmergencyKind, KnowledgeEntry } from '../schema.js';
import { JA_COPY } from '../../conversation/copy/ja.js';
import {
  BASE_LANGUAGE,
  ContactsTranslation,
  CopyFile,
  type CopyTree,
  EmergencyTranslation,
  EntryTranslation,
  FacilitiesTranslation,
  LANGUAGE_FILES,
  LANGUAGE_META_FILE,
  LanguageFile,
  SourcesTranslation,
} from './schema.js';

/** One language's words, as loaded from `languages/<code>/`. Every map may be partial: what is missing falls back. */
export interface LanguagePack {
  meta: LanguageFile;
  entries: Map<string, EntryTranslation>;
  contacts: Map<string, ContactsTranslation['contacts'][number]>;
  facilities: Map<string, FacilitiesTranslation['facilities'][number]>;
  areas: Record<string, string>;
  emergency: Partial<Record<EmergencyKind, { title: string; text: string; foreign?: string }>>;
  copy: CopyTree;
  /** The sources' date notes, by the Japanese note (`asOf`): those a card cannot write with its date words alone. */
  asOfNotes: Map<string, string>;
  /**
   * Translations left behind by a change to the Japanese (a dated statement added or removed): not used — the parent
   * gets the fallback language for that part — and listed by `kb:check` for staff to bring up to date. A change to
   * the Japanese never waits for its translations before going live.
   */
  stale: LanguageProblem[];
}

/** Every language the bot speaks, by code; always holds the base language (日本語), whose words are the Japanese files. */
export type Languages = ReadonlyMap<string, LanguagePack>;

/** The base language's pack when `languages/ja/_language.yaml` does not describe it. */
const BASE_META: LanguageFile = { code: BASE_LANGUAGE, name: '日本語', nameJa: '日本語', profileLanguages: ['ja'], machineTranslation: {}, order: 0 };

export interface LanguageProblem {
  file: string;
  field: string;
  message: string;
}

type Reader = <S extends z.ZodType>(file: string, schema: S) => z.infer<S> | undefined;

/** What a translation is checked against: the Japanese it translates. */
export interface BaseKnowledge {
  entries: ReadonlyMap<string, KnowledgeEntry>;
  contacts: ReadonlyMap<string, Contact>;
  facilities: FacilitiesFile;
  emergency: EmergencyFile;
}

/**
 * Reads `languages/<code>/*.yaml` through the knowledge base's own reader (so parse errors are reported the same way)
 * and checks each translation's shape against the Japanese: the entry, facet, statement, contact and facility it
 * translates must exist, and a language's fallback must lead back to the base language without a loop. Whether the
 * words carry the same numbers as the Japanese is checked by ./check.ts.
 */
export function loadLanguages(files: KnowledgeFiles, read: Reader, base: BaseKnowledge): { languages: Languages; problems: LanguageProblem[] } {
  const problems: LanguageProblem[] = [];
  const byCode = new Map<string, string[]>();
  for (const p of Object.keys(files).sort()) {
    const m = new RegExp(`^${LANGUAGES_FOLDER}/([^/]+)/([^/]+)$`).exec(p);
    if (!m) continue;
    byCode.set(m[1]!, [...(byCode.get(m[1]!) ?? []), m[2]!]);
  }

  const languages = new Map<string, LanguagePack>();
  // The Japanese fixed sentences are code's typed data (src/core/conversation/copy/ja.ts): the reference the other
  // languages' _copy.yaml translate. A languages/ja/_copy.yaml, if one is ever written, replaces them.
  languages.set(BASE_LANGUAGE, { ...emptyPack(BASE_META), copy: JA_COPY });
  for (const [code, names] of byCode) {
    const folder = `${LANGUAGES_FOLDER}/${code}`;
    const metaFile = `${folder}/${LANGUAGE_META_FILE}`;
    if (!names.includes(LANGUAGE_META_FILE)) {
      problems.push({ file: metaFile, field: '-', message: `言語「${code}」のフォルダに ${LANGUAGE_META_FILE}（言語の名前など）がありません` });
      continue;
    }
    const meta = read(metaFile, LanguageFile);
    if (!meta) continue;
    if (meta.code !== code) problems.push({ file: metaFile, field: 'code', message: `code「${meta.code}」がフォルダ名「${code}」と違います` });
    const pack = code === BASE_LANGUAGE ? { ...emptyPack(meta), copy: JA_COPY as CopyTree } : emptyPack(meta);

    for (const name of names) {
      const file = `${folder}/${name}`;
      if (name === LANGUAGE_META_FILE) continue;
      if (name === LANGUAGE_FILES.contacts) {
        const t = read(file, ContactsTranslation);
        t?.contacts.forEach((c, i) => {
          if (!base.contacts.has(c.id)) problems.push({ file, field: `contacts.${i}.id`, message: `連絡先「${c.id}」が knowledge/_contacts.yaml にありません` });
          else pack.contacts.set(c.id, c);
        });
      } else if (name === LANGUAGE_FILES.facilities) {
        const t = read(file, FacilitiesTranslation);
        const known = new Set(base.facilities.facilities.map((f) => f.id));
        t?.facilities.forEach((f, i) => {
          if (!known.has(f.id)) problems.push({ file, field: `facilities.${i}.id`, message: `施設「${f.id}」が knowledge/_facilities.yaml にありません` });
          else pack.facilities.set(f.id, f);
        });
        if (t) pack.areas = t.areas;
      } else if (name === LANGUAGE_FILES.emergency) {
        const t = read(file, EmergencyTranslation);
        if (t) pack.emergency = t.guidance;
      } else if (name === LANGUAGE_FILES.copy) {
        const t = read(file, CopyFile);
        if (t) pack.copy = t;
      } else if (name === LANGUAGE_FILES.sources) {
        const t = read(file, SourcesTranslation);
        const notes = japaneseAsOf(base);
        for (const [ja, note] of Object.entries(t?.asOf ?? {})) {
          if (!notes.has(ja)) problems.push({ file, field: `asOf.${ja}`, message: `出典の日付「${ja}」は knowledge/ のどの出典にもありません` });
          else pack.asOfNotes.set(ja, note);
        }
      } else if (name.startsWith('_')) {
        // Other `_` files (training examples for understanding, …) belong to whoever reads them.
        continue;
      } else {
        const t = read(file, EntryTranslation);
        if (!t) continue;
        const ja = base.entries.get(t.id);
        if (t.id !== path.basename(name, '.yaml')) problems.push({ file, field: 'id', message: `id「${t.id}」がファイル名と違います` });
        if (!ja) {
          problems.push({ file, field: 'id', message: `知識ファイル knowledge/${t.id}.yaml がありません（訳す元の日本語がありません）` });
          continue;
        }
        for (const [facet, ft] of Object.entries(t.facets)) {
          if (!ft) continue;
          const jf = ja.facets[facet as keyof typeof ja.facets];
          if (!jf) problems.push({ file, field: `facets.${facet}`, message: `日本語にない側面「${facet}」の訳があります` });
          else if (ft.statements.length !== jf.statements.length) {
            pack.stale.push({ file, field: `facets.${facet}.statements`, message: `期間つきの文が日本語は${jf.statements.length}件、訳は${ft.statements.length}件です（同じ順に同じ数を訳してください）。直すまで、この側面は代わりの言語で出します` });
            delete t.facets[facet as keyof typeof t.facets];
          }
        }
        if (t.eligibility?.confirm && !ja.eligibility?.confirm) problems.push({ file, field: 'eligibility.confirm', message: '日本語にない「確認すること」の訳があります' });
        pack.entries.set(t.id, t);
      }
    }
    languages.set(code, pack);
  }

  for (const pack of languages.values()) {
    const seen = new Set<string>();
    let code: string | undefined = pack.meta.code;
    while (code && code !== BASE_LANGUAGE) {
      if (seen.has(code)) {
        problems.push({ file: `${LANGUAGES_FOLDER}/${pack.meta.code}/${LANGUAGE_META_FILE}`, field: 'fallback', message: '代わりの言語（fallback）がたどるうちに元に戻ってしまいます' });
        break;
      }
      seen.add(code);
      const next: string = languages.get(code)?.meta.fallback ?? BASE_LANGUAGE;
      if (next !== BASE_LANGUAGE && !languages.has(next)) {
        problems.push({ file: `${LANGUAGES_FOLDER}/${code}/${LANGUAGE_META_FILE}`, field: 'fallback', message: `代わりの言語「${next}」がありません` });
        break;
      }
      code = next;
    }
  }
  return { languages, problems };
}

const emptyPack = (meta: LanguageFile): LanguagePack => ({
  meta,
  entries: new Map(),
  contacts: new Map(),
  facilities: new Map(),
  areas: {},
  emergency: {},
  copy: {},
  asOfNotes: new Map(),
  stale: [],
});

/** Every date note (`asOf`) of the sources a card shows: the knowledge entries' and the facility records'. */
export function japaneseAsOf(base: Pick<BaseKnowledge, 'entries' | 'facilities'>): Set<string> {
  const sources = [...[...base.entries.values()].flatMap((e) => e.sources), ...base.facilities.sources];
  return new Set(sources.flatMap((s) => (s.asOf?.trim() ? [s.asOf.trim()] : [])));
}

/** The languages to look in, in order, for words in `code`: itself, its fallbacks, then 日本語. Unknown codes get 日本語. */
export function languageChain(languages: Languages, code: string): string[] {
  const chain: string[] = [];
  let c: string | undefined = languages.has(code) ? code : BASE_LANGUAGE;
  while (c && !chain.includes(c)) {
    chain.push(c);
    c = c === BASE_LANGUAGE ? undefined : (languages.get(c)?.meta.fallback ?? BASE_LANGUAGE);
  }
  if (!chain.includes(BASE_LANGUAGE)) chain.push(BASE_LANGUAGE);
  return chain;
}

/**
 * The language a parent's LINE profile asks for (`vi`, `zh-Hans`, `en-US`): the pack that lists it in
 * `profileLanguages`, else one that lists its primary subtag (`en` for `en-US`), else `otherwise`.
 */
export function languageForProfile(languages: Languages, profileLanguage: string | undefined, otherwise: string): string {
  if (!profileLanguage) return otherwise;
  const wanted = profileLanguage.toLowerCase();
  const packs = [...languages.values()];
  const exact = packs.find((p) => p.meta.profileLanguages.some((l) => l.toLowerCase() === wanted));
  if (exact) return exact.meta.code;
  const primary = wanted.split('-')[0]!;
  const loose = packs.find((p) => p.meta.profileLanguages.some((l) => l.toLowerCase() === primary));
  return loose ? loose.meta.code : otherwise;
}
