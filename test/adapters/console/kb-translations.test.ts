import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, SECRET, STAFF, ensureStaff, startInstance, type Instance } from '../../support/console.js';
import { formFields, postFields, setField } from '../../support/forms.js';
import { REPLY, startLineStub, type LineStub } from '../../support/line-stub.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../../support/redis.js';
import { newUserId, postbackEvent, sendEvents, textEvent } from '../../support/webhook-client.js';
import { visibleText } from '../../support/visible-text.js';

// Translations edited in the console like any other edit, on two instances sharing one Redis: the staff member works
// on A, parents talk to B. Checks, refusals, publishing, the history and rollback go through the one publisher.
const redis = connectTestRedis();
const prefix = uniquePrefix();
let stub: LineStub;
let a: Instance;
let b: Instance;
let staff: ConsoleClient;

beforeAll(async () => {
  stub = await startLineStub();
  [a, b] = await Promise.all([
    startInstance({ lineApiBaseUrl: stub.baseURL, redis: redis.duplicate(), prefix }),
    startInstance({ lineApiBaseUrl: stub.baseURL, redis: redis.duplicate(), prefix }),
  ]);
  await ensureStaff(a.stores);
  staff = new ConsoleClient(a.url);
  expect((await staff.signIn(STAFF.username, STAFF.password)).status).toBe(303);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await stub?.close();
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

const ENTRY = 'sick-child-care';
const EN_PAGE = `/console/kb/entries/${ENTRY}/translations/en`;
const EASY_PAGE = `/console/kb/entries/${ENTRY}/translations/ja-easy`;
const enCost = (i: Instance) => i.knowledge.live.core().kb.languages.get('en')!.entries.get(ENTRY)?.facets.cost?.text;

const GOOD_EN =
  'We could not confirm the fees for Kasaoka residents (edited in the console). Please ask Sukoyaka Kids Room (TEL 0865-67-0211; information as of 2021) or the Child-rearing Support Division (TEL 0865-69-2132).';
// The same words with one digit of a phone number wrong.
const WRONG_EN = GOOD_EN.replace('0865-67-0211', '0865-67-0212');

/** Staff words only: no paths, no entry id, no language code in what the page shows (the boxes hold the translation). */
function expectStaffWords(page: string) {
  const t = visibleText(page);
  expect(t).not.toMatch(/languages\/|knowledge\/|\.ya?ml\b/);
  expect(t).not.toMatch(/(^|[^A-Za-z-])(sick-child-care|en|vi|zh|ja-easy)($|[^A-Za-z-])/);
}

/** The translation form as shown, with `changes` made, sent with `action`. */
async function send(path: string, changes: Record<string, string>, action: 'preview' | 'publish') {
  const page = await staff.get(path);
  expect(page.res.status).toBe(200);
  let fields = formFields(page.text, path);
  for (const [k, v] of Object.entries(changes)) fields = setField(fields, k, v);
  return postFields(staff, path, [...fields, ['action', action]]);
}

/** What instance B sends a parent who asks about the cost of sick-child care and then switches to English. */
async function askBInEnglish(): Promise<string> {
  const userId = newUserId();
  for (const event of [textEvent('病児保育の料金は？', { userId }), postbackEvent('a=lang&l=en', { userId })]) {
    expect((await sendEvents(b.url, [event], SECRET)).status).toBe(200);
    await b.parts.app.drain();
  }
  const reply = stub.callsTo(REPLY).findLast((c) => JSON.stringify(c.body).includes('I will answer in English.'));
  return JSON.stringify(reply?.body ?? '');
}

describe('editing a translation in the console', () => {
  it('links each language from the entry page, and shows the form beside the Japanese in staff words', async () => {
    const entry = await staff.get(`/console/kb/entries/${ENTRY}`);
    expect(entry.text).toContain(`href="${EN_PAGE}"`);
    expect(entry.text).toContain('英語の訳を直す');
    expect(entry.text).toContain('やさしい日本語の訳を直す');

    const { res, text } = await staff.get(EN_PAGE);
    expect(res.status).toBe(200);
    expect(text).toContain('「病児・病後児保育」の英語の訳');
    // The Japanese of each facet is beside its box, and the box holds the translation as it is.
    const ja = a.knowledge.live.core().kb.entries.get(ENTRY)!.facets.cost!.text;
    expect(text).toContain(ja);
    expect(text).toMatch(/<textarea id="f\.cost\.text" name="f\.cost\.text"[^>]*>\nWe could not confirm the fees or reductions/);
    expect(text).toContain('name="_csrf"');
    expect(text).not.toMatch(/languages\/|\.yaml/);
    expect((await staff.get('/console/kb/entries/sick-child-care/translations/ja')).res.status).toBe(404);
    expect((await staff.get('/console/kb/entries/sick-child-care/translations/xx')).res.status).toBe(404);
  });

  it('refuses a form sent without the page’s token', async () => {
    const page = await staff.get(EN_PAGE);
    const fields = setField(setField(formFields(page.text, EN_PAGE), '_csrf', null), 'f.cost.text', GOOD_EN);
    const { res } = await postFields(staff, EN_PAGE, [...setField(fields, 'message', 'x'), ['action', 'publish']]);
    expect(res.status).toBe(403);
    expect(await a.knowledge.store.current()).toBe(1);
  });

  it('refuses an English facet whose phone number differs from the Japanese, saying which facet and what differs', async () => {
    const { res, text } = await send(EN_PAGE, { 'f.cost.text': WRONG_EN, message: '料金の訳を直した' }, 'publish');
    expect(res.status).toBe(422);
    expect(text).toContain('公開中の内容は変わっていません');
    expect(text).toContain(
      '英語の訳 ／ 料金 › 本文</a>：数字が日本語と合いません（日本語にあって訳にない: 「0865-67-0211」／訳にあって日本語にない: 「0865-67-0212」）',
    );
    expect(text).toContain('href="#f.cost.text"');
    // What was written stays in the box, to be fixed.
    expect(text).toContain('TEL 0865-67-0212');
    expect(text).not.toContain('直すまで、ここは代わりの言語で出します');
    expectStaffWords(text);
    expect(await a.knowledge.store.current()).toBe(1);
    expect(enCost(b)).toContain('fees or reductions');
  });

  it('refuses やさしい日本語 that breaks its writing rules', async () => {
    const easy = a.knowledge.live.core().kb.languages.get('ja-easy')!.entries.get(ENTRY)!.facets.cost!.text;
    const { res, text } = await send(EASY_PAGE, { 'f.cost.text': `${easy}\n利用の申請は事前に必要です。`, message: '手続きを追加' }, 'preview');
    expect(res.status).toBe(200);
    expect(text).toContain('直す必要があるところ');
    expect(text).toContain('やさしい日本語の訳 ／ 料金 › 本文</a>：やさしい日本語の書き方:');
    expect(text).toContain('申請');
    expectStaffWords(text);
    expect(await a.knowledge.store.current()).toBe(1);
  });

  it('checks and previews a good translation as the English card, without publishing it', async () => {
    const { res, text } = await send(EN_PAGE, { 'f.cost.text': GOOD_EN }, 'preview');
    expect(res.status).toBe(200);
    expect(text).toContain('問題は見つかりませんでした');
    expect(text).toContain('英語を選んだ保護者にLINEで届くカード');
    expect(text).toContain('(edited in the console)');
    expect(text).toMatch(/data-line-messages="\[\{&quot;type&quot;:&quot;flex&quot;/);
    expect(await a.knowledge.store.current()).toBe(1);
  });

  it('publishes it in the staff member’s name; the other instance answers with it at once; the history shows it; rollback undoes it', async () => {
    expect(await askBInEnglish()).toContain('fees or reductions');
    const { res } = await send(EN_PAGE, { 'f.cost.text': GOOD_EN, message: '病児保育の料金の訳を直した' }, 'publish');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/kb/versions/2?m=published');
    await expect.poll(() => b.knowledge.live.version(), { timeout: 10_000 }).toBe(2);
    expect(enCost(b)).toBe(GOOD_EN);
    expect(await askBInEnglish()).toContain('(edited in the console)');

    const diff = (await staff.get('/console/kb/versions/2')).text;
    expect(diff).toContain('英語の訳：病児・病後児保育');
    expect(diff).toContain('料金 › 本文');
    expect(diff).toMatch(/<ins>[^<]*edited[^<]*<\/ins>/);
    const history = (await staff.get('/console/kb/versions')).text;
    expect(history).toContain('病児保育の料金の訳を直した');
    expect(history).toContain('田中 さん');
    expect((await a.knowledge.store.get(2))!.author).toBe(STAFF.username);

    // Sent back as it is now: nothing new to publish.
    const same = await send(EN_PAGE, { message: '変更なし' }, 'publish');
    expect(same.res.headers.get('location')).toBe(`${EN_PAGE}?m=unchanged`);

    const back = await staff.post('/console/kb/versions/1/rollback');
    expect(back.res.status).toBe(303);
    await expect.poll(() => b.knowledge.live.version(), { timeout: 10_000 }).toBe(3);
    expect(enCost(b)).toContain('fees or reductions');
    expect(await askBInEnglish()).not.toContain('(edited in the console)');
  }, 120_000);

  it('offers to fix a translation the Japanese left behind: the old words in the box, the Japanese that changed beside', async () => {
    // A Japanese edit with a new fee: the translations of that facet no longer carry its numbers and are set aside.
    const jaPath = `/console/kb/entries/${ENTRY}`;
    const JA_COST = '料金は1日2,000円です（テスト用の文）。子育て支援課（TEL 0865-69-2132）にお問い合わせください。';
    const jaPage = await staff.get(jaPath);
    const jaFields = setField(setField(formFields(jaPage.text, jaPath), 'f.cost.text', JA_COST), 'message', '料金を更新');
    const published = await postFields(staff, jaPath, [...jaFields, ['action', 'publish']]);
    expect(published.res.status).toBe(303);
    const n = Number(/versions\/(\d+)/.exec(published.res.headers.get('location')!)![1]);
    await expect.poll(() => b.knowledge.live.version(), { timeout: 10_000 }).toBe(n);
    expect(enCost(b)).toBeUndefined();

    const entry = (await staff.get(jaPath)).text;
    expect(entry).toContain('英語の訳のずれを直す');
    // The freshness page lists it too, with the way to its form.
    const fresh = (await staff.get('/console/kb/freshness')).text;
    expect(fresh).toContain(`<a href="${EN_PAGE}">英語の訳：病児・病後児保育</a>（1か所）`);
    expect(fresh).toContain('ベトナム語の訳：病児・病後児保育');
    const { text } = await staff.get(EN_PAGE);
    expect(text).toContain('日本語と合わなくなった訳（1件）');
    expect(text).toContain('料金 › 本文：数字が日本語と合いません');
    // The Japanese as it was when the translation was written, and as it is now, word by word.
    expect(text).toContain('変わった日本語：料金 › 本文');
    expect(text).toMatch(/<ins>[^<]*2,000[^<]*<\/ins>/);
    expect(text).toMatch(/<del>[^<]*<\/del>/);
    expect(text).toMatch(/<textarea id="f\.cost\.text" name="f\.cost\.text"[^>]*>\nWe could not confirm the fees or reductions/);
    expectStaffWords(text);

    const FIXED = 'The fee is 2,000 yen for 1 day (test sentence). Please ask the Child-rearing Support Division (TEL 0865-69-2132).';
    const fixed = await send(EN_PAGE, { 'f.cost.text': FIXED, message: '料金の訳を日本語に合わせた' }, 'publish');
    expect(fixed.res.status).toBe(303);
    await expect.poll(() => b.knowledge.live.version(), { timeout: 10_000 }).toBe(n + 1);
    expect(enCost(b)).toBe(FIXED);
    expect(
      b.knowledge.live
        .core()
        .kb.languages.get('en')!
        .stale.filter((s) => s.file.endsWith(`/${ENTRY}.yaml`)),
    ).toEqual([]);
    expect(await askBInEnglish()).toContain('2,000 yen for 1 day (test sentence)');
    // The other languages are still set aside, and say so.
    expect((await staff.get(jaPath)).text).toContain('ベトナム語の訳のずれを直す');
    const after = (await staff.get('/console/kb/freshness')).text;
    expect(after).not.toContain('英語の訳：病児・病後児保育');
    expect(after).toContain('ベトナム語の訳：病児・病後児保育');
  }, 120_000);
});
