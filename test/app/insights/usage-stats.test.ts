import { afterAll, describe, expect, it } from 'vitest';
import { MemoryUsageStats, monthOf, type UsageStats } from '../../../src/app/insights/usage-stats.js';
import { RedisUsageStats } from '../../../src/adapters/stores/redis-usage-stats.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../../support/redis.js';

const redis = connectTestRedis();
const prefix = uniquePrefix();
afterAll(async () => {
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

const NOV = Date.parse('2026-11-15T12:00:00+09:00');

for (const [name, stats] of [
  ['memory', new MemoryUsageStats()],
  ['redis', new RedisUsageStats(redis, prefix)],
] as [string, UsageStats][]) {
  describe(`${name} usage statistics`, () => {
    it('counts decisions, answers per service and feedback per service, by month in Japan time', async () => {
      await stats.record({ action: 'answer', intent: 'sick-child-care', facet: 'cost', reason: 'match' }, NOV);
      await stats.record({ action: 'answer', intent: 'sick-child-care', reason: 'context' }, NOV);
      await stats.record({ action: 'fallback', reason: 'low_confidence' }, NOV);
      await stats.record({ action: 'smalltalk', intent: 'thanks', reason: 'feedback:down', feedback: { intent: 'sick-child-care', vote: 'down' } }, NOV);
      await stats.record({ action: 'answer', intent: 'vaccination' }, Date.parse('2026-11-30T15:30:00Z')); // 12/1 in Japan
      const { counts } = await stats.month('2026-11');
      expect(counts).toMatchObject({
        'action:answer': 2,
        'answer:sick-child-care': 2,
        'action:fallback': 1,
        'reason:fallback:low_confidence': 1,
        'feedback:sick-child-care:down': 1,
      });
      expect((await stats.month('2026-12')).counts).toMatchObject({ 'answer:vaccination': 1 });
    });

    it('counts a message to staff during a handoff apart: not as a handoff, not as any decision', async () => {
      const OCT = Date.parse('2026-10-15T12:00:00+09:00');
      await stats.record({ action: 'handoff', reason: 'requested' }, OCT);
      await stats.record({ action: 'handoff', reason: 'with_staff' }, OCT);
      await stats.record({ action: 'handoff', reason: 'with_staff' }, OCT);
      expect((await stats.month('2026-10')).counts).toEqual({ 'action:handoff': 1, 'reason:handoff:requested': 1, to_staff: 2 });
    });
  });
}

describe('monthOf', () => {
  it('uses the Japanese calendar month', () => {
    expect(monthOf(Date.parse('2026-11-30T15:00:00Z'))).toBe('2026-12');
  });
});
