import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, SECRET, STAFF, startStaffedInstance, type Instance } from '../../support/console.js';
import { formFields, postFields, setField } from '../../support/forms.js';
import { REPLY, type LineStub } from '../../support/line-stub.js';
import { visibleText } from '../../support/visible-text.js';
import { newUserId, postbackEvent, sendEvents, textEvent } from '../../support/webhook-client.js';

// A language's fixed sentences (greetings, buttons, handoff messages) edited in the console beside the Japanese: the
// same checks as kb:check (numbers, {placeholders}, button lengths), published and answered with at once.
let stub: LineStub;
let app: Instance;
let staff: ConsoleClient;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ stub, app, close } = await startStaffedInstance());
  staff = new ConsoleClient(app.url);
  expect((await staff.signIn(STAFF.username, STAFF.password)).status).toBe(303);
});
afterAll(() => close());

const EN = '/console/kb/copy/en';

async function send(changes: Record<string, string>, action: 'preview' | 'publish', path = EN) {
  const page = await staff.get(path);
  expect(page.res.status).toBe(200);
  let fields = formFields(page.text, path);
  for (const [k, v] of Object.entries(changes)) fields = setField(fields, k, v);
  return postFields(staff, path, [...fields, ['action', action]]);
}

/** What the bot says to a parent who switches to English. */
async function switchToEnglish(): Promise<string | undefined> {
  const userId = newUserId();
  const before = stub.callsTo(REPLY).length;
  expect((await sendEvents(app.url, [postbackEvent('a=lang&l=en', { userId })], SECRET)).status).toBe(200);
  const calls = await stub.waitForCalls(before + 1, { path: REPLY });
  return (calls.at(-1)!.body as { messages: { text?: string }[] }).messages[0]?.text;
}

