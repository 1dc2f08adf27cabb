import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { readKnowledgeFolders, type KnowledgeFiles } from '../../../../src/core/knowledge/files.js';
import { languageChain, languageForProfile } from '../../../../src/core/knowledge/languages/load.js';
import { localizeEntry } from '../../../../src/core/knowledge/languages/localize.js';
import { defaultDirs, loadKnowledgeBase } from '../../../../src/core/knowledge/load.js';

const files = readKnowledgeFolders(defaultDirs(path.resolve(import.meta.dirname, '../../../..')));
const load = (extra: KnowledgeFiles) => loadKnowledgeBase({ files: { ...files, ...extra } });
const meta = (code: string, more = '') => `code: ${code}\nname: T-${code}\nnameJa: テスト\nprofileLanguages: [${code}]\n${more}`;

describe('languages/<code>/: translations beside the Japanese', () => {
  it('loads every shipped language, with 日本語 always present', () => {
    const { kb, problems } = loadKnowledgeBase({ files });
    expect(problems).toEqual([]);
    expect([...kb!.languages.keys()].sort()).toEqual(['en', 'ja', 'ja-easy', 'vi', 'zh']);
  });

  it('refuses a language folder without _language.yaml, or whose code is not its folder', () => {
    expect(load({ 'languages/ko/sick-child-care.yaml': 'id: sick-child-care' }).problems.map((p) => p.file)).toContain('languages/ko/_language.yaml');
    const { problems } = load({ 'languages/ko/_language.yaml': meta('kr') });
    expect(problems).toEqual([expect.objectContaining({ file: 'languages/ko/_language.yaml', field: 'code' })]);
  });

  it('refuses a translation of an entry, facet or contact the Japanese does not have', () => {
    const entry = (id: string, facets: string) => `id: ${id}\ntitle: T\nsummary: S\nfacets:\n${facets}`;
    const base = { 'languages/ko/_language.yaml': meta('ko') };
    expect(load({ ...base, 'languages/ko/no-such.yaml': entry('no-such', '  overview: { text: x }') }).kb).toBeUndefined();
    const thanks = load({ ...base, 'languages/ko/thanks.yaml': entry('thanks', '  cost: { text: x }') });
    expect(thanks.problems).toEqual([expect.objectContaining({ field: 'facets.cost' })]);
    const contacts = load({ ...base, 'languages/ko/_contacts.yaml': 'contacts:\n  - { id: nobody, name: X }' });
    expect(contacts.problems).toEqual([expect.objectContaining({ field: 'contacts.0.id' })]);
  });

  it('sets aside a facet whose dated statements no longer match the Japanese, without holding the Japanese back', () => {
    const doc = YAML.parse(files['knowledge/sick-child-care.yaml']!);
    doc.facets.cost.statements = [{ text: '未来の規則です。', from: '2099-04-01' }];
    const [id, facet] = ['sick-child-care', 'cost'];
    const { kb, problems } = load({
      'knowledge/sick-child-care.yaml': YAML.stringify(doc),
      'languages/ko/_language.yaml': meta('ko'),
      // The Japanese text itself: the same numbers, so that only the statements differ.
      [`languages/ko/${id}.yaml`]: YAML.stringify({ id, title: 'T', summary: 'S', facets: { [facet]: { text: doc.facets.cost.text, statements: [] } } }),
    });
    expect(problems).toEqual([]);
    const ko = kb!.languages.get('ko')!;
    expect(ko.stale).toEqual([expect.objectContaining({ file: `languages/ko/${id}.yaml`, field: `facets.${facet}.statements` })]);
    expect(localizeEntry(kb!.languages, kb!.entries.get(id)!, 'ko').facetLanguage.cost).toBe('ja');
  });
  it('refuses a fallback that does not exist or that loops', () => {
    expect(load({ 'languages/ko/_language.yaml': meta('ko', 'fallback: xx') }).problems).toEqual([expect.objectContaining({ field: 'fallback' })]);
    const loop = load({ 'languages/ko/_language.yaml': meta('ko', 'fallback: kk'), 'languages/kk/_language.yaml': meta('kk', 'fallback: ko') });
    expect(loop.problems.map((p) => p.field)).toContain('fallback');
  });

  it('falls back facet by facet along the chain, keeping the Japanese numbers, sources and dates', () => {
    const { kb } = load({
      'languages/ko/_language.yaml': meta('ko', 'fallback: ja-easy'),
      'languages/ko/sick-child-care.yaml': 'id: sick-child-care\ntitle: Sick care\nsummary: S\nfacets:\n  overview: { text: Overview in ko (2008; 2021) }',
    });
    expect(languageChain(kb!.languages, 'ko')).toEqual(['ko', 'ja-easy', 'ja']);
    expect(languageChain(kb!.languages, 'xx')).toEqual(['ja']);
    const ja = kb!.entries.get('sick-child-care')!;
    const { entry, language, facetLanguage } = localizeEntry(kb!.languages, ja, 'ko');
    expect(language).toBe('ko');
    expect(entry.title).toBe('Sick care');
    expect(entry.facets.overview.text).toBe('Overview in ko (2008; 2021)');
    expect(entry.facets.overview.sources).toEqual(ja.facets.overview.sources);
    expect(entry.facets.overview.phones).toEqual(ja.facets.overview.phones);
    expect(facetLanguage.overview).toBe('ko');
    expect(facetLanguage.cost).not.toBe('ko');
    expect(entry.facets.cost).toBeDefined();
  });

  it('maps a LINE profile language onto a language, by exact tag then by primary subtag', () => {
    const { kb } = loadKnowledgeBase({ files });
    expect(languageForProfile(kb!.languages, 'vi', 'ja-easy')).toBe('vi');
    expect(languageForProfile(kb!.languages, 'zh-Hans', 'ja-easy')).toBe('zh');
    expect(languageForProfile(kb!.languages, 'en-US', 'ja-easy')).toBe('en');
    expect(languageForProfile(kb!.languages, 'ko', 'ja-easy')).toBe('ja-easy');
    expect(languageForProfile(kb!.languages, undefined, 'ja')).toBe('ja');
  });
});
