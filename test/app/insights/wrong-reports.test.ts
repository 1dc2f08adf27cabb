import { afterAll, describe, expect, it } from 'vitest';
import { MemoryWrongReportStore, REPORTS_PER_PERSON_PER_DAY, type WrongReportStore } from '../../../src/app/insights/wrong-reports.js';
import { RedisWrongReportStore } from '../../../src/adapters/stores/redis-wrong-reports.js';
import { connectTestRedis, deleteKeysWithPrefix, elapseKeys, uniquePrefix } from '../../support/redis.js';

// The same behaviour from both stores: memory (one instance, no Redis) and Redis (real server).
const redis = connectTestRedis();
const prefixes: string[] = [];
afterAll(async () => {
  for (const p of prefixes) await deleteKeysWithPrefix(redis, p);
  redis.disconnect();
});

type Make = (clock: () => number) => { store: WrongReportStore; elapse(ms: number): Promise<void> };
const RETENTION_S = 3600;

const makers: [string, Make][] = [
  ['memory', (clock) => ({ store: new MemoryWrongReportStore(RETENTION_S * 1000, clock), elapse: async () => undefined })],
  [
    'redis',
    (clock) => {
      const prefix = uniquePrefix();
      prefixes.push(prefix);
      return { store: new RedisWrongReportStore(redis, RETENTION_S, prefix, clock), elapse: (ms) => elapseKeys(redis, prefix, ms / 1000) };
    },
  ],
];

describe.each(makers)('wrong-information reports (%s)', (_name, make) => {
  it('opens, adds the detail once and only soon after, lists open ones newest first, closes when handled', async () => {
    let now = Date.parse('2026-12-07T00:00:00Z');
    const { store } = make(() => now);
    const a = await store.open('U1', { at: now, intent: 'sick-child-care', facet: 'cost', version: 3 });
    now += 1000;
    expect(await store.addDetail('U1', '料金が違う', now)).toBe(true);
    expect(await store.addDetail('U1', 'もう一度', now)).toBe(false);
    const b = await store.open('U2', { at: now, intent: 'child-allowance', facet: 'how' });
    now += 11 * 60_000;
    expect(await store.addDetail('U2', '遅すぎる', now)).toBe(false);
    const open = await store.listOpen();
    expect(open.map((r) => r.id)).toEqual([b, a]);
    expect(open[1]).toEqual({
      id: a,
      at: Date.parse('2026-12-07T00:00:00Z'),
      intent: 'sick-child-care',
      facet: 'cost',
      version: 3,
      text: '料金が違う',
      status: 'open',
    });
    expect(await store.handle(a!, 'tanaka', now)).toBe(true);
    expect(await store.handle(a!, 'tanaka', now)).toBe(false);
    expect((await store.listOpen()).map((r) => r.id)).toEqual([b]);
  });

  it('forgets everything one person reported, and nobody else’s', async () => {
    const now = Date.parse('2026-12-07T00:00:00Z');
    const { store } = make(() => now);
    await store.open('U1', { at: now, intent: 'sick-child-care', facet: 'cost' });
    await store.open('U1', { at: now + 1, intent: 'sick-child-care', facet: 'who' });
    const other = await store.open('U2', { at: now + 2, intent: 'sick-child-care', facet: 'who' });
    await store.forget('U1');
    expect((await store.listOpen()).map((r) => r.id)).toEqual([other]);
  });

  it('keeps a report for the retention period only, and at most a day’s quota per person', async () => {
    let now = Date.parse('2026-12-07T00:00:00Z');
    const { store, elapse } = make(() => now);
    for (let i = 0; i < REPORTS_PER_PERSON_PER_DAY; i++)
      expect(await store.open('U1', { at: now + i, intent: 'sick-child-care', facet: 'cost' })).toBeDefined();
    expect(await store.open('U1', { at: now + 100, intent: 'sick-child-care', facet: 'cost' })).toBeUndefined();
    expect(await store.open('U2', { at: now + 100, intent: 'sick-child-care', facet: 'cost' })).toBeDefined();
    now += RETENTION_S * 1000 + 1000;
    await elapse(RETENTION_S * 1000 + 1000);
    expect(await store.listOpen()).toEqual([]);
  });
});
