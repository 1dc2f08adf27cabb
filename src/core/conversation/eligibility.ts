import type { KnowledgeBase } from '../knowledge/load.js';
import { type Condition, type KnowledgeEntry, type Need } from '../knowledge/schema.js';
import { fill, JA_COPY, lookupIn, type CopyLookup } from './copy/ja.js';
import { parseAge, type AgeSpan } from '../nlp/ages.js';
import type { FamilyFacts } from './facts.js';

export type Fit = 'fits' | 'maybe' | 'no';

/** How one service fits one family, and the one line that says why. */
export interface Assessment {
  intent: string;
  fit: Fit;
  /** The child the answer is about (the best-fitting one when several were named). */
  child?: AgeSpan;
  ageFit?: Fit;
  /** Required conditions the family has stated. */
  met: Condition[];
  /** Required conditions not stated: to be confirmed, never assumed. */
  unknown: Condition[];
  /** Conditions the service especially suits that the family has stated. */
  suited: Condition[];
  reason: string;
}

const RANK: Record<Fit, number> = { fits: 2, maybe: 1, no: 0 };

/**
 * The words a reason is written with: the fixed sentences of a language (`eligibility.*` and `ages.*` of the copy),
 * how an age written in Japanese (「小6」「生後2か月」) reads in it, and an entry's 「what to confirm」 in it. The Japanese
 * words write every reason exactly as the knowledge base's ages are written.
 */
export interface ReasonWords {
  t: CopyLookup;
  age: (label: string) => string;
  confirm: (entry: KnowledgeEntry) => string | undefined;
}

export const JA_REASON_WORDS: ReasonWords = { t: lookupIn(JA_COPY), age: (label) => label, confirm: (entry) => entry.eligibility?.confirm };

interface AgeRange {
  min: number;
  max: number;
  schoolMin?: number;
  schoolMax?: number;
  from: string;
  to: string;
}

// Entries do not change once loaded (a publish builds new ones), so each entry's ages are read once, not per message.
const ranges = new WeakMap<KnowledgeEntry, AgeRange | undefined>();

export function ageRange(entry: KnowledgeEntry): AgeRange | undefined {
  if (!ranges.has(entry)) ranges.set(entry, readAgeRange(entry));
  return ranges.get(entry);
}

function readAgeRange(entry: KnowledgeEntry): AgeRange | undefined {
  const age = entry.eligibility?.age;
  if (!age) return undefined;
  const from = parseAge(age.from);
  const to = parseAge(age.to);
  if (!from || !to) return undefined;
  return {
    min: from.min,
    max: to.max,
    ...(from.schoolMin !== undefined ? { schoolMin: from.schoolMin } : {}),
    ...(to.schoolMax !== undefined ? { schoolMax: to.schoolMax } : {}),
    from: age.from,
    to: age.to,
  };
}

function within(lo: number, hi: number, min: number, max: number): Fit {
  if (hi < min || lo > max) return 'no';
  return lo >= min && hi <= max ? 'fits' : 'maybe';
}

function fitAge(child: AgeSpan, range: AgeRange): Fit {
  // A school stage against a range bounded by a school stage: compare school years (小1 is never 就学前).
  if (child.schoolMin !== undefined && child.schoolMax !== undefined && (range.schoolMin !== undefined || range.schoolMax !== undefined))
    return within(child.schoolMin, child.schoolMax, range.schoolMin ?? -Infinity, range.schoolMax ?? Infinity);
  return within(child.min, child.max, range.min, range.max);
}

export function assess(entry: KnowledgeEntry, facts: FamilyFacts | undefined, words: ReasonWords = JA_REASON_WORDS): Assessment | undefined {
  const el = entry.eligibility;
  if (!el) return undefined;
  const have = new Set(facts?.conditions ?? []);
  const met = el.requires.filter((c) => have.has(c));
  const unknown = el.requires.filter((c) => !have.has(c));
  const suited = el.suits.filter((c) => have.has(c));
  const range = ageRange(entry);
  let child: AgeSpan | undefined;
  let ageFit: Fit | undefined;
  if (range)
    for (const c of facts?.children ?? []) {
      const f = fitAge(c, range);
      if (ageFit === undefined || RANK[f] > RANK[ageFit]) [child, ageFit] = [c, f];
    }
  const fit: Fit = ageFit === 'no' ? 'no' : ageFit === 'maybe' || unknown.length || el.confirm ? 'maybe' : 'fits';
  const base = { intent: entry.id, fit, met, unknown, suited, ...(child ? { child } : {}), ...(ageFit ? { ageFit } : {}) };
  return { ...base, reason: reasonLine(entry, base, range, words) };
}

