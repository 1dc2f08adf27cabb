import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.js';

/**
 * A Lua script run by its SHA (EVALSHA), loaded with EVAL the first time a server has not seen it: hot paths then
 * send a 40-byte hash instead of the script on every call. Works on a cluster too (each node loads it on demand).
 */
export function luaScript<T>(lua: string, numberOfKeys: number) {
  const sha = createHash('sha1').update(lua).digest('hex');
  return async (redis: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<T> => {
    if (keys.length !== numberOfKeys) throw new Error(`script expects ${numberOfKeys} keys, got ${keys.length}`);
    try {
      return (await redis.evalsha(sha, numberOfKeys, ...keys, ...args)) as T;
    } catch (err) {
      if (!(err as Error).message?.startsWith('NOSCRIPT')) throw err;
      return (await redis.eval(lua, numberOfKeys, ...keys, ...args)) as T;
    }
  };
}
