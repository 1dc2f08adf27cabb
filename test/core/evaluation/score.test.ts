import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreDecisions } from '../../../src/core/evaluation/score.js';
import { readEvalCases } from '../../../src/app/publishing/floor.js';

const devSet = path.resolve(import.meta.dirname, '../../../training/dev.jsonl');
const scorer = path.resolve(import.meta.dirname, '../../../../shared/eval/score.mjs');

describe('scoreDecisions', () => {
  it('counts like score.mjs on a small hand-made set', () => {
    const cases = [
      { id: '1', text: 'a', expect: 'sick-child-care#cost' },
      { id: '2', text: 'b', expect: '@none' },
      { id: '3', text: 'c', expect: '@emergency' },
      { id: '4', text: 'd', expect: ['greeting'] },
    ];
    const s = scoreDecisions(cases, [
      { id: '1', action: 'answer', intent: 'sick-child-care', facet: 'overview' },
      { id: '2', action: 'answer', intent: 'birth-money' },
      { id: '3', action: 'emergency' },
    ]);
    expect(s).toMatchObject({ missing: 1, in_scope_accuracy: 100, facet_accuracy: 0, none_recall: 0, emergency_recall: 100, wrong_answer_rate: 50 });
  });

  // The same figures as the shared scorer, on the real development set with made-up decisions. The scorer is not
  // part of the repository: it lives beside it (../shared/eval), as on developer machines and in CI.
  it.skipIf(!existsSync(scorer))('gives ../shared/eval/score.mjs its figures on the development set (skipped: no ../shared/eval beside the repository)', () => {
    const { cases } = readEvalCases(devSet);
    const actions = ['answer', 'clarify', 'fallback', 'handoff', 'emergency', 'smalltalk'] as const;
    const decisions = cases!.map((c, i) => {
      const first = String(Array.isArray(c.expect) ? c.expect[0] : c.expect);
      const [intent, facet] = first.split('#');
      return {
        id: c.id,
        action: actions[i % actions.length]!,
        intent: i % 3 ? intent : 'birth-money',
        ...(facet && i % 2 ? { facet } : {}),
        candidates: [intent!],
      };
    });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kc-score-')), 'decisions.jsonl');
    writeFileSync(file, decisions.map((d) => JSON.stringify(d)).join('\n'));
    const theirs = JSON.parse(execFileSync(process.execPath, [scorer, devSet, file, '--json'], { encoding: 'utf8' }));
    const { misses: _misses, ...ours } = scoreDecisions(cases!, decisions);
    expect(ours).toEqual(expect.objectContaining(Object.fromEntries(Object.entries(theirs).filter(([k]) => k !== 'counts'))));
  });
});
