import { afterAll, describe, expect, it } from 'vitest';
import { OfficeHours } from '../../../src/core/calendar/office-hours.js';
import { fillTemplate, unknownPlaceholders } from '../../../src/adapters/console/template-fill.js';
import { MAX_TEMPLATES, MemoryTemplateStore, RedisTemplateStore, TemplateInput, type TemplateStore } from '../../../src/adapters/console/templates.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../../support/redis.js';

const redis = connectTestRedis();
const prefixes: string[] = [];
afterAll(async () => {
  for (const p of prefixes) await deleteKeysWithPrefix(redis, p);
  redis.disconnect();
});
const fresh = () => {
  const p = uniquePrefix();
  prefixes.push(p);
  return p;
};

const input = (title: string, text = '本文です') => TemplateInput.parse({ title, text });

describe.each([
  ['memory', (): TemplateStore => new MemoryTemplateStore()],
  ['redis', (): TemplateStore => new RedisTemplateStore({ redis, prefix: fresh() })],
])('%s store of canned replies', (_name, make) => {
  it('adds, lists by title, changes and removes templates', async () => {
    const store = make();
    const b = (await store.create(input('受付時間のご案内'), 'tanaka', 1))!;
    const a = (await store.create(input('お礼', 'ありがとうございました。'), 'sato', 2))!;
    expect((await store.list()).map((t) => t.title)).toEqual(['お礼', '受付時間のご案内']);
    expect(await store.update(a.id, input('お礼（改）'), 'tanaka', 3)).toMatchObject({ id: a.id, title: 'お礼（改）', updatedBy: 'tanaka', updatedAt: 3 });
    expect((await store.get(a.id))?.title).toBe('お礼（改）');
    expect(await store.remove(b.id)).toBe(true);
    expect(await store.remove(b.id)).toBe(false);
    // A change to a template another staff member removed does not bring it back.
    expect(await store.update(b.id, input('復活'), 'tanaka', 4)).toBeUndefined();
    expect((await store.list()).map((t) => t.id)).toEqual([a.id]);
  });

  it(`keeps at most ${MAX_TEMPLATES}`, async () => {
    const store = make();
    await Promise.all(Array.from({ length: MAX_TEMPLATES + 5 }, (_, i) => store.create(input(`定型文${i}`), 'tanaka', i)));
    expect(await store.list()).toHaveLength(MAX_TEMPLATES);
    expect(await store.create(input('もう一つ'), 'tanaka', 0)).toBeUndefined();
  });
});

describe('a canned reply', () => {
  const hours = new OfficeHours();
  // 2026-12-04 is a Friday; JST = UTC + 9.
  const fridayAfternoon = Date.UTC(2026, 11, 4, 7, 0); // 16:00 JST, open
  const saturday = Date.UTC(2026, 11, 5, 1, 0); // 10:00 JST, closed
  const mondayEarly = Date.UTC(2026, 11, 6, 22, 0); // 7:00 JST Monday, before opening

  it('fills the next opening time (after the hours of today when open), the hours and the name of the staff member', () => {
    const text = '{担当者名}です。次の受付は{次の受付時間}です（{受付時間}）。{不明}はそのまま';
    expect(fillTemplate(text, { hours, now: fridayAfternoon, staffName: '田中' })).toBe(
      '田中です。次の受付は12月7日(月) 8:30です（平日 8:30〜17:15（土日祝日・年末年始はお休み））。{不明}はそのまま',
    );
    expect(fillTemplate('{次の受付時間}', { hours, now: saturday, staffName: '' })).toBe('12月7日(月) 8:30');
    expect(fillTemplate('{次の受付時間}', { hours, now: mondayEarly, staffName: '' })).toBe('12月7日(月) 8:30');
  });

  it('names placeholders that do not exist, so a typo is refused when saving', () => {
    expect(unknownPlaceholders('{次の受付時間}と{次の受付日}と{担当者}')).toEqual(['次の受付日', '担当者']);
    expect(unknownPlaceholders('かっこ { } だけ')).toEqual([]);
  });

  it('is checked at the boundary: trimmed, LF line endings, bounded', () => {
    expect(TemplateInput.parse({ title: ' お礼 ', text: 'a\r\nb ' })).toEqual({ title: 'お礼', text: 'a\nb' });
    expect(TemplateInput.safeParse({ title: '', text: 'x' }).success).toBe(false);
    expect(TemplateInput.safeParse({ title: 'x', text: 'あ'.repeat(1001) }).success).toBe(false);
  });
});
