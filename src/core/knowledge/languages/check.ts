import type { FacilitiesFile } from '../facilities/schema.js';
import type { Contact, EmergencyFile, KnowledgeEntry } from '../schema.js';
import { japaneseAsOf, type LanguagePack, type LanguageProblem, type Languages } from './load.js';
import { compareNumbers, describeToken } from './numbers.js';
import { BASE_LANGUAGE, type CopyTree, LANGUAGE_FILES } from './schema.js';
import { STYLE_FILE, styleProblems, type StyleFile, type TextRole } from './style.js';
import { LANGUAGES_FOLDER } from '../files.js';

/** What the translations are checked against: the Japanese they translate. */
export interface JapaneseWords {
  entries: ReadonlyMap<string, KnowledgeEntry>;
  contacts: ReadonlyMap<string, Contact>;
  facilities: FacilitiesFile;
  emergency: EmergencyFile;
  /** The fixed sentences in Japanese, by the keys the translations use (languages/ja/_copy.yaml). */
  copy: CopyTree;
}

/** One translated text beside the Japanese it translates, located for staff. */
export interface TextPair {
  file: string;
  field: string;
  /** Said before the message when the field path alone does not name the thing (「連絡先「よりそいホットライン」」). */
  what?: string;
  japanese: string | undefined;
  translation: string;
  role: TextRole;
  /** Names (of a contact, a facility, an area) are proper nouns: the style rules do not judge them. */
  isName?: boolean;
  /** What is set aside when this text is wrong: the smallest part the parent can be given in the fallback language instead. */
  part: TranslatedPart;
}

/** A part of a language pack that falls back as a whole. */
export type TranslatedPart =
  | { kind: 'entry'; id: string }
  | { kind: 'facet'; id: string; facet: string }
  | { kind: 'contact'; id: string }
  | { kind: 'facility'; id: string }
  | { kind: 'area'; name: string }
  | { kind: 'emergency'; guidance: string }
  | { kind: 'copy'; key: string }
  | { kind: 'asOf'; note: string };

/**
 * Every text of a language pack beside its Japanese, in file order: entries (title, summary, facet texts, dated
 * statements, the eligibility note), contacts, facilities, area names, emergency cards and fixed sentences.
 * A translated text whose Japanese does not exist has `japanese: undefined` (the loader already refuses most of
 * those; the check reports the rest).
 */
