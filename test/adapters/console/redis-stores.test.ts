import { afterAll, describe, expect, it } from 'vitest';
import { RedisAccountStore, addAccount } from '../../../src/adapters/console/accounts.js';
import { LoginLimiter } from '../../../src/adapters/console/rate-limit.js';
import { RedisSessionStore } from '../../../src/adapters/console/sessions.js';
import { connectTestRedis, deleteKeysWithPrefix, elapseKeys, uniquePrefix } from '../../support/redis.js';
import { accountStoreContract, sessionStoreContract } from './store-contract.js';

const redis = connectTestRedis();
const prefixes: string[] = [];
const fresh = () => {
  const p = uniquePrefix();
  prefixes.push(p);
  return p;
};
afterAll(async () => {
  for (const p of prefixes) await deleteKeysWithPrefix(redis, p);
  redis.disconnect();
});

accountStoreContract('redis', () => new RedisAccountStore({ redis, prefix: fresh() }));
sessionStoreContract(
  'redis',
  (ttlSeconds) => new RedisSessionStore({ redis, ttlSeconds, prefix: fresh() }),
  // Time passes by shortening the TTLs of the stores' keys; Redis expires them itself.
  async (ms) => {
    for (const p of prefixes) await elapseKeys(redis, p, ms / 1000);
  },
);

describe('console data in Redis', () => {
  it('keeps only a hash of the session id, with a TTL, and the account without its password', async () => {
    const prefix = fresh();
    const sessions = new RedisSessionStore({ redis, ttlSeconds: 3600, prefix });
    const { id } = await sessions.create('tanaka');
    const keys = await redis.keys(`${prefix}*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^${prefix}console:session:[0-9a-f]{64}$`));
    expect(keys[0]).not.toContain(id);
    expect(await redis.ttl(keys[0]!)).toBeGreaterThan(3500);

    const accounts = new RedisAccountStore({ redis, prefix });
    await addAccount(accounts, { username: 'tanaka', name: '田中', password: 'plain-text-password' });
    expect(JSON.stringify(await redis.hgetall(`${prefix}console:accounts`))).not.toContain('plain-text-password');
  });

  it('counts sign-in attempts across instances per address and name and per address; slows a name down, never locks its owner out', async () => {
    const prefix = fresh();
    const limits = { perAddressAndUser: 3, perIp: 5, slowAfter: 2, maxDelayMs: 1000 };
    const a = new LoginLimiter({ redis, prefix, limits });
    const b = new LoginLimiter({ redis, prefix, limits });
    // Three attempts for one name from one address, on two instances: the fourth from there is refused…
    for (const [l, name] of [
      [a, 'tanaka'],
      [b, 'Tanaka'],
      [a, 'ＴＡＮＡＫＡ'],
    ] as const) {
      expect(await l.attempt('10.0.0.1', name)).toEqual({ allowed: true, delayMs: 0 });
      await l.failed(name);
    }
    expect(await b.attempt('10.0.0.1', 'tanaka')).toMatchObject({ allowed: false, retryAfterSeconds: expect.any(Number) });
    // …but the owner, from another address, still gets in — only slowed down by the failures on the name.
    const owner = await b.attempt('10.0.0.2', 'tanaka');
    expect(owner).toMatchObject({ allowed: true });
    expect(owner.allowed && owner.delayMs).toBeGreaterThan(0);
    await b.succeeded('10.0.0.2', 'tanaka');
    expect(await a.attempt('10.0.0.3', 'tanaka')).toEqual({ allowed: true, delayMs: 0 });

    // One address trying many names is refused after perIp attempts, whatever the name.
    for (const name of ['u1', 'u2', 'u3', 'u4', 'u5']) expect((await (name < 'u3' ? a : b).attempt('10.0.0.7', name)).allowed).toBe(true);
    expect((await a.attempt('10.0.0.7', 'someone-new')).allowed).toBe(false);
    expect((await a.attempt('10.0.0.8', 'someone-new')).allowed).toBe(true);
  });
});
