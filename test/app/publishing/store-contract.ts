import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KnowledgeStore } from '../../../src/app/publishing/store.js';

const v1 = { 'knowledge/a.yaml': 'id: a\ntitle: エー\n', 'intents/_catalog.tsv': 'id\tname\na\tエー\n' };
const v2 = { ...v1, 'knowledge/a.yaml': 'id: a\ntitle: エーの新しい名前\n' };

/** The behaviour every knowledge-base store must have; run against memory and Redis. */
export function storeContract(name: string, make: () => Promise<{ store: KnowledgeStore; cleanup?: () => Promise<void> }>) {
  describe(`${name} knowledge store`, () => {
    let store: KnowledgeStore;
    let cleanup: (() => Promise<void>) | undefined;
    beforeEach(async () => {
      ({ store, cleanup } = await make());
    });
    afterEach(async () => {
      await store.close();
      await cleanup?.();
    });

    it('starts empty', async () => {
      expect(await store.current()).toBeUndefined();
      expect(await store.list()).toEqual([]);
      expect(await store.get(1)).toBeUndefined();
    });

    it('publishes numbered versions, keeps every one and lists them newest first with a summary', async () => {
      const a = await store.publish(v1, 'system', 'seed');
      expect(a).toMatchObject({ ok: true, version: { n: 1, author: 'system', message: 'seed' } });
      const b = await store.publish(v2, 'tanaka', 'タイトルを直した');
      expect(b).toMatchObject({ ok: true, version: { n: 2 } });
      expect(await store.current()).toBe(2);
      expect((await store.get(1))!.files).toEqual(v1);
      expect((await store.get(2))!.files).toEqual(v2);
      const list = await store.list();
      expect(list.map((v) => v.n)).toEqual([2, 1]);
      expect(list[0]).toMatchObject({ author: 'tanaka', message: 'タイトルを直した', at: expect.any(Number) });
      expect(list[0]!.summary).toContain('タイトル');
      expect(list[0]).not.toHaveProperty('files');
    });

    it('refuses a publish based on a version that is no longer current', async () => {
      await store.publish(v1, 'system', 'seed', { expected: 0 });
      expect(await store.publish(v1, 'system', 'seed again', { expected: 0 })).toEqual({ ok: false, reason: 'stale', current: 1 });
      expect(await store.publish(v2, 'tanaka', 'ok', { expected: 1 })).toMatchObject({ ok: true, version: { n: 2 } });
      expect(await store.publish(v1, 'sato', 'late', { expected: 1 })).toMatchObject({ ok: false, current: 2 });
      expect(await store.current()).toBe(2);
    });

    it('lets exactly one of two simultaneous first publishes win', async () => {
      const results = await Promise.all([store.publish(v1, 'a', 'x', { expected: 0 }), store.publish(v2, 'b', 'y', { expected: 0 })]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(await store.current()).toBe(1);
    });

    it('rolls back by publishing a copy of an earlier version as a new number', async () => {
      await store.publish(v1, 'system', 'seed');
      await store.publish(v2, 'tanaka', 'edit');
      const r = await store.rollback(1, 'sato');
      expect(r).toMatchObject({ ok: true, version: { n: 3, author: 'sato', rollbackOf: 1 } });
      expect((await store.get(3))!.files).toEqual(v1);
      expect((await store.get(2))!.files).toEqual(v2);
      expect(await store.current()).toBe(3);
    });

    it('announces each new current version to watchers', async () => {
      const seen: number[] = [];
      const stop = store.watch((n) => seen.push(n));
      await store.ready();
      await store.publish(v1, 'system', 'seed');
      await store.publish(v2, 'tanaka', 'edit');
      await expect.poll(() => seen).toEqual([1, 2]);
      stop();
      // A watcher still listening shows when the next announcement has gone out: the stopped one was not told.
      const after: number[] = [];
      const stopAfter = store.watch((n) => after.push(n));
      await store.rollback(1, 'sato');
      await expect.poll(() => after).toEqual([3]);
      stopAfter();
      expect(seen).toEqual([1, 2]);
    });
  });
}
