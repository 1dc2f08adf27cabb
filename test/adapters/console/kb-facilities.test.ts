import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyState } from '../../../src/core/conversation/types.js';
import { STAFF, ConsoleClient, startStaffedInstance, type Instance } from '../../support/console.js';
import { formFields, postFields, setField, uploadCsv } from '../../support/forms.js';
import { decodeCsv, encodeCsv, parseCsv } from '../../../src/core/knowledge/spreadsheet/csv.js';

// One instance with the memory store: the console's facility pages end to end over HTTP, through the publish pipeline.
let app: Instance;
let staff: ConsoleClient;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, close } = await startStaffedInstance());
  staff = new ConsoleClient(app.url);
  expect((await staff.signIn(STAFF.username, STAFF.password)).status).toBe(303);
});
afterAll(() => close());

const facility = (id: string) => app.knowledge.live.core().kb.facilities.facilities.find((f) => f.id === id);
const ask = (text: string) => app.knowledge.live.core().concierge.respond({ kind: 'text', text }, emptyState(), Date.parse('2026-12-07T01:00:00Z'));
const FORM = (id: string) => `/console/kb/facilities/${id}`;

describe('facilities in the console', () => {
  it('lists every facility with what is not confirmed, linked from the knowledge-base pages', async () => {
    const { res, text } = await staff.get('/console/kb/facilities');
    expect(res.status).toBe(200);
    expect(text).toContain('href="/console/kb/facilities/shinkawa-kodomoen"');
    expect(text).toContain('住所・電話番号');
    expect((await staff.get('/console/kb')).text).toContain('href="/console/kb/facilities"');
  });

  it('changes nothing when every facility form is sent back as it was shown', async () => {
    for (const f of app.knowledge.live.core().kb.facilities.facilities) {
      const page = await staff.get(FORM(f.id));
      const fields = setField(formFields(page.text, FORM(f.id)), 'message', '変更なし');
      const { res } = await postFields(staff, FORM(f.id), [...fields, ['action', 'publish']]);
      expect(res.headers.get('location'), f.id).toBe(`${FORM(f.id)}?m=unchanged`);
    }
    expect(await app.knowledge.store.current()).toBe(1);
  }, 120_000);

  it('checks and previews an edit as the LINE card, without publishing it', async () => {
    const page = await staff.get(FORM('tako-koen'));
    const fields = setField(formFields(page.text, FORM('tako-koen')), 'note', '遊具の点検中は使えないことがあります（テスト用の文）');
    const { res, text } = await postFields(staff, FORM('tako-koen'), [...fields, ['action', 'preview']]);
    expect(res.status).toBe(200);
    expect(text).toContain('問題は見つかりませんでした');
    expect(text).toMatch(/data-line-messages="\[\{&quot;type&quot;:&quot;flex&quot;/);
    expect(text).toContain('遊具の点検中は使えないことがあります');
    expect(app.knowledge.live.version()).toBe(1);
  });

  it('refuses a phone number that is not in the contacts ledger, and a facility without a source, naming the fields', async () => {
    const page = await staff.get(FORM('shinkawa-kodomoen'));
    const shown = setField(formFields(page.text, FORM('shinkawa-kodomoen')), 'message', '電話を変える');
    const phone = await postFields(staff, FORM('shinkawa-kodomoen'), [...setField(shown, 'tel', '0865-66-0000'), ['action', 'publish']]);
    expect(phone.res.status).toBe(422);
    expect(phone.text).toContain('直す必要があるところ');
    expect(phone.text).toContain(
      '施設 › 電話'.replace('施設', `施設 ${app.knowledge.live.core().kb.facilities.facilities.findIndex((f) => f.id === 'shinkawa-kodomoen') + 1}件目`),
    );
    expect(phone.text).toContain('電話番号 0865-66-0000 は連絡先の台帳にない番号です');
    expect(phone.text).toContain('href="#tel"');
    const unsourced = await postFields(staff, FORM('shinkawa-kodomoen'), [...setField(shown, 'sources', ''), ['action', 'publish']]);
    expect(unsourced.res.status).toBe(422);
    expect(unsourced.text).toContain('出典（sources）が必要です');
    expect(app.knowledge.live.version()).toBe(1);
    expect(facility('shinkawa-kodomoen')!.tel).toBe('0865-66-1668');
  });

  it('publishes an edit that the bot then answers with', async () => {
    const page = await staff.get(FORM('sports-park'));
    const fields = setField(
      setField(formFields(page.text, FORM('sports-park')), 'note', '陸上競技場の大会の日は駐車場が混みます（テスト用の文）'),
      'message',
      '注意書きを追加',
    );
    const { res } = await postFields(staff, FORM('sports-park'), [...fields, ['action', 'publish']]);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/kb/versions/2?m=published');
    await expect.poll(() => app.knowledge.live.version()).toBe(2);
    const turn = ask('笠岡総合スポーツ公園');
    const cards = turn.replies.flatMap((r) => (r.type === 'facilities' ? r.items : []));
    expect(cards[0]?.note).toContain('大会の日は駐車場が混みます');
  });

  it('adds a new facility with a new source, findable by name once published', async () => {
    const page = await staff.get('/console/kb/facilities/new');
    let fields = formFields(page.text, '/console/kb/facilities/new');
    for (const [k, v] of [
      ['id', 'test-hiroba'],
      ['name', 'テスト用ひろば'],
      ['reading', 'てすとようひろば'],
      ['kind', 'park'],
      ['offers', '芝生の広場'],
      ['topics', 'play-events'],
      ['s.new.id', 'test-source'],
      ['s.new.title', 'テスト用の出典'],
      ['s.new.url', 'https://www.city.kasaoka.okayama.jp/test'],
      ['s.new.asOf', '2026年12月時点'],
      ['message', '施設を追加'],
    ] as const)
      fields = setField(fields, k, v);
    const { res } = await postFields(staff, '/console/kb/facilities/new', [...fields, ['action', 'publish']]);
    expect(res.status).toBe(303);
    await expect.poll(() => app.knowledge.live.version()).toBe(3);
    const cards = ask('てすとようひろば').replies.flatMap((r) => (r.type === 'facilities' ? r.items : []));
    expect(cards[0]).toMatchObject({ name: 'テスト用ひろば', missing: ['住所', '電話番号'], sources: [expect.objectContaining({ asOf: '2026年12月時点' })] });
  });

  it('exports the facility sheet, refuses a row the validation refuses (by row), and publishes an edited one', async () => {
    const res = await fetch(`${app.url}/console/kb/csv/facilities/export`, { headers: { cookie: staff.cookieHeader() } });
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="kosodate-facilities-v\d+\.csv"/);
    const { header, rows } = parseCsv(decodeCsv(Buffer.from(await res.arrayBuffer())).text);
    const row = rows.findIndex((r) => r['施設ID'] === 'fureai-hiroba');
    const version = app.knowledge.live.version();
    const edit = (change: Record<string, string>) =>
      encodeCsv(
        header,
        rows.map((r, i) => (i === row ? { ...r, ...change } : r)),
      );

    const refused = await uploadCsv(staff, edit({ 電話: '0865-00-0000' }), 'facilities.csv');
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(`${row + 2}行目 ／ 施設の台帳`);
    expect(refused.text).toContain('0865-00-0000 は連絡先の台帳にない番号です');
    expect(app.knowledge.live.version()).toBe(version);

    const published = await uploadCsv(staff, edit({ 注意書き: '風の強い日は風車の近くに注意（表からのテスト）' }), 'facilities.csv');
    expect(published.status).toBe(303);
    await expect.poll(() => app.knowledge.live.version()).toBe(version! + 1);
    expect(facility('fureai-hiroba')!.note).toBe('風の強い日は風車の近くに注意（表からのテスト）');
  });
});
