import type { KnowledgeBase } from '../knowledge/load.js';
import { NEED_LABELS, type Condition, type KnowledgeEntry, type Need } from '../knowledge/schema.js';
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

/** A condition as the reason a service fits. */
const REASON_FORMS: Record<Condition, string> = {
  working: '保護者が就労中',
  single_parent: 'ひとり親家庭',
  island: '島にお住まい',
  sick_child: 'お子さんが病気・回復期',
  development: '発達に心配がある',
};

/** What a requirement means when it must be confirmed. */
const REQUIREMENT_TEXT: Record<Condition, string> = {
  working: '保護者の就労など（家で保育できない理由）',
  single_parent: 'ひとり親家庭であること',
  island: '島にお住まいであること',
  sick_child: 'お子さんが病気・回復期であること',
  development: '発達についての支援が必要なこと',
};

interface AgeRange {
  min: number;
  max: number;
  schoolMin?: number;
  schoolMax?: number;
  text: string;
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
    text: age.from === age.to ? age.from : `${age.from}〜${age.to}`,
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

export function assess(entry: KnowledgeEntry, facts: FamilyFacts | undefined): Assessment | undefined {
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
  return { ...base, reason: reasonLine(entry, base, range?.text) };
}

function reasonLine(entry: KnowledgeEntry, a: Omit<Assessment, 'reason'>, rangeText: string | undefined): string {
  const el = entry.eligibility!;
  if (a.ageFit === 'no') return `対象は${rangeText}のため、${a.child!.label}のお子さんは対象になりません`;
  const conditions = [...a.met, ...a.suited].map((c) => REASON_FORMS[c]);
  const age = a.ageFit === 'fits' ? a.child!.label : undefined;
  const because = age && conditions.length ? `${age}で、${conditions.join('、')}` : (age ?? conditions.join('、'));
  // 「2歳のため」 but 「発達に心配があるため」: a clause ending in a verb takes ため without の.
  const lead = because ? `${because}${/る$/.test(because) ? 'ため' : 'のため'}対象です` : `「${NEED_LABELS[el.needs[0]!]}」に合うサービスです`;
  const checks = [
    ...(a.ageFit === 'maybe' ? [`対象は${rangeText}です`] : []),
    ...(a.unknown.length ? [`${a.unknown.map((c) => REQUIREMENT_TEXT[c]).join('・')}が条件です`] : []),
    ...(el.confirm ? [`${el.confirm}は子育て支援課にご確認ください`] : []),
  ];
  return checks.length ? `${lead}（${checks.join('。')}）` : lead;
}

export interface Profile {
  facts: FamilyFacts;
  needs: Need[];
}

/** Services that fit a family, best first: what they need, then how surely they qualify, then how well it suits. */
export function recommend(kb: KnowledgeBase, profile: Profile, limit = 5): Assessment[] {
  const scored: { a: Assessment; score: number }[] = [];
  for (const entry of kb.entries.values()) {
    const el = entry.eligibility;
    if (!el || !el.recommend) continue;
    const needRank = profile.needs.length ? Math.min(...profile.needs.map((n) => (el.needs.indexOf(n) === -1 ? 9 : el.needs.indexOf(n)))) : 0;
    if (needRank === 9) continue;
    const a = assess(entry, profile.facts)!;
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
