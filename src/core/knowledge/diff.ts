import { diffArrays, diffLines, diffWords } from 'diff';
import YAML from 'yaml';
import type { KnowledgeFiles } from './files.js';
import { FACET_LABELS, TOPIC_LABELS } from './labels.js';
import { FACETS } from './schema.js';

/** One piece of a text diff: unchanged, added or removed. */
export interface DiffPart {
  value: string;
  added?: boolean;
  removed?: boolean;
}

/** One changed thing, named the way staff know it (「病児・病後児保育 › 料金 › 本文」). */
export interface FieldChange {
  file: string;
  /** The entry or file the change is in (its title when it has one). */
  subject: string;
  /** What changed within it. */
  field: string;
  kind: 'added' | 'removed' | 'changed';
  before?: string;
  after?: string;
  /** Word (texts) or line (other files) differences from before to after. */
  parts?: DiffPart[];
}

export interface KbDiff {
  changes: FieldChange[];
  added: string[];
  removed: string[];
  changed: string[];
}

/** Japanese has no spaces: words come from the segmenter, so a diff marks 「2,000円」, not scattered characters. */
const WORDS = new Intl.Segmenter('ja', { granularity: 'word' });

type Flat = Map<string, { label: string; value: string }>;

const show = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? 'はい' : 'いいえ';
  if (Array.isArray(v)) return v.map(show).join('、');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

