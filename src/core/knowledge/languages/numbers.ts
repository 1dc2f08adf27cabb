/**
 * The numbers written inside a text, as the translation check compares them (docs/languages.md, 「The rule for
 * numbers inside the words」): every URL, every phone number and every other number, read the same way whatever the
 * language writes around it, so that 「1日2,000円」 and "2,000 yen a day" and 「1ngày 2.000 yên」 all give 1 and 2000.
 *
 * What is read as one number (the Japanese and its translations go through the same reading):
 * - full-width digits and punctuation as ASCII (NFKC); 「０８６５」 is 0865;
 * - a URL as its exact text; a phone number (0865-69-2132, 0120-279-338, #8000) as its exact digits and hyphens;
 * - thousands separators dropped: 2,000 / 2.000 (Vietnamese) / 25,700 → 2000, 25700; a decimal stays: 48.8 / 37,5;
 * - Japanese and Chinese 万・千・億 amounts: 1万5千円 = 1万5000円 = 15000, 48.8万円 = 488000;
 * - 割 (and Chinese 成) as per cent: 9割 = 90 (so "90%" matches);
 * - an era year as its Western year, on either side: 平成20年 = 2008, 令和元年 = 2019, 令和7〜11年度 = 2025 and 2029,
 *   "Reiwa 7" = 2025; written with its Western year beside it (令和7年（2025年）, "2025 (Reiwa 7)") it counts once;
 * - a clock time in the afternoon as its 24-hour hour: 午後6時 = 6 p.m. = 6pm = 下午6点 = 6 giờ chiều = 18, so 18時
 *   and "6 p.m." match; "18:00" is 18 (":00" adds no number), "8:30" is 8 and 30 like 8時30分;
 * - a kanji numeral only before 丁目 and 円 (南二丁目 = 2, 千円未満 = 1000), where our texts write numbers in kanji;
 * - `{placeholder}` names of the fixed sentences are not numbers.
 * Everything else made of digits is a number; leading zeros do not count (04 = 4). Month names written as words
 * ("April") carry no number, so a translation writes dates with digits.
 */

export type NumberKind = 'url' | 'phone' | 'number';

export interface NumberToken {
  kind: NumberKind;
  /** What is compared: the URL, the phone number, or the number in plain digits (2000, 48.8, 2008). */
  value: string;
  /** The text it was read from, for messages (「平成20年」「1万5千」「午後6時」). */
  raw: string;
  /** Position in the NFKC-normalised text, to tell which tokens stand side by side. */
  at: number;
  /** Read from an era year (平成20 → 2008): merged with the same Western year written beside it. */
  era?: boolean;
}

const ERAS: Record<string, number> = { 令和: 2018, reiwa: 2018, 平成: 1988, heisei: 1988, 昭和: 1925, showa: 1925, shōwa: 1925 };
const KANJI_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 億: 1e8, 万: 1e4, 千: 1e3 };
const KANJI_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

