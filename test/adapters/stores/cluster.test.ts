// The Redis stores against a real 3-master Redis Cluster, started by this file on free loopback ports: keys used
// together in one transaction or script must share a hash slot there, or Redis answers CROSSSLOT.
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/adapters/config/env.js';
import { RedisAccountStore } from '../../../src/adapters/console/accounts.js';
import { LoginLimiter } from '../../../src/adapters/console/rate-limit.js';
import { RedisSessionStore } from '../../../src/adapters/console/sessions.js';
import { RedisHandoffEvents, RedisHandoffStore, RedisTranscriptStore } from '../../../src/adapters/stores/redis-handoff-store.js';
import type { HandoffEvent } from '../../../src/app/handoff/types.js';
import { RedisUnansweredLog } from '../../../src/adapters/stores/redis-unanswered-log.js';
import { RedisUsageStats } from '../../../src/adapters/stores/redis-usage-stats.js';
import { createLogger } from '../../../src/app/log.js';
import { redisFromConfig, type RedisClient } from '../../../src/adapters/stores/index.js';
import { RedisStateStore } from '../../../src/adapters/stores/redis-store.js';
import { RedisUserOrder } from '../../../src/adapters/line/user-order.js';
import { handoffMaker } from '../../support/handoffs.js';
import { clusterTools, startRedisCluster, type TestRedisCluster } from '../../support/redis-cluster.js';
import { elapseKeys, uniquePrefix } from '../../support/redis.js';
import { describeStateStoreContract } from '../../app/conversation/state-store-contract.js';

const tools = clusterTools();
const title = tools ? 'against a Redis Cluster (3 masters)' : 'against a Redis Cluster (SKIPPED: redis-server or redis-cli is not on PATH)';
if (!tools) console.warn(`[cluster.test] ${title}`);

