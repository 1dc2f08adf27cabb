import YAML, { Scalar, isMap, isSeq, type Document } from 'yaml';
import { FACETS, type Facet } from '../schema.js';

/**
 * Edits to one knowledge or intent file, applied to its YAML document so comments, order and layout of everything
 * not edited stay as staff or developers wrote them. A value equal to what is there is not touched, and a file with
 * no real change comes back byte for byte.
 */

export interface FacetValue {
  text: string;
  sources: string[];
  phones: string[];
  unconfirmed: boolean;
  /** Statements with effective dates; undefined leaves the file's as they are (the spreadsheet does not edit them). */
  statements?: StatementValue[];
}

export interface StatementValue {
  text: string;
  from?: string;
  until?: string;
}

/** A statement as the file writes it: text first, then only the dates it has. */
const statementNode = (st: StatementValue) => ({ text: st.text, ...(st.from ? { from: st.from } : {}), ...(st.until ? { until: st.until } : {}) });

export interface SourceValue {
  id: string;
  url: string;
  title: string;
  checked: string;
  validUntil?: string;
  asOf?: string;
  thirdParty?: boolean;
}

export interface EntryPatch {
  title?: string;
  summary?: string;
  /** null removes the facet. */
  facets?: Partial<Record<Facet, FacetValue | null>>;
  /** The whole list: sources not in it are removed, new ids appended, the rest edited in place. */
  sources?: SourceValue[];
}

export interface IntentPatch {
  examples?: string[];
  keywords?: string[];
}

const STRINGIFY = { lineWidth: 0, flowCollectionPadding: false, doubleQuotedMinMultiLineLength: 1_000_000 } as const;

/** The project's files pad flow maps (`{ from: 0歳, to: 小6 }`) but not flow lists; yaml does one or the other. */
export const render = (doc: Document): string => doc.toString(STRINGIFY).replace(/^(\s*[\w-]+: )\{([^{}\n]+)\}$/gm, '$1{ $2 }');

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Facet texts are written as literal blocks (`|-`), the way the shipped files are. */
function block(text: string): Scalar {
  const s = new Scalar(text);
  s.type = Scalar.BLOCK_LITERAL;
  return s;
}

export function flowList(doc: Document, items: string[]) {
  const node = doc.createNode(items);
  node.flow = true;
  return node;
}

/** Sets a key only when the value differs; `undefined` removes it. Returns whether anything changed. */
export function setValue(doc: Document, path: (string | number)[], value: unknown, make: () => unknown = () => value): boolean {
  const old = doc.getIn(path) as unknown;
  const oldJs = old && typeof old === 'object' && 'toJSON' in old ? (old as { toJSON(): unknown }).toJSON() : old;
  if (value === undefined) {
    if (old === undefined) return false;
    doc.deleteIn(path);
    return true;
  }
  if (same(oldJs, value)) return false;
  doc.setIn(path, make());
  return true;
}

function patchFacet(doc: Document, f: Facet, v: FacetValue | null): boolean {
  if (v === null) {
    if (!doc.hasIn(['facets', f])) return false;
    doc.deleteIn(['facets', f]);
    return true;
  }
  if (!doc.hasIn(['facets', f])) {
    doc.setIn(['facets', f], doc.createNode({ text: v.text, sources: v.sources, ...(v.phones.length ? { phones: v.phones } : {}), ...(v.unconfirmed ? { unconfirmed: true } : {}) }));
    doc.setIn(['facets', f, 'text'], block(v.text));
    doc.setIn(['facets', f, 'sources'], flowList(doc, v.sources));
    if (v.phones.length) doc.setIn(['facets', f, 'phones'], flowList(doc, v.phones));
    if (v.statements?.length) doc.setIn(['facets', f, 'statements'], doc.createNode(v.statements.map(statementNode)));
    return true;
  }
  let changed = setValue(doc, ['facets', f, 'text'], v.text, () => block(v.text));
  changed = setValue(doc, ['facets', f, 'sources'], v.sources, () => flowList(doc, v.sources)) || changed;
  const phones = doc.getIn(['facets', f, 'phones']);
  changed = setValue(doc, ['facets', f, 'phones'], v.phones.length || phones !== undefined ? v.phones : undefined, () => flowList(doc, v.phones)) || changed;
  changed = setValue(doc, ['facets', f, 'unconfirmed'], v.unconfirmed ? true : doc.hasIn(['facets', f, 'unconfirmed']) ? false : undefined) || changed;
  if (v.statements) {
    const wanted = v.statements.map(statementNode);
    changed = setValue(doc, ['facets', f, 'statements'], wanted.length ? wanted : undefined, () => doc.createNode(wanted)) || changed;
  }
  return changed;
}

function patchSources(doc: Document, sources: SourceValue[]): boolean {
  let changed = false;
  const seq = doc.get('sources', true);
  const existing = isSeq(seq) ? seq.items.map((it) => (isMap(it) ? String(it.get('id')) : '')) : [];
  const wanted = new Map(sources.map((s) => [s.id, s]));
  // Removals from the end, so indexes of the rest stay valid.
  for (let i = existing.length - 1; i >= 0; i--)
    if (!wanted.has(existing[i]!)) {
      doc.deleteIn(['sources', i]);
      changed = true;
    }
  const kept = existing.filter((id) => wanted.has(id));
  kept.forEach((id, i) => {
    const s = wanted.get(id)!;
    for (const key of ['url', 'title', 'checked'] as const) changed = setValue(doc, ['sources', i, key], s[key]) || changed;
    for (const key of ['validUntil', 'asOf'] as const) changed = setValue(doc, ['sources', i, key], s[key] || undefined) || changed;
    const tp = doc.getIn(['sources', i, 'thirdParty']);
    changed = setValue(doc, ['sources', i, 'thirdParty'], s.thirdParty ? true : tp !== undefined ? false : undefined) || changed;
  });
  for (const s of sources)
    if (!kept.includes(s.id)) {
      const obj = { id: s.id, url: s.url, title: s.title, ...(s.asOf ? { asOf: s.asOf } : {}), checked: s.checked, ...(s.validUntil ? { validUntil: s.validUntil } : {}), ...(s.thirdParty ? { thirdParty: true } : {}) };
      if (isSeq(doc.get('sources', true))) doc.addIn(['sources'], doc.createNode(obj));
      else doc.set('sources', doc.createNode([obj]));
      changed = true;
    }
  return changed;
}

/** Applies an entry patch to knowledge/<id>.yaml's text; the same text when nothing differs. */
export function patchEntryYaml(text: string, patch: EntryPatch): string {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new Error('YAML として読めません');
  let changed = false;
  if (patch.title !== undefined) changed = setValue(doc, ['title'], patch.title) || changed;
  if (patch.summary !== undefined) changed = setValue(doc, ['summary'], patch.summary) || changed;
  for (const f of FACETS) if (patch.facets && f in patch.facets) changed = patchFacet(doc, f, patch.facets[f]!) || changed;
  if (patch.sources) changed = patchSources(doc, patch.sources) || changed;
  return changed ? render(doc) : text;
}

/** Applies example/keyword lists to intents/<id>.yaml's text; the same text when nothing differs. */
export function patchIntentYaml(text: string, patch: IntentPatch): string {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new Error('YAML として読めません');
  let changed = false;
  for (const key of ['examples', 'keywords'] as const) if (patch[key]) changed = setValue(doc, [key], patch[key]) || changed;
  return changed ? render(doc) : text;
}
