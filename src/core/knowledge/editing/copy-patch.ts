import YAML, { Scalar, isMap, isScalar, type Document } from 'yaml';
import { render, setValue } from './yaml-patch.js';

/**
 * Edits to a language's fixed sentences (`languages/<code>/_copy.yaml`, keyed like the Japanese `JA_COPY`), applied to
 * the YAML document so comments, order and the sentences not edited stay as written.
 */

/** A sentence of several lines is written as a literal block (`|-`), the way the shipped files are. */
function node(text: string): Scalar {
  const s = new Scalar(text);
  if (text.includes('\n')) s.type = Scalar.BLOCK_LITERAL;
  return s;
}

/** Removes a key; a comment written above it (the file's own header, above the first key) moves to the next key. */
function remove(doc: Document, path: string[]) {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (isMap(parent)) {
    const at = parent.items.findIndex((p) => isScalar(p.key) && String(p.key.value) === path.at(-1));
    const [pair, next] = [parent.items[at], parent.items[at + 1]];
    if (pair && isScalar(pair.key) && pair.key.commentBefore) {
      if (next && isScalar(next.key)) next.key.commentBefore = [pair.key.commentBefore, next.key.commentBefore].filter(Boolean).join('\n');
      else if (path.length === 1) doc.commentBefore = [doc.commentBefore, pair.key.commentBefore].filter(Boolean).join('\n');
    }
  }
  doc.deleteIn(path);
}

/** Removes maps left empty along `path` once a sentence under them is removed (a group with no sentence left). */
function prune(doc: Document, path: string[]) {
  for (let i = path.length - 1; i > 0; i--) {
    const parent = doc.getIn(path.slice(0, i), true);
    if (isMap(parent) && parent.items.length === 0) remove(doc, path.slice(0, i));
    else return;
  }
}

/**
 * The file's text with each sentence of `values` (dotted key → words) set; an empty one is removed (it falls back to
 * the next language). Keys not in `values` are not touched. Returns the same text when nothing differs, undefined
 * when there was no file and nothing was written.
 */
export function patchCopyYaml(text: string | undefined, values: Readonly<Record<string, string>>): string | undefined {
  if (text === undefined && !Object.values(values).some(Boolean)) return undefined;
  const doc = text === undefined ? new YAML.Document({}) : YAML.parseDocument(text);
  if (doc.errors.length) throw new Error('YAML として読めません');
  let changed = text === undefined;
  for (const [key, value] of Object.entries(values)) {
    const path = key.split('.');
    const did = value ? setValue(doc, path, value, () => node(value)) : doc.hasIn(path);
    if (did && !value) {
      remove(doc, path);
      prune(doc, path);
    }
    changed = did || changed;
  }
  return changed ? render(doc) : text;
}
