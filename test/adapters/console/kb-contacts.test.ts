import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyState } from '../../../src/core/conversation/types.js';
import { STAFF, ConsoleClient, startStaffedInstance, type Instance } from '../../support/console.js';
import { formFields, postFields, setField } from '../../support/forms.js';

// One instance with the memory store: the phone ledger in the console, end to end over HTTP through the publish pipeline.
let app: Instance;
let staff: ConsoleClient;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, close } = await startStaffedInstance());
  staff = new ConsoleClient(app.url);
  expect((await staff.signIn(STAFF.username, STAFF.password)).status).toBe(303);
});
afterAll(() => close());

const kb = () => app.knowledge.live.core().kb;
const FORM = (id: string) => `/console/kb/contacts/${id}`;
const NEW = '/console/kb/contacts/new';
// A number made up for the test (no real office has it): what a staff member would type from a new source.
const TEL = '0865-69-9999';
const ENTRY = '/console/kb/entries/support-hub';

describe('the phone ledger in the console', () => {
  it('lists every contact with its number, date and where it is used, linked from the knowledge-base pages', async () => {
    const { res, text } = await staff.get('/console/kb/contacts');
    expect(res.status).toBe(200);
    expect(text).toContain('href="/console/kb/contacts/kosodate-shien"');
    expect(text).toContain('0865-69-1011');
    expect(text).toContain('2020年時点');
    expect((await staff.get('/console/kb')).text).toContain('href="/console/kb/contacts"');
    const form = await staff.get(FORM('shinkawa'));
    expect(form.text).toContain('href="/console/kb/facilities/shinkawa-kodomoen"');
  });

  it('changes nothing when every contact form is sent back as it was shown', async () => {
    for (const id of kb().contacts.keys()) {
      const page = await staff.get(FORM(id));
      const fields = setField(formFields(page.text, FORM(id)), 'message', '変更なし');
      const { res } = await postFields(staff, FORM(id), [...fields, ['action', 'publish']]);
      expect(res.headers.get('location'), id).toBe(`${FORM(id)}?m=unchanged`);
    }
    expect(await app.knowledge.store.current()).toBe(1);
  }, 120_000); // each send parses the whole knowledge base twice (the base and the draft)

  it('a new number in an answer is refused with a link to add it to the ledger, the number filled in', async () => {
    const page = await staff.get(ENTRY);
    const text = `子育てひろばの予約は ${TEL} へ（テスト用の文）。`;
    const fields = setField(setField(formFields(page.text, ENTRY), 'f.where.text', text), 'message', '番号を追加');
    const refused = await postFields(staff, ENTRY, [...fields, ['action', 'publish']]);
    expect(refused.res.status).toBe(422);
    expect(refused.text).toContain(`電話番号 ${TEL} は連絡先の台帳にない番号です`);
    expect(refused.text).toContain(`href="/console/kb/contacts/new?tel=${TEL}"`);
    const form = await staff.get(`${NEW}?tel=${TEL}`);
    expect(formFields(form.text, NEW)).toContainEqual(['tel', TEL]);
  });

  it('refuses an office number without its date and a number already in the ledger, naming the field', async () => {
    const page = await staff.get(`${NEW}?tel=${TEL}`);
    let fields = formFields(page.text, NEW);
    for (const [k, v] of [
      ['id', 'test-hiroba-yoyaku'],
      ['name', 'テスト用ひろば予約'],
      ['source', 'https://www.city.kasaoka.okayama.jp/test-hiroba'],
      ['message', '連絡先を追加'],
    ] as const)
      fields = setField(fields, k, v);
    const undated = await postFields(staff, NEW, [...fields, ['action', 'publish']]);
    expect(undated.res.status).toBe(422);
    expect(undated.text).toContain('番号の時点（asOf: 「2020年時点」「掲載時期不明」など）を書いてください');
    expect(undated.text).toContain('href="#asOf"');
    const twice = await postFields(staff, NEW, [...setField(setField(fields, 'tel', '0865-69-2132'), 'asOf', '2026年12月時点'), ['action', 'publish']]);
    expect(twice.res.status).toBe(422);
    expect(twice.text).toContain('電話番号 0865-69-2132 は「笠岡市 子育て支援課（子育てコンシェルジュ）」と同じです');
    expect(app.knowledge.live.version()).toBe(1);
  });

  it('adds the number with its source and date; the answer then publishes, and its card shows the number with its date', async () => {
    const page = await staff.get(`${NEW}?tel=${TEL}`);
    let fields = formFields(page.text, NEW);
    for (const [k, v] of [
      ['id', 'test-hiroba-yoyaku'],
      ['name', 'テスト用ひろば予約'],
      ['asOf', '2026年12月時点'],
      ['source', 'https://www.city.kasaoka.okayama.jp/test-hiroba'],
      ['message', '連絡先を追加'],
    ] as const)
      fields = setField(fields, k, v);
    const added = await postFields(staff, NEW, [...fields, ['action', 'publish']]);
    expect(added.res.status).toBe(303);
    await expect.poll(() => app.knowledge.live.version()).toBe(2);
    expect(kb().contacts.get('test-hiroba-yoyaku')).toMatchObject({ tel: TEL, asOf: '2026年12月時点', checked: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });

    const entry = await staff.get(ENTRY);
    const text = `子育てひろばの予約は ${TEL} へ（テスト用の文）。`;
    const withNumber = [
      ...setField(setField(formFields(entry.text, ENTRY), 'f.where.text', text), 'message', '予約の番号を追加'),
      ['f.where.phones', 'test-hiroba-yoyaku'] as [string, string],
      ['action', 'publish'] as [string, string],
    ];
    const published = await postFields(staff, ENTRY, withNumber);
    expect(published.res.status).toBe(303);
    await expect.poll(() => app.knowledge.live.version()).toBe(3);
    const turn = app.knowledge.live.core().concierge.respond({ kind: 'postback', data: 'a=facet&i=support-hub&f=where' }, emptyState(), Date.now());
    const card = turn.replies.find((r) => r.type === 'answer');
    expect(card).toMatchObject({
      text: expect.stringContaining(TEL),
      phones: expect.arrayContaining([{ name: 'テスト用ひろば予約', tel: TEL, asOf: '2026年12月時点' }]),
    });
  }, 60_000); // two publishes, each building and checking a whole core

  it('edits a contact: the preview shows the cards that give the number, and publishing changes them', async () => {
    const page = await staff.get(FORM('test-hiroba-yoyaku'));
    expect(page.text).toContain('href="/console/kb/entries/support-hub"');
    const fields = setField(formFields(page.text, FORM('test-hiroba-yoyaku')), 'asOf', '2026年12月7日時点');
    const preview = await postFields(staff, FORM('test-hiroba-yoyaku'), [...fields, ['action', 'preview']]);
    expect(preview.res.status).toBe(200);
    expect(preview.text).toContain('問題は見つかりませんでした');
    expect(preview.text).toContain('番号の時点: 2026年12月7日時点');
    expect(app.knowledge.live.version()).toBe(3);
    const published = await postFields(staff, FORM('test-hiroba-yoyaku'), [...setField(fields, 'message', '時点を更新'), ['action', 'publish']]);
    expect(published.res.status).toBe(303);
    await expect.poll(() => kb().contacts.get('test-hiroba-yoyaku')?.asOf).toBe('2026年12月7日時点');
  }, 60_000);
});
