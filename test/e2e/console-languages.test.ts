import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, SECRET, STAFF, startStaffedInstance, type Instance } from '../support/console.js';
import { PUSH, REPLY, type LineStub } from '../support/line-stub.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../support/redis.js';
import { startTranslationStub, stubTranslation, type TranslationStub } from '../support/translation-stub.js';
import { newUserId, postbackEvent, sendEvents, textEvent, type WebhookEvent } from '../support/webhook-client.js';

/**
 * Staff across languages, as in production: the signed webhook, Redis, the LINE API stub, and a machine-translation
 * provider (a local stand-in for DeepL that answers `[ZH-HANS] …`) configured by environment variables.
 */
// The instance owns (and closes) its own connection; this one cleans up after it.
const cleaner = connectTestRedis();
const prefix = uniquePrefix();
let translation: TranslationStub;
let stub: LineStub;
let app: Instance;
let close: () => Promise<void>;

beforeAll(async () => {
  translation = await startTranslationStub();
  ({ stub, app, close } = await startStaffedInstance({
    redis: connectTestRedis(),
    prefix,
    env: { TRANSLATION_PROVIDER: 'deepl', TRANSLATION_API_KEY: 'test-key:fx', TRANSLATION_API_URL: translation.baseUrl },
  }));
});
afterAll(async () => {
  await close();
  await translation.close();
  await deleteKeysWithPrefix(cleaner, prefix);
  cleaner.disconnect();
});

async function send(event: WebhookEvent) {
  const before = stub.callsTo(REPLY).length;
  expect((await sendEvents(app.url, [event], SECRET)).status).toBe(200);
  await stub.waitForCalls(before + 1, { path: REPLY });
}

const pushedTo = (userId: string) =>
  stub
    .callsTo(PUSH)
    .filter((c) => (c.body as { to: string }).to === userId)
    .flatMap((c) => (c.body as { messages: { text?: string }[] }).messages.map((m) => m.text ?? ''));

/** A parent who chose 中文 asks for a person and writes while waiting; staff open the conversation. */
async function chineseHandoff(): Promise<{ userId: string; staff: ConsoleClient; path: string }> {
  const userId = newUserId();
  await send(postbackEvent('a=lang&l=zh', { userId }));
  await send(postbackEvent('a=handoff', { userId }));
  await send(textEvent('孩子发烧了，明天可以去保育园吗？', { userId }));
  const open = await app.parts.handoff.openFor(userId);
  expect(open?.summary.language).toBe('zh');
  const staff = new ConsoleClient(app.url);
  expect((await staff.signIn(STAFF.username, STAFF.password)).status).toBe(303);
  return { userId, staff, path: `/console/handoffs/${open!.id}` };
}

describe('staff answer a parent who reads another language', () => {
  it('shows the language, the parent’s words translated beside the original, and sends a reply labelled 機械翻訳', async () => {
    const { userId, staff, path } = await chineseHandoff();
    const queue = await staff.get('/console/');
    expect(queue.text).toContain('<span class="badge badge--language">中国語（簡体字）</span>');

    const page = await staff.get(path);
    expect(page.text).toContain('保護者の言語');
    expect(page.text).toContain('（返信は機械翻訳して届きます）');
    // The stub "translates" by prefixing the target: the parent's Chinese went to DeepL with target JA.
    expect(page.text).toContain(`<span class="badge">機械翻訳</span> ${stubTranslation('JA', '孩子发烧了，明天可以去保育园吗？')}`);
    expect(translation.calls.at(-1)!.body).toMatchObject({ target_lang: 'JA', source_lang: 'ZH' });

    expect((await staff.post(`${path}/claim`)).res.status).toBe(303);
    const sent = await staff.post(`${path}/reply`, { text: '明日の朝、保育園にお電話で確認してください。' });
    expect(sent.res.status).toBe(303);
    const received = pushedTo(userId).at(-1)!;
    expect(received).toBe(`【機械翻訳 机器翻译】\n${stubTranslation('ZH-HANS', '明日の朝、保育園にお電話で確認してください。')}`);
    // The transcript keeps what staff wrote, with what the parent received beside it.
    const { entries } = (await app.parts.handoff.transcript(path.split('/').pop()!))!;
    expect(entries.filter((e) => e.from === 'staff').at(-1)).toMatchObject({
      text: '明日の朝、保育園にお電話で確認してください。',
      translated: { language: 'zh', text: received },
    });
    const after = await staff.get(path);
    expect(after.text).toContain('保護者に届いた文（機械翻訳）');
    expect(after.text).toContain('日本語で書くと機械翻訳して届き、「機械翻訳」と表示されます');
    expect(after.text).toContain('name="asIs"');
  }, 60_000);

  it('sends nothing when the translation fails, keeps the draft, and sends it as written when asked to', async () => {
    const { userId, staff, path } = await chineseHandoff();
    await staff.get(path);
    await staff.post(`${path}/claim`);
    const pushesBefore = pushedTo(userId).length;
    translation.mode = { kind: 'status', status: 503 };
    try {
      const refused = await staff.post(`${path}/reply`, { text: '少々お待ちください。' });
      expect(refused.res.status).toBe(502);
      expect(refused.text).toContain('機械翻訳ができなかったため、返信は送っていません');
      expect(refused.text).toContain('>少々お待ちください。</textarea>');
      expect(refused.text).toContain('保護者のメッセージを機械翻訳できませんでした');
      expect(pushedTo(userId).length).toBe(pushesBefore);

      const asIs = await staff.post(`${path}/reply`, { text: '请稍等。', asIs: 'on' });
      expect(asIs.res.status).toBe(303);
      expect(pushedTo(userId).at(-1)).toBe('请稍等。');
    } finally {
      translation.mode = { kind: 'ok' };
    }
  }, 60_000);
});

describe('without a translation provider', () => {
  let plain: Awaited<ReturnType<typeof startStaffedInstance>>;
  beforeAll(async () => {
    plain = await startStaffedInstance();
  });
  afterAll(() => plain.close());

  it('says so, and offers ready sentences in the parent’s language and cards in it', async () => {
    const userId = newUserId();
    for (const event of [postbackEvent('a=lang&l=zh', { userId }), postbackEvent('a=handoff', { userId })]) {
      const before = plain.stub.callsTo(REPLY).length;
      await sendEvents(plain.app.url, [event], SECRET);
      await plain.stub.waitForCalls(before + 1, { path: REPLY });
    }
    const open = (await plain.app.parts.handoff.openFor(userId))!;
    const staff = new ConsoleClient(plain.app.url);
    await staff.signIn(STAFF.username, STAFF.password);
    const path = `/console/handoffs/${open.id}`;
    await staff.get(path);
    expect((await staff.post(`${path}/claim`)).res.status).toBe(303);
    const page = await staff.get(path);
    expect(page.text).toContain('機械翻訳は設定されていないため、書いたまま届きます');
    expect(page.text).not.toContain('name="asIs"');
    expect(page.text).toContain('文例（中国語（簡体字））: 確認しますので、少しお待ちください。');
    // Without the script, choosing a ready sentence brings the page back with it in the reply box, in Chinese.
    const inserted = await staff.post(`${path}/template`, { template: 'phrase:wait' });
    expect(inserted.text).toContain('>我来确认一下，请稍等。</textarea>');
  }, 60_000);
});