const URL_RE = /https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'*+,;=%]+/g;
const PHONE_RE = /(?<![\d-])(?:0\d{1,4}-\d{1,4}-\d{3,4}|#\d{3,4})(?![\d-])/g;
const PLACEHOLDER_RE = /\{[A-Za-z_][A-Za-z0-9_]*\}/g;
const ERA_RE = /(令和|平成|昭和|Reiwa|Heisei|Sh[oō]wa)\s*(元|\d{1,2})(?:\s*[〜~\-–—]\s*(\d{1,2}))?/gi;
/** Kanji numerals are read only where our texts use them as numbers: an address's 丁目 and an amount of 円 (千円未満). */
const KANJI_NUMBER_RE = /(?<![0-9何数])([一二三四五六七八九十百千万]+)(?=丁目|円)/g;
const AMOUNT_RE = /\d[\d,]*(?:\.\d+)?[億万千](?:\d[\d,]*(?:\.\d+)?[万千])*(?:\d+(?![\d.,]))?/g;
const PERCENT_RE = /(\d+(?:\.\d+)?)\s*(?:割|成|わり)/g;
/** Afternoon markers before the hour (Japanese, Chinese) and after it (English, Vietnamese). */
const PM_BEFORE_RE = /(?:午後|ごご|下午|晚上|傍晚)\s*(\d{1,2})(?=\s*(?:時|じ|点|:))/g;
const PM_AFTER_RE = /(\d{1,2})(?::(\d{2}))?\s*(?:p\.\s?m\.?|pm\b)/gi;
const PM_VI_RE = /(\d{1,2})\s*(?:giờ|h)\s*(?:(\d{1,2})\s*(?:phút)?\s*)?(?:chiều|tối)/gi;
const CLOCK_RE = /(?<![\d.,])(\d{1,2}):(\d{2})(?![\d])/g;
const NUMBER_RE = /\d+(?:[.,]\d+)*/g;

/** The text every reading starts from: full-width forms folded, hyphen look-alikes as hyphens. */
export const normaliseForNumbers = (text: string) => text.normalize('NFKC').replace(/[\u2010\u2011\u2212]/g, '-');

/** Plain digits: no leading zeros, no trailing decimal zeros (04 → 4, 37.50 → 37.5). */
function plain(n: number): string {
  const s = (Math.round(n * 1e6) / 1e6).toString();
  return s;
}

/** One run of digits with separators: thousands grouping, a decimal, or several numbers (2026.4.1). */
function readDigits(run: string): string[] {
  const seps = run.match(/[.,]/g) ?? [];
  if (!seps.length) return [plain(Number(run))];
  const groups = run.split(/[.,]/);
  const sameSep = seps.every((s) => s === seps[0]);
  if (sameSep && groups[0]!.length <= 3 && groups.slice(1).every((g) => g.length === 3)) return [plain(Number(groups.join('')))];
  if (seps.length === 1) return [plain(Number(`${groups[0]}.${groups[1]}`))];
  // Two kinds of separator: the last one is the decimal mark, the others group thousands (1,000.5 / 1.000,5).
  const last = seps[seps.length - 1]!;
  if (!sameSep && seps.slice(0, -1).every((s) => s !== last)) {
    const i = run.lastIndexOf(last);
    return [plain(Number(`${run.slice(0, i).replace(/[.,]/g, '')}.${run.slice(i + 1)}`))];
  }
  return groups.map((g) => plain(Number(g)));
}

const digitsValue = (s: string) => Number(readDigits(s.replace(/\s/g, ''))[0]);

function amount(raw: string): number {
  let total = 0;
  let rest = raw.replace(/\s/g, '');
  for (const m of rest.matchAll(/(\d[\d,]*(?:\.\d+)?)([億万千])/g)) total += digitsValue(m[1]!) * UNITS[m[2]!]!;
  rest = rest.replace(/\d[\d,]*(?:\.\d+)?[億万千]/g, '');
  if (rest) total += Number(rest);
  return total;
}

/**
 * Every URL, phone number and number of `text`, in order. The readings above run from the most specific to the
 * plainest, each masking what it read so that no digit is counted twice.
 */
export function extractNumbers(text: string): NumberToken[] {
  const norm = normaliseForNumbers(text).replace(PLACEHOLDER_RE, (m) => ' '.repeat(m.length));
  let s = norm;
  const out: NumberToken[] = [];
  const take = (re: RegExp, read: (m: RegExpMatchArray) => Omit<NumberToken, 'at' | 'raw'>[]) => {
    for (const m of [...s.matchAll(re)]) {
      const at = m.index!;
      for (const t of read(m)) out.push({ ...t, raw: m[0].trim(), at });
      // Masked with as many spaces, so that positions stay those of `norm`.
      s = s.slice(0, at) + ' '.repeat(m[0].length) + s.slice(at + m[0].length);
    }
  };
  const num = (value: string) => ({ kind: 'number' as const, value });
  take(URL_RE, (m) => [{ kind: 'url', value: m[0].replace(/[.,;:!?\]]+$/, '') }]);
  take(PHONE_RE, (m) => [{ kind: 'phone', value: m[0] }]);
  take(ERA_RE, (m) => {
    const base = ERAS[m[1]!.toLowerCase()]!;
    const years = [m[2] === '元' ? 1 : Number(m[2]), ...(m[3] ? [Number(m[3])] : [])];
    return years.map((y) => ({ ...num(String(base + y)), era: true }));
  });
  take(KANJI_NUMBER_RE, (m) => [num(String(kanjiNumber(m[1]!)))]);
  take(AMOUNT_RE, (m) => [num(plain(amount(m[0])))]);
  take(PERCENT_RE, (m) => [num(plain(digitsValue(m[1]!) * 10))]);
  const afternoon = (h: string) => String(Number(h) < 12 ? Number(h) + 12 : Number(h));
  // ":00" and 「00分」 add no number: 18:00 is 18 like 18時; 8:30 is 8 and 30 like 8時30分.
  const minutes = (min: string | undefined) => (min && Number(min) !== 0 ? [num(plain(Number(min)))] : []);
  take(PM_BEFORE_RE, (m) => [num(afternoon(m[1]!))]);
  take(PM_AFTER_RE, (m) => [num(afternoon(m[1]!)), ...minutes(m[2])]);
  take(PM_VI_RE, (m) => [num(afternoon(m[1]!)), ...minutes(m[2])]);
  take(CLOCK_RE, (m) => [num(plain(Number(m[1]))), ...minutes(m[2])]);
  take(NUMBER_RE, (m) => readDigits(m[0]).map(num));
  out.sort((a, b) => a.at - b.at);
  return mergeEraWithWesternYear(out, s, norm);
}

