import { fill, type CopyLookup } from './copy/ja.js';

/**
 * An age as the knowledge base and the family write it in Japanese (the labels of src/core/nlp/ages.ts and of the
 * guided consultation's buttons: 「小6」「生後2か月」「3歳〜就学前」), in the words of a language's `ages.*` copy. A label
 * of no known form stays as written (the test of Japanese left in replies finds it).
 */
const FORMS: [RegExp, (m: RegExpExecArray, t: CopyLookup) => string][] = [
  [/^妊娠中$/, (_, t) => t('ages.pregnant')],
  [/^妊娠(\d+)週$/, (m, t) => fill(t('ages.pregnantWeeks'), { n: m[1]! })],
  [/^妊娠(\d+)か月$/, (m, t) => fill(t('ages.pregnantMonths'), { n: m[1]! })],
  [/^新生児$/, (_, t) => t('ages.newborn')],
  [/^乳児$/, (_, t) => t('ages.infant')],
  [/^生後(\d+)日$/, (m, t) => fill(t('ages.days'), { n: m[1]! })],
  [/^生後(\d+)週$/, (m, t) => fill(t('ages.weeks'), { n: m[1]! })],
  [/^(?:生後)?1か月$/, (_, t) => t('ages.oneMonth')],
  [/^(?:生後)?(\d+)か月$/, (m, t) => fill(t('ages.months'), { n: m[1]! })],
  [/^(\d+)歳(\d+)か月$/, (m, t) => fill(t('ages.yearsMonths'), { y: m[1]!, m: m[2]! })],
  [/^(\d+)歳半$/, (m, t) => fill(t('ages.yearsHalf'), { n: m[1]! })],
  [/^(\d+)歳$/, (m, t) => fill(t('ages.years'), { n: m[1]! })],
  [/^年少$/, (_, t) => t('ages.nurseryFirst')],
  [/^年中$/, (_, t) => t('ages.nurserySecond')],
  [/^年長$/, (_, t) => t('ages.nurseryLast')],
  [/^就学前$/, (_, t) => t('ages.preschool')],
  [/^小(\d)$/, (m, t) => fill(t('ages.elementaryYear'), { n: m[1]! })],
  [/^中(\d)$/, (m, t) => fill(t('ages.juniorHighYear'), { n: m[1]! })],
  [/^高(\d)$/, (m, t) => fill(t('ages.highSchoolYear'), { n: m[1]! })],
  [/^小学生$/, (_, t) => t('ages.elementary')],
  [/^中学生$/, (_, t) => t('ages.juniorHigh')],
  [/^高校生$/, (_, t) => t('ages.highSchool')],
  [/^中学生以上$/, (_, t) => t('ages.juniorHighAndUp')],
];

export function ageIn(t: CopyLookup, label: string): string {
  for (const [re, write] of FORMS) {
    const m = re.exec(label);
    if (m) return write(m, t);
  }
  // A span (「0〜2歳」「3歳〜就学前」): each end on its own, the unit of 「0〜2歳」 shared by both ends.
  const span = /^(.+?)〜(.+)$/.exec(label);
  if (span) {
    const unit = /^\d+$/.test(span[1]!) ? (/\D+$/.exec(span[2]!)?.[0] ?? '') : '';
    const [from, to] = [ageIn(t, span[1]! + unit), ageIn(t, span[2]!)];
    return fill(t('ages.range'), { from, to });
  }
  return label;
}
