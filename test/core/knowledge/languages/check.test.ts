import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { readKnowledgeFolders, type KnowledgeFiles } from '../../../../src/core/knowledge/files.js';
import { translationProblems } from '../../../../src/core/knowledge/languages/check.js';
import { localizeEntry } from '../../../../src/core/knowledge/languages/localize.js';
import { BASE_LANGUAGE } from '../../../../src/core/knowledge/languages/schema.js';
import { defaultDirs, loadKnowledgeBase } from '../../../../src/core/knowledge/load.js';

const files = readKnowledgeFolders(defaultDirs(path.resolve(import.meta.dirname, '../../../..')));
const load = (extra: KnowledgeFiles) => loadKnowledgeBase({ files: { ...files, ...extra } });
const ko = { 'languages/ko/_language.yaml': 'code: ko\nname: 한국어\nnameJa: 韓国語\nprofileLanguages: [ko]\nfallback: ja-easy\n' };
const japanese = (file: string) => YAML.parse(files[file]!);
/** What loading set aside in the 韓国語 pack: the knowledge base itself still loads. */
const setAside = (extra: KnowledgeFiles) => {
  const { kb, problems } = load(extra);
  expect(problems).toEqual([]);
  return { stale: kb!.languages.get('ko')!.stale, ko: kb!.languages.get('ko')!, kb: kb! };
};

