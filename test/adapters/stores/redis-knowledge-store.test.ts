import { afterAll, describe, expect, it } from 'vitest';
import { RedisKnowledgeStore } from '../../../src/adapters/stores/redis-knowledge-store.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../../support/redis.js';
import { storeContract } from '../../app/publishing/store-contract.js';

const redis = connectTestRedis();
afterAll(() => redis.quit());

storeContract('redis', async () => {
  const prefix = uniquePrefix();
  return { store: new RedisKnowledgeStore({ redis, prefix }), cleanup: async () => void (await deleteKeysWithPrefix(redis, prefix)) };
});

describe('redis knowledge store', () => {
  it('stores a file text once however many versions share it, and another instance reads the same versions', async () => {
    const prefix = uniquePrefix();
    const a = new RedisKnowledgeStore({ redis, prefix });
    const other = redis.duplicate();
    const b = new RedisKnowledgeStore({ redis: other, prefix });
    const files = { 'knowledge/a.yaml': 'x: 1\n', 'knowledge/b.yaml': 'y: 2\n' };
    await a.publish(files, 'system', 'seed');
    await a.publish({ ...files, 'knowledge/b.yaml': 'y: 3\n' }, 'tanaka', 'edit');
    const blobs = await redis.keys(`${prefix}{kb}:blob:*`);
    expect(blobs).toHaveLength(3);
    expect((await b.get(1))!.files).toEqual(files);
    expect(await b.current()).toBe(2);
    await a.close();
    await b.close();
    await other.quit();
    await deleteKeysWithPrefix(redis, prefix);
  });
});