const parse = (text: string | undefined): Record<string, unknown> | undefined => {
  if (text === undefined) return undefined;
  try {
    const v: unknown = YAML.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

const SOURCE_FIELDS: [string, string][] = [
  ['title', '名前'],
  ['url', 'URL'],
  ['checked', '確認日'],
  ['validUntil', '有効期限'],
  ['asOf', '時点'],
  ['thirdParty', '市以外の情報源'],
];

/** A knowledge entry as labelled scalar fields, so a diff can say which answer's text or which source changed. */
function flattenEntry(e: Record<string, unknown>): Flat {
  const out: Flat = new Map();
  const put = (key: string, label: string, v: unknown) => {
    if (v !== undefined && v !== null) out.set(key, { label, value: show(v) });
  };
  put('title', 'タイトル', e.title);
  put('summary', '要約', e.summary);
  put('topic', '分類', typeof e.topic === 'string' ? (TOPIC_LABELS[e.topic] ?? e.topic) : e.topic);
  const facets = (e.facets ?? {}) as Record<string, Record<string, unknown> | undefined>;
  for (const f of [...FACETS, ...Object.keys(facets).filter((k) => !(FACETS as readonly string[]).includes(k))]) {
    const x = facets[f];
    if (!x) continue;
    const l = FACET_LABELS[f as keyof typeof FACET_LABELS] ?? f;
    put(`facets.${f}.text`, `${l} › 本文`, x.text);
    put(`facets.${f}.sources`, `${l} › 出典`, x.sources);
    put(`facets.${f}.phones`, `${l} › 電話`, x.phones ?? []);
    put(`facets.${f}.unconfirmed`, `${l} › 未確認`, x.unconfirmed ?? false);
    // A dated statement as one line with its dates, so a changed date shows as plainly as a changed word.
    (Array.isArray(x.statements) ? (x.statements as Record<string, unknown>[]) : []).forEach((st, i) =>
      put(`facets.${f}.statements.${i}`, `${l} › 期間つきの文 ${i + 1}件目`, `${show(st?.text)}${st?.from ? `（${show(st.from)}から）` : ''}${st?.until ? `（${show(st.until)}まで）` : ''}`),
    );
  }
  if (e.eligibility !== undefined) put('eligibility', '対象（年齢・条件）', e.eligibility);
  for (const s of Array.isArray(e.sources) ? (e.sources as Record<string, unknown>[]) : []) {
    // Keyed by id (stable), labelled by title (what staff see on the form).
    const id = show(s?.id);
    const name = show(s?.title) || id;
    for (const [k, label] of SOURCE_FIELDS) put(`sources.${id}.${k}`, `出典「${name}」 › ${label}`, k === 'thirdParty' ? (s[k] ?? false) : s[k]);
  }
  return out;
}

const CONTACT_FIELDS: [string, string][] = [
  ['name', '名前'],
  ['tel', '電話番号'],
  ['asOf', '番号の時点'],
  ['note', '補足'],
  ['source', '出典URL'],
  ['checked', '確認日'],
  ['thirdParty', '市以外の情報源'],
];
const FACILITY_FIELDS: [string, string][] = [
  ['name', '名前'],
  ['reading', '読み'],
  ['aliases', '別名'],
  ['kind', '種類'],
  ['public', '公立・私立'],
  ['area', '地区'],
  ['address', '住所'],
  ['addressNote', '住所の補足'],
  ['tel', '電話'],
  ['hours', '時間'],
  ['ages', '対象年齢'],
  ['offers', '内容'],
  ['note', '注意書き'],
  ['topics', '関係する項目'],
  ['sources', '出典'],
];

/** A list of records (contacts, facilities) as labelled fields, keyed by id and named by their `name`. */
function flattenRecords(list: unknown, what: string, fields: [string, string][]): Flat {
  const out: Flat = new Map();
  for (const r of Array.isArray(list) ? (list as Record<string, unknown>[]) : []) {
    const id = show(r?.id);
    const name = show(r?.name) || id;
    for (const [k, label] of fields) if (r?.[k] !== undefined && r[k] !== null) out.set(`${id}.${k}`, { label: `${what}「${name}」 › ${label}`, value: show(r[k]) });
  }
  return out;
}

/** A translated entry: its words, labelled like the Japanese entry's. */
function flattenTranslation(e: Record<string, unknown>): Flat {
  const out: Flat = new Map();
  const put = (key: string, label: string, v: unknown) => {
    if (v !== undefined && v !== null) out.set(key, { label, value: show(v) });
  };
  put('title', 'タイトル', e.title);
  put('summary', '要約', e.summary);
  const facets = (e.facets ?? {}) as Record<string, Record<string, unknown> | undefined>;
  for (const [f, x] of Object.entries(facets)) {
    if (!x) continue;
    const l = FACET_LABELS[f as keyof typeof FACET_LABELS] ?? f;
    put(`facets.${f}.text`, `${l} › 本文`, x.text);
    (Array.isArray(x.statements) ? x.statements : []).forEach((st, i) => put(`facets.${f}.statements.${i}`, `${l} › 期間つきの文 ${i + 1}件目`, st));
  }
  const confirm = (e.eligibility as Record<string, unknown> | undefined)?.confirm;
  put('eligibility.confirm', '確認すること', confirm);
  return out;
}

/** The knowledge base's own files, named the way staff know them (for messages and diffs shown in the console). */
export const SETTING_FILES: Record<string, string> = {
  'knowledge/_contacts.yaml': '連絡先の台帳',
  'knowledge/_facilities.yaml': '施設の台帳',
  'intents/_catalog.tsv': 'サービスの一覧',
  'intents/_emergency.yaml': '緊急時の案内と、その聞き取り',
  'intents/_handoff.yaml': '担当者への取り次ぎの聞き取り',
  'intents/_erase.yaml': '記録の削除の聞き取り',
  'intents/_facets.yaml': '料金・申込方法などの聞き取り',
  'intents/_feelings.yaml': 'つらい気持ちの聞き取り',
  'intents/_guards.yaml': '答えない質問の聞き取り',
  'intents/_guide.yaml': 'サービス探しの質問',
  'intents/_lexicon.yaml': '言い換えの辞書',
};
const LANGUAGE_PARTS: Record<string, string> = {
  '_contacts.yaml': '連絡先',
  '_facilities.yaml': '施設',
  '_emergency.yaml': '緊急時の案内',
  '_copy.yaml': '決まった文',
  '_language.yaml': '言語の設定',
  '_style.yaml': '書き方のきまり',
};

/** A file named the way staff know it: 「連絡先の台帳」, 「英語の訳：病児・病後児保育」. */
export function fileSubject(file: string, titleOf: (id: string) => string, languageName: (code: string) => string): string {
  if (SETTING_FILES[file]) return SETTING_FILES[file];
  const lang = /^languages\/([^/]+)\/([^/]+)$/.exec(file);
  if (lang) return `${languageName(lang[1]!)}の訳：${LANGUAGE_PARTS[lang[2]!] ?? titleOf(lang[2]!.replace(/\.yaml$/, ''))}`;
  if (file.startsWith('intents/_')) return 'ボットの聞き取りの設定';
  return 'そのほかの設定';
}

function compareFlat(file: string, subject: string, before: Flat, after: Flat): FieldChange[] {
  const out: FieldChange[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key);
    const a = after.get(key);
    if (b?.value === a?.value) continue;
    const field = (a ?? b)!.label;
    if (!b) out.push({ file, subject, field, kind: 'added', after: a!.value });
    else if (!a) out.push({ file, subject, field, kind: 'removed', before: b.value });
    else out.push({ file, subject, field, kind: 'changed', before: b.value, after: a.value, parts: diffWords(b.value, a.value, { intlSegmenter: WORDS }) });
  }
  return out;
}

/** Examples and keywords are lists: say which were added and which removed. */
function compareLists(file: string, subject: string, label: string, before: unknown, after: unknown): FieldChange[] {
  const b = Array.isArray(before) ? before.map(show) : [];
  const a = Array.isArray(after) ? after.map(show) : [];
  const out: FieldChange[] = [];
  for (const part of diffArrays(b, a))
    for (const v of part.value) {
      if (part.added) out.push({ file, subject, field: label, kind: 'added', after: v });
      else if (part.removed) out.push({ file, subject, field: label, kind: 'removed', before: v });
    }
  return out;
}

const entryId = (file: string) => /^(knowledge|intents)\/([a-z][a-z0-9-]*)\.yaml$/.exec(file);

/** What changed from one version of the files to another, field by field for entries and intents. */
export function diffKnowledge(before: KnowledgeFiles, after: KnowledgeFiles): KbDiff {
  const titleOf = (id: string) => {
    const e = parse(after[`knowledge/${id}.yaml`]) ?? parse(before[`knowledge/${id}.yaml`]);
    return typeof e?.title === 'string' ? e.title : id;
  };
  const languageName = (code: string) => {
    const l = parse(after[`languages/${code}/_language.yaml`]) ?? parse(before[`languages/${code}/_language.yaml`]);
    return typeof l?.nameJa === 'string' ? l.nameJa : code;
  };
  const diff: KbDiff = { changes: [], added: [], removed: [], changed: [] };
  for (const file of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const b = before[file];
    const a = after[file];
    if (b === a) continue;
    (b === undefined ? diff.added : a === undefined ? diff.removed : diff.changed).push(file);
    const m = entryId(file);
    const pb = parse(b);
    const pa = parse(a);
    if (m && (pb || b === undefined) && (pa || a === undefined)) {
      const subject = titleOf(m[2]!);
      if (m[1] === 'knowledge') {
        diff.changes.push(...compareFlat(file, subject, pb ? flattenEntry(pb) : new Map(), pa ? flattenEntry(pa) : new Map()));
      } else {
        diff.changes.push(...compareLists(file, subject, '例文', pb?.examples, pa?.examples), ...compareLists(file, subject, 'キーワード', pb?.keywords, pa?.keywords));
      }
      // A change only in layout or comments still shows, as the text it is.
      if (!diff.changes.some((c) => c.file === file)) diff.changes.push(textChange(file, titleOf(m[2]!), b, a));
      continue;
    }
    const subject = fileSubject(file, titleOf, languageName);
    const flat = flattener(file);
    if (flat && (pb || b === undefined) && (pa || a === undefined)) {
      diff.changes.push(...compareFlat(file, subject, pb ? flat(pb) : new Map(), pa ? flat(pa) : new Map()));
      if (!diff.changes.some((c) => c.file === file)) diff.changes.push(textChange(file, subject, b, a));
    } else diff.changes.push(textChange(file, subject, b, a));
  }
  return diff;
}

/** How a file other than an entry is compared field by field, when it is one of the ledgers or a translation. */
function flattener(file: string): ((doc: Record<string, unknown>) => Flat) | undefined {
  if (file === 'knowledge/_contacts.yaml' || /^languages\/[^/]+\/_contacts\.yaml$/.test(file)) return (d) => flattenRecords(d.contacts, '連絡先', CONTACT_FIELDS);
  if (file === 'knowledge/_facilities.yaml' || /^languages\/[^/]+\/_facilities\.yaml$/.test(file)) return (d) => flattenRecords(d.facilities, '施設', FACILITY_FIELDS);
  if (/^languages\/[^/]+\/[a-z][a-z0-9-]*\.yaml$/.test(file)) return flattenTranslation;
  return undefined;
}

function textChange(file: string, subject: string, b: string | undefined, a: string | undefined): FieldChange {
  const kind = b === undefined ? 'added' : a === undefined ? 'removed' : 'changed';
  return { file, subject, field: '設定の本文', kind, ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}), parts: diffLines(b ?? '', a ?? '') };
}

const KIND_WORDS = { added: '追加', removed: '削除', changed: '変更' } as const;

/** One line for the version list: 「病児・病後児保育: 料金 › 本文を変更」, the rest counted. */
export function summarize(diff: KbDiff, max = 3): string {
  if (!diff.changes.length) return '変更なし';
  const bySubject = new Map<string, string[]>();
  for (const c of diff.changes) {
    const list = bySubject.get(c.subject) ?? [];
    const what = `${c.field}を${KIND_WORDS[c.kind]}`;
    if (!list.includes(what)) list.push(what);
    bySubject.set(c.subject, list);
  }
  const parts = [...bySubject].slice(0, max).map(([s, w]) => `${s}: ${w.slice(0, 3).join('、')}${w.length > 3 ? ` ほか${w.length - 3}件` : ''}`);
  const rest = bySubject.size - max;
  return parts.join(' ／ ') + (rest > 0 ? ` ／ ほか${rest}項目` : '');
}