describe('a translation carries exactly the numbers of its Japanese, or is set aside', () => {
  it('passes every shipped translation', () => {
    const { kb, problems } = loadKnowledgeBase({ files });
    expect(problems).toEqual([]);
    const ja = { ...kb!, copy: kb!.languages.get(BASE_LANGUAGE)!.copy };
    const styles = new Map(Object.keys(files).filter((f) => f.endsWith('/_style.yaml')).map((f) => [f.split('/')[1]!, YAML.parse(files[f]!)]));
    expect(translationProblems(kb!.languages, ja, styles)).toEqual([]);
  });

  it('sets aside a translated facet whose phone number, date or amount differs, naming the field and the numbers', () => {
    const cost = japanese('knowledge/sick-child-care.yaml').facets.cost.text as string;
    expect(cost).toContain('0865-67-0211');
    const entry = (costText: string) => ({
      ...ko,
      'languages/ko/sick-child-care.yaml': YAML.stringify({ id: 'sick-child-care', title: '병아 보육', summary: '아픈 아이를 맡기는 사업입니다.', facets: { cost: { text: costText } } }),
    });
    const right = '요금은 확인되지 않았습니다. 스코야카 키즈룸(TEL 0865-67-0211, 2021년 기준) 또는 육아지원과(TEL 0865-69-2132)에 문의하세요.';
    expect(setAside(entry(right)).stale).toEqual([]);
    expect(setAside(entry(right)).ko.entries.get('sick-child-care')!.facets.cost).toBeDefined();

    const { stale, ko: pack } = setAside(entry(right.replace('2021년', '2020년').replace('0865-69-2132', '0865-69-2123')));
    expect(pack.entries.get('sick-child-care')!.facets.cost).toBeUndefined(); // a wrong translation never reaches a parent
    expect(pack.entries.get('sick-child-care')!.title).toBe('병아 보육'); // the rest of the entry stays
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ file: 'languages/ko/sick-child-care.yaml', field: 'facets.cost.text' });
    expect(stale[0]!.message).toContain('日本語にあって訳にない: 「2021」、「0865-69-2132」');
    expect(stale[0]!.message).toContain('訳にあって日本語にない: 「2020」、「0865-69-2123」');
    expect(stale[0]!.message).toContain('代わりの言語で出します');
  });

  it('lets a Japanese edit that changes a number go live at once; the out-of-date translations fall back', () => {
    const doc = japanese('knowledge/sick-child-care.yaml');
    const before = doc.facets.cost.text as string;
    expect(before).toMatch(/2021年時点/);
    doc.facets.cost.text = before.replace('2021年時点', '2026年時点');
    const { kb, problems } = load({ 'knowledge/sick-child-care.yaml': YAML.stringify(doc) });
    expect(problems).toEqual([]);
    for (const code of ['en', 'vi', 'zh']) {
      const pack = kb!.languages.get(code)!;
      expect(pack.stale.map((p) => p.field)).toEqual(['facets.cost.text']);
      const local = localizeEntry(kb!.languages, kb!.entries.get('sick-child-care')!, code);
      expect(local.facetLanguage.cost).toBe('ja');
      expect(local.entry.facets.cost!.text).toContain('2026年時点');
      expect(local.facetLanguage.where).toBe(code); // the facets that still match stay translated
    }
  });

  it('checks the title, summary, dated statements and the eligibility note of an entry', () => {
    const doc = japanese('knowledge/sick-child-care.yaml');
    doc.facets.cost.statements = [{ text: '2099年4月1日から、1日2,000円です。', from: '2099-04-01' }];
    doc.eligibility.confirm = '小学6年生までの条件';
    const { stale: problems, ko: pack } = setAside({
      'knowledge/sick-child-care.yaml': YAML.stringify(doc),
      ...ko,
      'languages/ko/sick-child-care.yaml': YAML.stringify({
        id: 'sick-child-care',
        title: '병아 보육 24',
        summary: '아픈 아이를 맡깁니다.',
        facets: { cost: { text: doc.facets.cost.text.replace(/[^0-9\-()（）、]/g, ' '), statements: ['2099/4/1부터 하루 200엔입니다.'] } },
        eligibility: { confirm: '초등학교 5학년까지의 조건' },
      }),
    });
    expect(problems.map((p) => p.field)).toEqual(['title', 'facets.cost.statements.0', 'eligibility.confirm']);
    expect(problems[1]!.message).toContain('「2,000」(2000)');
    expect(pack.entries.has('sick-child-care')).toBe(false); // a wrong title sets the whole entry aside
  });

  it('checks contacts, facilities (hours, offers), area names and emergency cards, naming the id', () => {
    const { stale: problems, ko: pack } = setAside({
      ...ko,
      'languages/ko/_contacts.yaml': YAML.stringify({
        contacts: [
          { id: 'kodomo-8000', name: '소아 구급 전화 상담', note: '오카야마현: 평일 19시~다음 날 8시, 주말·공휴일·연말연시 18시~다음 날 8시' },
          { id: 'kodomo-hattatsu', name: '어린이 발달 지원 센터', note: '후쿠야마시 미요시초 미나미 2초메 11-22 / 예약제, 평일 8:30~17:15 (2025/4/1 현재)', asOf: '2021년 기준' },
        ],
      }),
      'languages/ko/_facilities.yaml': YAML.stringify({
        facilities: [{ id: 'shinkawa-kodomoen', name: '신카와 어린이원', hours: '7:00~18:00', offers: ['운영: 가사오카시 사회복지사업회, 정원 80명', '1호 인정 교육 시간 8:30~14:00', '2호·3호 인정: 11시간 또는 8시간 보육', '원정 개방 월~금 9:00~11:00'] }],
        areas: { 金浦: '가나우라', 月島: '쓰키시마' },
      }),
      'languages/ko/_emergency.yaml': YAML.stringify({
        guidance: Object.fromEntries(
          Object.entries(japanese('intents/_emergency.yaml').guidance as Record<string, { title: string; text: string }>).map(([k, g]) => [
            k,
            { title: g.title, text: k === 'medical' ? g.text.replace('119番', '911번') : g.text },
          ]),
        ),
      }),
    });
    expect(problems.map((p) => `${p.file.split('/').pop()} ${p.field}`)).toEqual([
      '_contacts.yaml contacts.1.asOf',
      '_facilities.yaml facilities.0.hours',
      '_facilities.yaml areas.月島',
      '_emergency.yaml guidance.medical.text',
    ]);
    expect(problems[0]!.message).toMatch(/^連絡先「[^」]+」: 数字が日本語と合いません/);
    expect(problems[1]!.message).toMatch(/^施設「新川こども園」: .*「19:00」\(19\).*「18:00」\(18\)/);
    expect(problems[3]!.message).toContain('「119」');
    expect([pack.contacts.has('kodomo-8000'), pack.contacts.has('kodomo-hattatsu')]).toEqual([true, false]);
    expect([pack.facilities.has('shinkawa-kodomoen'), pack.areas]).toEqual([false, { 金浦: '가나우라' }]);
    expect(Object.keys(pack.emergency)).not.toContain('medical');
  });

  it('checks the fixed sentences: no key the Japanese lacks, the same {placeholders}, the same numbers', () => {
    const jaCopy = 'follow:\n  guide: 「自分に合うサービスを知りたい」と送ると、3つの質問で探します。\nfacetOnly: どのサービスの「{facet}」について知りたいですか？\n';
    const { stale: problems, ko: pack } = setAside({
      'languages/ja/_language.yaml': files['languages/ja/_language.yaml']!,
      'languages/ja/_copy.yaml': jaCopy,
      ...ko,
      'languages/ko/_copy.yaml': 'follow:\n  guide: 세 가지 질문으로 찾습니다.\n  thanks: 고맙습니다.\nfacetOnly: 어느 서비스의 「{facets}」를 알고 싶으세요?\n',
    });
    expect(problems).toEqual([
      expect.objectContaining({ field: 'follow.guide', message: expect.stringContaining('日本語にあって訳にない: 「3」') }),
      expect.objectContaining({ field: 'follow.thanks', message: expect.stringContaining('日本語の定型文（languages/ja/_copy.yaml）にないキー') }),
      expect.objectContaining({ field: 'facetOnly', message: expect.stringContaining('差し込み（{…}）が日本語と違います: 日本語 {facet}、訳 {facets}') }),
    ]);
    expect(pack.copy).toEqual({ follow: {} });
  });

  it('keeps the buttons of the fixed sentences (labels.*) within LINE’s 20 characters, not what a tap says', () => {
    const jaCopy = 'labels:\n  handoff: 担当者と話す\n  handoffSaid: 担当者と話したい\n';
    const { stale: problems } = setAside({
      'languages/ja/_language.yaml': files['languages/ja/_language.yaml']!,
      'languages/ja/_copy.yaml': jaCopy,
      ...ko,
      'languages/ko/_copy.yaml': 'labels:\n  handoff: 담당자와 이야기하기 담당자와 이야기하기 담당자\n  handoffSaid: 담당자와 이야기하고 싶어요 담당자와 이야기하고 싶어요\n',
    });
    expect(problems).toEqual([expect.objectContaining({ field: 'labels.handoff', message: expect.stringContaining('ボタンの文字が25文字です') })]);
  });

  it('keeps a translated title within the 20 characters of a LINE quick-reply label', () => {
    const { problems } = load({ ...ko, 'languages/ko/thanks.yaml': YAML.stringify({ id: 'thanks', title: 'Thank you very much indeed', summary: 'S', facets: {} }) });
    expect(problems).toEqual([expect.objectContaining({ field: 'title', message: expect.stringContaining('20文字以内') })]);
  });

  it('checks the sources’ date notes (_sources.yaml): the Japanese note must exist, with the same date in its numbers', () => {
    const notes = (asOf: Record<string, string>) => ({ ...ko, 'languages/ko/_sources.yaml': YAML.stringify({ asOf }) });
    const right = setAside(notes({ 平成22年2月9日制定: '2010/2/9 제정' }));
    expect(right.stale).toEqual([]);
    expect(right.ko.asOfNotes.get('平成22年2月9日制定')).toBe('2010/2/9 제정');
    // 平成22年 is 2010: "22" is a wrong year, and a day off is a different date.
    for (const wrong of ['22/2/9 제정', '2010/2/19 제정']) {
      const { stale, ko: pack } = setAside(notes({ 平成22年2月9日制定: wrong }));
      expect(stale).toEqual([expect.objectContaining({ file: 'languages/ko/_sources.yaml', field: 'asOf.平成22年2月9日制定', message: expect.stringContaining('数字が日本語と合いません') })]);
      expect(pack.asOfNotes.has('平成22年2月9日制定')).toBe(false);
    }
    const { problems } = load(notes({ 平成23年1月1日制定: '2011/1/1 제정' }));
    expect(problems).toEqual([expect.objectContaining({ field: 'asOf.平成23年1月1日制定', message: expect.stringContaining('どの出典にもありません') })]);
  });
});
