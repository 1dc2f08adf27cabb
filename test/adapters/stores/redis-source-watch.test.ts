import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceWatch } from '../../../src/app/sources/watch.js';
import { RedisJobLock, RedisWatchStore, sourceWatchParts } from '../../../src/adapters/stores/redis-source-watch.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../../support/redis.js';

// Two instances of the app share one real Redis: only one of them runs the watch at a time, and together they run it
// once per interval.
const redis = connectTestRedis();
const prefixes: string[] = [];
const fresh = () => {
  const p = uniquePrefix();
  prefixes.push(p);
  return p;
};
let server: http.Server;
let base = '';
let hits = 0;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits++;
    setTimeout(() => res.end(`<html>${req.url}</html>`), 150);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const p of prefixes) await deleteKeysWithPrefix(redis, p);
  redis.disconnect();
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});

describe('the source watch in Redis, two instances', () => {
  it('only one instance runs at a time; the other skips, and neither runs again within the interval', async () => {
    const prefix = fresh();
    const urls = () => ['/a', '/b', '/c', '/d'].map((p) => base + p);
    const instance = () => new SourceWatch({ ...sourceWatchParts({ redis, prefix, retentionSeconds: 86_400 }), urls, timeoutMs: 2000, concurrency: 2 });
    const [one, two] = [instance(), instance()];
    hits = 0;
    const runs = await Promise.all([one.runOnce({ minGapMs: 3_600_000 }), two.runOnce({ minGapMs: 3_600_000 })]);
    expect(runs.map((r) => r.ran).sort()).toEqual([false, true]);
    expect(hits).toBe(4);
    // Both tick again later in the hour: the shared last-run time holds them back.
    const again = await Promise.all([one.runOnce({ minGapMs: 3_600_000 }), two.runOnce({ minGapMs: 3_600_000 })]);
    expect(again.map((r) => r.ran)).toEqual([false, false]);
    expect(hits).toBe(4);
    // The lock is released after the run; the records are one hash with a TTL.
    expect(await redis.exists(`${prefix}{sources}:watch-lock`)).toBe(0);
    expect(await redis.hlen(`${prefix}{sources}:watch`)).toBe(4);
    expect(await redis.ttl(`${prefix}{sources}:watch`)).toBeGreaterThan(86_000);
  });

  it('the lock expires if its holder dies, is renewed while a long run goes on, and is released only by its holder', async () => {
    const key = `${fresh()}lock`;
    const a = new RedisJobLock(redis, key, 300);
    const b = new RedisJobLock(redis, key, 300);
    // A run longer than the TTL keeps the lock (renewed), so the other instance stays out for all of it.
    let bDuring: unknown = 'not tried';
    const long = a.run(async () => {
      await new Promise((r) => setTimeout(r, 700));
      bDuring = await b.run(async () => 'b ran');
      await new Promise((r) => setTimeout(r, 100));
      return 'a ran';
    });
    expect(await long).toBe('a ran');
    expect(bDuring).toBeUndefined();
    // A holder that died: the lock (set by hand, as a crashed run would leave it) expires by itself.
    await redis.set(key, 'dead-instance', 'PX', 200);
    expect(await b.run(async () => 'early')).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    expect(await b.run(async () => 'after expiry')).toBe('after expiry');
  });

  it('keeps confirmations and drops stale records', async () => {
    let clock = Date.parse('2026-12-07T00:00:00Z');
    const store = new RedisWatchStore(redis, 3600, fresh(), () => clock);
    await store.put([{ url: 'https://example.jp/a', status: 'changed', at: clock, changedAt: clock, hash: 'x' }]);
    await store.confirm('https://example.jp/a', 'tanaka', clock + 1);
    expect((await store.all()).get('https://example.jp/a')).toEqual({
      url: 'https://example.jp/a',
      status: 'changed',
      at: clock,
      hash: 'x',
      confirmedAt: clock + 1,
      confirmedBy: 'tanaka',
    });
    clock += 3601_000;
    expect((await store.all()).size).toBe(0);
  });
});
