import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { patchEntryTranslationYaml } from '../../../../src/core/knowledge/editing/translation-patch.js';
import { readKnowledgeFolders } from '../../../../src/core/knowledge/files.js';
import { defaultDirs, loadKnowledgeBase } from '../../../../src/core/knowledge/load.js';
import { applyTranslationDraft, changedFields, heldBy, translationDraftFromForm, translationDraftOf } from '../../../../src/adapters/console/translation-form.js';
import { patchRecordTranslationYaml } from '../../../../src/core/knowledge/editing/record-translation-patch.js';
import { patchCopyYaml } from '../../../../src/core/knowledge/editing/copy-patch.js';
import { applyCopyDraft, copyDraftFromForm, copyDraftOf, copyField, COPY_SET, EMERGENCY_SET } from '../../../../src/adapters/console/copy-translation.js';
import {
  applyRecordDraft,
  CONTACT_TRANSLATION,
  FACILITY_TRANSLATION,
  recordDraftFromForm,
  recordDraftOf,
  recordIndex,
  recordTranslationFile,
} from '../../../../src/adapters/console/record-translation.js';

const ROOT = new URL('../../../../', import.meta.url).pathname;
const files = readKnowledgeFolders(defaultDirs(ROOT));
const kb = loadKnowledgeBase({ files }).kb!;

const TRANSLATION = `# 訳の注意書き
id: x
title: Title
summary: |-
  Summary.
facets:
  overview:
    text: |-
      Overview text.
  cost:
    text: |-
      Cost text.
eligibility:
  confirm: Check this.
`;

describe('patchEntryTranslationYaml', () => {
  it('returns the text unchanged when nothing differs', () => {
    const value = { title: 'Title', summary: 'Summary.', facets: { overview: { text: 'Overview text.', statements: [] }, cost: { text: 'Cost text.', statements: [] } } };
    expect(patchEntryTranslationYaml(TRANSLATION, 'x', value)).toBe(TRANSLATION);
  });

  it('edits one facet in place, keeping comments, block style and the parts the form does not edit', () => {
    const out = patchEntryTranslationYaml(TRANSLATION, 'x', {
      title: 'Title',
      summary: 'Summary.',
      facets: { overview: { text: 'Overview text.', statements: [] }, cost: { text: 'It costs 2,000 yen.\nSecond line.', statements: [] } },
    })!;
    expect(out).toContain('# 訳の注意書き');
    expect(out).toContain('    text: |-\n      It costs 2,000 yen.\n      Second line.\n');
    expect(YAML.parse(out)).toMatchObject({ eligibility: { confirm: 'Check this.' }, facets: { overview: { text: 'Overview text.' } } });
  });

  it('removes a facet left empty (it falls back) and writes dated statements as a list', () => {
    const out = patchEntryTranslationYaml(TRANSLATION, 'x', {
      title: 'Title',
      summary: 'Summary.',
      facets: { overview: { text: 'Overview text.', statements: ['From April.'] }, cost: { text: '', statements: [] } },
    })!;
    const doc = YAML.parse(out) as { facets: Record<string, unknown> };
    expect(doc.facets.cost).toBeUndefined();
    expect(doc.facets.overview).toEqual({ text: 'Overview text.', statements: ['From April.'] });
  });

  it('starts a file for an entry not yet translated, and writes none when nothing was written', () => {
    const out = patchEntryTranslationYaml(undefined, 'x', { title: 'New', summary: 'S.', facets: { how: { text: 'How.', statements: [] } } })!;
    expect(YAML.parse(out)).toEqual({ id: 'x', title: 'New', summary: 'S.', facets: { how: { text: 'How.' } } });
    expect(patchEntryTranslationYaml(undefined, 'x', { title: '', summary: '', facets: { how: { text: '', statements: [] } } })).toBeUndefined();
  });
});

