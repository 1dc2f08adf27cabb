import { describe, expect, it } from 'vitest';
import { logPseudonym, loggableDecision } from '../../../src/adapters/observability/log-privacy.js';

describe('what log lines may say about a person', () => {
  it('names a LINE user only by a keyed hash, stable for the same key and different under another', () => {
    const a = logPseudonym('channel-secret-a');
    const b = logPseudonym('channel-secret-b');
    const user = `U${'0123456789abcdef'.repeat(2)}`;
    expect(a(user)).toMatch(/^u_[0-9a-f]{16}$/);
    expect(a(user)).toBe(a(user));
    expect(a(user)).not.toBe(a(`U${'f'.repeat(32)}`));
    expect(b(user)).not.toBe(a(user));
    expect(a(user)).not.toContain(user.slice(1, 9));
  });

  it('keeps emergency kinds, judgments and sensitive topics out of a decision', () => {
    expect(loggableDecision({ action: 'emergency', reason: 'suicide' })).toEqual({
      action: 'emergency',
      intent: undefined,
      facet: undefined,
      reason: undefined,
    });
    expect(loggableDecision({ action: 'handoff', reason: 'judgment' }).reason).toBeUndefined();
    expect(loggableDecision({ action: 'answer', intent: 'development-consultation', facet: 'overview', reason: 'match' }).intent).toBeUndefined();
    expect(loggableDecision({ action: 'answer', intent: 'abuse-report', facet: 'contact', reason: 'match' }).intent).toBeUndefined();
    expect(loggableDecision({ action: 'answer', intent: 'nursery-admission', facet: 'cost', reason: 'match' })).toEqual({
      action: 'answer',
      intent: 'nursery-admission',
      facet: 'cost',
      reason: 'match',
    });
  });
});
