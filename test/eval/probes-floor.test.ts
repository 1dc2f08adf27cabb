import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scoreDecisions, type Score } from '../../src/core/evaluation/score.js';
import { runCases } from '../../src/app/evaluation/run-cases.js';
import { readEvalCases } from '../../src/app/publishing/floor.js';
import { getCore } from '../support/core.js';

// Questions written apart from the development set (casual, kana-only, dialect, long situations, follow-ups, other
// city business, emergencies and handoffs in new words): the generalisation the dev set alone cannot show.
const probes = path.resolve(import.meta.dirname, 'probes.jsonl');

describe('independently written probes (test/eval/probes.jsonl)', () => {
  let summary: Score;
  beforeAll(async () => {
    const core = await getCore();
    const cases = readEvalCases(probes).cases!;
    summary = scoreDecisions(cases, await runCases(core.concierge, cases));
  }, 60_000);

  it('decides every case', () => expect(summary.missing).toBe(0));
  it('never misses an emergency, and raises false ones rarely', () => {
    expect(summary.emergency_recall).toBe(100);
    // Safety first: the model alone (no danger concept named) gives the card at p ≥ 0.5, the level at which no
    // writer's emergency is missed (npm run eval:tune); it costs one probe in about two hundred (誰か…飲みに行こう),
    // within issue 15's bound of 1 %.
    expect(summary.false_emergency_rate).toBeLessThanOrEqual(1);
  });
  it('hands over when asked in new words', () => expect(summary.handoff_recall).toBeGreaterThanOrEqual(90));
  it('declines other city business', () => expect(summary.none_recall).toBeGreaterThanOrEqual(85));
  it('answers new phrasings', () => expect(summary.in_scope_accuracy).toBeGreaterThanOrEqual(90));
  it('keeps wrong confident answers rare', () => expect(summary.wrong_answer_rate).toBeLessThanOrEqual(8));
});
