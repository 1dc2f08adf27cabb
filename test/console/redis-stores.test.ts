import { afterAll, describe, expect, it } from 'vitest';
import { RedisAccountStore, addAccount } from '../../src/console/accounts.js';
import { LoginLimiter } from '../../src/console/rate-limit.js';
import { RedisSessionStore } from '../../src/console/sessions.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../support/redis.js';
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
  (ms) => new Promise((ok) => setTimeout(ok, ms)),
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

  it('counts failed sign-ins across instances, per user name and per address', async () => {
    const prefix = fresh();
    const a = new LoginLimiter({ redis, prefix, limits: { perUser: 3, perIp: 5 } });
    const b = new LoginLimiter({ redis, prefix, limits: { perUser: 3, perIp: 5 } });
    await a.failed('10.0.0.1', 'tanaka');
    await b.failed('10.0.0.2', 'Tanaka');
    expect(await b.retryAfter('10.0.0.3', 'tanaka')).toBe(0);
    await a.failed('10.0.0.3', 'ＴＡＮＡＫＡ');
    // Three failures for one name on two instances from three addresses: that name is locked everywhere.
    expect(await b.retryAfter('10.0.0.9', 'tanaka')).toBeGreaterThan(0);
    expect(await a.retryAfter('10.0.0.1', 'sato')).toBe(0);

    for (const name of ['u1', 'u2', 'u3', 'u4', 'u5']) await (name < 'u3' ? a : b).failed('10.0.0.7', name);
    expect(await a.retryAfter('10.0.0.7', 'someone-new')).toBeGreaterThan(0);
    expect(await a.retryAfter('10.0.0.8', 'someone-new')).toBe(0);

    await a.succeeded('tanaka');
    expect(await b.retryAfter('10.0.0.9', 'tanaka')).toBe(0);
  });
});
