import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src/app/log.js';
import { createStateStore, storeReady } from '../../../src/adapters/stores/index.js';
import { MemoryStateStore } from '../../../src/app/conversation/memory-state-store.js';
import { describeStateStoreContract, sampleState } from './state-store-contract.js';

/** A clock the test moves by hand. */
function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  return { logger, lines };
}

describeStateStoreContract('MemoryStateStore', async ({ ttlSeconds, eventTtlSeconds }) => {
  const clock = fakeClock();
  const store = new MemoryStateStore({ ttlSeconds, eventTtlSeconds, now: clock.now });
  return {
    store,
    elapse: async (seconds) => clock.advance(Math.round(seconds * 1000)),
    dispose: () => store.close(),
  };
});

describe('MemoryStateStore', () => {
  const stores: MemoryStateStore[] = [];
  const open = (options: ConstructorParameters<typeof MemoryStateStore>[0]) => {
    const store = new MemoryStateStore(options);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    vi.useRealTimers();
  });

  it('forgets a conversation exactly when its TTL runs out', async () => {
    const clock = fakeClock();
    const store = open({ ttlSeconds: 60, now: clock.now });
    await store.set('U-alice', sampleState());
    clock.advance(60_000 - 1);
    expect(await store.get('U-alice')).toEqual(sampleState());
    clock.advance(1);
    expect(await store.get('U-alice')).toBeUndefined();
  });

  it('remembers event ids for 24 hours by default', async () => {
    const clock = fakeClock();
    const store = open({ ttlSeconds: 60, now: clock.now });
    expect(await store.markEvent('evt-1')).toBe(true);
    clock.advance(86_400_000 - 1);
    expect(await store.markEvent('evt-1')).toBe(false);
    clock.advance(1);
    expect(await store.markEvent('evt-1')).toBe(true);
  });

  it('sweeps expired entries on an interval so memory stays bounded', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const clock = fakeClock();
    const store = open({ ttlSeconds: 60, eventTtlSeconds: 60, now: clock.now, sweepIntervalMs: 1000 });
    for (let i = 0; i < 100; i++) {
      await store.set(`U-${i}`, sampleState());
      await store.markEvent(`evt-${i}`);
    }
    clock.advance(30_000);
    await store.set('U-recent', sampleState());
    expect(store.size).toBe(201);

    clock.advance(30_000); // the first 200 entries are now expired; U-recent has 30 s left
    vi.advanceTimersByTime(1000);
    expect(store.size).toBe(1);
    expect(await store.get('U-recent')).toEqual(sampleState());
  });

  it('stops its sweep timer on close', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const store = open({ ttlSeconds: 60 });
    expect(vi.getTimerCount()).toBe(1);
    await store.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects a TTL that is not a positive whole number of seconds', () => {
    expect(() => open({ ttlSeconds: 0 })).toThrow(RangeError);
    expect(() => open({ ttlSeconds: 1.5 })).toThrow(RangeError);
    expect(() => open({ ttlSeconds: 60, eventTtlSeconds: -1 })).toThrow(RangeError);
  });
});

describe('createStateStore without REDIS_URL', () => {
  it('keeps state in memory and says so in the log', async () => {
    const { logger, lines } = captureLogs();
    const store = createStateStore({ ttlSeconds: 60, logger });
    try {
      expect(store.kind).toBe('memory');
      expect(store).toBeInstanceOf(MemoryStateStore);
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 30,
          msg: 'REDIS_URL is not set: conversation state is kept in memory (lost on restart, not shared between instances)',
        }),
      );
      expect(await storeReady(store)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('treats an empty REDIS_URL as not set', async () => {
    const { logger } = captureLogs();
    const store = createStateStore({ redisUrl: '', ttlSeconds: 60, logger });
    expect(store.kind).toBe('memory');
    await store.close();
  });
});
