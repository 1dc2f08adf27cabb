import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, SECRET, STAFF, startStaffedInstance, type Instance } from '../../support/console.js';
import { REPLY, type LineStub } from '../../support/line-stub.js';
import { newUserId, sendEvents, textEvent } from '../../support/webhook-client.js';

let stub: LineStub;
let app: Instance;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ stub, app, close } = await startStaffedInstance());
});
afterAll(() => close());

const EXAMPLES = [
  '紙おむつの支給はありますか',
  'おむつ代の補助って笠岡にある？',
  'おむつを市からもらえる制度',
  'かみおむつ　もらえる',
  '紙オムツの給付の申し込み',
  'おむつ券みたいなのある？',
  '赤ちゃんのおむつ代が高いけど助成ない？',
  'おむつの現物支給',
  'オムツ配布してもらえるん？',
  '紙おむつ支給の対象は何歳まで',
];

describe('starting a new entry', () => {
  it('checks the form, publishes a new entry whose details are marked unconfirmed, and the bot answers with it', async () => {
    const c = new ConsoleClient(app.url);
    await c.signIn(STAFF.username, STAFF.password);
    const form = await c.get(`/console/kb/new?question=${encodeURIComponent('紙おむつの支給はありますか')}`);
    expect(form.text).toContain('紙おむつの支給はありますか');

    const tooFew = await c.post('/console/kb/new', {
      id: 'diaper',
      title: '紙おむつの支給',
      summary: 'おむつ',
      overview: 'x',
      sourceUrl: 'https://example.jp',
      sourceTitle: 't',
      checked: '2026-11-29',
      examples: 'a\nb',
      message: 'm',
    });
    expect(tooFew.res.status).toBe(400);
    expect(tooFew.text).toContain('10個以上');

    const { res } = await c.post('/console/kb/new', {
      id: 'diaper-support',
      title: '紙おむつの支給',
      summary: '乳児のいる家庭への紙おむつの支給についての案内です。',
      topic: 'okane',
      need: 'okane',
      overview: '（テスト用の文）紙おむつの支給についての案内です。',
      sourceUrl: 'https://www.city.kasaoka.okayama.jp/',
      sourceTitle: '笠岡市 公式サイト（テスト）',
      checked: '2026-11-29',
      examples: EXAMPLES.join('\n'),
      message: '答えられなかった質問から新しい項目',
    });
    expect(res.status).toBe(303);
    await expect.poll(() => app.knowledge.live.core().kb.entries.has('diaper-support'), { timeout: 10_000 }).toBe(true);

    const before = stub.callsTo(REPLY).length;
    await sendEvents(app.url, [textEvent('おむつの支給ってありますか', { userId: newUserId() })], SECRET);
    const calls = await stub.waitForCalls(before + 1, { path: REPLY });
    const body = JSON.stringify(calls.at(-1)!.body);
    expect(body).toContain('紙おむつの支給');
  }, 120_000);
});
