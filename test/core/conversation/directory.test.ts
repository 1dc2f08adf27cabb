import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { Concierge } from '../../../src/core/conversation/concierge.js';
import { DEFAULT_THRESHOLDS } from '../../../src/core/conversation/policy.js';
import { FacilityDirectory, MAX_FACILITY_CARDS } from '../../../src/core/conversation/directory.js';
import { directoryLead } from '../../../src/core/conversation/directory-lead.js';
import { facilityCard, mapQuery, mapsSearchUrl } from '../../../src/core/conversation/facility-cards.js';
import { emptyState, type FacilityCard, type Reply } from '../../../src/core/conversation/types.js';
import { getCore } from '../../support/core.js';

let core: Core;
let directory: FacilityDirectory;
beforeAll(async () => {
  core = await getCore();
  directory = new FacilityDirectory(
    core.kb.facilities,
    (s) => core.analyzer.analyze(s).folded,
    (s) => core.analyzer.readingOf(s),
  );
});
const T0 = Date.parse('2026-12-07T01:00:00Z');
const lookup = (text: string) => directory.lookup(core.analyzer.analyze(text), text);
const names = (text: string) => lookup(text)?.facilities.map((f) => f.name) ?? [];
const say = (text: string) => core.concierge.respond({ kind: 'text', text }, emptyState(), T0);
const cardsOf = (replies: Reply[]): FacilityCard[] => replies.flatMap((r) => (r.type === 'facilities' ? r.items : []));

describe('FacilityDirectory: finding facilities by name', () => {
  it.each([
    ['新川こども園の電話番号', '新川こども園'],
    ['しんかわこどもえんの でんわ', '新川こども園'],
    ['しんかわ子ども園って何時まで？', '新川こども園'],
    ['あおぞらこどもえん', '青空認定こども園'],
    ['タコ公園の場所', '笠岡運動公園（タコ公園）'],
    ['たここうえん どこ', '笠岡運動公園（タコ公園）'],
    ['すこやかキッズルームの住所', '笠岡第一病院 病児保育室「すこやかキッズルーム」'],
    ['くにさだじょさんいん', 'くにさだ助産院'],
    ['旧城見保育所って今は何て名前？', 'おひさま認定こども園'],
    ['ほっとはぐ', '子育て世代包括支援センター「ほっと★はぐ」'],
  ])('「%s」 names %s', (text, name) => {
    expect(names(text)[0]).toBe(name);
  });

  it('does not take a name from a longer word that contains its reading (市民会館 is not 市民課)', () => {
    expect(names('しみんかいかんの ばしょ')).not.toContain('笠岡市 市民課');
  });
});

