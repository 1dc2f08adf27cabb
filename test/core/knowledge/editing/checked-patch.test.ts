import { describe, expect, it } from 'vitest';
import { markSourceChecked } from '../../../../src/core/knowledge/editing/checked-patch.js';
import { readKnowledgeFolders } from '../../../../src/core/knowledge/files.js';
import { defaultDirs, loadKnowledgeBase } from '../../../../src/core/knowledge/load.js';
import { citedSources } from '../../../../src/core/knowledge/source-urls.js';

const files = readKnowledgeFolders(defaultDirs());
const { kb } = loadKnowledgeBase({ files });
const DAY = '2027-01-15';

/** The lines of `after` that differ from `before` (same line count expected: only values change). */
const changedLines = (before: string, after: string) => {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b.length).toBe(a.length);
  return b.filter((line, i) => line !== a[i]);
};

describe('marking a source page as checked', () => {
  it('sets checked on every entry, contact and facility source with that URL, and nothing else', () => {
    const cited = citedSources(kb!);
    for (const kind of ['answer', 'contact', 'facility'] as const) {
      const source = cited.find((s) => s.uses.some((u) => u.kind === kind))!;
      const { files: out, changed } = markSourceChecked(files, source.url, DAY);
      expect(changed.length, kind).toBeGreaterThan(0);
      for (const path of changed) for (const line of changedLines(files[path]!, out[path]!)) expect(line.trim()).toMatch(/^checked: 2027-01-15$/);
      for (const path of Object.keys(files)) if (!changed.includes(path)) expect(out[path]).toBe(files[path]);
      const after = loadKnowledgeBase({ files: out }).kb!;
      expect(citedSources(after).find((s) => s.url === source.url)!.checked).toBe(DAY);
      for (const e of after.entries.values()) for (const s of e.sources) if (s.url === source.url) expect(s.checked).toBe(DAY);
      for (const c of after.contacts.values()) if (c.source === source.url) expect(c.checked).toBe(DAY);
      for (const s of after.facilities.sources) if (s.url === source.url) expect(s.checked).toBe(DAY);
    }
  });

  it('never moves a date backwards, and changes nothing for a URL nobody cites', () => {
    const url = citedSources(kb!)[0]!.url;
    const once = markSourceChecked(files, url, DAY).files;
    expect(markSourceChecked(once, url, '2020-01-01').changed).toEqual([]);
    expect(markSourceChecked(files, 'https://example.com/none', DAY).changed).toEqual([]);
  });
});