describe('fixed sentences translated in the console', () => {
  it('lists each language with how much is translated, and shows each sentence beside its Japanese', async () => {
    const list = (await staff.get('/console/kb/copy')).text;
    expect(list).toContain(`<a href="${EN}">英語</a>`);
    expect(list).toMatch(/<a href="\/console\/kb\/copy\/en">英語<\/a><\/td><td>\d+ ／ \d+<\/td>/);
    const { res, text } = await staff.get(EN);
    expect(res.status).toBe(200);
    expect(text).toContain('決まった文の英語の訳');
    expect(text).toContain('友だち追加ありがとうございます。');
    expect(text).toMatch(/<textarea id="c\.follow\.thanks" name="c\.follow\.thanks"[^>]*>\nThank you for adding us as a friend\.<\/textarea>/);
    expect(visibleText(text)).not.toMatch(/languages\/|\.ya?ml\b|follow\.thanks/);
  });

  it('changes nothing when the form is sent back as shown', async () => {
    const { res } = await send({ message: '変更なし' }, 'publish');
    expect(res.headers.get('location')).toBe(`${EN}?m=unchanged`);
    expect(await app.knowledge.store.current()).toBe(1);
  });

  it('refuses a sentence that drops a {placeholder} and a button label too long for LINE, naming each', async () => {
    const { res, text } = await send(
      {
        'c.erase.failed': 'Sorry, we could not delete your records. Please send "Delete my data" once more.',
        'c.labels.handoff': 'Talk to a member of our staff',
        message: '文を直した',
      },
      'publish',
    );
    expect(res.status).toBe(422);
    expect(text).toContain('公開中の内容は変わっていません');
    expect(text).toMatch(/英語の訳 ／ 記録の削除 \d+<\/a>：差し込み（\{…\}）が日本語と違います: 日本語 \{concierge\}、訳 なし/);
    expect(text).toMatch(/英語の訳 ／ ボタンの文字 \d+<\/a>：ボタンの文字が29文字です/);
    expect(text).toContain('href="#c.labels.handoff"');
    expect(visibleText(text)).not.toMatch(/languages\/|\.ya?ml\b|labels\.handoff|erase\.failed/);
    expect(await app.knowledge.store.current()).toBe(1);
  });

  it('publishes a good one, and the bot says it at once', async () => {
    expect(await switchToEnglish()).toBe('I will answer in English.');
    const checked = await send({ 'c.languageSwitched': 'From now on I will answer in English.' }, 'preview');
    expect(checked.text).toContain('問題は見つかりませんでした');
    const { res } = await send({ 'c.languageSwitched': 'From now on I will answer in English.', message: '切り替えの文' }, 'publish');
    expect(res.headers.get('location')).toBe('/console/kb/versions/2?m=published');
    await expect.poll(() => app.knowledge.live.version()).toBe(2);
    expect(await switchToEnglish()).toBe('From now on I will answer in English.');
    const diff = (await staff.get('/console/kb/versions/2')).text;
    expect(diff).toContain('英語の訳：決まった文');
  }, 60_000);

  it('edits an emergency card in English the same way: a changed number refused, good words live at once', async () => {
    const EMERGENCY = '/console/kb/emergency/en';
    const list = (await staff.get('/console/kb/emergency')).text;
    expect(list).toContain(`<a href="${EMERGENCY}">英語</a>`);
    const page = (await staff.get(EMERGENCY)).text;
    expect(page).toContain('緊急時の案内「今すぐ119番へ」 見出し');
    expect(page).toMatch(/<textarea id="c\.guidance\.medical\.title" name="c\.guidance\.medical\.title"[^>]*>\nCall 119 now<\/textarea>/);
    expect(visibleText(page)).not.toMatch(/languages\/|\.ya?ml\b|guidance\.medical/);
    const version = await app.knowledge.store.current();

    const refused = await send({ 'c.guidance.medical.title': 'Call 911 now', message: '見出し' }, 'publish', EMERGENCY);
    expect(refused.res.status).toBe(422);
    expect(refused.text).toContain('英語の訳 ／ 緊急時の案内「今すぐ119番へ」 見出し</a>：数字が日本語と合いません（日本語にあって訳にない: 「119」');
    expect(await app.knowledge.store.current()).toBe(version);

    const TITLE = 'Call 119 right now';
    const { res } = await send({ 'c.guidance.medical.title': TITLE, message: '緊急の見出しの英語' }, 'publish', EMERGENCY);
    expect(res.status).toBe(303);
    await expect.poll(() => app.knowledge.live.core().kb.languages.get('en')!.emergency.medical?.title).toBe(TITLE);
    const userId = newUserId();
    const before = stub.callsTo(REPLY).length;
    expect((await sendEvents(app.url, [textEvent('my baby is not breathing', { userId })], SECRET)).status).toBe(200);
    const calls = await stub.waitForCalls(before + 1, { path: REPLY });
    expect(JSON.stringify(calls.at(-1)!.body)).toContain(TITLE);
  }, 60_000);

  it('keeps another person’s sentences published meanwhile, and stops on the same sentence changed meanwhile', async () => {
    // Two staff members open the English sentences at the same version.
    const other = new ConsoleClient(app.url);
    expect((await other.signIn(STAFF.username, STAFF.password)).status).toBe(303);
    const mine = formFields((await staff.get(EN)).text, EN);
    const theirs = formFields((await other.get(EN)).text, EN);

    // They publish one sentence; then this one publishes another, from the older page: both stay.
    const first = await postFields(other, EN, [
      ...setField(setField(theirs, 'c.menuPick', 'Please pick what you want to know.'), 'message', 'a'),
      ['action', 'publish'],
    ]);
    expect(first.res.status).toBe(303);
    const second = await postFields(staff, EN, [
      ...setField(setField(mine, 'c.clarify', 'Which one do you mean? Choose the closest.'), 'message', 'b'),
      ['action', 'publish'],
    ]);
    expect(second.res.status).toBe(303);
    await app.knowledge.live.refresh();
    const copy = app.knowledge.live.core().kb.languages.get('en')!.copy;
    expect([copy.menuPick, copy.clarify]).toEqual(['Please pick what you want to know.', 'Which one do you mean? Choose the closest.']);

    // From the older page again, the sentence they changed: stopped, with the words kept, nothing published.
    const version = await app.knowledge.store.current();
    const clash = await postFields(staff, EN, [...setField(setField(mine, 'c.menuPick', 'Choose, please.'), 'message', 'c'), ['action', 'publish']]);
    expect(clash.res.status).toBe(409);
    expect(clash.text).toContain('編集している間に別の人が変更して公開しました');
    expect(clash.text).toContain('Choose, please.');
    expect(await app.knowledge.store.current()).toBe(version);
  }, 60_000);
});
