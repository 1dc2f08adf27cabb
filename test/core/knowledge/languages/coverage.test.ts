import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { readKnowledgeFolders } from '../../../../src/core/knowledge/files.js';
import { formatCoverage, translationCoverage } from '../../../../src/core/knowledge/languages/coverage.js';
import { BASE_LANGUAGE } from '../../../../src/core/knowledge/languages/schema.js';
import { defaultDirs, loadKnowledgeBase } from '../../../../src/core/knowledge/load.js';

const files = readKnowledgeFolders(defaultDirs(path.resolve(import.meta.dirname, '../../../..')));

describe('kb:check: how much of each language is translated (a report, not a failure)', () => {
  it('counts entries, facets, contacts, facilities, areas, emergency cards and fixed sentences, naming what is missing', () => {
    const { kb, problems } = loadKnowledgeBase({
      files: {
        ...files,
        'languages/ja/_copy.yaml': 'clarify: どれについて知りたいですか？\nerase:\n  done: 削除しました。\n  button:\n    label: 削除する\n',
        'languages/ko/_language.yaml': 'code: ko\nname: 한국어\nnameJa: 韓国語\nfallback: ja-easy\norder: 9\n',
        'languages/ko/thanks.yaml': YAML.stringify({ id: 'thanks', title: '감사', summary: '감사 인사에 답합니다.', facets: { overview: { text: '천만에요.' } } }),
        'languages/ko/sick-child-care.yaml': YAML.stringify({ id: 'sick-child-care', title: '병아 보육', summary: '아픈 아이를 맡깁니다.', facets: { overview: { text: '아픈 아이를 맡기는 사업입니다(2008년 요강, 2021년 기준 정보).' } } }),
        'languages/ko/_contacts.yaml': YAML.stringify({ contacts: [{ id: 'police', name: '경찰' }, { id: 'kodomo-8000', name: '소아 구급 전화 상담' }] }),
        'languages/ko/_facilities.yaml': YAML.stringify({ facilities: [{ id: 'kabutogani-museum', name: '투구게 박물관' }], areas: { 金浦: '가나우라' } }),
        'languages/ko/_copy.yaml': 'clarify: 어느 것에 대해 알고 싶으세요?\nerase:\n  button:\n    label: 삭제\n',
        'languages/ko/_sources.yaml': YAML.stringify({ asOf: { 平成22年2月9日制定: '2010/2/9 제정' } }),
      },
    });
    expect(problems).toEqual([]);
    const japanese = { ...kb!, copy: kb!.languages.get(BASE_LANGUAGE)!.copy };
    const rows = translationCoverage(kb!.languages, japanese);
    expect(rows.map((r) => r.code)).toEqual(['ja-easy', 'en', 'vi', 'zh', 'ko']); // menu order, 日本語 left out
    const ko = rows.find((r) => r.code === 'ko')!.parts;
    const entries = kb!.entries.size;
    expect(ko.entries).toMatchObject({ done: 2, total: entries });
    expect(ko.facets.done).toBe(2);
    expect(ko.facets.missing).toContain('sick-child-care.cost');
    expect(ko.facets.missing).not.toContain('thanks.overview');
    // A contact whose Japanese has a note is translated only with its note.
    expect(ko.contacts).toMatchObject({ done: 1, total: kb!.contacts.size });
    expect(ko.contacts.missing).toContain('kodomo-8000(note)');
    expect(ko.facilities.missing).toContain('kabutogani-museum(hours,ages,offers)');
    expect(ko.areas.done).toBe(1);
    expect(ko.emergency).toMatchObject({ done: 0, total: 5 });
    expect(ko.copy).toEqual({ done: 2, total: 3, missing: ['erase.done'] });
    // A source's date note needs its own words when the card's date words cannot write it: 「平成22年2月9日制定」 does,
    // 「2020年時点」 does not (and is not counted).
    expect(ko.sources.done).toBe(1);
    expect(ko.sources.missing).toContain('長野県ページのキャッシュ');
    expect(ko.sources.missing).not.toContain('2020年時点');
    for (const code of ['en', 'vi', 'zh', 'ja-easy']) expect(rows.find((r) => r.code === code)!.parts.sources.missing, code).toEqual([]);

    const printed = formatCoverage(rows);
    expect(printed).toMatch(new RegExp(`ko 韓国語\\s+2/${entries} 6%`));
    // Facets of an entry not translated at all are said by the entry, not listed one by one.
    expect(printed).toMatch(/ko の未訳: 項目 abuse-report after-school-club .* ほか\d+件／側面 sick-child-care\.cost /);
    expect(printed).not.toMatch(/ko の未訳: .*abuse-report\.overview/);
    expect(printed).toContain('緊急 すべて');
  });
});
