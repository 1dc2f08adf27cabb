import YAML, { isMap, isSeq, type Document, type YAMLMap } from 'yaml';
import { flowList, render, setValue, type SourceValue } from './yaml-patch.js';

/**
 * Edits to one facility of knowledge/_facilities.yaml, applied to the YAML document so the comments, the order and
 * the layout of every other facility stay as written; a facility with no real change leaves the text byte for byte.
 */

export interface FacilityValue {
  id: string;
  name: string;
  reading: string;
  aliases: string[];
  kind: string;
  public?: boolean;
  area?: string;
  address?: string;
  addressNote?: string;
  tel?: string;
  hours?: { text: string; opens?: string; closes?: string };
  ages?: { text: string; from?: string; to?: string };
  offers: string[];
  note?: string;
  topics: string[];
  sources: string[];
}

const ORDER = ['id', 'name', 'reading', 'aliases', 'kind', 'public', 'area', 'address', 'addressNote', 'tel', 'hours', 'ages', 'offers', 'note', 'topics', 'sources'] as const;

function flowMap(doc: Document, value: object) {
  const node = doc.createNode(value);
  node.flow = true;
  return node;
}

/** The YAML shape of a facility: optional fields left out when empty, lists of ids as flow lists. */
function plain(v: FacilityValue): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ORDER) {
    const x = v[key];
    if (x === undefined || x === '' || (Array.isArray(x) && !x.length && (key === 'aliases' || key === 'offers'))) continue;
    out[key] = x;
  }
  return out;
}

function make(doc: Document, key: string, value: unknown) {
  if ((key === 'aliases' || key === 'topics' || key === 'sources') && Array.isArray(value)) return flowList(doc, value as string[]);
  if ((key === 'hours' || key === 'ages') && value && typeof value === 'object') return flowMap(doc, value);
  return value;
}

/** Applies `value` to the facility `id` (a new facility when there is none), and the sources' fields by id. */
export function patchFacilityYaml(text: string, id: string, value: FacilityValue, sources: SourceValue[] = []): string {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new Error('YAML として読めません');
  let changed = false;
  const seq = doc.get('facilities', true);
  const index = isSeq(seq) ? seq.items.findIndex((it) => isMap(it) && String(it.get('id')) === id) : -1;
  const wanted = plain(value);
  if (index < 0) {
    const node = doc.createNode(wanted) as YAMLMap<unknown, unknown>;
    for (const [k, v] of Object.entries(wanted)) if (k === 'aliases' || k === 'topics' || k === 'sources' || k === 'hours' || k === 'ages') node.set(k, make(doc, k, v));
    if (isSeq(seq)) doc.addIn(['facilities'], node);
    else doc.set('facilities', doc.createNode([node]));
    changed = true;
  } else {
    for (const key of ORDER) changed = setValue(doc, ['facilities', index, key], wanted[key], () => make(doc, key, wanted[key])) || changed;
  }
  const all = doc.get('sources', true);
  const ids = isSeq(all) ? all.items.map((it) => (isMap(it) ? String(it.get('id')) : '')) : [];
  for (const s of sources) {
    const i = ids.indexOf(s.id);
    if (i < 0) {
      const obj = { id: s.id, url: s.url, title: s.title, ...(s.asOf ? { asOf: s.asOf } : {}), checked: s.checked, ...(s.thirdParty ? { thirdParty: true } : {}) };
      if (isSeq(doc.get('sources', true))) doc.addIn(['sources'], doc.createNode(obj));
      else doc.set('sources', doc.createNode([obj]));
      ids.push(s.id);
      changed = true;
      continue;
    }
    for (const key of ['url', 'title', 'checked'] as const) changed = setValue(doc, ['sources', i, key], s[key]) || changed;
    changed = setValue(doc, ['sources', i, 'asOf'], s.asOf || undefined) || changed;
    const tp = doc.getIn(['sources', i, 'thirdParty']);
    changed = setValue(doc, ['sources', i, 'thirdParty'], s.thirdParty ? true : tp !== undefined ? false : undefined) || changed;
  }
  return changed ? render(doc) : text;
}
