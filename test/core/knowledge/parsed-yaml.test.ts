import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { readKnowledgeFolders } from '../../../src/core/knowledge/files.js';
import { defaultDirs, loadKnowledgeBase } from '../../../src/core/knowledge/load.js';
import { ParsedYaml, type TextCache } from '../../../src/core/knowledge/parsed-yaml.js';

const root = path.resolve(import.meta.dirname, '../../..');
const files = readKnowledgeFolders(defaultDirs(root));

/** The model cache's text store, in memory. */
function memoryCache(): TextCache & { texts: Map<string, string> } {
  const texts = new Map<string, string>();
  return { texts, getText: (k) => texts.get(k), setText: (k, t) => void texts.set(k, t) };
}

describe('ParsedYaml: the knowledge base parsed once, read back from the cache', () => {
  it('gives back every file of the repository exactly as the parser does', () => {
    const cache = memoryCache();
    const first = new ParsedYaml(files, cache);
    const yamlFiles = Object.keys(files).filter((f) => f.endsWith('.yaml'));
    expect(yamlFiles.length).toBeGreaterThan(100);
    for (const f of yamlFiles) first.parse(f);
    first.save();
    expect(cache.texts.size).toBe(1);
    const second = new ParsedYaml(files, cache);
    for (const f of yamlFiles) expect(second.parse(f)).toEqual({ ok: true, value: YAML.parse(files[f]!) });
  });

  it('loads the same knowledge base with the cache, cold and warm, as without it', () => {
    const cache = memoryCache();
    const plain = loadKnowledgeBase({ files });
    expect(plain.problems).toEqual([]);
    expect(loadKnowledgeBase({ files }, cache)).toEqual(plain);
    expect(loadKnowledgeBase({ files }, cache)).toEqual(plain);
  });

  it('reads what it kept while the files are the same, and parses again when one changes', () => {
    const cache = memoryCache();
    loadKnowledgeBase({ files }, cache);
    // What is kept is what is used: a value changed in the cache shows in the next load of the same files.
    const [key, text] = [...cache.texts][0]!;
    const kept = JSON.parse(text) as Record<string, { title: string }>;
    kept['knowledge/vaccination.yaml']!.title = '（キャッシュの値）';
    cache.texts.set(key, JSON.stringify(kept));
    expect(loadKnowledgeBase({ files }, cache).kb!.entries.get('vaccination')!.title).toBe('（キャッシュの値）');
    // One changed file changes the key: everything is parsed from the files again.
    const edited = { ...files, 'knowledge/greeting.yaml': `${files['knowledge/greeting.yaml']}\n` };
    expect(loadKnowledgeBase({ files: edited }, cache).kb!.entries.get('vaccination')!.title).toBe(loadKnowledgeBase({ files }).kb!.entries.get('vaccination')!.title);
  });

  it('reports a file that is not YAML the same way with the cache, every time', () => {
    const cache = memoryCache();
    const broken = { ...files, 'intents/_guards.yaml': 'judgment: [親権\n  - :' };
    const plain = loadKnowledgeBase({ files: broken });
    expect(plain.problems.some((p) => p.file === 'intents/_guards.yaml' && p.message.startsWith('YAML として読めません'))).toBe(true);
    expect(loadKnowledgeBase({ files: broken }, cache).problems).toEqual(plain.problems);
    expect(loadKnowledgeBase({ files: broken }, cache).problems).toEqual(plain.problems);
  });

  it('parses again when what was kept is damaged', () => {
    const cache = memoryCache();
    loadKnowledgeBase({ files }, cache);
    const [key] = [...cache.texts.keys()];
    cache.texts.set(key!, '{"knowledge/vaccination.yaml": ');
    expect(loadKnowledgeBase({ files }, cache)).toEqual(loadKnowledgeBase({ files }));
  });
});
