import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF, ConsoleClient, startStaffedInstance, type Instance } from '../../support/console.js';
import { formFields, postFields, setField, uploadCsv } from '../../support/forms.js';
import { japaneseDay } from '../../../src/core/knowledge/dates.js';
import { japanDate } from '../../../src/core/knowledge/freshness.js';

// One instance with the memory store: the console's knowledge-base pages end to end over HTTP.
let app: Instance;
const client = () => new ConsoleClient(app.url);
let staff: ConsoleClient;

let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, close } = await startStaffedInstance());
  staff = client();
  expect((await staff.signIn(STAFF.username, STAFF.password)).status).toBe(303);
});
afterAll(() => close());

const COST = '料金は1日2,000円です（テスト用の文）。子育て支援課（TEL 0865-69-2132）にお問い合わせください。';
const costText = () => app.knowledge.live.core().kb.entries.get('sick-child-care')!.facets.cost!.text;

describe('knowledge base in the console', () => {
  it('checks the form token of a multipart upload too: refused in Japanese without it or with a wrong one', async () => {
    await staff.get('/console/kb/csv');
    const upload = (token: string | null) => {
      const form = new FormData();
      if (token !== null) form.set('_csrf', token);
      form.set('message', '取り込み');
      form.set('file', new Blob([]), '空.csv');
      return fetch(`${app.url}/console/kb/csv/import`, { method: 'POST', redirect: 'manual', headers: { cookie: staff.cookieHeader() }, body: form });
    };
    for (const token of [null, 'x'.repeat(43)]) {
      const refused = await upload(token);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('ページを開いてから時間がたったか、正しくない送信です。');
    }
    // With the page's token the upload gets as far as the file check.
    const checked = await upload(staff.csrf);
    expect(checked.status).toBe(400);
    expect(await checked.text()).toContain('CSVファイルを選んでください。');
  });

  it('lists and searches entries', async () => {
    const { res, text } = await staff.get('/console/kb?q=%E7%97%85%E5%85%90');
    expect(res.status).toBe(200);
    expect(text).toContain('href="/console/kb/entries/sick-child-care"');
    expect(text).not.toContain('href="/console/kb/entries/birth-money"');
    expect(text).toContain('版1');
  });

  it('changes nothing when every entry form is sent back as it was shown (order, multi-line examples and all)', async () => {
    for (const id of app.knowledge.live.core().kb.entries.keys()) {
      const page = await staff.get(`/console/kb/entries/${id}`);
      const fields = setField(formFields(page.text, `/console/kb/entries/${id}`), 'message', '変更なし');
      const { res } = await postFields(staff, `/console/kb/entries/${id}`, [...fields, ['action', 'publish']]);
      expect(res.headers.get('location'), id).toBe(`/console/kb/entries/${id}?m=unchanged`);
    }
    expect(await app.knowledge.store.current()).toBe(1);
  });

  it('checks and previews an edit without publishing it', async () => {
    const page = await staff.get('/console/kb/entries/sick-child-care');
    const fields = setField(formFields(page.text, '/console/kb/entries/sick-child-care'), 'f.cost.text', COST);
    const { res, text } = await postFields(staff, '/console/kb/entries/sick-child-care', [...fields, ['action', 'preview']]);
    expect(res.status).toBe(200);
    expect(text).toContain('問題は見つかりませんでした');
    expect(text).toContain('基準を満たしています');
    // The preview is the LINE message JSON, escaped into an attribute for flex.js.
    expect(text).toMatch(/data-line-messages="\[\{&quot;type&quot;:&quot;flex&quot;/);
    expect(text).toContain('1日2,000円');
    // The translations of that text (en, vi, zh, ja-easy) lose its numbers: publishing is allowed, staff are told which fall back.
    expect(text).toContain('外国語・やさしい日本語の訳 4件が日本語と合わなくなります');
    expect(text).toContain('英語の訳：病児・病後児保育 ／ 料金 › 本文</span>：数字が日本語と合いません（日本語にあって訳にない: 「1」、「2,000」');
    expect(text).not.toContain('languages/');
    expect(app.knowledge.live.version()).toBe(1);
  });

  it('refuses a facet without a source with a reason staff can act on, and keeps serving the live version', async () => {
    const page = await staff.get('/console/kb/entries/sick-child-care');
    const fields = setField(setField(formFields(page.text, '/console/kb/entries/sick-child-care'), 'f.cost.sources', null), 'f.cost.text', COST);
    const { res, text } = await postFields(staff, '/console/kb/entries/sick-child-care', [...setField(fields, 'message', '出典を外す'), ['action', 'publish']]);
    expect(res.status).toBe(422);
    expect(text).toContain('直す必要があるところ');
    expect(text).toContain('料金 › 出典');
    expect(text).toContain('出典（sources）が必要です');
    expect(text).toContain('href="#f.cost.sources-fieldset"');
    expect(app.knowledge.live.version()).toBe(1);
    expect(costText()).not.toContain('2,000円');
  });

  it('refuses an example that the bot would give to another intent', async () => {
    const page = await staff.get('/console/kb/entries/greeting');
    const fields = formFields(page.text, '/console/kb/entries/greeting');
    const examples = fields.find(([n]) => n === 'examples')![1] + '\n病児保育の料金はいくらですか';
    const { res, text } = await postFields(staff, '/console/kb/entries/greeting', [
      ...setField(setField(fields, 'examples', examples), 'message', 'x'),
      ['action', 'publish'],
    ]);
    expect(res.status).toBe(422);
    expect(text).toContain('例文「病児保育の料金はいくらですか」は sick-child-care に判定されます');
    expect(app.knowledge.live.version()).toBe(1);
  });

  it('publishes, shows the change in the history, and rolls back', async () => {
    const page = await staff.get('/console/kb/entries/sick-child-care');
    const fields = setField(formFields(page.text, '/console/kb/entries/sick-child-care'), 'f.cost.text', COST);
    const published = await postFields(staff, '/console/kb/entries/sick-child-care', [...setField(fields, 'message', '料金を更新'), ['action', 'publish']]);
    expect(published.res.status).toBe(303);
    expect(published.res.headers.get('location')).toBe('/console/kb/versions/2?m=published');
    await expect.poll(() => app.knowledge.live.version()).toBe(2);
    expect(costText()).toBe(COST);
    // Each language's answer is on the page for review: the cost facet's translations no longer match, so they are set
    // aside and the parent reading English gets the Japanese there; the rest stays translated.
    const review = (await staff.get('/console/kb/entries/sick-child-care')).text;
    const english = review.slice(review.indexOf('<strong>英語</strong>'), review.indexOf('</details>', review.indexOf('<strong>英語</strong>')));
    expect(english).toContain('訳のずれ 1件');
    expect(english).toContain('料金 › 本文：数字が日本語と合いません');
    expect(english).toMatch(/料金<br><span class="muted">（日本語で表示）<\/span><\/dt><dd class="msg__text">料金は1日2,000円です/);
    expect(english).toContain(app.knowledge.live.core().kb.languages.get('en')!.entries.get('sick-child-care')!.facets.overview!.text.slice(0, 24));

    const diff = await staff.get('/console/kb/versions/2');
    expect(diff.text).toContain('病児・病後児保育');
    expect(diff.text).toContain('料金 › 本文');
    expect(diff.text).toMatch(/<ins>[^<]*2,000[^<]*<\/ins>/);
    const history = await staff.get('/console/kb/versions');
    expect(history.text).toContain('料金を更新');
    expect(history.text).toContain('田中 さん');

    // Signed in is not enough: without the page's form token nothing is rolled back.
    expect((await staff.post('/console/kb/versions/1/rollback', { _csrf: null })).res.status).toBe(403);
    const back = await staff.post('/console/kb/versions/1/rollback');
    expect(back.res.status).toBe(303);
    await expect.poll(() => app.knowledge.live.version()).toBe(3);
    expect(costText()).not.toContain('2,000円');
    expect((await staff.get('/console/kb/versions')).text).toContain('版1に戻しました');
  });

  it('lists facts to re-check, oldest first', async () => {
    const { text } = await staff.get('/console/kb/freshness');
    expect(text).toContain('確認が必要な情報');
    expect(text).toContain('未確認の回答: 料金');
  });

  it('exports a spreadsheet and refuses an import with a broken row, changing nothing', async () => {
    const res = await fetch(`${app.url}/console/kb/csv/export`, { headers: { cookie: staff.cookieHeader() } });
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="kosodate-kb-v3\.csv"/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    const broken = bytes.toString('utf8').replace(/2026-11-29/, '11月29日');
    const out = await upload(Buffer.from(broken, 'utf8'), 'kb.csv');
    expect(out.status).toBe(400);
    expect(out.text).toMatch(/<td>\d+行目<\/td><td>確認日<\/td>/);
    expect(app.knowledge.live.version()).toBe(3);
  });

  it('imports an edited Shift_JIS spreadsheet through the same checks', async () => {
    const res = await fetch(`${app.url}/console/kb/csv/export`, { headers: { cookie: staff.cookieHeader() } });
    const text = Buffer.from(await res.arrayBuffer())
      .subarray(3)
      .toString('utf8');
    // One entry's rows (Shift_JIS cannot hold every character of the others), one answer changed.
    const [header, ...lines] = text.split(/\r\n(?=[a-z-]+#)/);
    const rows = lines.filter((l) => l.startsWith('sick-child-care#'));
    const edited = rows.map((r) => (r.startsWith('sick-child-care#cost') ? r.replace(/^([^,]*,[^,]*,)("(?:[^"]|"")*"|[^,]*)/, `$1"${COST}"`) : r));
    const out = await upload(iconv.encode([header, ...edited].join('\r\n'), 'cp932'), 'kb-sjis.csv');
    expect(out.status).toBe(303);
    await expect.poll(() => app.knowledge.live.version()).toBe(4);
    expect(costText()).toBe(COST);
  });

  it('edits a rule with an effective date: checked, previewed as the coming rule, published, sent back unchanged, removed', async () => {
    const url = '/console/kb/entries/medical-subsidy';
    const statements = () => app.knowledge.live.core().kb.entries.get('medical-subsidy')!.facets.who!.statements;
    // 30 days from the server's today: within the 60 days in which the coming rule is told beside today's.
    const from = japanDate(Date.now() + 30 * 86_400_000);
    const RULE = '入院・通院とも22歳まで（テスト用の文）。';
    const withRule = (date: string) => setField(setField(formFields(page.text, url), 'f.who.st.0.text', RULE), 'f.who.st.0.from', date);
    let page = await staff.get(url);
    expect(page.text).toContain('id="f.who.st.0.from"');

    const wrong = await postFields(staff, url, [...setField(withRule('2027/01/15'), 'message', '日付の誤り'), ['action', 'publish']]);
    expect(wrong.res.status).toBe(422);
    expect(wrong.text).toContain('対象 › 期間つきの文 › 1件目 › 開始日');
    expect(wrong.text).toContain('href="#f.who.st.0.from"');

    const preview = await postFields(staff, url, [...withRule(from), ['action', 'preview']]);
    expect(preview.res.status).toBe(200);
    expect(preview.text).toContain(`【${japaneseDay(from)}から】${RULE}`);

    const published = await postFields(staff, url, [...setField(withRule(from), 'message', '制度改正の予告'), ['action', 'publish']]);
    expect(published.res.status).toBe(303);
    await expect.poll(() => app.knowledge.live.version()).toBe(5);
    expect(statements()).toEqual([{ text: RULE, from }]);
    // Within 60 days of its start, the freshness page lists it for a look at the source.
    expect((await staff.get('/console/kb/freshness')).text).toContain(`対象「${RULE}」${from}から（まもなくです。`);

    page = await staff.get(url);
    const same = await postFields(staff, url, [...setField(formFields(page.text, url), 'message', '変更なし'), ['action', 'publish']]);
    expect(same.res.headers.get('location')).toBe(`${url}?m=unchanged`);

    const removed = await postFields(staff, url, [
      ...setField(setField(formFields(page.text, url), 'f.who.st.0.remove', 'on'), 'message', '予告を取り下げ'),
      ['action', 'publish'],
    ]);
    expect(removed.res.status).toBe(303);
    await expect.poll(() => app.knowledge.live.version()).toBe(6);
    expect(statements()).toEqual([]);
    // Four runs of the publish pipeline (each builds and checks a core): more than the default 20 s on a busy machine.
  }, 90_000);
});

const upload = (bytes: Buffer, name: string) => uploadCsv(staff, bytes, name);
