import { describe, expect, it } from 'vitest';
import { diffKnowledge, summarize } from '../../../src/core/knowledge/diff.js';

const entry = (cost: string, checked = '2026-11-29') => `id: x
title: 病児保育
summary: s
topic: azuketai
facets:
  overview: { text: 概要, sources: [a] }
  cost: { text: ${cost}, sources: [a] }
sources:
  - { id: a, url: https://example.jp, title: A, checked: ${checked} }
`;

describe('diffKnowledge', () => {
  it('names changed answers and source details the way staff know them, with word diffs', () => {
    const d = diffKnowledge({ 'knowledge/x.yaml': entry('料金は1日2000円です'), 'intents/x.yaml': 'id: x\nexamples: [いくら]\nkeywords: [料金]\n' }, { 'knowledge/x.yaml': entry('料金は1日2500円です', '2026-12-01'), 'intents/x.yaml': 'id: x\nexamples: [いくら, 料金は？]\nkeywords: [料金]\n' });
    expect(d.changed).toEqual(['intents/x.yaml', 'knowledge/x.yaml']);
    expect(d.changes.map((c) => `${c.subject} › ${c.field} ${c.kind}`)).toEqual(['病児保育 › 例文 added', '病児保育 › 料金 › 本文 changed', '病児保育 › 出典「A」 › 確認日 changed']);
    const text = d.changes[1]!;
    expect(text.parts!.filter((p) => p.added).map((p) => p.value).join('')).toContain('2500');
    expect(summarize(d)).toBe('病児保育: 例文を追加、料金 › 本文を変更、出典「A」 › 確認日を変更');
  });

  it('shows a dated statement added, and its date changed, with the dates', () => {
    const withRule = (from: string) => entry('料金は1日2000円です').replace('  cost: { text: 料金は1日2000円です, sources: [a] }', `  cost: { text: 料金は1日2000円です, sources: [a], statements: [{ text: 1日2500円です, from: ${from} }] }`);
    const added = diffKnowledge({ 'knowledge/x.yaml': entry('料金は1日2000円です') }, { 'knowledge/x.yaml': withRule('2027-04-01') });
    expect(added.changes).toMatchObject([{ field: '料金 › 期間つきの文 1件目', kind: 'added', after: '1日2500円です（2027-04-01から）' }]);
    const moved = diffKnowledge({ 'knowledge/x.yaml': withRule('2027-04-01') }, { 'knowledge/x.yaml': withRule('2027-05-01') });
    expect(moved.changes).toMatchObject([{ field: '料金 › 期間つきの文 1件目', kind: 'changed' }]);
    expect(moved.changes[0]!.parts!.filter((p) => p.added).map((p) => p.value).join('')).toContain('05');
  });

  it('falls back to a line diff for other files, named in staff words, not by path', () => {
    const d = diffKnowledge({ 'intents/_catalog.tsv': 'id\tname\na\tA\n' }, { 'intents/_catalog.tsv': 'id\tname\na\tA\nb\tB\n', 'knowledge/new.yaml': 'id: new\n' });
    expect(d.added).toEqual(['knowledge/new.yaml']);
    expect(d.changes.find((c) => c.file === 'intents/_catalog.tsv')).toMatchObject({ subject: 'サービスの一覧', kind: 'changed', field: '設定の本文' });
  });

  it('compares the contact and facility ledgers record by record, by name', () => {
    const contacts = (tel: string) => `contacts:\n  - { id: kosodate, name: 子育て支援課, tel: ${tel}, source: https://example.jp, checked: 2026-11-01 }\n`;
    const d = diffKnowledge({ 'knowledge/_contacts.yaml': contacts('0865-69-2132') }, { 'knowledge/_contacts.yaml': contacts('0865-69-2133') });
    expect(d.changes.map((c) => `${c.subject} › ${c.field} ${c.kind}`)).toEqual(['連絡先の台帳 › 連絡先「子育て支援課」 › 電話番号 changed']);
    const facilities = (hours: string) => `facilities:\n  - { id: shinkawa, name: 新川こども園, kind: kodomoen, hours: { text: ${hours} } }\n`;
    const f = diffKnowledge({ 'knowledge/_facilities.yaml': facilities('7時から19時') }, { 'knowledge/_facilities.yaml': facilities('7時から18時') });
    expect(f.changes.map((c) => `${c.subject} › ${c.field}`)).toEqual(['施設の台帳 › 施設「新川こども園」 › 時間']);
  });

  it('names a translation by its language and service, and compares it facet by facet', () => {
    const lang = { 'languages/en/_language.yaml': 'code: en\nname: English\nnameJa: 英語\n', 'knowledge/x.yaml': entry('料金は1日2000円です') };
    const en = (cost: string) => `id: x\ntitle: Sick child care\nsummary: s\nfacets:\n  cost: { text: '${cost}' }\n`;
    const d = diffKnowledge({ ...lang, 'languages/en/x.yaml': en('2,000 yen a day') }, { ...lang, 'languages/en/x.yaml': en('2,500 yen a day') });
    expect(d.changes.map((c) => `${c.subject} › ${c.field} ${c.kind}`)).toEqual(['英語の訳：病児保育 › 料金 › 本文 changed']);
  });
});
