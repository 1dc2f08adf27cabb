import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { EmergencyDetector } from '../../../src/core/conversation/cues.js';
import { emptyState } from '../../../src/core/conversation/types.js';
import { getCore } from '../../support/core.js';

let core: Core;
let detector: EmergencyDetector;
beforeAll(async () => {
  core = await getCore();
  const { emergency, guards } = core.kb;
  detector = new EmergencyDetector(
    emergency,
    guards.about_a_child,
    (p, min) => core.analyzer.spokenForm(p, min),
    (p) => core.analyzer.negativeForms(p),
  );
});

// The danger rules of intents/_emergency.yaml are written in kanji; children and people in a panic type kana.
describe('EmergencyDetector: a rule’s phrase typed in kana', () => {
  it('names the danger the phrase names, spaced or not', () => {
    expect(detector.read('ぱぱが ままを けってる こわい').named).toBe('violence');
    expect(detector.read('あかちゃんが いきしてない').named).toBe('medical');
    expect(detector.read('おとうとがいきしてないどうしよう').named).toBe('medical');
  });

  it('only where a word can start: 蹴られて is not read in しめつけられて, nor in あずけられて', () => {
    expect(detector.read('胸がしめつけられて苦しい').named).not.toBe('violence');
    expect(detector.read('今日は子どもをあずけられて助かりました').named).toBeUndefined();
    expect(detector.read('友だちにたすけられてばかりです').named).toBeUndefined();
  });

  it('is what the spoken forms add: without them the kana goes unnamed', () => {
    const written = new EmergencyDetector(core.kb.emergency, core.kb.guards.about_a_child);
    expect(written.read('ぱぱが ままを けってる こわい').named).toBeUndefined();
  });

  it('meets a negative rule phrase in its other forms: なくなった, polite, in kanji and kana', () => {
    expect(detector.read('笑ってたら急に息ができなくなった').named).toBe('medical');
    expect(detector.read('赤ちゃんが息をしていません').named).toBe('medical');
    expect(detector.read('呼んでも反応がありません').named).toBe('medical');
    expect(detector.read('むすめが いきが できなくなった').named).toBe('medical');
    expect(new EmergencyDetector(core.kb.emergency, core.kb.guards.about_a_child).read('娘が息ができなくなった').named).toBeUndefined();
  });

  it('reads a cut verb and a noun after a particle in kana', () => {
    expect(detector.read('じてんしゃで ころんだ。うでが へんなほうこうに まがってる').named).toBe('medical');
    expect(detector.read('まごが わたしの けつあつのくすりを のんでしもうた').named).toBe('medical');
  });

  it('finds a word start after punctuation, which normalising turns into a space', () => {
    expect(detector.read('すべって ころんだ。ちがとまらない').named).toBe('medical');
    expect(detector.read('すべってころんだ、ちがとまらない').named).toBe('medical');
  });
});

// The calm words (去年, 夢, ニュース, 無事でした) are written with kanji too: typed in kana, a story or a question about
// prevention would otherwise read as danger now.
describe('EmergencyDetector: calm words and animals typed in kana', () => {
  it('hears a past, a dream, a fear and a prevention question as calm', () => {
    expect(detector.read('きょねん こどもが いきしてない ゆめを みた')).toMatchObject({ named: 'medical', calm: true });
    // Calm phrases that start with a particle or end a word are found wherever they are (が怖くて, 防止).
    expect(detector.read('のどに つまるのが こわくて おもちを あげられない').calm).toBe(true);
    expect(detector.read('まどからの てんらくぼうしの さくは どこで かえますか').calm).toBe(true);
  });

  it('hears that it is over', () => {
    expect(detector.read('きゅうきゅうしゃを よびました。いまは おちつきました')).toMatchObject({ settled: true });
    expect(detector.read('あたまを うったけど いしきが もどりました')).toMatchObject({ settled: true });
  });

  it('hears what stopped: bleeding or a convulsion, not breathing', () => {
    expect(detector.read('けいれんは とまりました いまは ねています')).toMatchObject({ settled: true });
    expect(detector.read('あかちゃんの いきが とまりました')).toMatchObject({ named: 'medical', settled: false });
  });

  it('does not hear it is over when a danger is named after the words that say so', () => {
    expect(detector.read('けいれんは止まりましたが、呼びかけても反応がない')).toMatchObject({ named: 'medical', settled: false });
    expect(detector.read('みつかりました。でも かわに おちてて いしきが ない')).toMatchObject({ named: 'medical', settled: false });
  });

  it('still hears it is over when the same danger is told again after it', () => {
    expect(detector.read('けいれんは止まりました。3分くらいけいれんしてました')).toMatchObject({ settled: true });
    expect(detector.read('お餅をのどに詰まらせたけど無事でした。のどに詰まりにくい食べさせ方はありますか')).toMatchObject({ settled: true });
  });

  it('does not hear it is over when it is not: 意識が戻らない, in kanji or kana', () => {
    expect(detector.read('子どもが頭を打って意識が戻らない')).toMatchObject({ named: 'medical', settled: false });
    expect(detector.read('こどもが あたまを うって いしきが もどらない')).toMatchObject({ named: 'medical', settled: false });
  });

  it('reads a clause about an animal named in kana as the animal’s', () => {
    expect(detector.read('きんぎょが ぐったりしてる').named).toBeUndefined();
    expect(detector.read('こどもが ぐったりしてる').named).toBe('medical');
  });

  it('still sees danger now: a danger word typed in kana with no calm word', () => {
    expect(detector.read('こどもが かわで おぼれてる たすけて')).toMatchObject({ named: 'medical', calm: false });
  });
});