function reasonLine(entry: KnowledgeEntry, a: Omit<Assessment, 'reason'>, range: AgeRange | undefined, w: ReasonWords): string {
  const el = entry.eligibility!;
  const t = (key: string, values: Record<string, string> = {}) => fill(w.t(`eligibility.${key}`), values);
  const rangeText = range ? (range.from === range.to ? w.age(range.from) : fill(w.t('ages.range'), { from: w.age(range.from), to: w.age(range.to) })) : '';
  if (a.ageFit === 'no') return t('notFor', { range: rangeText, child: w.age(a.child!.label) });
  const conditions = [...a.met, ...a.suited].map((c) => t(`reasons.${c}`));
  const age = a.ageFit === 'fits' ? w.age(a.child!.label) : undefined;
  const listed = conditions.join(t('conditionSeparator'));
  const because = age && conditions.length ? t('ageAnd', { age, conditions: listed }) : (age ?? listed);
  // 「2歳のため」 but 「発達に心配があるため」: a Japanese clause ending in a verb takes ため without の.
  const lead = because ? t(/る$/.test(because) ? 'becauseClause' : 'because', { because }) : t('forNeed', { need: w.t(`labels.needs.${el.needs[0]!}`) });
  const confirm = w.confirm(entry);
  const checks = [
    ...(a.ageFit === 'maybe' ? [t('rangeIs', { range: rangeText })] : []),
    ...(a.unknown.length ? [t('required', { requirements: a.unknown.map((c) => t(`requirements.${c}`)).join(t('requirementSeparator')) })] : []),
    ...(confirm ? [t('confirm', { confirm })] : []),
  ];
  return checks.length ? t('withChecks', { lead, checks: checks.join(t('checkSeparator')) }) : lead;
}

export interface Profile {
  facts: FamilyFacts;
  needs: Need[];
}

/** Services that fit a family, best first: what they need, then how surely they qualify, then how well it suits. */
export function recommend(kb: KnowledgeBase, profile: Profile, limit = 5, words: ReasonWords = JA_REASON_WORDS): Assessment[] {
  const scored: { a: Assessment; score: number }[] = [];
  for (const entry of kb.entries.values()) {
    const el = entry.eligibility;
    if (!el || !el.recommend) continue;
    const needRank = profile.needs.length ? Math.min(...profile.needs.map((n) => (el.needs.indexOf(n) === -1 ? 9 : el.needs.indexOf(n)))) : 0;
    if (needRank === 9) continue;
    const a = assess(entry, profile.facts, words)!;
    const range = ageRange(entry);
    if (a.fit === 'no') continue;
    // What they need first; then how surely they qualify (a requirement they told us they meet counts most);
    // then how closely the service is made for them.
    const score =
      (needRank === 0 ? 3 : 2) +
      3 -
      (a.ageFit === 'maybe' ? 1.5 : 0) -
      a.unknown.length -
      (el.confirm ? 0.3 : 0) +
      (a.ageFit === 'fits' ? 1 : 0) +
      // A service made for exactly this age (赤ちゃん訪問 for a 2-month-old) beats one for every age.
      (a.ageFit === 'fits' && range ? 1.5 * (1 - Math.min(1, (range.max - range.min) / 228)) : 0) +
      a.met.length * 3 +
      a.suited.length * 0.8;
    scored.push({ a, score });
  }
  // Ties go to the catalog's order, which lists the basic service before its extensions (入園 before 延長保育).
  const order = new Map(kb.catalog.map((c, i) => [c.id, i]));
  return scored
    .sort((x, y) => y.score - x.score || (order.get(x.a.intent) ?? 99) - (order.get(y.a.intent) ?? 99))
    .slice(0, limit)
    .map((s) => s.a);
}
