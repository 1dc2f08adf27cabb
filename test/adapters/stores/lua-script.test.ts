import { afterAll, describe, expect, it } from 'vitest';
import { luaScript } from '../../../src/adapters/stores/lua-script.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../../support/redis.js';

const redis = connectTestRedis();
const prefix = uniquePrefix();
afterAll(async () => {
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

const INCR_BY = luaScript<number>(`return redis.call('INCRBY', KEYS[1], ARGV[1])`, 1);

describe('luaScript', () => {
  it('runs by its hash, and loads itself again on a server that has forgotten it', async () => {
    const key = `${prefix}counter`;
    expect(await INCR_BY(redis, [key], [2])).toBe(2);
    await redis.script('FLUSH');
    expect(await INCR_BY(redis, [key], [3])).toBe(5);
    expect(await INCR_BY(redis, [key], [1])).toBe(6);
  });

  it('refuses a call with the wrong number of keys instead of sending it', async () => {
    await expect(INCR_BY(redis, [], [1])).rejects.toThrow(/expects 1 keys/);
  });

  it('passes other script errors through', async () => {
    const BAD = luaScript<never>(`return redis.call('NOSUCHCOMMAND')`, 0);
    await expect(BAD(redis, [], [])).rejects.toThrow(/Unknown Redis command|unknown command/i);
  });
});
