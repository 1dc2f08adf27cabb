import path from 'node:path';
import type { z } from 'zod';
import { parseAge } from '../nlp/ages.js';
import { readKnowledgeFolders, type KnowledgeFiles } from './files.js';
import { CONCIERGE_CONTACT_ID } from './concierge-contact.js';
import { kbIssueMessage } from './messages.js';
import { facilityProblems } from './facilities/check.js';
import { FACILITIES_FILE, FacilitiesFile } from './facilities/schema.js';
import { setAsideTranslations, styleFiles } from './languages/check.js';
import { loadLanguages, type Languages } from './languages/load.js';
import { ParsedYaml, type TextCache } from './parsed-yaml.js';
import { BASE_LANGUAGE } from './languages/schema.js';
import { StyleFile } from './languages/style.js';
import {
  ContactsFile,
  type Eligibility,
  EmergencyFile,
  FacetCuesFile,
  GuardsFile,
  FeelingsFile,
  HandoffFile,
  IntentFile,
  KnowledgeEntry,
  LexiconFile,
  SERVICE_FACETS,
  SMALLTALK_IDS,
  type Contact,
} from './schema.js';

export interface CatalogItem {
  id: string;
  name: string;
}

export interface KnowledgeBase {
  catalog: CatalogItem[];
  entries: Map<string, KnowledgeEntry>;
  intents: Map<string, IntentFile>;
  contacts: Map<string, Contact>;
  lexicon: LexiconFile;
  facetCues: FacetCuesFile;
  handoff: HandoffFile;
  /** Phrases that start the guided consultation (intents/_guide.yaml; same shape as the handoff phrases). */
  guide: HandoffFile;
  /** Phrases asking to erase one's data (intents/_erase.yaml). */
  erase: HandoffFile;
  guards: GuardsFile;
  feelings: FeelingsFile;
  emergency: EmergencyFile;
  /** The facility directory (knowledge/_facilities.yaml); empty when a version has none. */
  facilities: FacilitiesFile;
  /** The languages the bot speaks (languages/<code>/); always holds 日本語, the words of the files above. */
  languages: Languages;
}

/** One thing wrong with the knowledge base, located well enough for staff to fix it. */
export interface Problem {
  file: string;
  field: string;
  message: string;
}

export interface KnowledgeDirs {
  knowledgeDir: string;
  intentsDir: string;
  /** Translations, one folder per language (`languages/en/`); optional: without it the bot speaks Japanese only. */
  languagesDir?: string;
}

export const defaultDirs = (root = process.cwd()): KnowledgeDirs => ({
  knowledgeDir: path.join(root, 'knowledge'),
  intentsDir: path.join(root, 'intents'),
  languagesDir: path.join(root, 'languages'),
});

const PHONE_IN_TEXT = /(?<![\d-])(?:0\d{1,4}-\d{1,4}-\d{3,4}|#\d{4})(?![\d-])/g;

/** Ages staff wrote must be readable and in order; sources must exist in the same file. */
function eligibilityProblems(el: Eligibility, sourceIds: Set<string>): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  for (const s of el.sources) if (!sourceIds.has(s)) out.push({ field: 'eligibility.sources', message: `出典「${s}」が sources にありません` });
  if (el.age) {
    const from = parseAge(el.age.from);
    const to = parseAge(el.age.to);
    if (!from) out.push({ field: 'eligibility.age.from', message: `年齢「${el.age.from}」が読めません（例: 0歳, 生後3か月, 小1, 妊娠中, 就学前）` });
    if (!to) out.push({ field: 'eligibility.age.to', message: `年齢「${el.age.to}」が読めません（例: 5歳, 小6, 中3, 高3）` });
    if (from && to && from.min > to.max) out.push({ field: 'eligibility.age', message: `「${el.age.from}」から「${el.age.to}」の順になっていません` });
  }
  return out;
}

/** Where the knowledge base comes from: the two folders on disk, or files held in memory (a stored version). */
export type KnowledgeSource = KnowledgeDirs | { files: KnowledgeFiles };

/**
 * Reads and validates every knowledge and intent file. Returns the knowledge base only when nothing is
 * wrong: an invalid knowledge base must never go live. Folders are read into a file map first, so disk, stored
 * versions and imports go through exactly the same checks; problems name files as `knowledge/x.yaml`. With a cache
 * (the model cache's text store), files parsed before are not parsed again (ParsedYaml).
 */
export function loadKnowledgeBase(source: KnowledgeSource = defaultDirs(), cache?: TextCache): { kb?: KnowledgeBase; problems: Problem[] } {
  const files: KnowledgeFiles = 'files' in source ? source.files : readKnowledgeFolders(source);
  const problems: Problem[] = [];
  const yaml = new ParsedYaml(files, cache);
  try {
    return loadParsed(files, problems, yaml);
  } finally {
    yaml.save();
  }
}

