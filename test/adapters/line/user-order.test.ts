import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/app/log.js';
import { MemoryUserOrder, RedisUserOrder } from '../../../src/adapters/line/user-order.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../../support/redis.js';

const redis = connectTestRedis();
const prefix = uniquePrefix();
const logger = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
afterAll(async () => {
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

type Item = { n: number; slow?: number };

/** A processor that records start and end of each item, optionally slow. */
function recorder() {
  const log: string[] = [];
  const process = async (item: Item) => {
    log.push(`start ${item.n}`);
    if (item.slow) await sleep(item.slow);
    log.push(`end ${item.n}`);
  };
  return { log, process };
}

describe('MemoryUserOrder', () => {
  it('runs one person’s items in order and other people’s alongside', async () => {
    const { log, process } = recorder();
    const order = new MemoryUserOrder(process);
    order.submit('U1', 1, { n: 1, slow: 50 });
    order.submit('U1', 2, { n: 2 });
    order.submit('U2', 3, { n: 3 });
    await order.drain();
    expect(log.indexOf('end 1')).toBeLessThan(log.indexOf('start 2'));
    expect(log.indexOf('end 3')).toBeLessThan(log.indexOf('end 1'));
  });
});

describe('RedisUserOrder: several instances against one Redis', () => {
  const instance = (process: (i: Item) => Promise<void>) => new RedisUserOrder(process, { redis, prefix, logger, settleMs: 20 });

  it('processes a person’s second message after the first, though another instance received it', async () => {
    const { log, process } = recorder();
    const a = instance(process);
    const b = instance(process);
    const sent = Date.now();
    a.submit('U-a', sent, { n: 1, slow: 150 });
    // Arrives at the other instance while the first is being processed (not after a fixed sleep: on a busy machine
    // the first might not have started yet).
    await expect.poll(() => log.includes('start 1')).toBe(true);
    b.submit('U-a', sent + 1, { n: 2 });
    await Promise.all([a.drain(), b.drain()]);
    await expect.poll(() => log.length).toBe(4);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('orders by the time the person sent them when both arrive at once', async () => {
    const { log, process } = recorder();
    const a = instance(process);
    const b = instance(process);
    // Sent a moment ago (the settle window counts from the send time).
    const sent = Date.now();
    b.submit('U-b', sent, { n: 2 });
    a.submit('U-b', sent - 1, { n: 1 });
    await Promise.all([a.drain(), b.drain()]);
    await expect.poll(() => log.length).toBe(4);
    expect(log.filter((l) => l.startsWith('start'))).toEqual(['start 1', 'start 2']);
  });

  it('leaves nothing behind', async () => {
    const { process } = recorder();
    const a = instance(process);
    a.submit('U-c', 1, { n: 1 });
    await a.drain();
    expect(await redis.exists(`${prefix}{U-c}:inbox`, `${prefix}{U-c}:inbox-lock`)).toBe(0);
  });

  it('keeps events with the same timestamp in the order they were submitted (several in one body)', async () => {
    const done: number[] = [];
    // A fresh settle window: all of them are queued before the first is taken.
    const order = instance(async (item) => void done.push(item.n));
    const sent = Date.now();
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) order.submit('U-same', sent, { n });
    await order.drain();
    await expect.poll(() => done).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('goes on with a person’s later events when one of them fails', async () => {
    const done: number[] = [];
    const order = instance(async (item) => {
      if (item.n === 1) throw new Error('boom');
      done.push(item.n);
    });
    const sent = Date.now() - 100;
    order.submit('U-e', sent, { n: 1 });
    order.submit('U-e', sent + 1, { n: 2 });
    order.submit('U-e', sent + 2, { n: 3 });
    await order.drain();
    await expect.poll(() => done).toEqual([2, 3]);
    expect(await redis.exists(`${prefix}{U-e}:inbox`, `${prefix}{U-e}:inbox-lock`)).toBe(0);
  });

  it('skips an event id already queued by any instance, and tells the processor it was checked', async () => {
    const seen: [number, boolean][] = [];
    const duplicates: number[] = [];
    const make = () =>
      new RedisUserOrder<Item>(async (item, checked) => void seen.push([item.n, checked]), {
        redis,
        prefix,
        logger,
        settleMs: 0,
        onDuplicate: (item) => void duplicates.push(item.n),
      });
    const a = make();
    const b = make();
    a.submit('U-f', Date.now(), { n: 1 }, 'evt-1');
    await a.drain();
    b.submit('U-f', Date.now(), { n: 2 }, 'evt-1');
    b.submit('U-f', Date.now(), { n: 3 });
    await b.drain();
    expect(seen).toEqual([
      [1, true],
      [3, false],
    ]);
    expect(duplicates).toEqual([2]);
    expect(await redis.ttl(`${prefix}{U-f}:seen`)).toBeGreaterThan(86_000);
    expect(await redis.zrange(`${prefix}{U-f}:seen`, 0, -1)).toEqual(['evt-1']);
  });

  it('leaves a stopped instance’s unfinished events queued; another takes them over, the started one marked resumed', async () => {
    const started: number[] = [];
    const hung = new RedisUserOrder<Item>(
      async (item) => {
        started.push(item.n);
        await new Promise(() => undefined); // a LINE call that never returns
      },
      { redis, prefix, logger, settleMs: 0 },
    );
    const sent = Date.now() - 100;
    hung.submit('U-g', sent, { n: 1 }, 'evt-g1');
    hung.submit('U-g', sent + 1, { n: 2 }, 'evt-g2');
    await expect.poll(() => started).toEqual([1]);
    expect(await hung.stop()).toEqual({ inRedis: 1, local: 0 });
    expect(await redis.exists(`${prefix}{U-g}:inbox-lock`)).toBe(0);

    const taken: [number, boolean, boolean | undefined][] = [];
    const next = new RedisUserOrder<Item>(async (item, checked, resumed) => void taken.push([item.n, checked, resumed]), { redis, prefix, logger });
    expect(await next.rescan()).toBeGreaterThanOrEqual(1);
    await next.drain();
    expect(taken).toEqual([
      [1, true, true],
      [2, true, false],
    ]);
    expect(await redis.exists(`${prefix}{U-g}:inbox`, `${prefix}{U-g}:tickets`)).toBe(0);
  });

  it('keeps answering when Redis is unreachable', async () => {
    const dead = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    dead.on('error', () => undefined);
    const { log, process } = recorder();
    const order = new RedisUserOrder(process, { redis: dead, prefix, logger });
    order.submit('U-d', 1, { n: 1 });
    order.submit('U-d', 2, { n: 2 });
    await order.drain();
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    dead.disconnect();
  });
});
