import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assemble, type Assembled } from '../../src/assemble.js';
import { loadConfig } from '../../src/adapters/config/env.js';
import { monthOf } from '../../src/app/insights/usage-stats.js';
import { createLogger } from '../../src/app/log.js';
import { getCore } from '../support/core.js';
import { PUSH, REPLY, startLineStub, type LineStub } from '../support/line-stub.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../support/redis.js';
import { newUserId, postbackEvent, sendEvents, textEvent, unfollowEvent, type WebhookEvent } from '../support/webhook-client.js';

const SECRET = 'e2e-handoff-secret';
const prefix = uniquePrefix();
const cleaner = connectTestRedis();
let stub: LineStub;
const instances: { service: Assembled; server: Server; url: string }[] = [];

let core: Awaited<ReturnType<typeof getCore>>;
beforeAll(async () => {
  core = await getCore();
  stub = await startLineStub();
  const config = loadConfig({
    LINE_CHANNEL_SECRET: SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: 'token',
    LINE_API_BASE_URL: stub.baseURL,
    LINE_STAFF_GROUP_ID: 'Cstaffgroup',
    PUBLIC_BASE_URL: 'https://bot.example.jp',
  });
  // Two app instances sharing one Redis, as behind a load balancer.
  for (let i = 0; i < 2; i++) {
    const service = assemble({
      config,
      core: () => core,
      logger: createLogger({ level: 'silent' }),
      redis: connectTestRedis(),
      prefix,
      sweepIntervalMs: 0,
      webhook: { pushRetryDelaysMs: [10], loadingAfterMs: Infinity },
    });
    const server = await new Promise<Server>((ok) => {
      const s = service.app.listen(0, '127.0.0.1', () => ok(s));
    });
    instances.push({ service, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  }
});
afterAll(async () => {
  for (const { service, server } of instances) {
    await new Promise((ok) => server.close(ok));
    await service.close();
  }
  await stub.close();
  await deleteKeysWithPrefix(cleaner, prefix);
  cleaner.disconnect();
});

const A = () => instances[0]!;
const B = () => instances[1]!;
const bodyText = (c: { body: unknown }) => JSON.stringify(c.body);

async function send(url: string, event: WebhookEvent) {
  expect((await sendEvents(url, [event], SECRET)).status).toBe(200);
  await A().service.app.drain();
  await B().service.app.drain();
}

describe('handoff across two app instances sharing Redis', () => {
  it('tells a parent who chose 中文 about the handoff in Chinese, with the office hours', async () => {
    const userId = newUserId();
    await send(A().url, postbackEvent('a=lang&l=zh', { userId }));
    await send(B().url, postbackEvent('a=handoff', { userId }));
    const said = bodyText(stub.callsTo(REPLY).at(-1)!);
    expect(said).toContain('为您联系育儿咨询员');
    // Open now or not, what happens next is said in Chinese, and the cancel button too.
    expect(said).toMatch(/现在是办公时间内|工作人员将在/);
    expect(said).toContain('"label":"取消"');
    expect(said).not.toContain('おつなぎ');
    // …and while waiting, in Chinese too.
    await send(A().url, textEvent('还有多久？', { userId }));
    expect(bodyText(stub.callsTo(REPLY).at(-1)!)).toContain('仍在为您联系工作人员');

    // Staff see the parent's language, and what the bot says on their behalf is in it: the greeting, a card sent with
    // one click, the closing words.
    const open = (await B().service.handoff.openFor(userId))!;
    expect(open.summary.language).toBe('zh');
    const staff = { id: 'sato', name: '佐藤' };
    const pushed = () =>
      stub
        .callsTo(PUSH)
        .filter((c) => (c.body as { to: string }).to === userId)
        .map(bodyText);
    await B().service.handoff.claim(open.id, staff);
    expect(pushed().at(-1)).toContain('我是育儿咨询员佐藤');
    await B().service.handoff.sendAnswer(open.id, staff, 'sick-child-care', 'cost');
    expect(pushed().at(-1)).toContain('"altText":"' + core.kb.languages.get('zh')!.entries.get('sick-child-care')!.title);
    await B().service.handoff.close(open.id, staff);
    expect(pushed().at(-1)).toContain('与工作人员的对话已结束');
  });

  it('opens through one instance, is answered and closed through the other, and the bot is back', async () => {
    const userId = newUserId();
    await send(A().url, textEvent('2歳の子のことで担当者と話したいです', { userId }));
    const handoffReply = stub.callsTo(REPLY).at(-1)!;
    expect(bodyText(handoffReply)).toContain('担当の子育てコンシェルジュにおつなぎします');
    // Staff group alerted, without what the parent wrote.
    const alert = stub.callsTo(PUSH).find((c) => (c.body as { to: string }).to === 'Cstaffgroup')!;
    expect(bodyText(alert)).toContain('/console/handoffs/');
    expect(bodyText(alert)).not.toContain('2歳の子');

    const open = await B().service.handoff.openFor(userId);
    expect(open).toMatchObject({ status: 'waiting', reason: 'requested', summary: { childAge: '2歳' } });

    // While nobody has claimed it, the bot still answers an ordinary question, and says once that staff have it.
    const replies = stub.callsTo(REPLY).length;
    await send(B().url, textEvent('保育園の料金はいくら？', { userId }));
    expect(stub.callsTo(REPLY).length).toBe(replies + 1);
    expect(bodyText(stub.callsTo(REPLY).at(-1)!)).toContain('担当者へのおつなぎは続いています');

    await B().service.handoff.claim(open!.id, { id: 'sato', name: '佐藤' });
    await B().service.handoff.reply(open!.id, { id: 'sato', name: '佐藤' }, '3歳以上は無償です。詳しくご説明しますね。');
    const pushes = stub.callsTo(PUSH).filter((c) => (c.body as { to: string }).to === userId);
    expect(pushes.map(bodyText).join()).toContain('3歳以上は無償です');
    expect(pushes.every((c) => typeof c.headers['x-line-retry-key'] === 'string')).toBe(true);

    const transcript = await A().service.handoff.transcript(open!.id);
    expect(transcript!.entries.map((e) => e.from)).toEqual(expect.arrayContaining(['parent', 'bot', 'system', 'staff']));

    await A().service.handoff.close(open!.id, { id: 'sato', name: '佐藤' });
    expect(bodyText(stub.callsTo(PUSH).at(-1)!)).toContain('担当者との会話を終了しました');
    await send(B().url, textEvent('病児保育について教えて', { userId }));
    expect(bodyText(stub.callsTo(REPLY).at(-1)!)).toContain('病児');
    expect(stub.invalid).toEqual([]);
  });

  it('removes an unsent message from the transcript, and unfollow erases it all', async () => {
    const userId = newUserId();
    await send(A().url, textEvent('担当者と話したい', { userId }));
    const secret = textEvent('夫の携帯は090-1111-2222です', { userId });
    await send(A().url, secret);
    const open = await A().service.handoff.openFor(userId);
    const before = await B().service.handoff.transcript(open!.id);
    expect(before!.entries.some((e) => e.text.includes('090-1111-2222'))).toBe(true);

    const messageId = (secret.message as { id: string }).id;
    await send(B().url, {
      type: 'unsend',
      mode: 'active',
      timestamp: Date.now(),
      webhookEventId: `01UNSEND${Date.now()}`,
      deliveryContext: { isRedelivery: false },
      source: { type: 'user', userId },
      unsend: { messageId },
    });
    const after = await B().service.handoff.transcript(open!.id);
    expect(after!.entries.some((e) => e.text.includes('090-1111-2222'))).toBe(false);

    await send(A().url, unfollowEvent({ userId }));
    expect(await B().service.handoff.openFor(userId)).toBeUndefined();
    expect(await B().service.transcript.list(userId)).toEqual([]);
    expect(await cleaner.exists(`${prefix}{${userId}}:state`, `${prefix}{${userId}}:log`)).toBe(0);
  });

  it('counts 役に立った / 役に立たなかった per service in the monthly statistics', async () => {
    const userId = newUserId();
    await send(A().url, textEvent('病児保育について教えて', { userId }));
    await send(B().url, postbackEvent('a=fb&i=sick-child-care&v=down', { userId }));
    const { counts } = await A().service.stats.month(monthOf(Date.now()));
    expect(counts['feedback:sick-child-care:down']).toBeGreaterThanOrEqual(1);
    expect(counts['answer:sick-child-care']).toBeGreaterThanOrEqual(1);
  });
});