describe('FacilityDirectory: asking by kind, area, hours and age', () => {
  it('「金浦の近くのこども園」: the こども園 of 金浦', () => {
    expect(names('金浦の近くのこども園')).toEqual(['金浦認定こども園', '新川こども園']);
  });

  it('the same in kana only', () => {
    expect(names('かなうらの こどもえん')).toEqual(['金浦認定こども園', '新川こども園']);
  });

  it('「19時まで開いてるとこ」: only places whose source gives hours that late (not a night clinic opening at 19:00)', () => {
    expect(names('19時まで開いてるとこ')).toEqual(['新川こども園']);
    expect(names('夜7時まで預けられる保育園')).toEqual(['新川こども園']);
  });

  it('「7時から開いてる保育園」: opening at or before 7:00', () => {
    expect(names('7時から開いてる保育園')).toEqual(['新川こども園']);
    expect(names('朝7時半から預けられる保育園')).toEqual(expect.arrayContaining(['青空認定こども園', '新川こども園']));
  });

  it('an age narrows: places known to take that age first, unknown ages after, known not to left out', () => {
    const found = names('0歳から入れるこども園');
    expect(found[0]).toBe('新川こども園');
    const parks = names('12歳でも遊べる公園');
    expect(parks[0]).toBe('笠岡市立カブトガニ博物館・恐竜公園');
    expect(names('高校生が遊べる公園')).not.toContain('笠岡市立カブトガニ博物館・恐竜公園');
  });

  it('「島の保育園」: 「島」 means every island', () => {
    expect(names('島の保育園')).toEqual(['六島あゆみ園', '六島地区幼児育成事業']);
  });

  it('「北木島で子どもが遊べるところ」: nothing recorded there, so the play places elsewhere, said so', () => {
    const found = lookup('北木島で子どもが遊べるところ')!;
    expect(found.elsewhere).toBe(true);
    expect(found.facilities.map((f) => f.kind)).toEqual(['park', 'park', 'park', 'park']);
    expect(directoryLead(found, directory)).toContain('北木島の公園・遊び場は、確認できた情報の中にはありません');
  });

  it('a kind mentioned only as the setting of another question is not a directory question', () => {
    expect(lookup('風邪で病院に行ったあと、薬局でお金っていりますか')).toBeUndefined();
    expect(lookup('保育園に入れたいです')).toBeUndefined();
    expect(lookup('笠岡の公園')).toBeUndefined();
  });

  it('never shows more than a LINE carousel holds, and says how many more there are', () => {
    const found = lookup('笠岡の保育園の一覧')!;
    expect(found.facilities.length).toBeLessThanOrEqual(MAX_FACILITY_CARDS);
    expect(found.facilities.length + found.more).toBe(core.kb.facilities.facilities.filter((f) => f.kind === 'kodomoen' || f.kind === 'nursery').length);
  });
});

describe('facility cards', () => {
  const card = (id: string) =>
    facilityCard(
      core.kb,
      core.kb.facilities.facilities.find((f) => f.id === id)!,
    );

  it('carry the sourced values, each source with its own date, and a maps search built from the address', () => {
    const c = card('shinkawa-kodomoen');
    expect(c).toMatchObject({ address: '岡山県笠岡市金浦737-1', phone: { tel: '0865-66-1668' }, hours: '開園 7:00〜19:00', missing: [] });
    expect(c.sources).toEqual([expect.objectContaining({ url: 'https://shinkawa-kodomoen.jp/about', asOf: '2023年以降の園サイト' })]);
    expect(c.mapUrl).toBe(`https://www.google.com/maps/search/?api=1&query=${encodeURIComponent('岡山県笠岡市金浦737-1')}`);
    expect(c.fallback).toBeUndefined();
  });

  it('name what is missing and give 子育て支援課 instead', () => {
    const c = card('tako-koen');
    expect(c.missing).toEqual(['住所', '電話番号']);
    expect(c.fallback).toEqual({ name: core.kb.contacts.get('kosodate-shien')!.name, tel: '0865-69-2132' });
    expect(c.mapUrl).toBeUndefined();
  });

  it('search a district-only address together with the name', () => {
    expect(mapQuery({ name: '笠岡市立市民病院', address: '笠岡市笠岡' })).toBe('笠岡市立市民病院 笠岡市笠岡');
    expect(mapQuery({ name: 'x', address: '笠岡市中央町1番地の1' })).toBe('笠岡市中央町1番地の1');
    expect(mapsSearchUrl('笠岡市横島1945')).toBe('https://www.google.com/maps/search/?api=1&query=%E7%AC%A0%E5%B2%A1%E5%B8%82%E6%A8%AA%E5%B3%B61945');
  });
});

