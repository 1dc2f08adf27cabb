import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { ConversationService } from '../../../src/app/conversation/service.js';
import { MemoryUnansweredLog, groupUnanswered, type UnansweredItem } from '../../../src/app/insights/unanswered.js';
import { RedisUnansweredLog } from '../../../src/adapters/stores/redis-unanswered-log.js';
import { MemoryStateStore } from '../../../src/app/conversation/memory-state-store.js';
import { getCore } from '../../support/core.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../../support/redis.js';

let core: Core;
const redis = connectTestRedis();
const prefix = uniquePrefix();
beforeAll(async () => {
  core = await getCore();
});
afterAll(async () => {
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

function service() {
  let clock = Date.parse('2026-11-30T10:00:00+09:00');
  const log = new MemoryUnansweredLog(30 * 86_400_000, () => clock);
  const conversations = new ConversationService({ concierge: () => core.concierge, store: new MemoryStateStore({ ttlSeconds: 3600 }), unanswered: log, now: () => clock });
  const say = (text: string) => {
    clock += 10_000;
    return conversations.handle('U1', { kind: 'text', text });
  };
  const tap = (data: string) => {
    clock += 10_000;
    return conversations.handle('U1', { kind: 'postback', data });
  };
  return { log, say, tap };
}

describe('what went unanswered is logged, masked', () => {
  it('a fallback, with personal data masked', async () => {
    const s = service();
    await s.say('ほげほげ 090-1111-2222');
    expect(await s.log.list()).toEqual([expect.objectContaining({ kind: 'fallback', text: 'ほげほげ ［電話番号］' })]);
  });

  it('a clarification the parent did not take up, but not one they answered', async () => {
    const s = service();
    const first = await s.say('料金は？'); // names no service: the bot asks which one
    expect(first.decision.action).toBe('clarify');
    await s.say('ほかのことを聞きます。児童手当はいつ振り込まれますか');
    expect((await s.log.list()).map((i) => i.kind)).toEqual(['clarify_unaccepted']);

    const t = service();
    const again = await t.say('料金は？');
    await t.tap(`a=pick&i=${again.decision.candidates![0]}&f=overview`);
    expect(await t.log.list()).toEqual([]);
  });

  it('a 役に立たなかった tap, with the question that got that answer', async () => {
    const s = service();
    await s.say('病児保育は土曜もやってる？ 娘のさくらちゃんが熱で');
    await s.tap('a=fb&i=sick-child-care&v=down');
    expect(await s.log.list()).toEqual([expect.objectContaining({ kind: 'feedback_down', intents: ['sick-child-care'], text: expect.stringContaining('〇〇ちゃん') })]);
  });

  it('a handoff', async () => {
    const s = service();
    await s.say('担当者と話したい');
    expect((await s.log.list())[0]).toMatchObject({ kind: 'handoff' });
  });
});

describe('grouping by similarity, ranked by frequency', () => {
  it('puts the same question in different words together', () => {
    const at = Date.now();
    const item = (text: string, kind: UnansweredItem['kind'] = 'fallback'): UnansweredItem => ({ at, kind, text, intents: [] });
    const terms = (t: string) => core.analyzer.analyze(t).terms;
    const groups = groupUnanswered([item('プールの監視員のバイトを探しています'), item('ほいくえんの送迎バスはありますか'), item('保育園の送迎バスある？'), item('保育園に送迎バスはありますか', 'feedback_down')], terms);
    expect(groups[0]).toMatchObject({ count: 3, kinds: { fallback: 2, feedback_down: 1 } });
    expect(groups[1]).toMatchObject({ count: 1 });
  });
});

describe('RedisUnansweredLog', () => {
  it('keeps items newest first, within the retention period', async () => {
    const log = new RedisUnansweredLog(redis, 86_400, prefix);
    await log.record({ at: Date.now() - 2 * 86_400_000, kind: 'fallback', text: 'old', intents: [] });
    await log.record({ at: Date.now(), kind: 'fallback', text: 'first', intents: [] });
    await log.record({ at: Date.now(), kind: 'handoff', text: 'second', intents: [] });
    expect((await log.list()).map((i) => i.text)).toEqual(['second', 'first']);
    expect(await redis.ttl(`${prefix}unanswered`)).toBeGreaterThan(0);
  });
});
