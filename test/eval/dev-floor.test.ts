import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scoreDecisions, type Score } from '../../src/core/evaluation/score.js';
import { runCases } from '../../src/app/evaluation/run-cases.js';
import { readEvalCases } from '../../src/app/publishing/floor.js';
import { getCore } from '../support/core.js';

// The repository's copy of the development set (training/dev.jsonl, unchanged from ../shared/eval), scored in
// process by the same counting as ../shared/eval/score.mjs (test/core/evaluation/score.test.ts holds the two equal).
const devSet = path.resolve(import.meta.dirname, '../../training/dev.jsonl');

describe('development set floor (training/dev.jsonl)', () => {
  let summary: Score;
  beforeAll(async () => {
    const core = await getCore();
    const cases = readEvalCases(devSet).cases!;
    summary = scoreDecisions(cases, await runCases(core.concierge, cases));
  }, 60_000);

  it('decides every case', () => expect(summary.missing).toBe(0));
  it('never misses an emergency', () => expect(summary.emergency_recall).toBe(100));
  it('raises no false emergency', () => expect(summary.false_emergency_rate).toBe(0));
  it('hands over when asked', () => expect(summary.handoff_recall).toBeGreaterThanOrEqual(90));
  it('does not answer what it should not', () => expect(summary.none_recall).toBeGreaterThanOrEqual(85));
  it('keeps wrong confident answers rare', () => expect(summary.wrong_answer_rate).toBeLessThanOrEqual(8));
  it('holds in-scope accuracy', () => expect(summary.in_scope_accuracy).toBeGreaterThanOrEqual(92));
  it('holds facet accuracy', () => expect(summary.facet_accuracy).toBeGreaterThanOrEqual(85));
});
