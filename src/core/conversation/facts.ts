import { z } from 'zod';
import { Condition } from '../knowledge/schema.js';
import { AgeSpan, extractAges } from '../nlp/ages.js';

export { extractAges, parseAge } from '../nlp/ages.js';

/**
 * Facts a family states about itself, read from free text: children's ages, whether the parents work, single
 * parenthood, island residence, a sick child or a worry about development. Only what was said is kept — nothing is
 * inferred — and it is used for the rest of the conversation (eligibility, the guided consultation, the staff's
 * summary card).
 */

export const FamilyFacts = z.object({
  children: z.array(AgeSpan).optional(),
  conditions: z.array(Condition).optional(),
  /** An island of Kasaoka, or 島しょ部 when only 「島」 was said. */
  area: z.string().optional(),
});
export type FamilyFacts = z.infer<typeof FamilyFacts>;

// The inhabited islands of Kasaoka (笠岡諸島).
const ISLANDS = ['北木島', '白石島', '真鍋島', '大飛島', '小飛島', '飛島', '六島', '高島'];
const ISLAND_RE = new RegExp(`(${ISLANDS.join('|')}|(?<![\\p{Script=Han}])島(?=に住|住まい|在住|じゃ|から|で暮|の人))`, 'u');

const CONDITION_RULES: [Condition, RegExp][] = [
  [
    'working',
    /共働き|共ばたらき|働いて|働いと|はたらいて|仕事(?:を)?して|仕事しと|仕事が|仕事に|仕事休め|仕事の間|仕事中|仕事の日|パート|フルタイム|勤務|就労|会社員|復職|職場復帰|仕事復帰/,
  ],
  ['single_parent', /ひとり親|一人親|シングル(?:マザー|ファーザー)?|母子家庭|父子家庭|離婚して|ひとりで育て|一人で育て/],
  ['sick_child', /熱(?:が|を)?出|発熱|病気|インフル|胃腸炎|水ぼうそう|回復期|病み上がり/],
  ['development', /発達|ことばが遅|言葉が遅|障がい|障害|療育|自閉/],
];

export function extractFacts(text: string): FamilyFacts {
  const t = text.normalize('NFKC');
  const facts: FamilyFacts = {};
  const children = extractAges(t);
  if (children.length) facts.children = children;
  const conditions: Condition[] = CONDITION_RULES.filter(([, re]) => re.test(t)).map(([c]) => c);
  const island = ISLAND_RE.exec(t);
  if (island) {
    facts.area = island[1] === '島' ? '島しょ部' : island[1];
    conditions.push('island');
  }
  if (conditions.length) facts.conditions = conditions;
  return facts;
}

/**
 * Later statements refine earlier ones: new ages replace the old list (「上の子は小1です」 after 「2歳」 names another
 * child, so both are kept when the message is about another child), conditions accumulate.
 */
export function mergeFacts(before: FamilyFacts | undefined, said: FamilyFacts, opts: { anotherChild?: boolean } = {}): FamilyFacts {
  const out: FamilyFacts = { ...before };
  if (said.children?.length) out.children = boundedChildren(opts.anotherChild ? [...(before?.children ?? []), ...said.children] : said.children);
  if (said.conditions?.length) out.conditions = [...new Set([...(before?.conditions ?? []), ...said.conditions])];
  if (said.area) out.area = said.area;
  return out;
}

/**
 * Each age once, the latest few: a family has a handful of children, and a message repeating 「1歳 1歳 1歳 …」 must not
 * grow the stored state (and every later decision) without bound.
 */
export const MAX_CHILDREN = 8;
function boundedChildren(children: AgeSpan[]): AgeSpan[] {
  const seen = new Set<string>();
  const unique = children.filter((c) => (seen.has(c.label) ? false : (seen.add(c.label), true)));
  return unique.slice(-MAX_CHILDREN);
}

/** 「2歳・0歳」 for the staff summary. */
export const describeChildren = (facts: FamilyFacts | undefined) => facts?.children?.map((c) => c.label).join('・') || undefined;
