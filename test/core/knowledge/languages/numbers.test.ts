import { describe, expect, it } from 'vitest';
import { compareNumbers, extractNumbers } from '../../../../src/core/knowledge/languages/numbers.js';

// The Japanese texts below are quoted from knowledge/ and intents/ (file and field in each test's name), so that the
// reading is tried on what staff actually write; the translations are the ways a translator may carry the same numbers.
const values = (text: string) => extractNumbers(text).map((t) => t.value);
const same = (ja: string, tr: string) => compareNumbers(ja, tr);
const agrees = (ja: string, tr: string) => {
  const d = same(ja, tr);
  return d.missing.length === 0 && d.extra.length === 0;
};

describe('the numbers inside a text, read the same way in every language', () => {
  it('reads phone numbers and URLs whole, and the rest as plain numbers (sick-child-care cost)', () => {
    const ja =
      '笠岡市民が利用するときの料金や減免は確認できていません（施設ごとに異なります）。すこやかキッズルーム（TEL 0865-67-0211、2021年時点の情報）か、子育て支援課（TEL 0865-69-2132）にお問い合わせください。';
    expect(extractNumbers(ja).map((t) => [t.kind, t.value])).toEqual([
      ['phone', '0865-67-0211'],
      ['number', '2021'],
      ['phone', '0865-69-2132'],
    ]);
    const en =
      'The fee for Kasaoka residents and any reduction are not confirmed (they differ by facility). Please ask Sukoyaka Kids Room (TEL 0865-67-0211, information as of 2021) or the Child-Rearing Support Division (TEL 0865-69-2132).';
    expect(agrees(ja, en)).toBe(true);
    // One digit wrong in a phone number is a missing number and an extra one, named as written.
    const wrong = same(ja, en.replace('0865-67-0211', '0865-67-0221'));
    expect(wrong.missing.map((t) => t.raw)).toEqual(['0865-67-0211']);
    expect(wrong.extra.map((t) => t.raw)).toEqual(['0865-67-0221']);
    expect(agrees('詳しくは https://www.city.kasaoka.okayama.jp/soshiki/24/30703.html をご覧ください。', 'See https://www.city.kasaoka.okayama.jp/soshiki/24/30703.htm.')).toBe(false);
  });

  it('reads 万・千 amounts and thousands separators as the same amount in every script (child-allowance cost, single-parent cost)', () => {
    const ja = '国の制度での月額は、3歳未満が1万5千円、3歳から高校生年代までが1万円で、第3子以降はどちらも3万円です。';
    expect(values(ja)).toEqual(['3', '15000', '3', '10000', '3', '30000']);
    expect(agrees(ja, 'Under the national system the monthly amount is ¥15,000 under age 3, ¥10,000 from age 3 to high-school age, and ¥30,000 for both from the 3rd child on.')).toBe(true);
    expect(agrees(ja, 'Theo chế độ quốc gia, mỗi tháng: dưới 3 tuổi 15.000 yên, từ 3 tuổi đến tuổi học trung học phổ thông là 10.000 yên, từ con thứ 3 trở đi đều là 30.000 yên.')).toBe(true);
    // 「cấp 3」 (Vietnamese for high school) is a number the Japanese does not have.
    expect(agrees(ja, 'Dưới 3 tuổi 15.000 yên, từ 3 tuổi đến học sinh cấp 3 là 10.000 yên, từ con thứ 3 trở đi đều là 30.000 yên.')).toBe(false);
    expect(agrees(ja, '按国家制度，每月金额为：未满3岁1万5千日元，3岁至高中年龄1万日元，第3个孩子起均为3万日元。')).toBe(true);
    expect(agrees(ja, 'The monthly amount is ¥15,000 under age 3 and ¥10,000 from age 3 to high-school age; from the 3rd child on it is ¥30,000.')).toBe(true);
    // 「48.8万円」 and 「千円未満」 (postpartum-care cost) are amounts too.
    expect(values('出産費用が50万円に満たない…48.8万円です。千円未満は切り捨て')).toEqual(['500000', '488000', '1000']);
    expect(agrees('全部支給で月10,750円', 'full amount: 10750 yen a month')).toBe(true);
  });

  it('reads 割 as per cent (development-consultation cost)', () => {
    const ja = '国の制度では、児童発達支援や放課後等デイサービスの利用料は9割が公費で負担されます。';
    expect(agrees(ja, 'Under the national system, 90% of the fee for child development support and after-school day services is paid from public funds.')).toBe(true);
    expect(agrees(ja, 'Under the national system, most of the fee is paid from public funds.')).toBe(false);
  });

  it('reads an era year as its Western year, once when the Western year stands beside it (support-plan overview, birth-money who)', () => {
    const ja = '笠岡市子ども・子育て支援事業計画は平成27年3月に作られ、計画期間は平成27〜31年度（2015〜2019年度）でした。';
    expect(values(ja)).toEqual(['2015', '3', '2015', '2019']);
    expect(agrees(ja, "Kasaoka's plan was made in 2015/3 and covered fiscal 2015–2019.")).toBe(true);
    expect(agrees(ja, "Kasaoka's plan was made in March 2015 and covered fiscal 2015–2019.")).toBe(false);
    expect(agrees('令和7年（2025年）4月1日以降に妊娠している方', 'people who became pregnant on or after 2025/4/1')).toBe(true);
    expect(agrees('令和7年（2025年）4月1日以降に妊娠している方', 'people who became pregnant on or after 2025 (Reiwa 7)/4/1')).toBe(true);
    // An era year alone: the Western year or the era in another script, never the bare era number.
    const guideline = '笠岡市の平成20年の要綱';
    expect(agrees(guideline, "Kasaoka City's 2008 guidelines")).toBe(true);
    expect(agrees(guideline, "Kasaoka City's guidelines of Heisei 20")).toBe(true);
    expect(agrees(guideline, 'quy định năm 2008 (Heisei 20) của thành phố Kasaoka')).toBe(true);
    expect(agrees(guideline, "Kasaoka City's guidelines of year 20")).toBe(false);
    expect(values('令和元年の規則')).toEqual(['2019']);
  });

  it('reads an era range and its Western years joined by 「・」 as one range (support-plan overview)', () => {
    const ja = '多くの市町村では今は第3期（令和7〜11年度・2025〜2029年度）の時期です。';
    expect(values(ja)).toEqual(['3', '2025', '2029']);
    // やさしい日本語 may not write 令和, and no language should have to write the same years twice.
    expect(agrees(ja, '多くの 市や 町は、今は 第3期（2025年度から 2029年度まで）です。')).toBe(true);
    expect(agrees(ja, 'Many cities are now in their 3rd period (fiscal years 2025–2029, 令和7〜11年度).')).toBe(true);
    expect(agrees(ja, 'Many cities are now in their 3rd period (fiscal years 2025–2030).')).toBe(false);
    // Different years side by side stay two numbers each.
    expect(values('2024年度・令和7年度')).toEqual(['2024', '2025']);
  });

  it('reads times as hours of the day, with 午前・午後 / a.m.・p.m. / 下午 (kindergarten where, the #8000 contact)', () => {
    const ja = '公立の認定こども園では、1号認定の教育時間は午前8時30分〜午後2時です。私立の新川こども園（笠岡市金浦737-1）も教育時間は8時30分〜14時です。';
    expect(values(ja)).toEqual(['1', '8', '30', '14', '737', '1', '8', '30', '14']);
    expect(
      agrees(ja, "At public centres, the education hours for Type 1 children are 8:30 a.m. to 2 p.m. Shinkawa Kodomo-en (737-1 Kanaura) also teaches 8:30–14:00."),
    ).toBe(true);
    const hours = '岡山県は平日19時〜翌朝8時、土日・祝日・年末年始18時〜翌朝8時';
    expect(agrees(hours, 'Okayama: weekdays 7 p.m. to 8 a.m.; weekends, holidays and the New Year period 6 p.m. to 8 a.m.')).toBe(true);
    expect(agrees(hours, 'Tỉnh Okayama: ngày thường từ 19 giờ đến 8 giờ sáng hôm sau; thứ Bảy, Chủ nhật, ngày lễ và dịp năm mới từ 6 giờ chiều đến 8 giờ sáng.')).toBe(true);
    expect(agrees(hours, '冈山县：工作日19点至次日早上8点，周六日、节假日及年末年初下午6点至次日早上8点')).toBe(true);
    expect(agrees(hours, 'おかやまけんは へいじつの 午後7時から つぎの 日の 朝 8時まで、土日・祝日・年の 終わりと はじめは 午後6時から 朝 8時まで')).toBe(true);
    // "7 p.m." is 19, not 7: an afternoon hour written as the morning one is a different number.
    expect(agrees(hours, 'weekdays 7 to 8 a.m.; weekends 6 p.m. to 8 a.m.')).toBe(false);
    expect(agrees('月〜金 8:30〜17:15（祝日・年末年始は休み）', 'Mon–Fri 8:30 a.m.–5:15 p.m. (closed on holidays and at the New Year)')).toBe(true);
  });

  it('reads full-width digits, ranges, kanji address numbers and dates written with digits in any order', () => {
    expect(agrees('子育て支援課（TEL ０８６５－６９－２１３２）', 'Child-Rearing Support Division (TEL 0865-69-2132)')).toBe(true);
    expect(agrees('笠岡市の0〜2歳の保育料', 'nursery fees for ages 0-2 in Kasaoka')).toBe(true);
    expect(agrees('笠岡市の0〜2歳の保育料', 'nursery fees for ages 0 to 3 in Kasaoka')).toBe(false);
    // knowledge/_contacts.yaml, kodomo-hattatsu's note.
    expect(agrees('福山市三吉町南二丁目11番22号／予約制・平日8時30分〜17時15分（2025年4月1日現在）', '11-22 Minami 2-chome, Miyoshi-cho, Fukuyama / by appointment, weekdays 8:30–17:15 (as of 2025/4/1)')).toBe(true);
    expect(agrees('2026年4月1日から定期接種になる', 'becomes a routine vaccination from ngày 1/4/2026')).toBe(true);
    // A month written as a word carries no number (docs/languages.md).
    expect(same('2026年4月1日から', 'from April 1, 2026').missing.map((t) => t.value)).toEqual(['4']);
    expect(values('生後4・7・10か月頃')).toEqual(['4', '7', '10']);
  });

  it('leaves {placeholder} names out and keeps numbers that only look alike apart', () => {
    expect(values('{who}のお子さんの ご家庭に合いそうなサービスです。3つまで質問します。')).toEqual(['3']);
    // 119 is not 110, and #8000 is not 8000.
    expect(agrees('すぐに119番に電話して救急車を呼んでください。', 'Call 110 at once.')).toBe(false);
    expect(agrees('小児救急電話相談 #8000', 'the children’s emergency line 8000')).toBe(false);
    // The same number twice must be written twice.
    expect(agrees('窓口で3,000円を差し引いた額を払います。1人1回目のみ3,000円です。', 'At the counter you pay the fee minus 3,000 yen: 3,000 yen for the 1st dose, 1 per person.')).toBe(true);
    expect(same('1回目のみ3,000円です。窓口で3,000円を差し引いた額を払います。', 'Only the 1st dose: 3,000 yen, taken off at the counter.').missing.map((t) => t.value)).toEqual(['3000']);
  });
});
