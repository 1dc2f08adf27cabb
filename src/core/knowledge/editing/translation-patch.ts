import YAML, { Scalar, type Document } from 'yaml';
import { FACETS, type Facet } from '../schema.js';
import { render, setValue } from './yaml-patch.js';

/**
 * Edits to one entry's translation (`languages/<code>/<id>.yaml`), applied to its YAML document so comments, order and
 * the parts not edited (the eligibility note) stay as written. A file with no real change comes back byte for byte.
 */

export interface FacetTranslationValue {
  /** Empty: the facet is not translated, and the parent gets it in the fallback language. */
  text: string;
  /** The facet's dated statements, in the Japanese order (their dates come from the Japanese). */
  statements: string[];
}

export interface EntryTranslationValue {
  title: string;
  summary: string;
  facets: Partial<Record<Facet, FacetTranslationValue>>;
}

/** Facet texts and summaries are written as literal blocks (`|-`), the way the shipped translations are. */
function block(text: string): Scalar {
  const s = new Scalar(text);
  s.type = Scalar.BLOCK_LITERAL;
  return s;
}

function patchFacet(doc: Document, f: Facet, v: FacetTranslationValue | undefined): boolean {
  if (!v?.text && !v?.statements.some(Boolean)) {
    if (!doc.hasIn(['facets', f])) return false;
    doc.deleteIn(['facets', f]);
    return true;
  }
  if (!doc.hasIn(['facets', f])) {
    doc.setIn(['facets', f], doc.createNode({ text: v.text }));
    doc.setIn(['facets', f, 'text'], block(v.text));
    if (v.statements.length) doc.setIn(['facets', f, 'statements'], doc.createNode(v.statements));
    return true;
  }
  let changed = setValue(doc, ['facets', f, 'text'], v.text, () => block(v.text));
  changed = setValue(doc, ['facets', f, 'statements'], v.statements.length ? v.statements : undefined, () => doc.createNode(v.statements)) || changed;
  return changed;
}

/**
 * The translation file's text with `value` in it; `text` undefined when the entry has no translation in the language
 * yet (the file is started, unless nothing was written). Returns undefined when the result is no file at all.
 */
export function patchEntryTranslationYaml(text: string | undefined, id: string, value: EntryTranslationValue): string | undefined {
  const empty = !value.title && !value.summary && !Object.values(value.facets).some((f) => f?.text || f?.statements.some(Boolean));
  if (text === undefined && empty) return undefined;
  const doc = text === undefined ? new YAML.Document({ id, title: '', summary: '', facets: {} }) : YAML.parseDocument(text);
  if (doc.errors.length) throw new Error('YAML として読めません');
  let changed = text === undefined;
  changed = setValue(doc, ['title'], value.title) || changed;
  changed = setValue(doc, ['summary'], value.summary, () => block(value.summary)) || changed;
  if (!doc.hasIn(['facets'])) doc.set('facets', doc.createNode({}));
  for (const f of FACETS) changed = patchFacet(doc, f, value.facets[f]) || changed;
  return changed ? render(doc) : text;
}
