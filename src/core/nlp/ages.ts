import { z } from 'zod';

/** An age as a span of months since birth; pregnancy is before birth (negative months). */
export const AgeSpan = z.object({
  /** As the parent put it, normalised: 「2歳」「生後3か月」「小3」「年中」「妊娠中」. */
  label: z.string(),
  min: z.number().int(),
  max: z.number().int(),
  /**
   * School years (年少 -3, 年中 -2, 年長 -1, 小1 1 … 中3 9, 高3 12) when the age was given as a stage. Stages are
   * compared by school year, not by months: a 6-year-old may be in 年長 or in 小1, but 小1 is never 就学前.
   */
  schoolMin: z.number().int().optional(),
  schoolMax: z.number().int().optional(),
});
export type AgeSpan = z.infer<typeof AgeSpan>;

export const PREGNANCY: AgeSpan = { label: '妊娠中', min: -10, max: -1 };
const years = (label: string, y: number): AgeSpan => ({ label, min: y * 12, max: y * 12 + 11 });
const months = (label: string, m: number): AgeSpan => ({ label, min: m, max: m });
// School years start in April: a first-year pupil is 6 at the start of the year and 7 at its end.
const grade = (label: string, firstYearAge: number, n: number, offset: number): AgeSpan => ({
  label,
  min: (firstYearAge + n - 1) * 12,
  max: (firstYearAge + n) * 12 + 11,
  schoolMin: offset + n,
  schoolMax: offset + n,
});
const span = (label: string, min: number, max: number, school?: [number | undefined, number | undefined]): AgeSpan => ({
  label,
  min,
  max,
  ...(school?.[0] !== undefined ? { schoolMin: school[0] } : {}),
  ...(school?.[1] !== undefined ? { schoolMax: school[1] } : {}),
});

const KANJI_DIGITS: Record<string, string> = { 〇: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };
/** NFKC, and 「三歳」「十か月」 with kanji numerals read as digits (up to 19). */
function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/十([一二三四五六七八九])?(?=\s*(歳|才|か月|ヶ月|カ月|ケ月|週|年生))/g, (_, d: string | undefined) => `1${d ? KANJI_DIGITS[d] : '0'}`)
    .replace(/([〇一二三四五六七八九])(?=\s*(歳|才|か月|ヶ月|カ月|ケ月|週|年生|年))/g, (d: string) => KANJI_DIGITS[d]!)
    .replace(/([小中高])([一二三四五六])(?![年])/g, (_, s: string, d: string) => s + KANJI_DIGITS[d]!);
}

const MONTHS = '(?:か月|ヶ月|カ月|ケ月|ヵ月|箇月)';
/** Age expressions, most specific first. Each match consumes its text so it is not read twice. */
const AGE_RULES: [RegExp, (m: RegExpExecArray) => AgeSpan][] = [
  [/妊娠\s*(\d{1,2})\s*週(目)?/g, (m) => ({ ...PREGNANCY, label: `妊娠${m[1]}週` })],
  [new RegExp(`妊娠\\s*(\\d{1,2})\\s*${MONTHS}`, 'g'), (m) => ({ ...PREGNANCY, label: `妊娠${m[1]}か月` })],
  [/妊娠中|妊婦|(?:来月|今月|もうすぐ|来年|[0-9]{1,2}月に?)\s*(?:生まれ|産まれ|出産)|出産予定|妊娠しています|妊娠して(?:る|いる)/g, () => PREGNANCY],
  [new RegExp(`生後\\s*(\\d{1,2})\\s*${MONTHS}`, 'g'), (m) => months(`生後${m[1]}か月`, Number(m[1]))],
  [/生後\s*(\d{1,3})\s*(日|週間?)/g, (m) => months(`生後${m[1]}${m[2]!.startsWith('週') ? '週' : '日'}`, 0)],
  [new RegExp(`(\\d{1,2})\\s*(?:歳|才)\\s*(\\d{1,2})\\s*${MONTHS}`, 'g'), (m) => months(`${m[1]}歳${m[2]}か月`, Number(m[1]) * 12 + Number(m[2]))],
  [/(\d{1,2})\s*(?:歳|才)\s*半/g, (m) => span(`${m[1]}歳半`, Number(m[1]) * 12 + 6, Number(m[1]) * 12 + 11)],
  [/(\d{1,2})\s*(?:歳|才)(?!\s*(?:以上|以下|未満|から|まで|児健診|健診|半健診))/g, (m) => years(`${m[1]}歳`, Number(m[1]))],
  [
    new RegExp(`(\\d{1,2})\\s*${MONTHS}(?!\\s*(?:後|前|間|以内|ごと|おき|毎|に\\s*\\d))(?:\\s*(?:の|に|で|です|になる|になった|児)|\\s*$)`, 'g'),
    (m) => months(`${m[1]}か月`, Number(m[1])),
  ],
  [/小学\s*(?:校)?\s*(\d)\s*年生?|小\s*(\d)(?!\d)/g, (m) => grade(`小${m[1] ?? m[2]}`, 6, Number(m[1] ?? m[2]), 0)],
  [/中学\s*(?:校)?\s*(\d)\s*年生?|中\s*(\d)(?!\d)/g, (m) => grade(`中${m[1] ?? m[2]}`, 12, Number(m[1] ?? m[2]), 6)],
  [/高校\s*(\d)\s*年生?|高\s*(\d)(?!\d)/g, (m) => grade(`高${m[1] ?? m[2]}`, 15, Number(m[1] ?? m[2]), 9)],
  [/小学生/g, () => span('小学生', 72, 155, [1, 6])],
  [/中学生/g, () => span('中学生', 144, 191, [7, 9])],
  [/高校生/g, () => span('高校生', 180, 227, [10, 12])],
  [/年少/g, () => span('年少', 36, 59, [-3, -3])],
  [/年中(?!無休)/g, () => span('年中', 48, 71, [-2, -2])],
  [/年長/g, () => span('年長', 60, 83, [-1, -1])],
  [/新生児|生まれたばかり|産まれたばかり/g, () => months('新生児', 0)],
  [/乳児|赤ちゃん|あかちゃん/g, () => span('乳児', 0, 11)],
  [/未就学|就学前/g, () => span('就学前', 0, 83, [undefined, -1])],
];

/** Every age mentioned, in the order written. */
export function extractAges(text: string): AgeSpan[] {
  let t = normalise(text);
  const found: { at: number; age: AgeSpan }[] = [];
  for (const [re, make] of AGE_RULES) {
    re.lastIndex = 0;
    t = t.replace(re, (...args) => {
      const m = args.slice(0, -2) as unknown as RegExpExecArray;
      found.push({ at: args.at(-2) as number, age: make(m) });
      return '□'.repeat((args[0] as string).length);
    });
  }
  const ages = found.sort((a, b) => a.at - b.at).map((f) => f.age);
  // 「赤ちゃん」 next to a precise age (「生後3か月の赤ちゃん」) adds nothing.
  return ages.length > 1 ? ages.filter((a, i) => a.label !== '乳児' || !ages.some((b, j) => j !== i && b.max <= 11)) : ages;
}

/** Reads an age written by staff in the knowledge base (「0歳」「小6」「妊娠中」「就学前」); undefined when unreadable. */
export function parseAge(text: string): AgeSpan | undefined {
  const [age] = extractAges(text);
  return age;
}
