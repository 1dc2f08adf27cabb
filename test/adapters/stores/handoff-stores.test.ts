import { afterAll, describe, expect, it } from 'vitest';
import type { HandoffEvents, HandoffStore, TranscriptStore } from '../../../src/app/handoff/handoff-store.js';
import { MemoryHandoffEvents, MemoryHandoffStore, MemoryTranscriptStore } from '../../../src/app/handoff/memory-handoff-store.js';
import { RedisHandoffEvents, RedisHandoffStore, RedisTranscriptStore, handoffKey, handoffUserKey } from '../../../src/adapters/stores/redis-handoff-store.js';
import type { HandoffEvent } from '../../../src/app/handoff/types.js';
import { handoffMaker } from '../../support/handoffs.js';
import { connectTestRedis, deleteKeysWithPrefix, elapseKeys, uniquePrefix } from '../../support/redis.js';

const redis = connectTestRedis();
const prefixes: string[] = [];
afterAll(async () => {
  for (const p of prefixes) await deleteKeysWithPrefix(redis, p);
  redis.disconnect();
});

interface Stores {
  store: HandoffStore;
  transcript: TranscriptStore;
  events: HandoffEvents;
}

const implementations: [string, () => Stores][] = [
  [
    'memory',
    () => ({
      store: new MemoryHandoffStore({ retentionMs: 86_400_000 }),
      transcript: new MemoryTranscriptStore({ retentionMs: 86_400_000 }),
      events: new MemoryHandoffEvents(),
    }),
  ],
  [
    'redis',
    () => {
      const prefix = uniquePrefix();
      prefixes.push(prefix);
      const opts = { redis, prefix, retentionSeconds: 86_400 };
      return { store: new RedisHandoffStore(opts), transcript: new RedisTranscriptStore(opts), events: new RedisHandoffEvents(opts) };
    },
  ],
];

const handoff = handoffMaker();

for (const [name, make] of implementations) {
  describe(`${name} handoff store`, () => {
    it('keeps one open handoff per person', async () => {
      const { store } = make();
      const first = handoff();
      expect(await store.create(first)).toBe(true);
      expect(await store.create(handoff({ userId: first.userId }))).toBe(false);
      expect(await store.openFor(first.userId)).toEqual(first);
    });

    it('changes status only from the expected one, so a conversation is claimed once', async () => {
      const { store } = make();
      const h = handoff({ summary: { topics: ['sick-child-care'], childAge: '2歳' } });
      await store.create(h);
      expect(await store.update(h.id, ['waiting'], { status: 'active', claimedBy: 'sato', claimedAt: 5 })).toMatchObject({
        status: 'active',
        claimedBy: 'sato',
        summary: { topics: ['sick-child-care'], childAge: '2歳' },
      });
      expect(await store.update(h.id, ['waiting'], { status: 'active', claimedBy: 'suzuki' })).toBeUndefined();
      expect((await store.get(h.id))?.claimedBy).toBe('sato');
    });

    it('frees the person for a new handoff once closed, and lists open and closed ones', async () => {
      const { store } = make();
      const a = handoff();
      const b = handoff();
      await store.create(a);
      await store.create(b);
      expect((await store.listOpen()).map((h) => h.id)).toEqual([a.id, b.id]);
      await store.update(a.id, ['waiting', 'active'], { status: 'closed', closedAt: Date.now(), closeReason: 'staff' });
      expect(await store.openFor(a.userId)).toBeUndefined();
      expect((await store.listOpen()).map((h) => h.id)).toEqual([b.id]);
      expect((await store.listClosed(10)).map((h) => h.id)).toContain(a.id);
      expect(await store.create(handoff({ userId: a.userId }))).toBe(true);
    });

    it('erases every record naming a person, open and closed, and nothing of anyone else', async () => {
      const { store } = make();
      const closed = handoff({ summary: { topics: ['development-consultation'], childAge: '3歳' } });
      await store.create(closed);
      await store.update(closed.id, ['waiting'], { status: 'closed', closedAt: Date.now(), closeReason: 'staff' });
      const open = handoff({ userId: closed.userId });
      await store.create(open);
      const other = handoff();
      await store.create(other);
      expect((await store.eraseUser(closed.userId)).sort()).toEqual([closed.id, open.id].sort());
      expect(await store.get(closed.id)).toBeUndefined();
      expect(await store.get(open.id)).toBeUndefined();
      expect(await store.openFor(closed.userId)).toBeUndefined();
      expect((await store.listClosed(50)).map((h) => h.id)).not.toContain(closed.id);
      expect((await store.listOpen()).map((h) => h.id)).toEqual([other.id]);
      expect(await store.eraseUser(closed.userId)).toEqual([]);
    });

    it('reads an empty topic list back as a list', async () => {
      const { store } = make();
      const h = handoff();
      await store.create(h);
      expect((await store.update(h.id, ['waiting'], { urgent: true }))?.summary.topics).toEqual([]);
    });
  });

  describe(`${name} transcript store`, () => {
    it('keeps entries in order and removes an unsent message', async () => {
      const { transcript } = make();
      await transcript.append('U1', { at: Date.now(), from: 'parent', text: '熱が出ました', messageId: 'm1' });
      await transcript.append('U1', { at: Date.now(), from: 'bot', text: '病児保育の案内' });
      await transcript.append('U1', { at: Date.now(), from: 'parent', text: 'やっぱり大丈夫です', messageId: 'm2' });
      expect((await transcript.list('U1')).map((e) => e.text)).toEqual(['熱が出ました', '病児保育の案内', 'やっぱり大丈夫です']);
      expect(await transcript.removeMessage('U1', 'm1')).toBe(1);
      expect((await transcript.list('U1')).map((e) => e.messageId ?? '-')).toEqual(['-', 'm2']);
      await transcript.erase('U1');
      expect(await transcript.list('U1')).toEqual([]);
    });

    it('drops what is older than the retention period', async () => {
      const { transcript } = make();
      await transcript.append('U2', { at: Date.now() - 2 * 86_400_000, from: 'parent', text: 'old' });
      await transcript.append('U2', { at: Date.now(), from: 'parent', text: 'new' });
      expect((await transcript.list('U2')).map((e) => e.text)).toEqual(['new']);
    });
  });

  describe(`${name} handoff events`, () => {
    it('delivers published events to subscribers', async () => {
      const { events } = make();
      const got: HandoffEvent[] = [];
      const off = events.subscribe((e) => got.push(e));
      await events.ready();
      await events.publish({ type: 'opened', handoffId: 'x', at: 1 });
      await expect.poll(() => got).toEqual([{ type: 'opened', handoffId: 'x', at: 1 }]);
      off();
      await events.close();
    });
  });
}

