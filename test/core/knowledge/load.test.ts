import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDirs, loadKnowledgeBase } from '../../../src/core/knowledge/load.js';

const real = defaultDirs(path.resolve(import.meta.dirname, '../../..'));
const temps: string[] = [];
/** A scratch copy of the knowledge base with one file edited. */
function copyWith(edit: (dirs: { knowledgeDir: string; intentsDir: string }) => void) {
  const root = mkdtempSync(path.join(tmpdir(), 'kc-kb-'));
  temps.push(root);
  const dirs = { knowledgeDir: path.join(root, 'knowledge'), intentsDir: path.join(root, 'intents') };
  cpSync(real.knowledgeDir, dirs.knowledgeDir, { recursive: true });
  cpSync(real.intentsDir, dirs.intentsDir, { recursive: true });
  edit(dirs);
  return loadKnowledgeBase(dirs);
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke arbitrary fields of parsed YAML
const editYaml = (file: string, change: (doc: any) => void) => {
  const doc = YAML.parse(readFileSync(file, 'utf8'));
  change(doc);
  writeFileSync(file, YAML.stringify(doc));
};
afterEach(() => temps.splice(0).forEach((t) => rmSync(t, { recursive: true, force: true })));

describe('loadKnowledgeBase', () => {
  it('loads the shipped knowledge base with no problems and every catalog id', () => {
    const { kb, problems } = loadKnowledgeBase(real);
    expect(problems).toEqual([]);
    for (const { id } of kb!.catalog) {
      expect(kb!.entries.has(id), id).toBe(true);
      expect(kb!.intents.get(id)!.examples.length, id).toBeGreaterThanOrEqual(10);
    }
  });

  it('refuses a contact ledger without the concierge’s own line, which the bot names in its fixed sentences', () => {
    const { kb, problems } = copyWith((d) =>
      editYaml(path.join(d.knowledgeDir, '_contacts.yaml'), (doc) => {
        doc.contacts = doc.contacts.filter((c: { id: string }) => c.id !== 'kosodate-shien');
      }),
    );
    expect(kb).toBeUndefined();
    expect(problems).toContainEqual(expect.objectContaining({ file: 'knowledge/_contacts.yaml', message: expect.stringContaining('kosodate-shien') }));
  });

  it('reports a missing catalog id', () => {
    const { kb, problems } = copyWith((d) => rmSync(path.join(d.knowledgeDir, 'short-stay.yaml')));
    expect(kb).toBeUndefined();
    expect(problems).toContainEqual(expect.objectContaining({ file: expect.stringContaining('short-stay.yaml'), message: expect.stringContaining('short-stay') }));
  });

  it('reports a facet without a source, with file and field', () => {
    const { problems } = copyWith((d) => editYaml(path.join(d.knowledgeDir, 'sick-child-care.yaml'), (e) => (e.facets.cost.sources = [])));
    expect(problems).toContainEqual(expect.objectContaining({ file: expect.stringContaining('sick-child-care.yaml'), field: 'facets.cost.sources' }));
  });

  it('reports a phone number that is not in the contact register', () => {
    const { problems } = copyWith((d) => editYaml(path.join(d.knowledgeDir, 'sick-child-care.yaml'), (e) => (e.facets.contact.text += ' 0865-00-0000')));
    expect(problems).toContainEqual(expect.objectContaining({ field: 'facets.contact.text', message: expect.stringContaining('0865-00-0000') }));
  });

  it('reports a malformed phone number and a malformed URL', () => {
    const { problems } = copyWith((d) => {
      editYaml(path.join(d.knowledgeDir, '_contacts.yaml'), (c) => (c.contacts[0].tel = '0865692132'));
      editYaml(path.join(d.knowledgeDir, 'temporary-care.yaml'), (e) => (e.sources[0].url = 'city.kasaoka/page'));
    });
    expect(problems).toContainEqual(expect.objectContaining({ field: 'contacts.0.tel' }));
    expect(problems).toContainEqual(expect.objectContaining({ field: 'sources.0.url' }));
  });

  it('reports an intent with too few examples and an example used by two intents', () => {
    const { problems } = copyWith((d) => {
      editYaml(path.join(d.intentsDir, 'thanks.yaml'), (i) => (i.examples = i.examples.slice(0, 3)));
      editYaml(path.join(d.intentsDir, 'greeting.yaml'), (i) => i.examples.push('病児保育について教えてほしい'));
      editYaml(path.join(d.intentsDir, 'sick-child-care.yaml'), (i) => i.examples.push('病児保育について教えてほしい'));
    });
    expect(problems).toContainEqual(expect.objectContaining({ file: expect.stringContaining('thanks.yaml'), field: 'examples' }));
    expect(problems).toContainEqual(expect.objectContaining({ message: expect.stringContaining('病児保育について教えてほしい') }));
  });

  it('reports unreadable YAML instead of throwing', () => {
    const { problems } = copyWith((d) => writeFileSync(path.join(d.intentsDir, '_handoff.yaml'), 'phrases: [unclosed'));
    expect(problems).toContainEqual(expect.objectContaining({ file: expect.stringContaining('_handoff.yaml'), message: expect.stringContaining('YAML') }));
  });
});