describe.skipIf(!tools)(title, () => {
  const logger = createLogger({ level: 'silent' });
  let cluster: TestRedisCluster | undefined;
  const clients: RedisClient[] = [];

  /** A cluster client made the way the app makes it: from REDIS_CLUSTER_NODES. */
  const connect = (): RedisClient => {
    if (!cluster) throw new Error('the cluster did not start');
    const client = redisFromConfig(loadConfig({ REDIS_CLUSTER_NODES: cluster.nodes }), logger);
    if (!client) throw new Error('no client');
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    cluster = await startRedisCluster(tools!);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => (c.status === 'end' ? undefined : c.quit().catch(() => c.disconnect()))));
    await cluster?.stop();
  });

  it('connects through REDIS_CLUSTER_NODES with an ioredis Cluster client that knows all three masters', async () => {
    const redis = connect();
    expect(redis).toBeInstanceOf(Cluster);
    expect(await redis.ping()).toBe('PONG');
    expect((redis as Cluster).nodes('master')).toHaveLength(3);
  });

  describeStateStoreContract('RedisStateStore on a cluster', async ({ ttlSeconds, eventTtlSeconds }) => {
    const redis = connect() as Cluster;
    const prefix = uniquePrefix();
    const store = new RedisStateStore({ redis, ttlSeconds, eventTtlSeconds, prefix });
    // Time passes by shortening the TTLs of the store's keys on every master (a key lives on one of them).
    const elapse = async (seconds: number) => {
      for (const node of redis.nodes('master')) await elapseKeys(node, prefix, seconds);
    };
    return { store, elapse, dispose: () => store.close() };
  });

  describe('handoffs', () => {
    const handoff = handoffMaker();

    it('creates, claims, lists and closes (scripts over the {ho}-tagged index keys)', async () => {
      const store = new RedisHandoffStore({ redis: connect(), prefix: uniquePrefix(), retentionSeconds: 3600 });
      const a = handoff();
      const b = handoff();
      expect(await store.create(a)).toBe(true);
      expect(await store.create(b)).toBe(true);
      expect(await store.create(handoff({ userId: a.userId }))).toBe(false);
      expect(await store.openFor(a.userId)).toEqual(a);
      expect(await store.update(a.id, ['waiting'], { status: 'active', claimedBy: 'sato', claimedAt: 5 })).toMatchObject({
        status: 'active',
        claimedBy: 'sato',
      });
      expect(await store.update(a.id, ['waiting'], { status: 'active', claimedBy: 'suzuki' })).toBeUndefined();
      expect((await store.listOpen()).map((h) => h.id)).toEqual([a.id, b.id]);
      await store.update(a.id, ['waiting', 'active'], { status: 'closed', closedAt: Date.now(), closeReason: 'staff' });
      expect(await store.openFor(a.userId)).toBeUndefined();
      expect((await store.listOpen()).map((h) => h.id)).toEqual([b.id]);
      expect((await store.listClosed(10)).map((h) => h.id)).toEqual([a.id]);
      expect(await store.create(handoff({ userId: a.userId }))).toBe(true);
    });

    it('keeps, trims and erases a person’s transcript', async () => {
      const transcript = new RedisTranscriptStore({ redis: connect(), prefix: uniquePrefix(), retentionSeconds: 86_400 });
      await transcript.append('U1', { at: Date.now() - 2 * 86_400_000, from: 'parent', text: 'old' });
      await transcript.append('U1', { at: Date.now(), from: 'parent', text: '熱が出ました', messageId: 'm1' });
      await transcript.append('U1', { at: Date.now(), from: 'bot', text: '病児保育の案内' });
      expect((await transcript.list('U1')).map((e) => e.text)).toEqual(['熱が出ました', '病児保育の案内']);
      expect(await transcript.removeMessage('U1', 'm1')).toBe(1);
      expect((await transcript.list('U1')).map((e) => e.text)).toEqual(['病児保育の案内']);
      await transcript.erase('U1');
      expect(await transcript.list('U1')).toEqual([]);
    });

    it('delivers events published on one instance to a subscriber on another (pub/sub on a duplicated cluster client)', async () => {
      const prefix = uniquePrefix();
      const here = new RedisHandoffEvents({ redis: connect(), prefix, retentionSeconds: 3600 });
      const there = new RedisHandoffEvents({ redis: connect(), prefix, retentionSeconds: 3600 });
      const got: HandoffEvent[] = [];
      here.subscribe((e) => got.push(e));
      await here.ready();
      await there.publish({ type: 'opened', handoffId: 'x', at: 1 });
      await expect.poll(() => got).toEqual([{ type: 'opened', handoffId: 'x', at: 1 }]);
      await here.close();
      await there.close();
    });
  });

  it('orders one person’s events across two instances and leaves nothing behind', async () => {
    const prefix = uniquePrefix();
    const log: string[] = [];
    const process = async (item: { n: number; slow?: number }) => {
      log.push(`start ${item.n}`);
      if (item.slow) await sleep(item.slow);
      log.push(`end ${item.n}`);
    };
    const a = new RedisUserOrder(process, { redis: connect(), prefix, logger, settleMs: 20 });
    const b = new RedisUserOrder(process, { redis: connect(), prefix, logger, settleMs: 20 });
    a.submit('U-a', 1000, { n: 1, slow: 100 });
    // The second event reaches the other instance while the first is being processed (a fixed sleep here raced the
    // new cluster client's slot discovery on a busy CI machine).
    await expect.poll(() => log.includes('start 1')).toBe(true);
    b.submit('U-a', 1001, { n: 2 });
    await Promise.all([a.drain(), b.drain()]);
    await expect.poll(() => log.length).toBe(4);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    expect(await connect().exists(`${prefix}{U-a}:inbox`)).toBe(0);
  });

  it('keeps console accounts, sessions and sign-in limits', async () => {
    const redis = connect();
    const prefix = uniquePrefix();
    const accounts = new RedisAccountStore({ redis, prefix });
    expect(await accounts.create({ username: 'sato', name: '佐藤', passwordHash: 'h1', createdAt: 1, passwordChangedAt: 1 })).toBe(true);
    expect(await accounts.setPassword('sato', 'h2', 2)).toBe(true);
    expect(await accounts.get('sato')).toMatchObject({ passwordHash: 'h2', passwordChangedAt: 2 });
    expect(await accounts.remove('sato')).toBe(true);

    const sessions = new RedisSessionStore({ redis, prefix, ttlSeconds: 60 });
    const { id, session } = await sessions.create('sato');
    expect(await sessions.touch(id)).toEqual(session);
    await sessions.destroy(id);
    expect(await sessions.peek(id)).toBeUndefined();

    const limiter = new LoginLimiter({ redis, prefix, limits: { perAddressAndUser: 2, perIp: 10 } });
    expect((await limiter.attempt('10.0.0.1', 'sato')).allowed).toBe(true);
    expect((await limiter.attempt('10.0.0.1', 'sato')).allowed).toBe(true);
    expect((await limiter.attempt('10.0.0.1', 'sato')).allowed).toBe(false);
    expect((await limiter.attempt('10.0.0.2', 'sato')).allowed).toBe(true);
    await limiter.succeeded('10.0.0.1', 'sato');
    expect((await limiter.attempt('10.0.0.1', 'sato')).allowed).toBe(true);
  });

  it('counts usage and keeps unanswered questions', async () => {
    const redis = connect();
    const prefix = uniquePrefix();
    const stats = new RedisUsageStats(redis, prefix);
    const at = Date.UTC(2026, 10, 15);
    await stats.record({ action: 'answer', intent: 'nursery_application' }, at);
    await stats.recordClaim(3 * 60_000, at);
    expect((await stats.month('2026-11')).counts).toMatchObject({ 'action:answer': 1, 'answer:nursery_application': 1, 'claim:count': 1, 'claim:within5m': 1 });

    const unanswered = new RedisUnansweredLog(redis, 3600, prefix);
    await unanswered.record({ at: Date.now(), kind: 'fallback', text: '〇〇について', intents: [] });
    expect((await unanswered.list()).map((i) => i.text)).toEqual(['〇〇について']);
  });
});
