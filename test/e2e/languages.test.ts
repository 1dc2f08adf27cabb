import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/adapters/config/env.js';
import { ConversationService } from '../../src/app/conversation/service.js';
import { createLogger } from '../../src/app/log.js';
import { RedisStateStore } from '../../src/adapters/stores/redis-store.js';
import { createApp } from '../../src/adapters/http/app.js';
import { richMenuRequest } from '../../src/adapters/richmenu/richmenu.js';
import { copyLookupFor } from '../../src/core/conversation/voice.js';
import type { Core } from '../../src/core/build-core.js';
import { getCore } from '../support/core.js';
import { REPLY, seedRichMenu, startLineStub, type LineStub } from '../support/line-stub.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../support/redis.js';
import { followEvent, newUserId, postbackEvent, sendEvents, textEvent, type WebhookEvent } from '../support/webhook-client.js';

const SECRET = 'e2e-language-secret';
const redis = connectTestRedis();
const prefix = uniquePrefix();
/** The LINE profile language of each test user, as the stub's GET /v2/bot/profile/{userId} answers it. */
const profileLanguages = new Map<string, string>();
let core: Core;
let stub: LineStub;
let server: Server;
let url: string;
const menus: Record<string, string> = {};

beforeAll(async () => {
  core = await getCore();
  stub = await startLineStub((call) => {
    const m = /^\/v2\/bot\/profile\/(U[0-9a-f]{32})$/.exec(call.path);
    if (!m || call.method !== 'GET') return undefined;
    const language = profileLanguages.get(m[1]!);
    return { status: 200, body: { userId: m[1], displayName: 'テスト', ...(language ? { language } : {}) } };
  });
  // The menus `npm run richmenu -- --language <code>` would have published, beside the Japanese default.
  seedRichMenu(stub.richMenus, richMenuRequest(), { isDefault: true });
  for (const code of ['en', 'vi']) menus[code] = seedRichMenu(stub.richMenus, richMenuRequest({ code, t: copyLookupFor(core.kb, code) }));
  const store = new RedisStateStore({ redis, ttlSeconds: 600, prefix });
  const config = loadConfig({ LINE_CHANNEL_SECRET: SECRET, LINE_CHANNEL_ACCESS_TOKEN: 'e2e-token', LINE_API_BASE_URL: stub.baseURL });
  const app = createApp({
    handler: new ConversationService({ concierge: () => core.concierge, store }),
    store,
    config,
    logger: createLogger({ level: 'silent' }),
  });
  server = await new Promise<Server>((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  await stub.close();
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

type Sent = { type: string; text?: string; altText?: string; contents?: unknown; quickReply?: { items: { action: { label: string; data?: string } }[] } };

/** Sends one signed event and returns the messages of the reply it caused. */
async function exchange(event: WebhookEvent): Promise<Sent[]> {
  const before = stub.callsTo(REPLY).length;
  expect((await sendEvents(url, [event], SECRET)).status).toBe(200);
  const calls = await stub.waitForCalls(before + 1, { path: REPLY });
  return (calls.at(-1)!.body as { messages: Sent[] }).messages;
}

const linkPath = (userId: string, id: string) => `/v2/bot/user/${userId}/richmenu/${id}`;
const labels = (messages: Sent[]) => messages.at(-1)?.quickReply?.items.map((i) => i.action.label) ?? [];

describe('the parent’s language through the signed webhook, the real core, Redis and the LINE API stub', () => {
  it('greets a follow from a LINE profile in Vietnamese in Vietnamese, with the Vietnamese menu and rich menu', async () => {
    const userId = newUserId();
    profileLanguages.set(userId, 'vi');
    const messages = await exchange(followEvent({ userId }));
    expect(messages[0]).toMatchObject({ type: 'text', text: 'Cảm ơn bạn đã kết bạn với chúng tôi.' });
    expect(messages.map((m) => m.text ?? '').join('\n')).toContain('Những gì tôi có thể làm');
    expect(labels(messages)).toEqual([
      'Dịch vụ cho tôi',
      'Gửi trẻ',
      'Tiền và trợ cấp',
      'Khám và tiêm chủng',
      'Mang thai và sinh',
      'Muốn tư vấn',
      'Nói với nhân viên',
      'Language / 言語',
    ]);
    await stub.waitForCalls(1, { path: linkPath(userId, menus.vi!) });
    expect(stub.richMenus.links.get(userId)).toBe(menus.vi);
    await expect.poll(() => redis.get(`${prefix}{${userId}}:state`)).toContain('"language":"vi"');
    expect(stub.invalid).toEqual([]);
  });

  it('switches to English mid-conversation and keeps the topic: the same answer, in English, and the English rich menu', async () => {
    const userId = newUserId();
    const first = await exchange(textEvent('病児保育の料金は？', { userId }));
    expect(first[0]?.altText).toMatch(/^病児・病後児保育\n/);
    const switched = await exchange(postbackEvent('a=lang&l=en', { userId }));
    expect(switched[0]).toMatchObject({ type: 'text', text: 'I will answer in English.' });
    expect(switched[1]).toMatchObject({ type: 'flex', altText: expect.stringMatching(/^Sick child care\n/) });
    const card = JSON.stringify(switched[1]!.contents);
    expect(card).toContain('"Cost"');
    expect(card).toContain('Information as of: ');
    // The facts are the Japanese knowledge base's: the same numbers.
    expect(card).toContain('tel:0865670211');
    expect(labels(switched)).toEqual(['Helpful', 'Not helpful', 'Talk to staff']);
    // The state is written while the answer is sent, so it may land just after the reply call.
    await expect.poll(() => redis.get(`${prefix}{${userId}}:state`)).toContain('"language":"en"');
    const state = (await redis.get(`${prefix}{${userId}}:state`)) ?? '';
    expect(state).toContain('"intent":"sick-child-care","facet":"cost"');
    await stub.waitForCalls(1, { path: linkPath(userId, menus.en!) });

    // A follow-up in a word or two of Japanese stays on the topic, in English.
    const followUp = await exchange(textEvent('申込方法は？', { userId }));
    expect(JSON.stringify(followUp[0]!.contents)).toContain('"How to apply"');
  });

  it('opens the language choice from the rich menu’s 「Language / 言語」 area; a tap on a language switches it, rich menu too', async () => {
    const userId = newUserId();
    // The Japanese default menu's area, and the Vietnamese menu's: the same action, as the quick reply has.
    const area = (request: ReturnType<typeof richMenuRequest>) =>
      request.areas!.map((a) => a.action as { label: string; data: string; displayText: string }).find((a) => a.data === 'a=lang')!;
    expect(area(richMenuRequest())).toEqual({ type: 'postback', label: 'Language / 言語', data: 'a=lang', displayText: 'Language / 言語' });
    expect(area(richMenuRequest({ code: 'vi', t: copyLookupFor(core.kb, 'vi') }))).toEqual(area(richMenuRequest()));

    const menu = await exchange(postbackEvent(area(richMenuRequest()).data, { userId }));
    expect(menu.at(-1)).toMatchObject({ type: 'text', text: 'Language / 言語' });
    expect(labels(menu)).toEqual(['日本語', 'やさしい にほんご', 'English', 'Tiếng Việt', '中文（简体）']);
    const vi = menu.at(-1)!.quickReply!.items.find((i) => i.action.label === 'Tiếng Việt')!.action as { data: string };
    const switched = await exchange(postbackEvent(vi.data, { userId }));
    expect(switched[0]?.text).toBe(core.concierge.voiceFor('vi').copy.languageSwitched);
    expect(labels(switched)).toContain('Language / 言語');
    await expect.poll(() => redis.get(`${prefix}{${userId}}:state`)).toContain('"language":"vi"');
    await stub.waitForCalls(1, { path: linkPath(userId, menus.vi!) });
    expect(stub.richMenus.links.get(userId)).toBe(menus.vi);
    expect(stub.invalid).toEqual([]);
  });

  it('gives an English emergency the English card first, with the numbers to call', async () => {
    const userId = newUserId();
    const [card, ...rest] = await exchange(textEvent('my baby is not breathing', { userId }));
    expect(card).toMatchObject({ type: 'flex', altText: expect.stringMatching(/^Call 119 now: /) });
    const contents = JSON.stringify(card!.contents);
    expect(contents).toContain('tel:119');
    expect(contents).toContain('interpretation');
    expect(rest.map((m) => m.text)).toContain('I will answer in English.');
  });

  it('gives a profile language it does not speak やさしい日本語 and the default menu; a Japanese profile changes nothing', async () => {
    const korean = newUserId();
    profileLanguages.set(korean, 'ko');
    const messages = await exchange(followEvent({ userId: korean }));
    expect(messages.map((m) => m.text ?? '').join('\n')).toContain('To choose English, Tiếng Việt or 中文');
    await stub.waitForCalls(1, { path: `/v2/bot/user/${korean}/richmenu` });
    expect(stub.richMenus.links.has(korean)).toBe(false);

    const japanese = newUserId();
    profileLanguages.set(japanese, 'ja');
    const greeting = await exchange(followEvent({ userId: japanese }));
    expect(greeting[0]).toMatchObject({ type: 'text', text: '友だち追加ありがとうございます。' });
    expect(stub.calls.filter((c) => c.path.startsWith(`/v2/bot/user/${japanese}/`))).toEqual([]);
  });
});
