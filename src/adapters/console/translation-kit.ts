import YAML from 'yaml';
import type { KnowledgeStore, KnowledgeVersion } from '../../app/publishing/store.js';
import { diffKnowledge, type FieldChange } from '../../core/knowledge/diff.js';
import { BASE_LANGUAGE } from '../../core/knowledge/languages/schema.js';
import type { KnowledgeBase } from '../../core/knowledge/load.js';
import type { KnowledgeFiles } from '../../core/knowledge/files.js';
import { CONTACT_TRANSLATION, FACILITY_TRANSLATION, recordTranslationFile } from './record-translation.js';
import { COPY_SET, EMERGENCY_SET } from './copy-translation.js';
import { translationFileLabel } from './views/kb-report.js';
import type { SetAsideRow } from './views/kb-tools.js';

/** What the translation forms share: parsed versions, the language in the address, and the history of a translation. */

export const LANGUAGE_IN_PATH = /^[a-z]{2,3}(-[a-z0-9]{2,8})?$/;

/** A language staff can translate into: any the knowledge base has but 日本語 itself. */
export const translatable = (kb: KnowledgeBase, code: string) => LANGUAGE_IN_PATH.test(code) && code !== BASE_LANGUAGE && kb.languages.has(code);

/** The loader's note on a set-aside part, which the pages say once in their own words. */
export const withoutFallbackNote = (message: string) => message.replace(/。直すまで、[^。]*代わりの言語で出します$/, '');

/** How far back the history is searched for the Japanese a translation was written against. */
const HISTORY_DEPTH = 50;

/**
 * What changed in a Japanese file since a translation was written: the oldest version, going back from `v`, in which
 * `same` still holds (the translation as it is now), against `v` — field by field, labelled as in the version diff.
 */
export async function japaneseChangesSince(
  store: KnowledgeStore,
  v: KnowledgeVersion,
  japaneseFile: string,
  same: (older: KnowledgeVersion) => boolean,
): Promise<FieldChange[]> {
  let oldest = v;
  for (let n = v.n - 1; n >= Math.max(1, v.n - HISTORY_DEPTH); n--) {
    const older = await store.get(n);
    if (!older || !same(older)) break;
    oldest = older;
  }
  const [then, now] = [oldest.files[japaneseFile], v.files[japaneseFile]];
  if (then === now || then === undefined || now === undefined) return [];
  return diffKnowledge({ [japaneseFile]: then }, { [japaneseFile]: now }).changes;
}

/**
 * Every translated part set aside, in staff's words with the way to its form, language by language: an entry's
 * translation as one row, a contact's or a facility's as one row each (found by its place in the ledger translation).
 */
export function setAsideRows(kb: KnowledgeBase, files: KnowledgeFiles): SetAsideRow[] {
  const rows = new Map<string, SetAsideRow>();
  for (const pack of [...kb.languages.values()].sort((x, y) => x.meta.order - y.meta.order)) {
    const code = pack.meta.code;
    for (const p of pack.stale) {
      let row: SetAsideRow = { label: translationFileLabel(p.file, kb), parts: 0 };
      const entry = /^languages\/[^/]+\/([a-z][a-z0-9-]*)\.yaml$/.exec(p.file);
      if (entry) row.href = `/console/kb/entries/${entry[1]}/translations/${code}`;
      for (const set of [COPY_SET, EMERGENCY_SET]) if (p.file === set.file(code)) row.href = `/console/kb/${set.path}/${code}`;
      for (const kind of [CONTACT_TRANSLATION, FACILITY_TRANSLATION]) {
        const at = new RegExp(`^${kind.listKey}\\.(\\d+)\\.`).exec(p.field);
        if (p.file !== recordTranslationFile(kind, code) || !at) continue;
        const list = (YAML.parse(files[p.file] ?? '') as Record<string, { id?: unknown }[]> | null)?.[kind.listKey];
        const id = list?.[Number(at[1])]?.id;
        const record = typeof id === 'string' ? kind.find(kb, id) : undefined;
        if (record)
          row = {
            label: `${pack.meta.nameJa}の訳：${kind.noun}「${record.name}」`,
            parts: 0,
            href: `/console/kb/${kind.listKey}/${String(id)}/translations/${code}`,
          };
      }
      const key = `${code}\n${row.label}`;
      const seen = rows.get(key) ?? row;
      seen.parts += 1;
      rows.set(key, seen);
    }
  }
  return [...rows.values()];
}
