import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { patchEntryYaml, patchIntentYaml } from '../../../../src/core/knowledge/editing/yaml-patch.js';

const ENTRY = `# 出典のない数字は書かないこと
id: x
title: テスト
summary: 要約
topic: azuketai
facets:
  overview:
    text: |-
      概要の文です。
    sources: [a]
  cost:
    text: |-
      料金の文です。
    sources: [a, b]
    phones: [kosodate-shien]
    unconfirmed: true
eligibility:
  age: { from: 0歳, to: 小6 }
  needs: [azuketai]
  sources: [a]
sources:
  - id: a
    url: https://example.jp/a
    title: A
    checked: 2026-11-29
  - id: b
    url: https://example.jp/b
    title: B
    asOf: 2021年時点
    checked: 2026-11-29
`;

const facet = (text: string, sources = ['a'], phones: string[] = [], unconfirmed = false) => ({ text, sources, phones, unconfirmed });

describe('patchEntryYaml', () => {
  it('returns the text unchanged when nothing differs', () => {
    const doc = YAML.parse(ENTRY);
    const out = patchEntryYaml(ENTRY, {
      title: 'テスト',
      facets: { overview: facet('概要の文です。'), cost: facet('料金の文です。', ['a', 'b'], ['kosodate-shien'], true) },
      sources: doc.sources,
    });
    expect(out).toBe(ENTRY);
  });

  it('changes only what was edited, keeping comments, block texts and flow lists', () => {
    const out = patchEntryYaml(ENTRY, {
      facets: { cost: facet('新しい料金の文です。\n2行目。', ['b'], [], false) },
      sources: [
        { id: 'a', url: 'https://example.jp/a', title: 'A', checked: '2026-12-01', validUntil: '2026年度' },
        { id: 'c', url: 'https://example.jp/c', title: 'C', checked: '2026-12-01' },
      ],
    });
    expect(out).toContain('# 出典のない数字は書かないこと');
    expect(out).toContain('    text: |-\n      新しい料金の文です。\n      2行目。\n    sources: [b]\n');
    expect(out).toContain('  age: { from: 0歳, to: 小6 }');
    const doc = YAML.parse(out);
    expect(doc.facets.cost).toEqual({ text: '新しい料金の文です。\n2行目。', sources: ['b'], phones: [], unconfirmed: false });
    expect(doc.sources.map((s: { id: string }) => s.id)).toEqual(['a', 'c']);
    expect(doc.sources[0]).toMatchObject({ checked: '2026-12-01', validUntil: '2026年度' });
  });
});

describe('patchEntryYaml and dated statements', () => {
  const RULE = { text: '入院・通院とも高校生までが対象です。', from: '2027-04-01' };

  it('writes statements with only the dates they have, reads them back, and leaves them alone when not given', () => {
    const added = patchEntryYaml(ENTRY, { facets: { overview: { ...facet('概要の文です。'), statements: [RULE, { text: '今の決まり', until: '2027-03-31' }] } } });
    expect(added).toContain('    statements:\n      - text: 入院・通院とも高校生までが対象です。\n        from: 2027-04-01\n      - text: 今の決まり\n        until: 2027-03-31\n');
    expect(YAML.parse(added).facets.overview.statements).toEqual([RULE, { text: '今の決まり', until: '2027-03-31' }]);
    // The same statements again: the file comes back byte for byte. Without statements (the spreadsheet): untouched.
    expect(patchEntryYaml(added, { facets: { overview: { ...facet('概要の文です。'), statements: [RULE, { text: '今の決まり', until: '2027-03-31' }] } } })).toBe(added);
    expect(patchEntryYaml(added, { facets: { overview: facet('概要の文です。') } })).toBe(added);
    const removed = patchEntryYaml(added, { facets: { overview: { ...facet('概要の文です。'), statements: [] } } });
    expect(removed).not.toContain('statements');
  });
});

describe('patchIntentYaml', () => {
  it('replaces the examples and keeps the rest', () => {
    const text = 'id: x\nexamples:\n  - 一つ目\nkeywords:\n  - キー\n';
    expect(patchIntentYaml(text, { examples: ['一つ目'], keywords: ['キー'] })).toBe(text);
    expect(YAML.parse(patchIntentYaml(text, { examples: ['一つ目', '改行\nあり'] }))).toEqual({ id: 'x', examples: ['一つ目', '改行\nあり'], keywords: ['キー'] });
  });
});
