import { describe, expect, it } from 'vitest';
import { addAccount, authenticate, type AccountStore } from '../../../src/adapters/console/accounts.js';
import { hashPassword } from '../../../src/adapters/console/passwords.js';
import type { SessionStore } from '../../../src/adapters/console/sessions.js';

/** The same behaviour from the memory and the Redis account stores. */
export function accountStoreContract(name: string, make: () => AccountStore) {
  describe(`${name} account store`, () => {
    it('creates an account whose password verifies, and refuses a wrong password or an unknown user', async () => {
      const store = make();
      const r = await addAccount(store, { username: 'Sato', name: ' 佐藤 ', password: 'a-good-password' }, 1000);
      expect(r).toMatchObject({ ok: true, account: { username: 'sato', name: '佐藤', createdAt: 1000, passwordChangedAt: 1000 } });
      const stored = await store.get('sato');
      expect(stored?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
      expect(stored?.passwordHash).not.toContain('a-good-password');

      expect((await authenticate(store, 'sato', 'a-good-password'))?.name).toBe('佐藤');
      expect((await authenticate(store, 'ＳＡＴＯ ', 'a-good-password'))?.username).toBe('sato');
      expect(await authenticate(store, 'sato', 'a-good-passworD')).toBeUndefined();
      expect(await authenticate(store, 'sato', '')).toBeUndefined();
      expect(await authenticate(store, 'nobody', 'a-good-password')).toBeUndefined();
      expect(await authenticate(store, '', 'a-good-password')).toBeUndefined();
    });

    it('salts every hash, so one password never gives the same hash twice', async () => {
      const store = make();
      await addAccount(store, { username: 'a1', name: 'A', password: 'same-password-1' });
      await addAccount(store, { username: 'b1', name: 'B', password: 'same-password-1' });
      expect((await store.get('a1'))!.passwordHash).not.toBe((await store.get('b1'))!.passwordHash);
    });

    it('refuses a taken name and names that break the rules, without writing anything', async () => {
      const store = make();
      expect((await addAccount(store, { username: 'kato', name: '加藤', password: 'first-password' })).ok).toBe(true);
      const again = await addAccount(store, { username: 'KATO', name: '別人', password: 'other-password' });
      expect(again).toMatchObject({ ok: false, problem: expect.stringContaining('すでに使われています') });
      expect((await store.get('kato'))?.name).toBe('加藤');
      expect(await addAccount(store, { username: 'x', name: 'X', password: 'long-enough-1' })).toMatchObject({ ok: false });
      expect(await addAccount(store, { username: 'short', name: 'S', password: 'short' })).toMatchObject({
        ok: false,
        problem: expect.stringContaining('10文字以上'),
      });
      expect(await addAccount(store, { username: 'noname', name: '  ', password: 'long-enough-1' })).toMatchObject({ ok: false });
      expect((await store.list()).map((a) => a.username)).toEqual(['kato']);
    });

    it('lists, changes a password and removes', async () => {
      const store = make();
      await addAccount(store, { username: 'yamada', name: '山田', password: 'password-one' }, 1);
      await addAccount(store, { username: 'ito', name: '伊藤', password: 'password-two' }, 2);
      expect((await store.list()).map((a) => a.username)).toEqual(['ito', 'yamada']);

      expect(await store.setPassword('ito', await hashPassword('password-three'), 50)).toBe(true);
      expect(await authenticate(store, 'ito', 'password-two')).toBeUndefined();
      expect(await authenticate(store, 'ito', 'password-three')).toMatchObject({ passwordChangedAt: 50, createdAt: 2, name: '伊藤' });

      expect(await store.remove('ito')).toBe(true);
      expect(await store.remove('ito')).toBe(false);
      expect(await store.setPassword('ito', 'x', 60)).toBe(false);
      expect(await store.get('ito')).toBeUndefined();
      expect(await authenticate(store, 'ito', 'password-three')).toBeUndefined();
    });
  });
}

/**
 * The same behaviour from the memory and the Redis session stores. `make(ttlSeconds)` builds a store; `pass(ms)` lets
 * that much time go by for it (a fake clock for memory, real waiting for Redis).
 */
export function sessionStoreContract(name: string, make: (ttlSeconds: number) => SessionStore, pass: (ms: number) => Promise<void>) {
  describe(`${name} session store`, () => {
    it('issues a random 32-byte id with its own form token, and finds the session by it', async () => {
      const store = make(60);
      const a = await store.create('tanaka');
      const b = await store.create('tanaka');
      expect(Buffer.from(a.id, 'base64url')).toHaveLength(32);
      expect(a.id).not.toBe(b.id);
      expect(a.session.csrfToken).not.toBe(b.session.csrfToken);
      expect(a.session.csrfToken).not.toBe(a.id);
      expect(await store.touch(a.id)).toEqual(a.session);
      expect(await store.peek(b.id)).toEqual(b.session);
    });

    it('finds nothing for an unknown, malformed or empty id', async () => {
      const store = make(60);
      const { id } = await store.create('tanaka');
      const other = id.slice(0, -1) + (id.endsWith('A') ? 'B' : 'A');
      for (const bad of [other, '', 'short', `${id}x`, '../../etc', '*']) {
        expect(await store.touch(bad)).toBeUndefined();
        expect(await store.peek(bad)).toBeUndefined();
      }
    });

    it('signs out: a destroyed session is gone, others stay', async () => {
      const store = make(60);
      const a = await store.create('tanaka');
      const b = await store.create('sato');
      await store.destroy(a.id);
      expect(await store.touch(a.id)).toBeUndefined();
      expect(await store.touch(b.id)).toEqual(b.session);
      await store.destroy('not-a-session');
    });

    it('expires after the TTL without use; use pushes the expiry back, a peek does not', async () => {
      const store = make(1);
      const used = await store.create('tanaka');
      const peeked = await store.create('sato');
      const idle = await store.create('ito');
      await pass(600);
      expect(await store.touch(used.id)).toBeDefined();
      expect(await store.peek(peeked.id)).toBeDefined();
      await pass(600);
      // 1.2 s after creation: only the session used at 0.6 s is still there.
      expect(await store.touch(used.id)).toBeDefined();
      expect(await store.peek(peeked.id)).toBeUndefined();
      expect(await store.touch(idle.id)).toBeUndefined();
    });
  });
}