export function textPairs(pack: LanguagePack, ja: JapaneseWords): TextPair[] {
  const folder = `${LANGUAGES_FOLDER}/${pack.meta.code}`;
  const out: TextPair[] = [];
  for (const [id, t] of pack.entries) {
    const e = ja.entries.get(id);
    if (!e) continue;
    const file = `${folder}/${id}.yaml`;
    const add = (field: string, japanese: string | undefined, translation: string, role: TextRole = 'sentences', part: TranslatedPart = { kind: 'entry', id }) =>
      out.push({ file, field, japanese, translation, role, part });
    add('title', e.title, t.title, 'label');
    add('summary', e.summary, t.summary);
    for (const [name, ft] of Object.entries(t.facets)) {
      if (!ft) continue;
      const jf = e.facets[name as keyof typeof e.facets];
      if (!jf) continue;
      const part: TranslatedPart = { kind: 'facet', id, facet: name };
      add(`facets.${name}.text`, jf.text, ft.text, 'sentences', part);
      ft.statements.forEach((s, i) => add(`facets.${name}.statements.${i}`, jf.statements[i]?.text, s, 'sentences', part));
    }
    if (t.eligibility?.confirm && e.eligibility?.confirm) add('eligibility.confirm', e.eligibility.confirm, t.eligibility.confirm, 'label');
  }

  const contactsFile = `${folder}/${LANGUAGE_FILES.contacts}`;
  [...pack.contacts.values()].forEach((c, i) => {
    const j = ja.contacts.get(c.id);
    if (!j) return;
    const what = `連絡先「${j.name}」`;
    const part: TranslatedPart = { kind: 'contact', id: c.id };
    out.push({ file: contactsFile, field: `contacts.${i}.name`, what, japanese: j.name, translation: c.name, role: 'label', isName: true, part });
    if (c.note !== undefined) out.push({ file: contactsFile, field: `contacts.${i}.note`, what, japanese: j.note, translation: c.note, role: 'label', part });
    if (c.asOf !== undefined) out.push({ file: contactsFile, field: `contacts.${i}.asOf`, what, japanese: j.asOf, translation: c.asOf, role: 'label', part });
  });

  const facilitiesFile = `${folder}/${LANGUAGE_FILES.facilities}`;
  const jaFacilities = new Map(ja.facilities.facilities.map((f) => [f.id, f]));
  [...pack.facilities.values()].forEach((f, i) => {
    const j = jaFacilities.get(f.id);
    if (!j) return;
    const what = `施設「${j.name}」`;
    const part: TranslatedPart = { kind: 'facility', id: f.id };
    const add = (field: string, japanese: string | undefined, translation: string | undefined, role: TextRole = 'label', isName = false) => {
      if (translation !== undefined) out.push({ file: facilitiesFile, field: `facilities.${i}.${field}`, what, japanese, translation, role, isName, part });
    };
    add('name', j.name, f.name, 'label', true);
    add('addressNote', j.addressNote, f.addressNote, 'sentences');
    add('hours', j.hours?.text, f.hours);
    add('ages', j.ages?.text, f.ages);
    f.offers.forEach((o, k) => add(`offers.${k}`, j.offers[k], o));
    add('note', j.note, f.note, 'sentences');
  });
  const areaNames = new Set(ja.facilities.areas.map((a) => a.name));
  for (const [area, name] of Object.entries(pack.areas))
    out.push({ file: facilitiesFile, field: `areas.${area}`, japanese: areaNames.has(area) ? area : undefined, translation: name, role: 'label', isName: true, part: { kind: 'area', name: area } });

  const emergencyFile = `${folder}/${LANGUAGE_FILES.emergency}`;
  for (const [kind, g] of Object.entries(pack.emergency)) {
    const j = ja.emergency.guidance[kind as keyof EmergencyFile['guidance']];
    if (!g || !j) continue;
    const part: TranslatedPart = { kind: 'emergency', guidance: kind };
    out.push({ file: emergencyFile, field: `guidance.${kind}.title`, japanese: j.title, translation: g.title, role: 'label', part });
    out.push({ file: emergencyFile, field: `guidance.${kind}.text`, japanese: j.text, translation: g.text, role: 'sentences', part });
    if (g.foreign !== undefined) out.push({ file: emergencyFile, field: `guidance.${kind}.foreign`, japanese: j.foreign?.text, translation: g.foreign, role: 'sentences', part });
  }

  const sourcesFile = `${folder}/${LANGUAGE_FILES.sources}`;
  const notes = japaneseAsOf(ja);
  for (const [note, text] of pack.asOfNotes)
    out.push({ file: sourcesFile, field: `asOf.${note}`, japanese: notes.has(note) ? note : undefined, translation: text, role: 'label', part: { kind: 'asOf', note } });

  const copyFile = `${folder}/${LANGUAGE_FILES.copy}`;
  for (const [key, text] of copyLeaves(pack.copy))
    out.push({ file: copyFile, field: key, japanese: copyLeaf(ja.copy, key), translation: text, role: 'sentences', part: { kind: 'copy', key } });
  return out;
}

/** The string leaves of a copy tree by dotted key (`handoff.closed.staff`), in file order. */
export function copyLeaves(tree: CopyTree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : copyLeaves(v, `${prefix}${k}.`)));
}

const copyLeaf = (tree: CopyTree, key: string): string | undefined => {
  let node: string | CopyTree | undefined = tree;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
};

/**
 * LINE cuts a quick-reply label at 20 characters: the fixed sentences under `labels.` are button labels (but for the
 * `…Said` ones, what a tap shows as the parent's message).
 */
const LABEL_MAX = 20;
const graphemes = (s: string) => [...new Intl.Segmenter().segment(s)].length;

const placeholders = (s: string) => [...s.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!).sort();

