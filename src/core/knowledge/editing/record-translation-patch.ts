import YAML, { isMap, isSeq, type Document } from 'yaml';
import { render, setValue } from './yaml-patch.js';

/**
 * Edits to one record (a contact, a facility) of a language's ledger translation (`languages/<code>/_contacts.yaml`,
 * `_facilities.yaml`), applied to its YAML document so comments, order and the other records stay as written.
 */

/** The record's translated fields: a string per field, a list for list fields (a facility's offers); empty = none. */
export type RecordTranslationValue = Record<string, string | string[]>;

const isEmpty = (v: string | string[]) => (Array.isArray(v) ? v.length === 0 : v === '');

/** Where the record is in the document's list, or -1. */
function indexOf(doc: Document, listKey: string, id: string): number {
  const seq = doc.get(listKey, true);
  if (!isSeq(seq)) return -1;
  return seq.items.findIndex((it) => isMap(it) && String(it.get('id')) === id);
}

/**
 * The ledger translation's text with the record `id` as `value` says: its fields set, emptied ones removed, the record
 * removed when nothing is left, added at the end when new. `keys` is the order the fields are written in. Returns the
 * same text when nothing differs, and undefined when there was no file and nothing was written.
 */
export function patchRecordTranslationYaml(
  text: string | undefined,
  listKey: string,
  id: string,
  keys: readonly string[],
  value: RecordTranslationValue,
): string | undefined {
  const written = keys.filter((k) => value[k] !== undefined && !isEmpty(value[k]));
  if (text === undefined && !written.length) return undefined;
  const doc = text === undefined ? new YAML.Document({ [listKey]: [] }) : YAML.parseDocument(text);
  if (doc.errors.length) throw new Error('YAML として読めません');
  if (!isSeq(doc.get(listKey, true))) doc.set(listKey, doc.createNode([]));
  const at = indexOf(doc, listKey, id);
  if (!written.length) {
    if (at < 0) return text;
    doc.deleteIn([listKey, at]);
    return render(doc);
  }
  if (at < 0) {
    doc.addIn([listKey], doc.createNode({ id, ...Object.fromEntries(written.map((k) => [k, value[k]])) }));
    return render(doc);
  }
  let changed = false;
  for (const k of keys) {
    const v = value[k];
    changed = setValue(doc, [listKey, at, k], v === undefined || isEmpty(v) ? undefined : v) || changed;
  }
  return changed ? render(doc) : text;
}
