import YAML from 'yaml';
import { z } from 'zod';
import { patchCopyYaml } from '../../core/knowledge/editing/copy-patch.js';
import type { KnowledgeFiles } from '../../core/knowledge/files.js';
import { copyLeaves } from '../../core/knowledge/languages/check.js';
import { BASE_LANGUAGE, LANGUAGE_FILES, type CopyTree } from '../../core/knowledge/languages/schema.js';
import type { KnowledgeBase, Problem } from '../../core/knowledge/load.js';

/** The groups of fixed sentences as staff know them (the first part of a sentence's key). */
const GROUPS: Record<string, string> = {
  follow: '友だち追加のあいさつ',
  joinGroup: 'グループに招かれたとき',
  erase: '記録の削除',
  clarify: '聞き返し',
  menuPick: 'メニューから選ぶとき',
  facetOnly: 'サービス名を聞き返すとき',
  nothingToCancel: '取り消すものがないとき',
  feedback: '役に立ったかの返事',
  wrongInfo: 'まちがいの報告',
  unsupported: '受け取れないメッセージ',
  guide: 'サービス探しの質問',
  handoff: '担当者への取り次ぎ',
  staffPhrases: '担当者の返信にそえる言葉',
  facilityKinds: '施設の種類',
  facilityOwnership: '公立・私立',
  officeHours: '受付時間',
  notUnderstood: 'わからなかったとき',
  offerPerson: '担当者をすすめるとき',
  dangerOver: '緊急のあと',
  englishEmergencyNote: '緊急時の英語の案内',
  outOfScope: '答えられない質問',
  unconfirmedDetail: '未確認の回答にそえる文',
  distress: 'つらい気持ちへの返事',
  englishNote: '英語での注意',
  conciergeLine: 'コンシェルジュの連絡先',
  facilitiesFound: '施設を案内するとき',
  languageSwitched: '言語を切り替えたとき',
  languagePick: '言語を選ぶボタン',
  labels: 'ボタンの文字',
  richMenu: 'リッチメニュー',
  card: 'カードの文字',
};

export const copyFile = (code: string) => `languages/${code}/${LANGUAGE_FILES.copy}`;

/** One fixed sentence: its key (only in the form's field names), its name for staff, the Japanese. */
export interface CopyRow {
  key: string;
  /** 「担当者への取り次ぎ 5」: the group, and the sentence's place in it. */
  label: string;
  japanese: string;
}

export interface CopyGroup {
  name: string;
  rows: CopyRow[];
}

/** The Japanese sentences, grouped as staff know them, in the order the Japanese has them. */
export function copyGroups(japanese: CopyTree): CopyGroup[] {
  const groups = new Map<string, CopyGroup>();
  for (const [key, text] of copyLeaves(japanese)) {
    const name = GROUPS[key.split('.')[0]!] ?? 'そのほかの決まった文';
    const g = groups.get(name) ?? { name, rows: [] };
    g.rows.push({ key, label: `${name} ${g.rows.length + 1}`, japanese: text });
    groups.set(name, g);
  }
  return [...groups.values()];
}

/** A file of sentences translated key by key: the fixed sentences, or the emergency cards. */
export interface SentenceSet {
  /** The console's address segment (`/console/kb/<path>/<code>`). */
  path: 'copy' | 'emergency';
  /** 「決まった文」「緊急時の案内」, as staff call it. */
  name: string;
  file: (code: string) => string;
  /** The Japanese sentences, grouped as staff know them. */
  groups: (kb: KnowledgeBase) => CopyGroup[];
  /**
   * The sentences the draft changes, as the publisher holds them: a fixed sentence falls back alone, an emergency card
   * as a whole (a problem anywhere in a card whose words were written refuses the edit).
   */
  held: (file: string, before: Record<string, string>, draft: Record<string, string>) => (p: Problem) => boolean;
}

const EMERGENCY_PARTS: [string, string][] = [
  ['title', '見出し'],
  ['text', '本文'],
  ['foreign', '日本語が話せない人への案内'],
];

export const COPY_SET: SentenceSet = {
  path: 'copy',
  name: '決まった文',
  file: copyFile,
  groups: (kb) => copyGroups(kb.languages.get(BASE_LANGUAGE)!.copy),
  held: (file, before, draft) => copyHeld(file, before, draft),
};

export const EMERGENCY_SET: SentenceSet = {
  path: 'emergency',
  name: '緊急時の案内',
  file: (code) => `languages/${code}/${LANGUAGE_FILES.emergency}`,
  groups: (kb) =>
    Object.entries(kb.emergency.guidance).map(([kind, g]) => {
      const japanese: Record<string, string | undefined> = { title: g.title, text: g.text, foreign: g.foreign?.text };
      const name = `緊急時の案内「${g.title}」`;
      return {
        name,
        rows: EMERGENCY_PARTS.filter(([k]) => japanese[k]).map(([k, label]) => ({
          key: `guidance.${kind}.${k}`,
          label: `${name} ${label}`,
          japanese: japanese[k]!,
        })),
      };
    }),
  held: (file, before, draft) => {
    const cards = new Set(
      Object.keys(draft)
        .filter((k) => (before[k] ?? '') !== draft[k])
        .map((k) => k.split('.').slice(0, 2).join('.')),
    );
    return (p) => p.file === file && cards.has(p.field.split('.').slice(0, 2).join('.'));
  },
};

/** The language's sentences as written in its file (a set-aside one is not in the live pack), by key. */
export function copyDraftOf(text: string | undefined): Record<string, string> {
  try {
    const doc: unknown = text === undefined ? undefined : YAML.parse(text);
    return doc && typeof doc === 'object' ? Object.fromEntries(copyLeaves(doc as CopyTree)) : {};
  } catch {
    return {};
  }
}

/** The form field of a sentence (`c.` keeps its keys apart from the form's own fields). */
export const copyField = (key: string) => `c.${key}`;

const Body = z.record(z.string(), z.union([z.string().max(20_000), z.array(z.string().max(200)).max(50)]));

/** Reads the form: one box per Japanese sentence. */
export function copyDraftFromForm(raw: unknown, rows: readonly CopyRow[]): Record<string, string> | undefined {
  const parsed = Body.safeParse(raw);
  if (!parsed.success) return undefined;
  const b = parsed.data;
  return Object.fromEntries(
    rows.map((r) => {
      const v = b[copyField(r.key)];
      // Not trimmed: some sentences end in a space on purpose (「Information as of: 」 before a date).
      return [r.key, typeof v === 'string' ? v.slice(0, 2000).replace(/\r\n?/g, '\n') : ''];
    }),
  );
}

/** The files with the language's sentences (`file`) as the draft says; only the sentences that differ are written. */
export function applyCopyDraft(
  files: KnowledgeFiles,
  code: string,
  before: Record<string, string>,
  draft: Record<string, string>,
  file = copyFile(code),
): Record<string, string> {
  const out: Record<string, string> = { ...files };
  const changed = Object.fromEntries(Object.entries(draft).filter(([k, v]) => (before[k] ?? '') !== v));
  const text = patchCopyYaml(files[file], changed);
  if (text === undefined) delete out[file];
  else out[file] = text;
  return out;
}

/** The sentences the draft changes: their problems refuse it; the others, already set aside, stay so. */
export function copyHeld(file: string, before: Record<string, string>, draft: Record<string, string>): (p: Problem) => boolean {
  const changed = new Set(Object.keys(draft).filter((k) => (before[k] ?? '') !== draft[k]));
  return (p) => p.file === file && changed.has(p.field);
}
