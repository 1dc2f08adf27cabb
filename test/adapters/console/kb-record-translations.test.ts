import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, STAFF, startStaffedInstance, type Instance } from '../../support/console.js';
import { formFields, postFields, setField } from '../../support/forms.js';
import { visibleText } from '../../support/visible-text.js';

// A facility's and a contact's words in another language, edited in the console like any other edit (one instance,
// memory store): refused when a number differs from the Japanese, published and live at once, and fixed after a
// Japanese change set them aside.
let app: Instance;
let staff: ConsoleClient;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, close } = await startStaffedInstance());
  staff = new ConsoleClient(app.url);
  expect((await staff.signIn(STAFF.username, STAFF.password)).status).toBe(303);
});
afterAll(() => close());

const FACILITY = 'shinkawa-kodomoen';
const EN_FACILITY = `/console/kb/facilities/${FACILITY}/translations/en`;
const EN_CONTACT = '/console/kb/contacts/kosodate-shien/translations/en';
const enFacility = () => app.knowledge.live.core().kb.languages.get('en')!.facilities.get(FACILITY);

async function send(path: string, changes: Record<string, string>, action: 'preview' | 'publish') {
  const page = await staff.get(path);
  expect(page.res.status).toBe(200);
  let fields = formFields(page.text, path);
  for (const [k, v] of Object.entries(changes)) fields = setField(fields, k, v);
  return postFields(staff, path, [...fields, ['action', action]]);
}

function expectStaffWords(page: string) {
  const t = visibleText(page);
  expect(t).not.toMatch(/languages\/|knowledge\/|\.ya?ml\b/);
  expect(t).not.toMatch(/(^|[^A-Za-z-])(shinkawa-kodomoen|kosodate-shien|en|vi|zh|ja-easy)($|[^A-Za-z-])/);
}

describe('translating facilities and contacts in the console', () => {
  it('links each language from the facility’s page, and shows each field beside its Japanese', async () => {
    const page = (await staff.get(`/console/kb/facilities/${FACILITY}`)).text;
    expect(page).toContain(`href="${EN_FACILITY}"`);
    expect(page).toContain('英語の訳を直す');
    const { res, text } = await staff.get(EN_FACILITY);
    expect(res.status).toBe(200);
    expect(text).toContain('施設「新川こども園」の英語の訳');
    expect(text).toContain('園庭開放 月〜金 9:00〜11:00（親子で遊びに行けます）');
    expect(text).toMatch(/<input id="offers\.3" name="offers\.3" value="Open playground Monday to Friday 9:00–11:00/);
    expectStaffWords(text);
  });

  it('refuses a facility translation whose times differ from the Japanese, naming the field; nothing goes live', async () => {
    const { res, text } = await send(EN_FACILITY, { 'offers.3': 'Open playground Monday to Friday 9:00–12:00', message: '園庭開放の訳' }, 'publish');
    expect(res.status).toBe(422);
    expect(text).toContain('公開中の内容は変わっていません');
    expect(text).toContain(
      '英語の訳 ／ 内容 4件目</a>：施設「新川こども園」: 数字が日本語と合いません（日本語にあって訳にない: 「11:00」(11)／訳にあって日本語にない: 「12:00」(12)）',
    );
    expect(text).toContain('href="#offers.3"');
    expectStaffWords(text);
    expect(await app.knowledge.store.current()).toBe(1);
  });

  it('previews and publishes a good one: the English card changes at once, and the history names it', async () => {
    const OFFER = 'Open playground on weekdays 9:00–11:00 (edited in the console)';
    const checked = await send(EN_FACILITY, { 'offers.3': OFFER }, 'preview');
    expect(checked.text).toContain('問題は見つかりませんでした');
    expect(checked.text).toContain('英語を選んだ保護者にLINEで届くカード');
    expect(checked.text).toContain('(edited in the console)');
    const { res } = await send(EN_FACILITY, { 'offers.3': OFFER, message: '園庭開放の英語を直した' }, 'publish');
    expect(res.headers.get('location')).toBe('/console/kb/versions/2?m=published');
    await expect.poll(() => app.knowledge.live.version()).toBe(2);
    expect(enFacility()!.offers[3]).toBe(OFFER);
    const diff = (await staff.get('/console/kb/versions/2')).text;
    expect(diff).toContain('英語の訳：施設');
    expect(diff).toContain('施設「Shinkawa Kodomo-en (新川こども園)」 › 内容');
  });

  it('edits a contact’s English name the same way', async () => {
    const page = (await staff.get('/console/kb/contacts/kosodate-shien')).text;
    expect(page).toContain(`href="${EN_CONTACT}"`);
    const NAME = 'Child-rearing Support Division (子育て支援課), Kasaoka City';
    const { res } = await send(EN_CONTACT, { name: NAME, message: '連絡先の英語名' }, 'publish');
    expect(res.status).toBe(303);
    await expect.poll(() => app.knowledge.live.core().kb.languages.get('en')!.contacts.get('kosodate-shien')?.name).toBe(NAME);
  });

  it('offers to fix a facility translation the Japanese left behind, with the Japanese that changed', async () => {
    // The Japanese hours change (as any Japanese edit would publish them): the English record no longer matches.
    const current = (await app.knowledge.store.get((await app.knowledge.store.current())!))!;
    const doc = YAML.parseDocument(current.files['knowledge/_facilities.yaml']!);
    const list = doc.get('facilities', true) as YAML.YAMLSeq;
    const at = list.items.findIndex((it) => (it as YAML.YAMLMap).get('id') === FACILITY);
    doc.setIn(['facilities', at, 'hours'], doc.createNode({ text: '開園 7:00〜18:00', opens: '07:00', closes: '18:00' }));
    const files = { ...current.files, 'knowledge/_facilities.yaml': doc.toString() };
    const out = await app.knowledge.publisher.publish(files, STAFF.username, '新川こども園の時間', { base: current.n });
    expect(out.status).toBe('published');
    await app.knowledge.live.refresh();
    expect(enFacility()).toBeUndefined();

    const fresh = (await staff.get('/console/kb/freshness')).text;
    expect(fresh).toContain(`<a href="${EN_FACILITY}">英語の訳：施設「新川こども園」</a>`);
    expect((await staff.get(`/console/kb/facilities/${FACILITY}`)).text).toContain('英語の訳のずれを直す');
    const { text } = await staff.get(EN_FACILITY);
    expect(text).toContain('日本語と合わなくなった訳（1件）');
    expect(text).toContain('変わった日本語：施設「新川こども園」 › 時間');
    expect(text).toMatch(/<ins>[^<]*18[^<]*<\/ins>/);
    expect(text).toMatch(/<textarea id="hours" name="hours"[^>]*>\nOpen 7:00–19:00<\/textarea>/);
    expectStaffWords(text);

    const fixed = await send(EN_FACILITY, { hours: 'Open 7:00–18:00', message: '時間の訳を直した' }, 'publish');
    expect(fixed.res.status).toBe(303);
    await app.knowledge.live.refresh();
    expect(enFacility()?.hours).toBe('Open 7:00–18:00');
    expect((await staff.get('/console/kb/freshness')).text).not.toContain('英語の訳：施設「新川こども園」');
  }, 60_000);
});
