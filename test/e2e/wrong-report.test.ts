import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRONG_INFO_LABEL } from '../../src/adapters/line/render.js';
import { RedisWrongReportStore } from '../../src/adapters/stores/redis-wrong-reports.js';
import { ConsoleClient, SECRET, STAFF, startStaffedInstance, type Instance } from '../support/console.js';
import { REPLY, type LineStub } from '../support/line-stub.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../support/redis.js';
import { newUserId, postbackEvent, sendEvents, textEvent, type WebhookEvent } from '../support/webhook-client.js';

// 「この情報はまちがっている」 end to end, with real Redis: a signed webhook tap on an answer card, the parent's next
// message kept masked, the report on the console's list, closed when handled, and gone with the parent's erase.
const prefix = uniquePrefix();
const redis = connectTestRedis();
let app: Instance;
let stub: LineStub;
let close: () => Promise<void>;
let staff: ConsoleClient;

beforeAll(async () => {
  ({ app, stub, close } = await startStaffedInstance({ redis: connectTestRedis(), prefix }));
  staff = new ConsoleClient(app.url);
  expect((await staff.signIn(STAFF.username, STAFF.password)).status).toBe(303);
});
afterAll(async () => {
  await close();
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

async function say(event: WebhookEvent) {
  const before = stub.callsTo(REPLY).length;
  expect((await sendEvents(app.url, [event], SECRET)).status).toBe(200);
  await app.parts.app.drain();
  const calls = stub.callsTo(REPLY);
  expect(calls.length).toBe(before + 1);
  return calls.at(-1)!.body as { messages: unknown[] };
}

/** Every postback action in a reply, by label. */
function buttons(body: unknown): Map<string, string> {
  const out = new Map<string, string>();
  JSON.stringify(body, (_k, v: unknown) => {
    const a = v as { type?: string; label?: string; data?: string };
    if (a && a.type === 'postback' && a.label && a.data) out.set(a.label, a.data);
    return v;
  });
  return out;
}

const reportsPage = async () => (await staff.get('/console/kb/reports')).text;

describe('「この情報はまちがっている」', () => {
  it('a tap stores a report with the card; the next message is kept masked; staff see it and close it', async () => {
    const userId = newUserId();
    const card = await say(textEvent('病児保育の料金はいくら？', { userId }));
    const data = buttons(card).get(WRONG_INFO_LABEL);
    expect(data).toBe('a=wrong&i=sick-child-care&f=cost');

    const asked = await say(postbackEvent(data!, { userId }));
    expect(JSON.stringify(asked)).toContain('どこがまちがっているか');
    const said = await say(textEvent('山田さんから、料金が変わったと聞きました。090-1234-5678 に電話ください', { userId }));
    expect(JSON.stringify(said)).toContain('担当者が確認して');
    // The detail was kept, not answered as a question: the next question is answered as usual.
    expect(JSON.stringify(await say(textEvent('病児保育の料金は？', { userId })))).toContain('"type":"flex"');

    const list = await reportsPage();
    expect(list).toContain('href="/console/kb/reports" aria-current="page"');
    expect(list).toContain('病児・病後児保育');
    expect(list).toContain('（料金）');
    expect(list).toContain(`版${app.knowledge.live.version()} の回答`);
    expect(list).toContain('〇〇さんから、料金が変わったと聞きました。［電話番号］ に電話ください');
    expect(list).not.toContain('090-1234-5678');
    expect(list).not.toContain('山田');
    expect(list).toContain('href="/console/kb/entries/sick-child-care"');
    // Linked from the knowledge-base pages.
    expect((await staff.get('/console/kb')).text).toContain('href="/console/kb/reports"');

    // In Redis: the report expires with the retention period, and sits in the person's erase list.
    const store = new RedisWrongReportStore(redis, 1, prefix);
    const ids = await redis.lrange(store.userKey(userId), 0, -1);
    expect(ids).toHaveLength(1);
    expect(await redis.ttl(`${prefix}{wrong}:r:${ids[0]}`)).toBeGreaterThan(29 * 86_400);
    expect(await redis.get(`${prefix}{wrong}:r:${ids[0]}`)).not.toContain(userId);

    // Without the form token nothing closes; with it the report leaves the list.
    const handled = `/console/kb/reports/${ids[0]}/handled`;
    expect((await staff.post(handled, { _csrf: null })).res.status).toBe(403);
    const done = await staff.post(handled);
    expect(done.res.status).toBe(303);
    expect(done.res.headers.get('location')).toBe('/console/kb/reports?m=handled');
    const after = await reportsPage();
    expect(after).not.toContain(`id="report-${ids[0]}"`);
    expect(JSON.parse((await redis.get(`${prefix}{wrong}:r:${ids[0]}`))!)).toMatchObject({ status: 'handled', handledBy: STAFF.username });
    expect((await staff.post(handled)).res.headers.get('location')).toBe('/console/kb/reports?m=gone');
  });

  it('「書かずに終える」 keeps the report without words; the erase removes every report of the person', async () => {
    const userId = newUserId();
    const card = await say(textEvent('児童手当はいつ振り込まれる？', { userId }));
    const data = buttons(card).get(WRONG_INFO_LABEL)!;
    const asked = await say(postbackEvent(data, { userId }));
    await say(postbackEvent(buttons(asked).get('書かずに終える')!, { userId }));
    const store = new RedisWrongReportStore(redis, 1, prefix);
    const [id] = await redis.lrange(store.userKey(userId), 0, -1);
    expect(await reportsPage()).toContain(`id="report-${id}"`);
    expect(await reportsPage()).toContain('どこがまちがっているかは書かれていません');

    await say(textEvent('私のデータを消して', { userId }));
    await say(postbackEvent('a=erase', { userId }));
    expect(await redis.exists(store.userKey(userId), `${prefix}{wrong}:r:${id}`)).toBe(0);
    expect(await redis.zscore(`${prefix}{wrong}:open`, id!)).toBeNull();
    expect(await reportsPage()).not.toContain(`id="report-${id}"`);
  });
});