describe('Concierge: the directory as one step', () => {
  it('「新川こども園の電話番号」 answers with its own card and number, not こども育成課', () => {
    const turn = say('新川こども園の電話番号');
    expect(turn.decision).toMatchObject({ action: 'answer', facet: 'contact', reason: 'directory' });
    expect(cardsOf(turn.replies).map((c) => c.phone?.tel)).toEqual(['0865-66-1668']);
    expect(turn.state.topic?.intent).toBe(turn.decision.intent);
  });

  it('「金浦の近くのこども園」 answers as nursery-related places, with related entries as choices', () => {
    const turn = say('金浦の近くのこども園');
    expect(turn.decision).toMatchObject({ action: 'answer', facet: 'where', reason: 'directory' });
    expect(['nursery-admission', 'kindergarten', 'extended-care']).toContain(turn.decision.intent);
    expect(turn.replies[0]).toMatchObject({ type: 'text', text: expect.stringContaining('金浦の認定こども園') });
    expect(turn.quickReplies.map((q) => q.label)).toContain(core.kb.entries.get('nursery-admission')!.title);
  });

  it('leaves costs, applications and eligibility to the entries', () => {
    expect(say('新川こども園の保育料はいくら？').decision.reason).not.toBe('directory');
    expect(say('新川こども園に入るにはどうすればいい？').decision.reason).not.toBe('directory');
  });

  it('steps aside on the facet model alone only at the policy’s stricter directoryFacet threshold', () => {
    // A facility's name in kana can draw a weak facet guess (the models' reading, with the guess set here to one
    // between the two thresholds): at the general facet threshold this phone question would become an application
    // question about the service.
    const text = 'かさおかだいいちびょういん びょうじほいくしつ すこやかきっずるーむのでんわ';
    expect(say(text).decision).toMatchObject({ facet: 'contact', reason: 'directory' });
    const guess = DEFAULT_THRESHOLDS.facet + (DEFAULT_THRESHOLDS.directoryFacet - DEFAULT_THRESHOLDS.facet) / 2;
    const weakGuess = {
      read: (a: Parameters<typeof core.understanding.read>[0]) => ({ ...core.understanding.read(a), facet: { facet: 'how' as const, score: guess } }),
    } as unknown as typeof core.understanding;
    const at = (thresholds: typeof DEFAULT_THRESHOLDS) =>
      new Concierge({ kb: core.kb, analyzer: core.analyzer, understanding: weakGuess, thresholds }).respond({ kind: 'text', text }, emptyState(), T0).decision;
    expect(at(DEFAULT_THRESHOLDS)).toMatchObject({ facet: 'contact', reason: 'directory' });
    expect(at({ ...DEFAULT_THRESHOLDS, directoryFacet: DEFAULT_THRESHOLDS.facet }).reason).not.toBe('directory');
  });

  it('leaves a question about another service to that service (熱で保育園に行けない、預かってくれるところ)', () => {
    const turn = say('熱は下がったけどまだ保育園に行けない…仕事休めないんだけど、見てくれるとこある？');
    expect(turn.decision.intent).toBe('sick-child-care');
  });

  it('other city business stays out of scope even when it names a facility', () => {
    expect(say('市民病院の面会時間は？').decision.action).toBe('fallback');
  });
});

describe('facilities the facts sheet names without an address or phone', () => {
  it.each([
    ['ファミリー・サポート・センターはどこ？', '笠岡市ファミリー・サポート・センター', 'family-support-center'],
    ['保健センターの場所', '笠岡市保健センター', 'infant-checkup'],
  ])('「%s」 gets %s, saying the address and phone are not confirmed and giving 子育て支援課', (text, name, intent) => {
    const turn = say(text);
    expect(turn.decision).toMatchObject({ action: 'answer', intent, reason: 'directory' });
    const [card] = cardsOf(turn.replies);
    expect(card).toMatchObject({ name, missing: ['住所', '電話番号'], fallback: { tel: core.kb.contacts.get('kosodate-shien')!.tel } });
    expect(card!.address).toBeUndefined();
    expect(card!.sources.length).toBeGreaterThan(0);
    expect(card!.sources.every((s) => s.asOf)).toBe(true);
  });
});

describe('a programme the facts sheet names without a single place is left to its entry', () => {
  it("「子育てひろばってどこでやってる？」 gets support-hub's own where answer (園庭開放, 六島), not a card saying nothing is known", () => {
    const turn = say('子育てひろばってどこでやってる？');
    expect(turn.decision).toMatchObject({ action: 'answer', intent: 'support-hub', facet: 'where' });
    expect(cardsOf(turn.replies)).toEqual([]);
  });
});