describe('redis handoff store', () => {
  it('expires records and transcripts after the retention period', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const store = new RedisHandoffStore({ redis, prefix, retentionSeconds: 1 });
    const transcript = new RedisTranscriptStore({ redis, prefix, retentionSeconds: 1 });
    const h = handoff();
    await store.create(h);
    await transcript.append(h.userId, { at: Date.now(), from: 'parent', text: 'x' });
    expect(await redis.ttl(handoffKey(prefix, h.id))).toBeGreaterThan(0);
    expect(await redis.ttl(handoffUserKey(prefix, h.userId))).toBeGreaterThan(0);
    expect(await redis.ttl(`${prefix}{${h.userId}}:log`)).toBeGreaterThan(0);
    expect(await redis.ttl(handoffKey(prefix, h.id))).toBeLessThanOrEqual(1);
    await elapseKeys(redis, prefix, 1);
    expect(await store.get(h.id)).toBeUndefined();
    expect(await transcript.list(h.userId)).toEqual([]);
  });
});

describe('redis handoff keys', () => {
  it('puts the whole handoff index under one hash tag (one Redis Cluster slot), transcripts under the person’s', async () => {
    expect(handoffKey('kc:', 'h-1')).toBe('kc:{ho}:h-1');
    expect(handoffUserKey('kc:', 'U1')).toBe('kc:{ho}:user:U1');
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const store = new RedisHandoffStore({ redis, prefix, retentionSeconds: 60 });
    const h = handoff();
    await store.create(h);
    await store.update(h.id, ['waiting'], { status: 'closed', closedAt: Date.now(), closeReason: 'staff' });
    await new RedisTranscriptStore({ redis, prefix, retentionSeconds: 60 }).append(h.userId, { at: Date.now(), from: 'parent', text: 'x' });
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    expect(keys.sort()).toEqual([`${prefix}{${h.userId}}:log`, `${prefix}{ho}:closed`, handoffKey(prefix, h.id)].sort());
  });
});
