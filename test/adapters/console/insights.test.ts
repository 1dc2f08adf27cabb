import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, SECRET, STAFF, startStaffedInstance, type Instance } from '../../support/console.js';
import { REPLY, type LineStub } from '../../support/line-stub.js';
import { newUserId, postbackEvent, sendEvents, textEvent } from '../../support/webhook-client.js';

let stub: LineStub;
let app: Instance;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ stub, app, close } = await startStaffedInstance());
});
afterAll(() => close());

async function parent(...texts: string[]) {
  const userId = newUserId();
  for (const t of texts) {
    const before = stub.callsTo(REPLY).length;
    await sendEvents(app.url, [t.startsWith('pb:') ? postbackEvent(t.slice(3), { userId }) : textEvent(t, { userId })], SECRET);
    await stub.waitForCalls(before + 1, { path: REPLY });
  }
  await app.parts.app.drain();
}

describe('what parents asked that the bot could not answer', () => {
  it('lists similar questions together, most frequent first, with personal data masked', async () => {
    await parent('市民プールは何時まで開いてますか？ 090-1234-5678');
    await parent('市民プールって何時まで開いてる？');
    await parent('プールの監視員のアルバイトを探してます');
    const c = new ConsoleClient(app.url);
    expect((await c.signIn(STAFF.username, STAFF.password)).status).toBe(303);
    const { res, text } = await c.get('/console/insights/unanswered');
    expect(res.status).toBe(200);
    expect(text).toContain('［電話番号］');
    expect(text).not.toContain('090-1234-5678');
    const first = text.indexOf('2件');
    expect(first).toBeGreaterThan(0);
    expect(text.indexOf('市民プール')).toBeGreaterThan(first);
  });
});

describe('learning from an unanswered question', () => {
  it('checks and previews first, publishes only on a second step, and the question then leaves the list and is answered', async () => {
    const question = '赤ちゃんの爪切りはどうやったらいい？';
    await parent(question, '別のことを聞きます');
    const c = new ConsoleClient(app.url);
    await c.signIn(STAFF.username, STAFF.password);
    const page = await c.get('/console/insights/unanswered');
    // Kept as masked, NFKC-normalised text (？ → ?).
    const logged = question.normalize('NFKC');
    expect(page.text).toContain(logged);
    const version = app.knowledge.live.version()!;

    // Choosing the service publishes nothing: it shows what would change and asks.
    const checked = await c.post('/console/insights/unanswered/example', { intent: 'parenting-consultation', text: logged });
    expect(checked.res.status).toBe(200);
    expect(checked.text).toContain('例文に追加する前の確認');
    expect(checked.text).toMatch(/追加した後<\/dt><dd>「育児・子育ての相談」の[^<]+で答える<\/dd>/);
    expect(checked.text).toContain('基準を満たしています');
    expect(app.knowledge.live.version()).toBe(version);
    const base = /name="base" value="(\d+)"/.exec(checked.text)![1]!;
    expect(Number(base)).toBe(version);

    const { res } = await c.post('/console/insights/unanswered/example', { intent: 'parenting-consultation', text: logged, base, action: 'publish' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('m=added');
    await expect.poll(() => app.knowledge.live.core().kb.intents.get('parenting-consultation')!.examples.includes(logged), { timeout: 10_000 }).toBe(true);
    expect((await c.get('/console/insights/unanswered')).text).not.toContain(logged);

    // The same confirmation sent again, on a version that is no longer the newest, publishes nothing.
    const again = await c.post('/console/insights/unanswered/example', { intent: 'parenting-consultation', text: `${logged}。`, base, action: 'publish' });
    expect(again.res.status).toBe(422);
    expect(again.text).toContain('別の版が公開されました');

    const userId = newUserId();
    const before = stub.callsTo(REPLY).length;
    await sendEvents(app.url, [textEvent(question, { userId })], SECRET);
    const calls = await stub.waitForCalls(before + 1, { path: REPLY });
    expect(JSON.stringify(calls.at(-1)!.body)).toContain('育児・子育ての相談');
  }, 60_000);

  it('never offers a call for help, a request for a person or small talk as an example, and refuses one sent anyway', async () => {
    const asks = ['子どもが息をしていない', '担当の人と話したいです', 'どうもありがとねー'];
    // Logged as unanswered the way a parent's words get there: marked 役に立たなかった after an answer.
    for (const text of asks) await app.parts.unanswered.record({ at: Date.now(), kind: 'feedback_down', text, intents: [] });
    const c = new ConsoleClient(app.url);
    await c.signIn(STAFF.username, STAFF.password);
    const { text: page } = await c.get('/console/insights/unanswered');
    for (const [text, why] of [
      [asks[0], '緊急の相談として扱われる言葉なので、例文にはできません'],
      [asks[1], '担当者への取り次ぎを頼む言葉なので、例文にはできません'],
      [asks[2], 'あいさつ・お礼などの言葉なので、例文にはできません'],
    ] as const) {
      const item = page.slice(page.indexOf(`<strong>${text}</strong>`));
      expect(item.slice(0, item.indexOf('</li>'))).toContain(why);
      expect(item.slice(0, item.indexOf('</li>'))).not.toContain('<form');
    }
    const version = app.knowledge.live.version();
    const sent = await c.post('/console/insights/unanswered/example', { intent: 'sick-child-care', text: asks[0]! });
    expect(sent.text).toContain('緊急の相談として扱われる言葉なので、例文にはできません');
    expect(sent.text).not.toContain('value="publish"');
    const forced = await c.post('/console/insights/unanswered/example', {
      intent: 'sick-child-care',
      text: asks[0]!,
      base: String(version),
      action: 'publish',
    });
    expect(forced.res.status).toBe(422);
    expect(app.knowledge.live.version()).toBe(version);
  }, 60_000);
});

describe('figures for the yearly review', () => {
  it('shows the month’s questions and rates, and exports them as CSV that opens in Excel', async () => {
    await parent('病児保育について教えて', 'pb:a=fb&i=sick-child-care&v=up');
    const c = new ConsoleClient(app.url);
    await c.signIn(STAFF.username, STAFF.password);
    const { text } = await c.get('/console/insights/figures');
    expect(text).toContain('利用状況');
    expect(text).toContain('<svg');
    expect(text).toContain('病児・病後児保育');
    const csv = await fetch(`${app.url}/console/insights/figures.csv`, { headers: { cookie: c.cookieHeader() } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const body = Buffer.from(await csv.arrayBuffer());
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(body.toString('utf8')).toContain('病児・病後児保育');
  });
});