/** 二 → 2, 二十三 → 23, 千 → 1000, 一万五千 → 15000 (南二丁目, 千円未満). */
function kanjiNumber(k: string): number {
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const c of k) {
    if (c in KANJI_DIGITS) digit = KANJI_DIGITS[c]!;
    else if (c === '万') {
      total += (section + digit || 1) * 1e4;
      section = digit = 0;
    } else {
      section += (digit || 1) * KANJI_UNITS[c]!;
      digit = 0;
    }
  }
  return total + section + digit;
}

/**
 * 令和7年（2025年） is one year, not two: an era year (or an era range, 平成27〜31年度) and the same Western years
 * written right beside it (before or after, with only brackets, 年度, 「・」, a range mark or "fiscal year" between) count once:
 * 「第3期（令和7〜11年度・2025〜2029年度）」 (support-plan overview) is two years, not four.
 */
function mergeEraWithWesternYear(tokens: NumberToken[], masked: string, norm: string): NumberToken[] {
  const dropped = new Set<NumberToken>();
  const onlySeparators = (from: number, to: number) => /^(?:[\s()[\]、・,年度〜~\-–—]|fiscal|year|năm|FY)*$/i.test(masked.slice(from, to));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.era || (i > 0 && tokens[i - 1]!.era && tokens[i - 1]!.at === t.at)) continue;
    let n = 1;
    while (tokens[i + n]?.era && tokens[i + n]!.at === t.at) n++;
    const group = tokens.slice(i, i + n);
    const sameYears = (others: NumberToken[]) =>
      others.length === n && others.every((o, k) => !o.era && o.kind === 'number' && o.value === group[k]!.value && !dropped.has(o));
    const after = tokens.slice(i + n, i + 2 * n);
    const before = tokens.slice(Math.max(0, i - n), i);
    const [western, first, last] = sameYears(after) && onlySeparators(t.at, after[n - 1]!.at)
      ? [after, t, after[n - 1]!]
      : sameYears(before) && onlySeparators(before[0]!.at, t.at)
        ? [before, before[0]!, t]
        : [[], t, t];
    if (!western.length) continue;
    for (const o of western) dropped.add(o);
    const raw = norm.slice(first.at, last.at + last.raw.length).trim();
    for (const g of group) g.raw = raw;
  }
  return tokens.filter((t) => !dropped.has(t));
}

export interface NumberDifference {
  /** In the Japanese, not in the translation (as many times as they are short). */
  missing: NumberToken[];
  /** In the translation, not in the Japanese. */
  extra: NumberToken[];
}

const key = (t: NumberToken) => `${t.kind}\u0000${t.value}`;

/** The two texts' numbers as multisets: what the translation lacks and what it adds. Empty lists: the same numbers. */
export function compareNumbers(japanese: string, translation: string): NumberDifference {
  const ja = extractNumbers(japanese);
  const tr = extractNumbers(translation);
  const left = new Map<string, NumberToken[]>();
  for (const t of ja) left.set(key(t), [...(left.get(key(t)) ?? []), t]);
  const extra: NumberToken[] = [];
  for (const t of tr) {
    const same = left.get(key(t));
    if (same?.length) same.shift();
    else extra.push(t);
  }
  return { missing: [...left.values()].flat().sort((a, b) => a.at - b.at), extra };
}

/** 「2008（平成20年）」「0865-69-2132」: how a token is named to staff. */
export function describeToken(t: NumberToken): string {
  const raw = t.raw.replace(/\s+/g, ' ');
  return raw === t.value ? `「${raw}」` : `「${raw}」(${t.value})`;
}
