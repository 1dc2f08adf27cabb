import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app.js';
import { REPLY, startLineStub, type LineStub } from '../support/line-stub.js';
import { lineMessagesProblems } from '../support/line-openapi.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../support/redis.js';
import { newUserId, postbackEvent, sendEvents, textEvent } from '../support/webhook-client.js';

const SECRET = 'e2e-facilities-secret';
const prefix = uniquePrefix();
const redis = connectTestRedis();
let stub: LineStub;
let app: RunningApp;
let url: string;

// The service as npm start wires it, on real Redis, answering through the LINE API stub.
beforeAll(async () => {
  stub = await startLineStub();
  app = await startApp({ secret: SECRET, lineApiBaseUrl: stub.baseURL, redis: connectTestRedis(), prefix });
  url = app.url;
});
afterAll(async () => {
  await app.close();
  await stub.close();
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

type Sent = { type: string; text?: string; altText?: string; contents?: { type: string; contents?: unknown[] } };

/** Sends one signed event and returns the messages of the reply it caused. */
async function exchange(event: ReturnType<typeof textEvent>): Promise<Sent[]> {
  const before = stub.callsTo(REPLY).length;
  expect((await sendEvents(url, [event], SECRET)).status).toBe(200);
  const calls = await stub.waitForCalls(before + 1, { path: REPLY });
  return (calls.at(-1)!.body as { messages: Sent[] }).messages;
}
const carouselOf = (messages: Sent[]) => messages.find((m) => m.type === 'flex' && m.contents?.type === 'carousel');

describe('the facility directory through the signed webhook, the real core, real Redis and the LINE API stub', () => {
  it('「新川こども園の電話番号」: its own card with tap-to-call 0865-66-1668 and a map link', async () => {
    const messages = await exchange(textEvent('新川こども園の電話番号', { userId: newUserId() }));
    const carousel = carouselOf(messages)!;
    expect(carousel.contents!.contents).toHaveLength(1);
    const json = JSON.stringify(carousel);
    expect(json).toContain('"uri":"tel:0865661668"');
    expect(json).toContain('https://www.google.com/maps/search/?api=1&query=');
    expect(json).toContain('2023年以降の園サイト');
    expect(lineMessagesProblems(messages)).toEqual([]);
  });

  it('「金浦の近くのこども園」 and the same in kana: the two こども園 of 金浦', async () => {
    for (const text of ['金浦の近くのこども園', 'かなうらの こどもえん']) {
      const messages = await exchange(textEvent(text, { userId: newUserId() }));
      expect(messages[0]?.text).toContain('金浦の認定こども園は2件あります');
      const json = JSON.stringify(carouselOf(messages));
      expect(json).toContain('金浦認定こども園');
      expect(json).toContain('新川こども園');
    }
  });

  it('「19時まで開いてるとこ」: only what its source says is open until then', async () => {
    const messages = await exchange(textEvent('19時まで開いてるとこ', { userId: newUserId() }));
    expect(carouselOf(messages)!.contents!.contents).toHaveLength(1);
    expect(JSON.stringify(carouselOf(messages))).toContain('開園 7:00〜19:00');
  });

  it('「北木島で子どもが遊べるところ」: says nothing is recorded on 北木島, shows the play places elsewhere with 子育て支援課 where details are missing', async () => {
    const messages = await exchange(textEvent('北木島で子どもが遊べるところ', { userId: newUserId() }));
    expect(messages[0]?.text).toContain('北木島の公園・遊び場は、確認できた情報の中にはありません');
    const json = JSON.stringify(carouselOf(messages));
    expect(json).toContain('笠岡運動公園（タコ公園）');
    expect(json).toContain('"uri":"tel:0865692132"');
    expect(lineMessagesProblems(messages)).toEqual([]);
  });

  it('a card’s related button opens the entry, and the topic is kept in Redis for a follow-up', async () => {
    const userId = newUserId();
    await exchange(textEvent('すこやかキッズルームの場所', { userId }));
    // The state is written while the answer is sent, so it may land just after the reply call.
    await expect.poll(() => redis.get(`${prefix}{${userId}}:state`)).toContain('"intent":"sick-child-care"');
    const tapped = await exchange(postbackEvent('a=pick&i=sick-child-care&f=overview', { userId }));
    expect(tapped[0]?.altText).toContain('病児');
    expect(stub.invalid).toEqual([]);
  });
});