describe('the translation form', () => {
  it('changes no file when every shipped translation is sent back as the form shows it', () => {
    const changed: string[] = [];
    let checked = 0;
    for (const [file, text] of Object.entries(files)) {
      const m = /^languages\/([^/]+)\/([a-z][a-z0-9-]*)\.yaml$/.exec(file);
      if (!m) continue;
      checked++;
      const entry = kb.entries.get(m[2]!)!;
      const draft = translationDraftOf(text, entry);
      const body = Object.fromEntries([
        ['title', draft.title],
        ['summary', draft.summary],
        ...Object.entries(draft.facets).flatMap(([f, v]) => [[`f.${f}.text`, v.text], ...v.statements.map((s, i) => [`f.${f}.st.${i}`, s])]),
      ]);
      const back = translationDraftFromForm(body, entry)!;
      if (applyTranslationDraft(files, m[1]!, m[2]!, back)[file] !== text) changed.push(file);
    }
    expect(changed).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('holds the problems of the parts written, not those of parts left as they were', () => {
    const entry = kb.entries.get('sick-child-care')!;
    const before = translationDraftOf(files['languages/en/sick-child-care.yaml'], entry);
    const after = { ...before, facets: { ...before.facets, cost: { text: 'New cost.', statements: before.facets.cost!.statements } } };
    const changed = changedFields(before, after);
    expect(changed).toEqual(['facets.cost.text']);
    const held = heldBy('languages/en/sick-child-care.yaml', changed);
    expect(held({ file: 'languages/en/sick-child-care.yaml', field: 'facets.cost.text', message: '' })).toBe(true);
    expect(held({ file: 'languages/en/sick-child-care.yaml', field: 'facets.how.text', message: '' })).toBe(false);
    expect(held({ file: 'languages/en/sick-child-care.yaml', field: 'title', message: '' })).toBe(true);
    expect(held({ file: 'languages/vi/sick-child-care.yaml', field: 'facets.cost.text', message: '' })).toBe(false);
  });
});

const LEDGER = `# 注意書き
contacts:
  - id: a
    name: A office
    note: Note A.
  - id: b
    name: B office
`;

describe('patchRecordTranslationYaml', () => {
  it('edits one record in place, removes emptied fields, and keeps the rest byte for byte', () => {
    expect(patchRecordTranslationYaml(LEDGER, 'contacts', 'a', ['name', 'note'], { name: 'A office', note: 'Note A.' })).toBe(LEDGER);
    const out = patchRecordTranslationYaml(LEDGER, 'contacts', 'a', ['name', 'note'], { name: 'A desk', note: '' })!;
    expect(out).toContain('# 注意書き');
    expect(YAML.parse(out)).toEqual({ contacts: [{ id: 'a', name: 'A desk' }, { id: 'b', name: 'B office' }] });
  });

  it('adds a new record at the end, removes one left empty, and starts no file for nothing', () => {
    const added = patchRecordTranslationYaml(LEDGER, 'contacts', 'c', ['name'], { name: 'C office' })!;
    expect((YAML.parse(added) as { contacts: { id: string }[] }).contacts.map((c) => c.id)).toEqual(['a', 'b', 'c']);
    const removed = patchRecordTranslationYaml(LEDGER, 'contacts', 'b', ['name'], { name: '' })!;
    expect((YAML.parse(removed) as { contacts: { id: string }[] }).contacts.map((c) => c.id)).toEqual(['a']);
    expect(patchRecordTranslationYaml(undefined, 'facilities', 'x', ['name', 'offers'], { name: '', offers: [] })).toBeUndefined();
    expect(YAML.parse(patchRecordTranslationYaml(undefined, 'facilities', 'x', ['name', 'offers'], { name: 'X', offers: ['One', 'Two'] })!)).toEqual({
      facilities: [{ id: 'x', name: 'X', offers: ['One', 'Two'] }],
    });
  });

  it('changes no ledger translation when every contact and facility form is sent back as shown', () => {
    const changed: string[] = [];
    let checked = 0;
    for (const kind of [CONTACT_TRANSLATION, FACILITY_TRANSLATION])
      for (const code of ['en', 'vi', 'zh', 'ja-easy']) {
        const file = recordTranslationFile(kind, code);
        const ids = kind === CONTACT_TRANSLATION ? [...kb.contacts.keys()] : kb.facilities.facilities.map((f) => f.id);
        for (const id of ids) {
          if (recordIndex(kind, files[file], id) < 0) continue;
          checked++;
          const { fields } = kind.find(kb, id)!;
          const back = recordDraftFromForm(recordDraftOf(kind, files[file], id, fields), fields)!;
          if (applyRecordDraft(files, kind, code, id, fields, back)[file] !== files[file]) changed.push(`${file} ${id}`);
        }
      }
    expect(changed).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });
});

describe('patchCopyYaml', () => {
  const COPY = '# 注意\nfollow:\n  thanks: Thanks.\n  guide: |-\n    Line 1\n    Line 2\nclarify: Which one?\n';

  it('sets sentences by key (several lines as a block), removes emptied ones and groups left empty', () => {
    expect(patchCopyYaml(COPY, { 'follow.thanks': 'Thanks.' })).toBe(COPY);
    const out = patchCopyYaml(COPY, { 'follow.thanks': '', 'follow.guide': '', clarify: 'Which?\nPlease choose.', 'card.asOf': 'As of: ' })!;
    expect(out).toContain('# 注意');
    expect(out).toContain('clarify: |-\n  Which?\n  Please choose.');
    expect(YAML.parse(out)).toEqual({ clarify: 'Which?\nPlease choose.', card: { asOf: 'As of: ' } });
  });

  it('changes no language’s fixed sentences or emergency cards when the form is sent back as shown', () => {
    for (const [set, least] of [
      [COPY_SET, 100],
      [EMERGENCY_SET, 10],
    ] as const) {
      const rows = set.groups(kb).flatMap((g) => g.rows);
      for (const code of ['en', 'vi', 'zh', 'ja-easy']) {
        const file = set.file(code);
        const before = copyDraftOf(files[file]);
        const back = copyDraftFromForm(Object.fromEntries(rows.map((r) => [copyField(r.key), before[r.key] ?? ''])), rows)!;
        // Leading line breaks (offerPerson) and trailing spaces (「Information as of: 」) survive.
        expect(applyCopyDraft(files, code, before, back, file)[file], `${set.name} ${code}`).toBe(files[file]);
        expect(Object.values(back).filter(Boolean).length, `${set.name} ${code}`).toBeGreaterThan(least);
      }
    }
  });
});
