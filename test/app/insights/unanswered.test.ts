import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { ConversationService } from '../../../src/app/conversation/service.js';
import {
  MemoryUnansweredLog,
  groupUnanswered,
  groupUnansweredInSlices,
  type UnansweredGroup,
  type UnansweredItem,
} from '../../../src/app/insights/unanswered.js';
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
  const conversations = new ConversationService({
    concierge: () => core.concierge,
    store: new MemoryStateStore({ ttlSeconds: 3600 }),
    unanswered: log,
    now: () => clock,
  });
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
    expect(await s.log.list()).toEqual([
      expect.objectContaining({ kind: 'feedback_down', intents: ['sick-child-care'], text: expect.stringContaining('〇〇ちゃん') }),
    ]);
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
    const groups = groupUnanswered(
      [
        item('プールの監視員のバイトを探しています'),
        item('ほいくえんの送迎バスはありますか'),
        item('保育園の送迎バスある？'),
        item('保育園に送迎バスはありますか', 'feedback_down'),
      ],
      terms,
    );
    expect(groups[0]).toMatchObject({ count: 3, kinds: { fallback: 2, feedback_down: 1 } });
    expect(groups[1]).toMatchObject({ count: 1 });
  });
});

/** Every question against every group, in order: the grouping's definition, which the indexed one must match. */
function groupByComparingAll(items: UnansweredItem[], termsOf: (t: string) => string[], threshold = 0.6): UnansweredGroup[] {
  const groups: { terms: Set<string>; g: UnansweredGroup }[] = [];
  const sim = (a: Set<string>, b: Set<string>, same: boolean) => {
    if (same) return 1;
    if (!a.size || !b.size) return 0;
    const inter = [...a].filter((t) => b.has(t)).length;
    const smaller = Math.min(a.size, b.size);
    return smaller >= 2 ? inter / smaller : inter / (a.size + b.size - inter);
  };
  for (const item of [...items].sort((a, b) => b.at - a.at)) {
    const terms = new Set(termsOf(item.text.replace(/［[^］]*］/g, ' ')));
    let best: (typeof groups)[number] | undefined;
    let bestSim = 0;
    for (const c of groups) {
      const s = sim(terms, c.terms, item.text === c.g.text);
      if (s > bestSim) [best, bestSim] = [c, s];
    }
    if (best && bestSim >= threshold) {
      const g = best.g;
      g.count++;
      g.kinds[item.kind] = (g.kinds[item.kind] ?? 0) + 1;
      for (const i of item.intents) if (!g.intents.includes(i)) g.intents.push(i);
      if (g.examples.length < 5 && !g.examples.includes(item.text)) g.examples.push(item.text);
      for (const t of terms) best.terms.add(t);
    } else
      groups.push({ terms, g: { text: item.text, count: 1, kinds: { [item.kind]: 1 }, intents: [...item.intents], examples: [item.text], lastAt: item.at } });
  }
  return groups.map((x) => x.g).sort((a, b) => b.count - a.count || b.lastAt - a.lastAt);
}

describe('grouping many questions', () => {
  // Questions made of a few words from a small vocabulary: many overlaps, ties and one-word questions.
  let seed = 42;
  const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) % n;
  const words = ['保育園', '料金', '病児', '予約', '健診', '手当', '申込', '土曜', '送迎', '相談', '島', '夜'];
  const items: UnansweredItem[] = Array.from({ length: 1500 }, (_, i) => ({
    at: 1_000_000 + rand(400),
    kind: (['fallback', 'handoff', 'clarify_unaccepted', 'feedback_down'] as const)[rand(4)]!,
    text: Array.from({ length: 1 + rand(3) }, () => words[rand(words.length)]).join(' ') + (rand(3) ? '' : `［電話番号］${i % 7}`),
    intents: rand(2) ? [] : [`i${rand(3)}`],
  }));
  const termsOf = (t: string) => t.split(/\s+/).filter(Boolean);

  it('groups exactly as comparing every question with every group does', () => {
    expect(groupUnanswered(items, termsOf)).toEqual(groupByComparingAll(items, termsOf));
  });

  it('gives the same groups in slices, handing the event loop back between them', async () => {
    let pauses = 0;
    const sliced = await groupUnansweredInSlices(items, termsOf, { sliceMs: 0, pause: async () => void pauses++ });
    expect(sliced).toEqual(groupUnanswered(items, termsOf));
    expect(pauses).toBeGreaterThan(100);
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

describe('what one person can add', () => {
  const at = Date.parse('2026-12-06T03:00:00Z');
  const item = (i: number, day = 0): UnansweredItem => ({ at: at + day * 86_400_000 + i, kind: 'fallback', text: `質問 ${i}`, intents: [] });
  const logs = {
    memory: () => new MemoryUnansweredLog(30 * 86_400_000, () => at + 86_400_000, 5000, 3),
    redis: () => new RedisUnansweredLog(redis, 30 * 86_400, `${prefix}${uniquePrefix()}`, 3),
  };

  for (const [name, make] of Object.entries(logs)) {
    it(`${name}: keeps a person's first items of the day, drops the rest, and leaves others alone`, async () => {
      const log = make();
      const kept = [];
      for (let i = 0; i < 5; i++) kept.push(await log.record(item(i), 'U-repeats'));
      expect(kept).toEqual([true, true, true, false, false]);
      expect(await log.record(item(9), 'U-other')).toBe(true);
      // Items without a person (system-made) are not counted.
      expect(await log.record(item(10))).toBe(true);
      // A new day (Japan time) gives a new quota.
      expect(await log.record(item(0, 1), 'U-repeats')).toBe(true);
      expect((await log.list()).map((i) => i.text).sort()).toEqual(['質問 0', '質問 0', '質問 1', '質問 10', '質問 2', '質問 9']);
    });

    it(`${name}: forgets a person's count when their data is erased`, async () => {
      const log = make();
      for (let i = 0; i < 3; i++) await log.record(item(i), 'U-erased');
      expect(await log.record(item(3), 'U-erased')).toBe(false);
      await log.forget('U-erased');
      expect(await log.record(item(4), 'U-erased')).toBe(true);
    });
  }

  it('redis: keeps the count in the person’s hash slot, with a TTL', async () => {
    const log = new RedisUnansweredLog(redis, 86_400, prefix, 3);
    await log.record(item(0), 'U-slot');
    expect(log.quotaKey('U-slot')).toBe(`${prefix}{U-slot}:unanswered-quota`);
    expect(await redis.ttl(log.quotaKey('U-slot'))).toBeGreaterThan(86_400);
  });
});
