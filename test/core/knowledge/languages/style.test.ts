import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { sentences, styleProblems, StyleFile } from '../../../../src/core/knowledge/languages/style.js';
import { loadKnowledgeBase, defaultDirs } from '../../../../src/core/knowledge/load.js';
import { readKnowledgeFolders } from '../../../../src/core/knowledge/files.js';

const root = path.resolve(import.meta.dirname, '../../../..');
const style = StyleFile.parse(YAML.parse(readFileSync(path.join(root, 'languages/ja-easy/_style.yaml'), 'utf8')));
const problems = (text: string, role: 'sentences' | 'label' = 'sentences') => styleProblems(text, style, role).map((p) => p.message);

describe('やさしい日本語: what the guideline asks that a program can see (languages/ja-easy/_style.yaml)', () => {
  it('refuses the standard Japanese of knowledge/ and accepts the same facts written plainly', () => {
    // knowledge/birth-money.yaml, who: long, 令和, 申請・対象・届出, no spaces.
    const standard = '支援給付の対象は、申請・届出のときに笠岡市に住民票があり、令和7年（2025年）4月1日以降に妊娠している方で、ほかの市町村で出産・子育て応援給付金を全額受け取っていない方です。';
    const found = problems(standard);
    expect(found.some((m) => m.startsWith('一文が'))).toBe(true);
    expect(found.some((m) => m.startsWith('元号ではなく西暦で書いてください（令和7年 → 2025年）'))).toBe(true);
    expect(found.some((m) => m.startsWith('「申請」はむずかしい言葉です。「もうしこみ」と書くか'))).toBe(true);
    expect(found.some((m) => m.includes('空白を入れてください'))).toBe(true);
    const easy = [
      'もうしこむ ときに 笠岡市に 住民票が ある 人が もらえます。',
      '2025年4月1日から あとに 妊娠した 人が もらえます。',
      'ほかの 市や 町で 「出産・子育て応援給付金」を 全部 もらった 人は もらえません。',
    ].join('');
    expect(problems(easy)).toEqual([]);
  });

  it('leaves a line written in English on purpose alone, but not a Japanese sentence with an English word', () => {
    expect(problems('Emergency: call 119 for an ambulance or fire, 110 for the police. Say where you are and what happened.')).toEqual([]);
    expect(problems('I answer in easy Japanese (やさしい にほんご). To choose English, tap 「Language / 言語」.')).toEqual([]);
    expect(problems(`「Language / 言語」を おして ${'あいうえおかきくけこ '.repeat(4)}ください。`)[0]).toMatch(/^一文が/);
  });

  it('keeps a sentence within 50 characters and 2 読点, not counting spaces or URLs', () => {
    expect(problems(`${'あいうえおかきくけこ '.repeat(5)}です。`)).toEqual([expect.stringMatching(/^一文が53文字です（50文字まで）。短い文に分けてください: 「あいうえお.*です。」$/)]);
    expect(problems(`${'あいうえおかきくけこ '.repeat(4)}あいうえおかです。`)).toEqual([]);
    expect(problems(`くわしい ことは https://www.city.kasaoka.okayama.jp/soshiki/24/30703.html を 見て ください。`)).toEqual([]);
    expect(problems('月曜日、火曜日、水曜日、木曜日に あります。')[0]).toMatch(/^一文に「、」が3つあります（2つまで）/);
    expect(sentences('電話では「子どもの 病気です。」と 言って ください。つぎに 場所を 言います。')).toHaveLength(2);
  });

  it('ends a sentence with です・ます, a closing note in brackets aside; labels need no ending', () => {
    expect(problems('子どもを あずける ところ。')).toEqual(['文の終わりは「です」「ます」にしてください: 「子どもを あずける ところ。」']);
    expect(problems('市に 聞いて ください（2021年の じょうほう）。')).toEqual([]);
    expect(problems('電話は 0865-69-2132です。')).toEqual([]);
    expect(problems('病気の 子どもを あずける', 'label')).toEqual([]);
    expect(problems('どういたしまして。こんにちは。')).toEqual([]);
  });

  it('names a hard word with its easy replacement, except in official names, in 「quotes」 or when explained', () => {
    expect(problems('市役所で 申請します。')).toEqual(['「申請」はむずかしい言葉です。「もうしこみ」と書くか、「申請（もうしこみ）」のように説明を付けてください: 「市役所で 申請します。」']);
    expect(problems('市役所で 申請（もうしこみ）を します。')).toEqual([]);
    expect(problems('「児童手当」を もらえます。')).toEqual([]);
    expect(problems('児童手当を もらえます。')).toEqual([]);
    expect(problems('児童の ための お金です。')[0]).toMatch(/^「児童」はむずかしい言葉です。「子ども」/);
    // One message per hard word: 乳幼児, not also the 幼児 inside it.
    expect(problems('乳幼児健診が あります。')).toEqual([expect.stringMatching(/^「乳幼児」/), expect.stringMatching(/^「健診」はむずかしい言葉です。「健康診断」/)]);
  });

  it('refuses double negatives, even with spaces between the phrases', () => {
    expect(problems('使えない わけでは ありません。')[0]).toMatch(/^二重否定（「ないわけでは」）/);
    expect(problems('出さなければ なりません。')[0]).toMatch(/^二重否定（「なければな」）/);
  });

  it('writes years in the Western calendar and times with 午前・午後, から・まで and 年・月・日', () => {
    expect(problems('平成20年の 市の きまりです。')).toEqual(['元号ではなく西暦で書いてください（平成20年 → 2008年）: 「平成20年の 市の きまりです。」']);
    expect(problems('令和元年の きまりです。')[0]).toContain('令和元年 → 2019年');
    expect(problems('10時〜12時に あります。')[0]).toMatch(/^「〜」ではなく「から」「まで」/);
    expect(problems('18時まで あいて います。')[0]).toContain('18時 → 午後6時');
    expect(problems('24時間 電話が できます。')).toEqual([]);
    expect(problems('午前8:30から あいて います。')[0]).toMatch(/^時刻は「8時30分」のように/);
    expect(problems('2026/4/1から はじまります。')[0]).toMatch(/^日付は「2026年4月1日」のように/);
    expect(problems('午前8時30分から 午後5時15分まで あいて います。')).toEqual([]);
  });

  it('is what loadKnowledgeBase applies to languages/ja-easy/: a sentence it refuses is set aside, named by file and field', () => {
    const files = readKnowledgeFolders(defaultDirs(root));
    const { kb, problems: found } = loadKnowledgeBase({
      files: { ...files, 'languages/ja-easy/thanks.yaml': 'id: thanks\ntitle: ありがとう\nsummary: お礼の 言葉に 返事を します。\nfacets:\n  overview:\n    text: どういたしまして。また 何でも 聞いて ください。至急の ときは 電話して ください。\n' },
    });
    expect(found).toEqual([]);
    const easy = kb!.languages.get('ja-easy')!;
    expect(easy.entries.get('thanks')?.facets.overview).toBeUndefined(); // set aside: the parent gets the Japanese
    expect(easy.stale).toEqual([
      {
        file: 'languages/ja-easy/thanks.yaml',
        field: 'facets.overview.text',
        message: expect.stringMatching(
          /^やさしい日本語の書き方: 「至急」はむずかしい言葉です。「すぐに」と書くか、「至急（すぐに）」のように説明を付けてください: 「至急の ときは 電話して ください。」。直すまで/,
        ),
      },
    ]);
  });
});
