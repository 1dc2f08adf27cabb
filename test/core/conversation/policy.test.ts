import { describe, expect, it } from 'vitest';
import { judge, type PolicyThresholds } from '../../../src/core/conversation/policy.js';
import type { Ranked as IntentScore } from '../../../src/core/nlp/learned/understanding.js';

const t: PolicyThresholds = {
  fallback: 0.15,
  answer: 0.22,
  foreignAnswer: 0.22,
  longAnswer: 0.22,
  longChars: 40,
  spacedWords: 3,
  margin: 0.03,
  dominance: 3,
  sole: 0.21,
  sure: 0.4,
  clarifyBand: 0.06,
  emergency: 0.5,
  emergencyWithConcept: 0.2,
  emergencyCalm: 0.8,
  outOfScope: 0,
  handoff: 0.45,
  facet: 0.5,
  facetAmongCues: 0.8,
  directoryFacet: 0.5,
};
const s = (intent: string, score: number): IntentScore => ({ intent, score });

describe('judge', () => {
  it('falls back when nothing scores', () => expect(judge([], t).action).toBe('fallback'));
  it('falls back below the floor', () => expect(judge([s('a', 0.1)], t).action).toBe('fallback'));
  it('answers a clear winner', () => expect(judge([s('a', 0.3), s('b', 0.2)], t)).toMatchObject({ action: 'answer', best: { intent: 'a' } }));
  it('answers when very sure even if the runner-up is close', () => expect(judge([s('a', 0.5), s('b', 0.49)], t).action).toBe('answer'));
  it('asks back with the close candidates, at most three', () => {
    const v = judge([s('a', 0.3), s('b', 0.29), s('c', 0.28), s('d', 0.27)], t);
    expect(v).toMatchObject({ action: 'clarify' });
    if (v.action === 'clarify') expect(v.candidates.map((c) => c.intent)).toEqual(['a', 'b', 'c']);
  });
  describe('a best below the answer threshold', () => {
    it('answers when it is the one real candidate, far ahead of the runner-up and of no service at all', () =>
      expect(judge([s('a', 0.2), s('b', 0.06)], t, 0.05)).toMatchObject({ action: 'answer', best: { intent: 'a' } }));
    it('does not answer when other business or a person wanted is a close rival', () =>
      expect(judge([s('a', 0.2), s('b', 0.06)], t, 0.1).action).not.toBe('answer'));
    it('does not answer when the runner-up is close', () => expect(judge([s('a', 0.2), s('b', 0.1)], t, 0).action).not.toBe('answer'));
    it('answers from `sole` when nothing is close enough to ask between and no service at all is less likely', () => {
      expect(judge([s('a', 0.215), s('b', 0.12)], t, 0.15)).toMatchObject({ action: 'answer', best: { intent: 'a' } });
      expect(judge([s('a', 0.205), s('b', 0.12)], t, 0.15).action).toBe('fallback');
    });
    it('does not answer the one candidate when other business or a person wanted is likelier', () =>
      expect(judge([s('a', 0.215), s('b', 0.12)], t, 0.22).action).toBe('fallback'));
  });
});