describe('Concierge: danger typed in kana', () => {
  const decide = (text: string) => core.concierge.respond({ kind: 'text', text }, emptyState(), Date.parse('2026-06-01T03:00:00Z')).decision;
  it('gets the card of the danger the rule names: the police for violence now, not only 119', () => {
    expect(decide('ぱぱが ままを けってる こわい')).toMatchObject({ action: 'emergency', reason: 'violence' });
  });
  it('gets it from a rule met in kana alone, as from one met in kanji', () => {
    expect(decide('ねっちゅうしょうで いしきが もうろうと してる')).toMatchObject({ action: 'emergency' });
  });
  it('does not get it for a calm story told in kana', () => {
    expect(decide('きょねん むすこが かわで おぼれかけました。いまは げんきです。すいえいきょうしつは ありますか').action).not.toBe('emergency');
  });
});

describe('Analyzer.negativeForms', () => {
  it('gives the polite form and the stem of a plain negative', () => {
    expect(core.analyzer.negativeForms('息ができない')).toEqual(['息ができません', '息ができな']);
    expect(core.analyzer.negativeForms('反応がない')).toEqual(['反応がありません', '反応がな']);
    expect(core.analyzer.negativeForms('帰ってこない')).toEqual(['帰ってきません', '帰ってこな']);
    expect(core.analyzer.negativeForms('見つからない')).toEqual(['見つかりません', '見つからな']);
  });
  it('gives no stem shorter than 4 characters (起きな is also 起きなさい), and nothing for another ending', () => {
    expect(core.analyzer.negativeForms('起きない')).toEqual(['起きません']);
    expect(core.analyzer.negativeForms('血が止まらな')).toEqual([]);
    expect(core.analyzer.negativeForms('ぐったり')).toEqual([]);
  });
});

describe('Analyzer.spokenForm', () => {
  it('gives the kana of a phrase with kanji, four characters or more', () => {
    expect(core.analyzer.spokenForm('蹴ってる')).toBe('けってる');
    expect(core.analyzer.spokenForm('息してない')).toBe('いきしてない');
    // Three characters or fewer hide inside other words (飲んだ → のんだ); kana phrases need none.
    expect(core.analyzer.spokenForm('飲んだ')).toBeUndefined();
    expect(core.analyzer.spokenForm('たすけて')).toBeUndefined();
  });
  it('reads a verb cut before its okurigana as the verb, not as the kanji alone (止 → とめ, 曲 → きょく)', () => {
    expect(core.analyzer.spokenForm('呼吸が止')).toBe('こきゅうがとま');
    expect(core.analyzer.spokenForm('変な方向に曲が')).toBe('へんなほうこうにまが');
    expect(core.analyzer.spokenForm('応急手当を習')).toBe('おうきゅうてあてをなら');
  });
  it('gives none for a cut verb whose stem is one kana: it starts other words too (いっしょにしよう)', () => {
    expect(core.analyzer.spokenForm('頭を打')).toBeUndefined();
    expect(core.analyzer.spokenForm('一緒に死')).toBeUndefined();
  });
  it('reads a noun after a particle as the noun', () => {
    expect(core.analyzer.spokenForm('血圧の薬')).toBe('けつあつのくすり');
    // After の, a kanji is a noun, though 中る and 外す are verbs.
    expect(core.analyzer.spokenForm('車の中')).toBe('くるまのなか');
    expect(core.analyzer.spokenForm('窓の外')).toBe('まどのそと');
    expect(core.analyzer.spokenForm('熱湯をかぶ')).toBe('ねっとうをかぶ');
    expect(core.analyzer.spokenForm('大量出血')).toBe('たいりょうしゅっけつ');
  });
});
