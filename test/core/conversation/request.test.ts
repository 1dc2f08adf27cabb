import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { GuardDetector } from '../../../src/core/conversation/cues.js';
import { readByRequest, splitRequest } from '../../../src/core/conversation/request.js';
import { emptyState } from '../../../src/core/conversation/types.js';
import type { Understood } from '../../../src/core/nlp/learned/understanding.js';
import { getCore } from '../../support/core.js';

describe('splitRequest: a story, then the question', () => {
  it('takes the last sentence as the question when it asks', () => {
    expect(splitRequest('先週、息子が公園で転んで頭を打ちました。もう元気です。病院の領収書は払い戻しできますか')).toEqual({
      story: '先週、息子が公園で転んで頭を打ちました。もう元気です。',
      request: '病院の領収書は払い戻しできますか',
    });
  });

  it('ends a sentence at a laugh mark followed by a space, and at ！？ and line breaks', () => {
    expect(splitRequest('双子のお世話で毎日ヘトヘト笑 週に一回だけ預けられるところある？')?.request).toBe('週に一回だけ預けられるところある？');
    expect(splitRequest('うちの子が3歳になりました！\n幼稚園って何歳から入れるの？')?.request).toBe('幼稚園って何歳から入れるの？');
  });

  it('reads a question ending in か, かな or でしょう without a question mark', () => {
    expect(splitRequest('娘が人見知りで心配です。どこか相談できるところはあるかな')?.request).toBe('どこか相談できるところはあるかな');
    expect(splitRequest('娘が人見知りで心配です。どう接したらいいでしょう')?.request).toBe('どう接したらいいでしょう');
  });

  it('finds nothing in one sentence, or when the message does not end by asking', () => {
    expect(splitRequest('保育園の申し込みはいつからですか')).toBeUndefined();
    expect(splitRequest('娘が熱を出しました。今日は休ませます。')).toBeUndefined();
    // 「はい。」 is too short to be a sentence of its own.
    expect(splitRequest('はい。保育料はいくらですか')).toBeUndefined();
  });
});

const read = (none: number, ranking: [string, number][]): Understood => ({
  ranking: ranking.map(([intent, score]) => ({ intent, score })),
  emergency: 0.01,
  handoff: 0.02,
  none,
  facet: { facet: 'overview', score: 0.9 },
  known: 10,
});

describe('readByRequest: whether it is other business is read from the question', () => {
  it('takes the question’s lower other-business share and gives the rest back to the services, in their order', () => {
    const whole = read(0.8, [
      ['nursery-admission', 0.12],
      ['kindergarten', 0.06],
    ]);
    const u = readByRequest(whole, read(0.2, [['kindergarten', 0.7]]));
    expect(u.none).toBe(0.2);
    expect(u.ranking.map((r) => r.intent)).toEqual(['nursery-admission', 'kindergarten']);
    expect(u.ranking[0]!.score).toBeCloseTo(0.48, 6); // 0.12 × (1 − 0.2) / (1 − 0.8)
    expect(u.ranking[1]!.score).toBeCloseTo(0.24, 6);
    expect(u.handoff).toBe(whole.handoff);
  });

  it('never raises other business: a question that reads as other business leaves the whole message’s reading', () => {
    const whole = read(0.3, [['play-events', 0.5]]);
    expect(readByRequest(whole, read(0.9, []))).toBe(whole);
  });
});

describe('GuardDetector.aboutAChild', () => {
  const guards = new GuardDetector({ judgment: [], out_of_scope: [], about_a_child: ['息子', '娘', 'こども'] });
  it('knows a child by a word for one, in kana or kanji as listed, or by a child’s age', () => {
    expect(guards.aboutAChild('先週、息子が転びました。')).toBe(true);
    expect(guards.aboutAChild('コドモが熱を出して')).toBe(true);
    expect(guards.aboutAChild('2歳になったばかりで、')).toBe(true);
    expect(guards.aboutAChild('生後3か月で、')).toBe(true);
  });
  it('does not take an adult’s story for a child’s', () => {
    expect(guards.aboutAChild('夫がぎっくり腰で動けなくて。')).toBe(false);
    expect(guards.aboutAChild('母が転んで救急車で運ばれました。')).toBe(false);
  });
});

describe('Concierge: stories that end in a question', () => {
  let core: Core;
  beforeAll(async () => {
    core = await getCore();
  });
  const say = (text: string) => core.concierge.respond({ kind: 'text', text }, emptyState(), Date.parse('2026-05-01T03:00:00Z')).decision;

  it('answers the question after a calm story about a child', () => {
    expect(
      say('おととし娘が階段から落ちて救急車で運ばれました。今はすっかり元気です。4月から保育園に入れたいんですが、申し込みはいつからですか'),
    ).toMatchObject({
      action: 'answer',
      intent: 'nursery-admission',
    });
  });

  it('does not take a grown-up son’s or daughter’s story for a child’s question', () => {
    for (const text of [
      '娘が乳がんの手術をしました。術後の検診はどこで受けられますか',
      '娘が大学で一人暮らしを始めました。国民年金の手続きは必要ですか？',
      '子どもが独立して夫婦二人になりました。市営住宅に申し込めますか',
    ])
      expect(say(text).action, text).not.toBe('answer');
  });

  it('still says honestly that an adult’s matter is not this account’s, however the question ends', () => {
    expect(say('夫がぎっくり腰で動けなくて。救急車呼ぶほどじゃないけど、夜間もやってる整形外科ってありますか')).toMatchObject({
      action: 'fallback',
      reason: 'out_of_scope',
    });
    expect(say('昨日、母が転んで救急車で運ばれました。今は落ち着いています。介護の相談はどこにすればいいですか')).toMatchObject({
      action: 'fallback',
      reason: 'out_of_scope',
    });
  });
  it('reads the question again only when the whole message leans at all to other business', () => {
    const analyze = vi.spyOn(core.analyzer, 'analyze');
    try {
      // A story and a question the whole message already reads as a service: one analysis, no second reading.
      say('生後2か月です。助産師さんにお家に来てもらえるサービスはありますか');
      expect(analyze).toHaveBeenCalledTimes(1);
      // One the whole message reads as rather other business: the question is read again.
      analyze.mockClear();
      say('おととし娘が階段から落ちて救急車で運ばれました。今はすっかり元気です。4月から保育園に入れたいんですが、申し込みはいつからですか');
      expect(analyze.mock.calls.map(([t]) => t)).toContain('4月から保育園に入れたいんですが、申し込みはいつからですか');
    } finally {
      analyze.mockRestore();
    }
  });
});
