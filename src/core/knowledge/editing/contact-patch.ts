import YAML, { isMap, isSeq } from 'yaml';
import { render, setValue } from './yaml-patch.js';

/**
 * Edits to one contact of knowledge/_contacts.yaml (the phone ledger), applied to the YAML document so the comments
 * and the layout of every other contact stay as written; a contact with no real change leaves the text byte for byte.
 */

export interface ContactValue {
  id: string;
  name: string;
  tel: string;
  /** When the source gave the number (「2020年時点」「掲載時期不明」). */
  asOf?: string;
  note?: string;
  source: string;
  checked: string;
  thirdParty: boolean;
}

/** The ledger's own order of fields. */
const ORDER = ['id', 'name', 'tel', 'asOf', 'note', 'source', 'checked', 'thirdParty'] as const;

/** The YAML shape: optional fields left out when empty, thirdParty only when true (or when the file already says false). */
const plain = (v: ContactValue, hadThirdParty: boolean): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const key of ORDER) {
    const x = v[key];
    if (x === undefined || x === '' || (key === 'thirdParty' && !x && !hadThirdParty)) continue;
    out[key] = x;
  }
  return out;
};

/** Applies `value` to the contact `value.id` (a new contact, appended, when there is none). */
export function patchContactYaml(text: string, value: ContactValue): string {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new Error('YAML として読めません');
  const seq = doc.get('contacts', true);
  const index = isSeq(seq) ? seq.items.findIndex((it) => isMap(it) && String(it.get('id')) === value.id) : -1;
  if (index < 0) {
    const node = doc.createNode(plain(value, false));
    if (isSeq(seq)) doc.addIn(['contacts'], node);
    else doc.set('contacts', doc.createNode([node]));
    return render(doc);
  }
  const wanted = plain(value, doc.hasIn(['contacts', index, 'thirdParty']));
  let changed = false;
  for (const key of ORDER) changed = setValue(doc, ['contacts', index, key], wanted[key]) || changed;
  return changed ? render(doc) : text;
}