/** Every check of loadKnowledgeBase, on files whose YAML `yaml` parses. */
function loadParsed(files: KnowledgeFiles, problems: Problem[], yaml: ParsedYaml): { kb?: KnowledgeBase; problems: Problem[] } {
  function read<S extends z.ZodType>(file: string, schema: S): z.infer<S> | undefined {
    const text = files[file];
    if (text === undefined) {
      problems.push({ file, field: '-', message: 'ファイルがありません' });
      return undefined;
    }
    const raw = yaml.parse(file);
    if (!raw.ok) {
      problems.push({ file, field: '-', message: `YAML として読めません: ${raw.error.message.split('\n')[0]}` });
      return undefined;
    }
    const r = schema.safeParse(raw.value, { error: kbIssueMessage });
    if (!r.success) {
      for (const i of r.error.issues) problems.push({ file, field: i.path.join('.') || '-', message: i.message });
      return undefined;
    }
    return r.data;
  }

  const catalogFile = 'intents/_catalog.tsv';
  const catalog: CatalogItem[] = (files[catalogFile] ?? '')
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((c) => c[0]?.trim())
    .map(([id, name]) => ({ id: id!.trim(), name: (name ?? '').trim() }));
  if (!catalog.length) problems.push({ file: catalogFile, field: '-', message: 'カタログ（id の一覧）が読めません' });

  const contactsFile = read('knowledge/_contacts.yaml', ContactsFile);
  const contacts = new Map((contactsFile?.contacts ?? []).map((c) => [c.id, c]));
  // Office numbers change: a card shows each with the date its source gave it, so that date must be written.
  // A number is looked up by its digits (facility cards, spreadsheet imports): each id and each number once.
  const seenContact = { ids: new Set<string>(), tels: new Map<string, string>() };
  (contactsFile?.contacts ?? []).forEach((c, i) => {
    if (c.tel.startsWith('0') && !c.asOf) problems.push({ file: 'knowledge/_contacts.yaml', field: `contacts.${i}.asOf`, message: `${c.name} の番号の時点（asOf: 「2020年時点」「掲載時期不明」など）を書いてください` });
    if (seenContact.ids.has(c.id)) problems.push({ file: 'knowledge/_contacts.yaml', field: `contacts.${i}.id`, message: `連絡先の id「${c.id}」が2回使われています` });
    const other = seenContact.tels.get(c.tel);
    if (other !== undefined) problems.push({ file: 'knowledge/_contacts.yaml', field: `contacts.${i}.tel`, message: `電話番号 ${c.tel} は「${other}」と同じです（1つの番号は台帳に1回だけ）` });
    seenContact.ids.add(c.id);
    seenContact.tels.set(c.tel, c.name);
  });
  const knownTels = new Set([...contacts.values()].map((c) => c.tel));
  // The bot names its own line (the concierge's) in fixed sentences; the number must come from the ledger too.
  if (contactsFile && !contacts.has(CONCIERGE_CONTACT_ID))
    problems.push({ file: 'knowledge/_contacts.yaml', field: 'contacts', message: `子育てコンシェルジュの連絡先「${CONCIERGE_CONTACT_ID}」がありません（ボットが案内する窓口の番号です）` });

  const entries = new Map<string, KnowledgeEntry>();
  for (const file of yamlFiles(files, 'knowledge')) {
    const e = read(file, KnowledgeEntry);
    if (!e) continue;
    if (e.id !== path.basename(file, '.yaml')) problems.push({ file: file, field: 'id', message: `id「${e.id}」がファイル名と違います` });
    const sourceIds = new Set(e.sources.map((s) => s.id));
    for (const [name, facet] of Object.entries(e.facets)) {
      if (!facet) continue;
      for (const s of facet.sources)
        if (!sourceIds.has(s)) problems.push({ file: file, field: `facets.${name}.sources`, message: `出典「${s}」が sources にありません` });
      for (const p of facet.phones)
        if (!contacts.has(p)) problems.push({ file: file, field: `facets.${name}.phones`, message: `連絡先「${p}」が knowledge/_contacts.yaml にありません` });
      for (const [field, t] of [['text', facet.text], ...facet.statements.map((st, i) => [`statements.${i}.text`, st.text] as const)] as const)
        for (const m of t.matchAll(PHONE_IN_TEXT))
          if (!knownTels.has(m[0])) problems.push({ file: file, field: `facets.${name}.${field}`, message: `電話番号 ${m[0]} は knowledge/_contacts.yaml にない番号です（出典つきで登録してください）` });
    }
    if (!(SMALLTALK_IDS as readonly string[]).includes(e.id)) {
      for (const name of SERVICE_FACETS)
        if (!e.facets[name]) problems.push({ file: file, field: `facets.${name}`, message: 'この側面の答えがありません（未確認なら unconfirmed: true で、その旨を書いてください）' });
      // Information entries (the city plan) are not services a family uses; they need no eligibility.
      if (!e.eligibility && e.topic !== 'info') problems.push({ file: file, field: 'eligibility', message: '対象（eligibility: 年齢・条件・合う困りごと・出典）を書いてください' });
    }
    if (e.eligibility) problems.push(...eligibilityProblems(e.eligibility, sourceIds).map((p) => ({ file: file, ...p })));
    entries.set(e.id, e);
  }

  const intents = new Map<string, IntentFile>();
  for (const file of yamlFiles(files, 'intents')) {
    const i = read(file, IntentFile);
    if (!i) continue;
    if (i.id !== path.basename(file, '.yaml')) problems.push({ file: file, field: 'id', message: `id「${i.id}」がファイル名と違います` });
    intents.set(i.id, i);
  }

  for (const { id } of catalog) {
    if (!entries.has(id) && !problems.some((p) => p.file.endsWith(`${id}.yaml`)))
      problems.push({ file: `knowledge/${id}.yaml`, field: '-', message: `カタログの id「${id}」の知識ファイルがありません` });
    if (!intents.has(id) && !problems.some((p) => p.file.endsWith(`${id}.yaml`)))
      problems.push({ file: `intents/${id}.yaml`, field: '-', message: `カタログの id「${id}」の例文ファイルがありません` });
  }
  const catalogIds = new Set(catalog.map((c) => c.id));
  for (const id of new Set([...entries.keys(), ...intents.keys()]))
    if (catalog.length && !catalogIds.has(id)) problems.push({ file: catalogFile, field: '-', message: `id「${id}」がカタログにありません` });

  const seen = new Map<string, string>();
  for (const i of intents.values())
    for (const ex of i.examples) {
      const prev = seen.get(ex);
      if (prev && prev !== i.id) problems.push({ file: `intents/${i.id}.yaml`, field: 'examples', message: `例文「${ex}」が ${prev} にもあります` });
      seen.set(ex, i.id);
    }

  const lexicon = read('intents/_lexicon.yaml', LexiconFile);
  const facetCues = read('intents/_facets.yaml', FacetCuesFile);
  const handoff = read('intents/_handoff.yaml', HandoffFile);
  const guide = read('intents/_guide.yaml', HandoffFile);
  const erase = read('intents/_erase.yaml', HandoffFile);
  const guards = read('intents/_guards.yaml', GuardsFile);
  // Optional: a knowledge base without it meets no feeling with a word (older exported versions).
  const feelings = files['intents/_feelings.yaml'] === undefined ? { distress: [] } : read('intents/_feelings.yaml', FeelingsFile);
  const emergency = read('intents/_emergency.yaml', EmergencyFile);
  if (emergency)
    for (const [kind, g] of Object.entries(emergency.guidance)) {
      for (const [field, phones] of [['phones', g.phones], ['foreign.phones', g.foreign?.phones ?? []]] as const)
        for (const p of phones)
          if (!contacts.has(p)) problems.push({ file: 'intents/_emergency.yaml', field: `guidance.${kind}.${field}`, message: `連絡先「${p}」が knowledge/_contacts.yaml にありません` });
      for (const [field, t] of [['text', g.text], ['foreign.text', g.foreign?.text ?? '']] as const)
        for (const m of t.matchAll(PHONE_IN_TEXT))
          if (!knownTels.has(m[0])) problems.push({ file: 'intents/_emergency.yaml', field: `guidance.${kind}.${field}`, message: `電話番号 ${m[0]} は knowledge/_contacts.yaml にない番号です（出典つきで登録してください）` });
    }

  // Optional, like _feelings.yaml: versions published before the directory existed still load (with no facilities).
  const facilities = files[FACILITIES_FILE] === undefined ? FacilitiesFile.parse({ facilities: [] }) : read(FACILITIES_FILE, FacilitiesFile);
  if (facilities)
    for (const p of facilityProblems(facilities, { knownTels, catalogIds })) problems.push({ file: FACILITIES_FILE, ...p });

  if (problems.length || !facilities || !lexicon || !facetCues || !handoff || !guide || !erase || !guards || !emergency || !feelings) return { problems };
  const { languages, problems: languageProblems } = loadLanguages(files, read, { entries, contacts, facilities, emergency });
  problems.push(...languageProblems);
  // Numbers, placeholders and (for a language with _style.yaml, やさしい日本語) the writing rules of every translation:
  // a translated part that breaks them is set aside (it falls back), so a Japanese edit is never held up by it.
  const styles = new Map(styleFiles(files).flatMap(({ code, file }) => ((s) => (s ? [[code, s] as const] : []))(read(file, StyleFile))));
  const japaneseCopy = languages.get(BASE_LANGUAGE)?.copy ?? {};
  setAsideTranslations(languages, { entries, contacts, facilities, emergency, copy: japaneseCopy }, styles);
  if (problems.length) return { problems };
  return { kb: { catalog, entries, intents, contacts, lexicon, facetCues, handoff, guide, erase, guards, feelings, emergency, facilities, languages }, problems };
}

/** Entry or intent files of a folder (not the `_` files, which have their own schemas), sorted. */
function yamlFiles(files: KnowledgeFiles, folder: string): string[] {
  return Object.keys(files)
    .filter((p) => p.startsWith(`${folder}/`) && p.endsWith('.yaml') && !path.basename(p).startsWith('_'))
    .sort();
}
