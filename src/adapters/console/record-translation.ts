import YAML from 'yaml';
import { z } from 'zod';
import { patchRecordTranslationYaml, type RecordTranslationValue } from '../../core/knowledge/editing/record-translation-patch.js';
import type { KnowledgeFiles } from '../../core/knowledge/files.js';
import type { KnowledgeBase, Problem } from '../../core/knowledge/load.js';
import { LANGUAGE_FILES } from '../../core/knowledge/languages/schema.js';

/** One translated field of a record, beside its Japanese. */
export interface RecordField {
  /** The form control's name, and the field in the file (`name`, `note`, `offers.1`). */
  key: string;
  label: string;
  japanese: string;
  /** A longer text: a box of several lines. */
  long?: boolean;
}

/** A ledger whose records are translated one by one: the contacts, the facilities. */
export interface RecordKind {
  /** 「連絡先」「施設」, as staff call a record of it. */
  noun: string;
  /** The list in the translation file, and the console's address segment. */
  listKey: 'contacts' | 'facilities';
  fileName: string;
  /** The Japanese ledger file, whose changes are shown beside a set-aside translation. */
  japaneseFile: string;
  /** The record in Japanese: its name and the fields a translation may have (only those the Japanese has). */
  find(kb: KnowledgeBase, id: string): { name: string; fields: RecordField[] } | undefined;
}

export const CONTACT_TRANSLATION: RecordKind = {
  noun: '連絡先',
  listKey: 'contacts',
  fileName: LANGUAGE_FILES.contacts,
  japaneseFile: 'knowledge/_contacts.yaml',
  find(kb, id) {
    const c = kb.contacts.get(id);
    if (!c) return undefined;
    return {
      name: c.name,
      fields: [
        { key: 'name', label: '名前', japanese: c.name },
        ...(c.note ? [{ key: 'note', label: '補足', japanese: c.note, long: true }] : []),
        ...(c.asOf ? [{ key: 'asOf', label: '番号の時点', japanese: c.asOf }] : []),
      ],
    };
  },
};

export const FACILITY_TRANSLATION: RecordKind = {
  noun: '施設',
  listKey: 'facilities',
  fileName: LANGUAGE_FILES.facilities,
  japaneseFile: 'knowledge/_facilities.yaml',
  find(kb, id) {
    const f = kb.facilities.facilities.find((x) => x.id === id);
    if (!f) return undefined;
    return {
      name: f.name,
      fields: [
        { key: 'name', label: '名前', japanese: f.name },
        ...(f.addressNote ? [{ key: 'addressNote', label: '住所の補足', japanese: f.addressNote, long: true }] : []),
        ...(f.hours?.text ? [{ key: 'hours', label: '時間', japanese: f.hours.text, long: true }] : []),
        ...(f.ages?.text ? [{ key: 'ages', label: '対象年齢', japanese: f.ages.text }] : []),
        ...f.offers.map((o, k) => ({ key: `offers.${k}`, label: `内容 ${k + 1}件目`, japanese: o })),
        ...(f.note ? [{ key: 'note', label: '注意書き', japanese: f.note, long: true }] : []),
      ],
    };
  },
};

export const recordTranslationFile = (kind: RecordKind, code: string) => `languages/${code}/${kind.fileName}`;

/** The list of records in the translation file, or undefined when there is none (or it does not parse). */
function recordsIn(kind: RecordKind, text: string | undefined): Record<string, unknown>[] | undefined {
  try {
    const doc: unknown = text === undefined ? undefined : YAML.parse(text);
    const list = doc && typeof doc === 'object' ? (doc as Record<string, unknown>)[kind.listKey] : undefined;
    return Array.isArray(list) ? (list as unknown[]).map((r) => (r && typeof r === 'object' ? (r as Record<string, unknown>) : {})) : undefined;
  } catch {
    return undefined;
  }
}

/** Where the record is in the file's list (the checks name it by that place: `contacts.3.name`), or -1. */
export function recordIndex(kind: RecordKind, text: string | undefined, id: string): number {
  return recordsIn(kind, text)?.findIndex((r) => r.id === id) ?? -1;
}

/** The record as the translation file has it (`{ id, name, offers: [...] }`), or undefined. */
export function recordIn(kind: RecordKind, text: string | undefined, id: string): Record<string, unknown> | undefined {
  return recordsIn(kind, text)?.find((r) => r.id === id);
}

/** What the form shows for each field: the words as written in the file (a set-aside record is not in the live pack). */
export function recordDraftOf(kind: RecordKind, text: string | undefined, id: string, fields: readonly RecordField[]): Record<string, string> {
  const r = recordIn(kind, text, id) ?? {};
  const at = (key: string): unknown => {
    const [k, i] = key.split('.');
    const v = r[k!];
    return i === undefined ? v : Array.isArray(v) ? v[Number(i)] : undefined;
  };
  return Object.fromEntries(fields.map((f) => [f.key, typeof at(f.key) === 'string' ? (at(f.key) as string) : '']));
}

const Body = z.record(z.string(), z.union([z.string().max(20_000), z.array(z.string().max(200)).max(50)]));

/** Reads the form: one line per label field, paragraphs as written for the longer ones. */
export function recordDraftFromForm(raw: unknown, fields: readonly RecordField[]): Record<string, string> | undefined {
  const parsed = Body.safeParse(raw);
  if (!parsed.success) return undefined;
  const b = parsed.data;
  return Object.fromEntries(
    fields.map((f) => {
      const given = b[f.key];
      const v = typeof given === 'string' ? given.slice(0, 2000) : '';
      return [f.key, f.long ? v.replace(/\r\n?/g, '\n').trim() : v.replace(/\s+/g, ' ').trim()];
    }),
  );
}

/** The draft as the file writes it: list fields (`offers.0`, `offers.1`) gathered into one list, none when all empty. */
function toValue(fields: readonly RecordField[], draft: Record<string, string>): { keys: string[]; value: RecordTranslationValue } {
  const keys: string[] = [];
  const value: RecordTranslationValue = {};
  for (const f of fields) {
    const [k, i] = f.key.split('.');
    if (!keys.includes(k!)) keys.push(k!);
    if (i === undefined) value[k!] = draft[f.key] ?? '';
    else value[k!] = [...((value[k!] as string[] | undefined) ?? []), draft[f.key] ?? ''];
  }
  for (const k of keys) if (Array.isArray(value[k]) && !(value[k] as string[]).some(Boolean)) value[k] = [];
  return { keys, value };
}

/** The files with the record's translation into `code` as the draft says. */
export function applyRecordDraft(
  files: KnowledgeFiles,
  kind: RecordKind,
  code: string,
  id: string,
  fields: readonly RecordField[],
  draft: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = { ...files };
  const file = recordTranslationFile(kind, code);
  const { keys, value } = toValue(fields, draft);
  const text = patchRecordTranslationYaml(files[file], kind.listKey, id, keys, value);
  if (text === undefined) delete out[file];
  else out[file] = text;
  return out;
}

/** The problems of this record's translation (a record falls back whole, so any of them refuses the edit). */
export function recordHeld(kind: RecordKind, file: string, index: number): (p: Problem) => boolean {
  return (p) => index >= 0 && p.file === file && p.field.startsWith(`${kind.listKey}.${index}.`);
}

/** The form control a problem of the record belongs to (`facilities.2.offers.1` → `offers.1`). */
export function recordControl(kind: RecordKind, p: Pick<Problem, 'field'>, index: number): string | undefined {
  const prefix = `${kind.listKey}.${index}.`;
  return index >= 0 && p.field.startsWith(prefix) ? p.field.slice(prefix.length) : undefined;
}
