import YAML, { isMap, isSeq, type Document } from 'yaml';
import type { KnowledgeFiles } from '../files.js';
import { render } from './yaml-patch.js';

const CONTACTS = 'knowledge/_contacts.yaml';

/** Sets `checked` on each item of the sequence at `path` whose `urlKey` is `url`; whether anything changed. */
function markIn(doc: Document, path: string[], urlKey: string, url: string, day: string): boolean {
  const seq = doc.getIn(path, true);
  if (!isSeq(seq)) return false;
  let changed = false;
  for (const item of seq.items) {
    if (!isMap(item) || String(item.get(urlKey)) !== url) continue;
    const before = item.get('checked');
    // Never backwards: a day already later (checked again since) stays.
    if (before !== undefined && String(before) >= day) continue;
    item.set('checked', day);
    changed = true;
  }
  return changed;
}

/**
 * Records that a person compared the knowledge base with the page at `url` on `day`: every source with that URL —
 * entries' `sources`, the facility directory's `sources`, the contact ledger's `source` — gets `checked: day`. Only
 * the files that change are re-written (comments and layout kept); the rest come back as they were. The result is
 * published like any edit, so the cards' 「最終確認」 date and the history say who checked when.
 */
export function markSourceChecked(files: KnowledgeFiles, url: string, day: string): { files: KnowledgeFiles; changed: string[] } {
  const out: Record<string, string> = { ...files };
  const changed: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    if (!path.startsWith('knowledge/') || !path.endsWith('.yaml') || !text.includes(url)) continue;
    const doc = YAML.parseDocument(text);
    if (doc.errors.length) continue;
    const did = path === CONTACTS ? markIn(doc, ['contacts'], 'source', url, day) : markIn(doc, ['sources'], 'url', url, day);
    if (did) {
      out[path] = render(doc);
      changed.push(path);
    }
  }
  return { files: out, changed };
}