/** A translated text against its Japanese: it must translate something, with the same numbers (and placeholders). */
export function pairProblems(p: TextPair): string[] {
  const out: string[] = [];
  const copy = p.file.endsWith(`/${LANGUAGE_FILES.copy}`);
  if (p.japanese === undefined) {
    out.push(copy ? '日本語の定型文（languages/ja/_copy.yaml）にないキーです' : p.field.startsWith('areas.') ? '日本語の地区（knowledge/_facilities.yaml の areas）にない地区名です' : '日本語にない項目の訳です');
    return out;
  }
  const { missing, extra } = compareNumbers(p.japanese, p.translation);
  if (missing.length || extra.length) {
    const parts = [
      missing.length ? `日本語にあって訳にない: ${missing.map(describeToken).join('、')}` : '',
      extra.length ? `訳にあって日本語にない: ${extra.map(describeToken).join('、')}` : '',
    ].filter(Boolean);
    out.push(`数字が日本語と合いません（${parts.join('／')}）。電話番号・URL・金額・年齢・日付・時刻は、日本語と同じ数を数字で書いてください`);
  }
  if (copy && p.field.startsWith('labels.') && !p.field.endsWith('Said') && graphemes(p.translation) > LABEL_MAX)
    out.push(`ボタンの文字が${graphemes(p.translation)}文字です（LINEの選択ボタンに表示できるのは${LABEL_MAX}文字まで）`);
  if (copy) {
    const [a, b] = [placeholders(p.japanese), placeholders(p.translation)];
    if (a.join() !== b.join()) out.push(`差し込み（{…}）が日本語と違います: 日本語 ${a.map((x) => `{${x}}`).join(' ') || 'なし'}、訳 ${b.map((x) => `{${x}}`).join(' ') || 'なし'}`);
  }
  return out;
}

/**
 * Every problem of the translations: a text whose numbers (or placeholders) differ from its Japanese, a text
 * translating nothing, and, for a language with `_style.yaml` (やさしい日本語), each sentence its rules refuse.
 */
export function translationProblems(languages: Languages, ja: JapaneseWords, styles: ReadonlyMap<string, StyleFile>): (LanguageProblem & { code: string; part: TranslatedPart })[] {
  const out: (LanguageProblem & { code: string; part: TranslatedPart })[] = [];
  for (const pack of languages.values()) {
    if (pack.meta.code === BASE_LANGUAGE) continue;
    const style = styles.get(pack.meta.code);
    for (const p of textPairs(pack, ja)) {
      const lead = p.what ? `${p.what}: ` : '';
      const at = { code: pack.meta.code, file: p.file, field: p.field, part: p.part };
      for (const message of pairProblems(p)) out.push({ ...at, message: lead + message });
      if (style && !p.isName)
        for (const s of styleProblems(p.translation, style, p.role)) out.push({ ...at, message: `${lead}${pack.meta.nameJa}の書き方: ${s.message}` });
    }
  }
  return out;
}

/**
 * Takes every translated part with a problem out of its pack and lists it in the pack's `stale`: the parent gets
 * that part in the fallback language, never a translation whose numbers differ from the Japanese. A Japanese edit
 * (a new fee, a new phone number) therefore goes live at once; `kb:check` fails until the translation catches up.
 */
export function setAsideTranslations(languages: Languages, ja: JapaneseWords, styles: ReadonlyMap<string, StyleFile>): void {
  for (const problem of translationProblems(languages, ja, styles)) {
    const { code, part, ...where } = problem;
    const pack = languages.get(code)!;
    removePart(pack, part);
    pack.stale.push({ ...where, message: `${where.message}。直すまで、ここは代わりの言語で出します` });
  }
}

function removePart(pack: LanguagePack, part: TranslatedPart): void {
  switch (part.kind) {
    case 'entry':
      pack.entries.delete(part.id);
      return;
    case 'facet': {
      const t = pack.entries.get(part.id);
      if (t) delete t.facets[part.facet as keyof typeof t.facets];
      return;
    }
    case 'contact':
      pack.contacts.delete(part.id);
      return;
    case 'facility':
      pack.facilities.delete(part.id);
      return;
    case 'area':
      delete pack.areas[part.name];
      return;
    case 'emergency':
      delete pack.emergency[part.guidance as keyof LanguagePack['emergency']];
      return;
    case 'asOf':
      pack.asOfNotes.delete(part.note);
      return;
    case 'copy': {
      const keys = part.key.split('.');
      let node: CopyTree | string | undefined = pack.copy;
      for (const k of keys.slice(0, -1)) node = typeof node === 'object' ? node[k] : undefined;
      if (typeof node === 'object') delete node[keys.at(-1)!];
      return;
    }
  }
}

/** `languages/<code>/_style.yaml` of every language folder that has one. */
export const styleFiles = (files: Readonly<Record<string, string>>) =>
  Object.keys(files)
    .map((p) => new RegExp(`^${LANGUAGES_FOLDER}/([^/]+)/${STYLE_FILE.replace('.', '\\.')}$`).exec(p))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ code: m[1]!, file: m[0] }));
