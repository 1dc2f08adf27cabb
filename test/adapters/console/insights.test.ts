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
  it('adds it as an example of an intent, publishes through the checks, and the bot answers it next time', async () => {
    const question = '赤ちゃんの爪切りはどうやったらいい？';
    await parent(question, '別のことを聞きます');
    const c = new ConsoleClient(app.url);
    await c.signIn(STAFF.username, STAFF.password);
    const page = await c.get('/console/insights/unanswered');
    // Kept as masked, NFKC-normalised text (？ → ?).
    const logged = question.normalize('NFKC');
    expect(page.text).toContain(logged);
    const { res } = await c.post('/console/insights/unanswered/example', { intent: 'parenting-consultation', text: logged });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('m=added');
    await expect.poll(() => app.knowledge.live.core().kb.intents.get('parenting-consultation')!.examples.includes(logged), { timeout: 10_000 }).toBe(true);
    const userId = newUserId();
    const before = stub.callsTo(REPLY).length;
    await sendEvents(app.url, [textEvent(question, { userId })], SECRET);
    const calls = await stub.waitForCalls(before + 1, { path: REPLY });
    expect(JSON.stringify(calls.at(-1)!.body)).toContain('育児・子育ての相談');
  }, 30_000);
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
