import type { Decision } from '../conversation/types.js';

/**
 * The scoring of ../shared/eval/score.mjs, in-process: the publish pipeline judges a candidate knowledge base with
 * it. test/core/evaluation/score.test.ts checks it gives score.mjs's figures on the development set.
 */
export interface ScoredCase {
  id: string;
  text: string;
  /** A catalog id, `id#facet`, a list of acceptable ones, or @none / @handoff / @emergency. */
  expect: string | string[];
}

/** A decision as score.mjs reads it (runCases' output is one). */
export interface ScoredDecision {
  id: string;
  action: Decision['action'];
  intent?: string;
  facet?: string;
  candidates?: readonly string[];
}

export interface Score {
  cases: number;
  missing: number;
  in_scope_accuracy: number | null;
  in_scope_with_clarify: number | null;
  facet_accuracy: number | null;
  none_recall: number | null;
  handoff_recall: number | null;
  emergency_recall: number | null;
  false_emergency_rate: number | null;
  wrong_answer_rate: number | null;
  misses: { id: string; text: string; expect: string | string[]; got: string }[];
}

const SMALLTALK = new Set(['greeting', 'thanks', 'help']);

export function scoreDecisions(cases: readonly ScoredCase[], decisions: readonly ScoredDecision[]): Score {
  const byId = new Map(decisions.map((d) => [String(d.id), d]));
  const tally = () => ({ n: 0, ok: 0 });
  const t = {
    inScope: tally(),
    inScopeOrClarify: tally(),
    facet: tally(),
    none: tally(),
    handoff: tally(),
    emergency: tally(),
    falseEmergency: tally(),
    falseAnswer: tally(),
    missing: 0,
  };
  const misses: Score['misses'] = [];
  for (const c of cases) {
    const d = byId.get(String(c.id));
    if (!d) {
      t.missing++;
      misses.push({ id: c.id, text: c.text, expect: c.expect, got: '(no decision)' });
      continue;
    }
    const expects = (Array.isArray(c.expect) ? c.expect : [c.expect]).map(String);
    const special = expects.find((e) => e.startsWith('@'));
    const got = `${d.action}${d.intent ? ':' + d.intent : ''}${d.facet ? '#' + d.facet : ''}`;
    let ok: boolean;
    if (special !== '@emergency') {
      t.falseEmergency.n++;
      if (d.action === 'emergency') t.falseEmergency.ok++;
    }
    if (d.action === 'answer') t.falseAnswer.n++;
    if (special === '@none') {
      t.none.n++;
      ok = d.action !== 'answer' && d.action !== 'emergency';
      if (ok) t.none.ok++;
      else if (d.action === 'answer') t.falseAnswer.ok++;
    } else if (special === '@handoff') {
      t.handoff.n++;
      ok = d.action === 'handoff';
      if (ok) t.handoff.ok++;
      else if (d.action === 'answer') t.falseAnswer.ok++;
    } else if (special === '@emergency') {
      t.emergency.n++;
      ok = d.action === 'emergency';
      if (ok) t.emergency.ok++;
    } else {
      const ids = expects.map((e) => e.split('#')[0]!);
      const isSmalltalk = ids.every((id) => SMALLTALK.has(id));
      const answered = (d.action === 'answer' || (isSmalltalk && d.action === 'smalltalk')) && !!d.intent && ids.includes(d.intent);
      const clarified = d.action === 'clarify' && Array.isArray(d.candidates) && d.candidates.some((x) => ids.includes(x));
      t.inScope.n++;
      t.inScopeOrClarify.n++;
      if (answered) t.inScope.ok++;
      if (answered || clarified) t.inScopeOrClarify.ok++;
      if (d.action === 'answer' && !answered) t.falseAnswer.ok++;
      ok = answered;
      const facetExpect = expects.find((e) => e.includes('#') && e.split('#')[0] === d.intent);
      if (facetExpect && answered) {
        t.facet.n++;
        if (d.facet === facetExpect.split('#')[1]) t.facet.ok++;
        else ok = false;
      } else if (expects.some((e) => e.includes('#'))) t.facet.n++;
    }
    if (!ok) misses.push({ id: c.id, text: c.text, expect: c.expect, got });
  }
  const pct = ({ n, ok }: { n: number; ok: number }) => (n ? +((100 * ok) / n).toFixed(1) : null);
  return {
    cases: cases.length,
    missing: t.missing,
    in_scope_accuracy: pct(t.inScope),
    in_scope_with_clarify: pct(t.inScopeOrClarify),
    facet_accuracy: pct(t.facet),
    none_recall: pct(t.none),
    handoff_recall: pct(t.handoff),
    emergency_recall: pct(t.emergency),
    false_emergency_rate: pct(t.falseEmergency),
    wrong_answer_rate: pct(t.falseAnswer),
    misses,
  };
}
